#pragma once

#include <QImage>
#include <QString>

namespace Pixapi {

// Thumbnails on disk, keyed by the content of their source: <dir>/<edge>/<sha[0..1]>/<sha>.jpg (opaque) or .png
// (with alpha). A small value class; every method is safe to call from any thread (each call works on files only,
// and writes go through QSaveFile, so a reader never sees half a file). An empty dir or a sha256 that is not hex
// disables it: nothing is read or written.
class ThumbnailCache
{
public:
    explicit ThumbnailCache(QString dir = {});
    // Where the app keeps its thumbnails: AppPaths::cacheDir() + "/thumbnails".
    static QString defaultDir();

    // The edge stored for thumbnails shown at `edge`: steps of 64 px (64 … 1024), so tiles that change size by a
    // few pixels share one file and only the last, cheap downscale differs.
    static int storedEdgeFor(int edge);

    QString dir() const { return m_dir; }
    bool isUsable(const QString& sha256) const;

    // The cached thumbnail, or a null image on a miss. A cache file that cannot be decoded is deleted (a miss).
    // A hit refreshes the file's modification time, which prune() uses as "last used".
    QImage read(const QString& sha256, int edge) const;
    // Stores a thumbnail (JPEG when opaque, PNG when it has alpha); false when it could not be written.
    bool write(const QString& sha256, int edge, const QImage& thumbnail) const;
    // Where a thumbnail of that kind lives (whether or not it exists).
    QString filePath(const QString& sha256, int edge, bool hasAlpha) const;

    // Deletes the least recently used files until the cache holds at most maxBytes; returns the bytes left.
    // Walks the whole directory: run it on a worker.
    qint64 prune(qint64 maxBytes) const;

private:
    QString m_dir;
};

} // namespace Pixapi
