#include "library/ThumbnailCache.h"

#include "support/AppPaths.h"
#include "support/Logging.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QSaveFile>

#include <algorithm>

namespace Pixapi {

namespace {
constexpr int JpegQuality = 85;

bool isHex(const QString& text)
{
    return std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f'))
               || (c >= QLatin1Char('A') && c <= QLatin1Char('F'));
    });
}
} // namespace

QString ThumbnailCache::defaultDir()
{
    return AppPaths::cacheDir() + QStringLiteral("/thumbnails");
}

int ThumbnailCache::storedEdgeFor(int edge)
{
    constexpr int Step = 64;
    return qBound(Step, (edge + Step - 1) / Step * Step, 16 * Step);
}

ThumbnailCache::ThumbnailCache(QString dir)
    : m_dir(std::move(dir))
{ }

bool ThumbnailCache::isUsable(const QString& sha256) const
{
    // The hash becomes a file name: only hex is accepted, so nothing can escape the cache directory.
    return !m_dir.isEmpty() && sha256.size() >= 2 && isHex(sha256);
}

QString ThumbnailCache::filePath(const QString& sha256, int edge, bool hasAlpha) const
{
    const QString sha = sha256.toLower();
    return m_dir + QLatin1Char('/') + QString::number(edge) + QLatin1Char('/') + sha.left(2) + QLatin1Char('/') + sha
           + (hasAlpha ? QStringLiteral(".png") : QStringLiteral(".jpg"));
}

QImage ThumbnailCache::read(const QString& sha256, int edge) const
{
    if (!isUsable(sha256))
        return {};
    for (const bool hasAlpha : {false, true}) {
        const QString path = filePath(sha256, edge, hasAlpha);
        if (!QFileInfo::exists(path))
            continue;
        QImageReader reader(path);
        const QImage image = reader.read();
        if (image.isNull()) {
            qCWarning(lcLibrary).noquote()
                << "dropping unreadable cached thumbnail" << path << '-' << reader.errorString();
            QFile::remove(path);
            continue;
        }
        QFile file(path);
        if (file.open(QIODevice::ReadWrite))
            file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
        return image;
    }
    return {};
}

bool ThumbnailCache::write(const QString& sha256, int edge, const QImage& thumbnail) const
{
    if (!isUsable(sha256) || thumbnail.isNull())
        return false;
    const bool hasAlpha = thumbnail.hasAlphaChannel();
    const QString path = filePath(sha256, edge, hasAlpha);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    QImageWriter writer(&file, hasAlpha ? QByteArrayLiteral("png") : QByteArrayLiteral("jpeg"));
    if (!hasAlpha)
        writer.setQuality(JpegQuality);
    if (!writer.write(thumbnail) || !file.commit()) {
        qCWarning(lcLibrary).noquote() << "could not cache thumbnail" << path << '-' << writer.errorString();
        return false;
    }
    // The other kind is stale now (the same source cannot be both; a leftover would shadow or duplicate this one).
    QFile::remove(filePath(sha256, edge, !hasAlpha));
    return true;
}

qint64 ThumbnailCache::prune(qint64 maxBytes) const
{
    if (m_dir.isEmpty())
        return 0;
    QList<QFileInfo> files;
    qint64 total = 0;
    QDirIterator it(m_dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        files << it.fileInfo();
        total += files.constLast().size();
    }
    std::sort(files.begin(), files.end(),
              [](const QFileInfo& a, const QFileInfo& b) { return a.lastModified() < b.lastModified(); });
    for (const QFileInfo& file : std::as_const(files)) {
        if (total <= maxBytes)
            break;
        if (QFile::remove(file.absoluteFilePath()))
            total -= file.size();
    }
    return total;
}

} // namespace Pixapi
