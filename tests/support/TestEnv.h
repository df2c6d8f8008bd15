#pragma once

#include <QByteArray>
#include <QImage>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pixapi::TestEnv {

// Puts QStandardPaths into test mode and checks that HOME is the private one set by the launcher scripts.
void init();

// Reads a fixture from tests/data (PIXAPI_TEST_DATA). Fails the test when it is missing.
QByteArray readFixture(const QString& name);
QString fixturePath(const QString& name);

// The image encoded as the API would send it (PNG unless told).
QByteArray encodedImage(const QImage& image, const char* format = "PNG");
// A one-colour image, and the same as PNG bytes (inputs whose colour a test looks for in an edit's result).
QImage solidImage(QRgb rgb, QSize size = {256, 256});
QByteArray solidPng(QRgb rgb, QSize size = {256, 256});

// Recursively searches a directory for a byte string (used to prove a key never reached the disk).
QStringList filesContaining(const QString& dir, const QByteArray& needle);

// Every message logged from install() on, as "category: message": to check that no secret reaches the log (and
// the order of what was logged). Thread-safe; install() once per test process.
namespace LogCapture {
// Records every message; passes it on to the handler installed before. quiet: debug and info lines are only recorded
// (with every category on, they would drown the test's output).
void install(bool quiet = false);
QStringList lines();
QStringList take(); // the lines so far, forgetting them
// The first line containing `needle`, or -1.
qsizetype indexOf(const QString& needle);
} // namespace LogCapture

// The secret the Secret Service holds under QtKeychain's libsecret schema (server = our app id, user = the entry
// name), read with secret-tool; nothing when there is none.
std::optional<QString> keyringLookup(const QString& entryName);

} // namespace Pixapi::TestEnv
