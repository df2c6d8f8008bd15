#include "TestEnv.h"

#include <QBuffer>
#include <QColor>
#include <QDirIterator>
#include <QFile>
#include <QMutex>
#include <QProcess>
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

QImage solidImage(QRgb rgb, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(QColor::fromRgb(rgb));
    return image;
}

QByteArray solidPng(QRgb rgb, QSize size)
{
    return encodedImage(solidImage(rgb, size));
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

namespace LogCapture {

namespace {
QMutex g_mutex;
QStringList g_lines;
QtMessageHandler g_previous = nullptr;
bool g_quiet = false;

void capture(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    {
        const QMutexLocker lock(&g_mutex);
        g_lines << QString::fromLatin1(context.category ? context.category : "default") + QLatin1String(": ") + message;
    }
    if (g_previous && !(g_quiet && (type == QtDebugMsg || type == QtInfoMsg)))
        g_previous(type, context, message);
}
} // namespace

void install(bool quiet)
{
    g_quiet = quiet;
    g_previous = qInstallMessageHandler(capture);
}

QStringList take()
{
    const QMutexLocker lock(&g_mutex);
    return std::exchange(g_lines, {});
}

QStringList lines()
{
    const QMutexLocker lock(&g_mutex);
    return g_lines;
}

qsizetype indexOf(const QString& needle)
{
    const QStringList all = lines();
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (all.at(i).contains(needle))
            return i;
    }
    return -1;
}

} // namespace LogCapture

std::optional<QString> keyringLookup(const QString& entryName)
{
    QProcess process;
    process.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("server"),
                                                  QStringLiteral(PIXAPI_APP_ID), QStringLiteral("user"), entryName});
    if (!process.waitForFinished(15000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(process.readAllStandardOutput());
}

} // namespace Pixapi::TestEnv
