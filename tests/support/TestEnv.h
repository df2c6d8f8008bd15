#pragma once

#include <QByteArray>
#include <QImage>
#include <QString>

namespace Pixapi::TestEnv {

// Puts QStandardPaths into test mode and checks that HOME is the private one set by the launcher scripts.
void init();

// Reads a fixture from tests/data (PIXAPI_TEST_DATA). Fails the test when it is missing.
QByteArray readFixture(const QString& name);
QString fixturePath(const QString& name);

// The image encoded as the API would send it (PNG unless told).
QByteArray encodedImage(const QImage& image, const char* format = "PNG");

// Recursively searches a directory for a byte string (used to prove a key never reached the disk).
QStringList filesContaining(const QString& dir, const QByteArray& needle);

} // namespace Pixapi::TestEnv
