#include "TestEnv.h"

#include <QBuffer>
#include <QDirIterator>
#include <QFile>
#include <QStandardPaths>
#include <QTest>

namespace Pixapi::TestEnv {

void init()
{
    QStandardPaths::setTestModeEnabled(true);
    if (qEnvironmentVariableIsEmpty("PIXAPI_TEST_HOME"))
        qFatal("Tests must run through tests/support/with-*.sh (ctest does that); refusing to touch the real HOME");
}

QString fixturePath(const QString& name)
{
    return qEnvironmentVariable("PIXAPI_TEST_DATA") + QLatin1Char('/') + name;
}

QByteArray encodedImage(const QImage& image, const char* format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

QByteArray readFixture(const QString& name)
{
    QFile file(fixturePath(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QStringList filesContaining(const QString& dir, const QByteArray& needle)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle))
            hits << path;
    }
    return hits;
}

} // namespace Pixapi::TestEnv
