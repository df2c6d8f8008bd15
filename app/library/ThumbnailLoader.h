#pragma once

#include <QImage>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

namespace Pixapi {

struct LibraryRecord;

// Makes thumbnails off the UI thread: from the on-disk ThumbnailCache when it has them, else by decoding the
// source (QImageReader with a scaled size, so large images are never decoded in full, and autoTransform so EXIF
// orientation is respected) and caching the result.
//
// Requests are served newest first (after a fast scroll the newest request is what is on screen now) from a bounded
// stack; when it overflows the oldest requests are dropped (whoever still needs them asks again). At most two
// decodes run at a time, so the stack, not the pool's queue, decides what comes next.
class ThumbnailLoader : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxPending = 256;
    static constexpr int Threads = 2;
    // Decodes handed to the pool at once: one queued behind each running decode, so a thread never idles waiting for
    // the UI thread to hand it the next request (it is busy painting while thumbnails arrive).
    static constexpr int MaxRunning = 2 * Threads;

    explicit ThumbnailLoader(QObject* parent = nullptr);
    ~ThumbnailLoader() override;

    // Longest edge of the produced thumbnails, in pixels.
    void setMaxEdge(int pixels);
    int maxEdge() const { return m_maxEdge; }
    // The disk cache directory for requests made afterwards; empty: no disk cache.
    void setCacheDir(const QString& dir);
    QString cacheDir() const { return m_cacheDir; }

    // What identifies a thumbnail request: the file path and the content hash.
    static QString keyOf(const LibraryRecord& record);

    // Asks for a thumbnail; loaded() follows on this object's thread. A request already waiting moves to the top;
    // one being decoded is not asked twice.
    void request(const LibraryRecord& record);
    // Forgets the requests that have not started (running ones still report).
    void clearPending();
    bool isPending(const QString& key) const;
    int pendingCount() const { return int(m_stack.size()); }

    // The work itself; thread-safe. Cache hit ? cached : decode the source scaled + write the cache; the disk cache
    // holds ThumbnailCache::storedEdgeFor(edge), scaled down to `edge` here. An exact-size file is used when there is
    // one; keepExactSize writes it (the first screen of a start: the next start then only decodes). A null image
    // when the source is missing or not an image.
    static QImage load(const LibraryRecord& record, int edge, const QString& cacheDir, bool keepExactSize = false);
    // Decodes a source file scaled to fit edge × edge (never upscaled), EXIF orientation applied.
    static QImage decode(const QString& filePath, int edge);

Q_SIGNALS:
    // `image` is null when the source could not be read; `edge` is the edge it was made for.
    void loaded(const QString& key, int edge, const QImage& image);

private:
    struct Request
    {
        QString key;
        QString filePath;
        QString sha256;
    };
    static QString runningKey(const QString& key, int edge);
    void startNext();

    QThreadPool m_pool;
    QList<Request> m_stack;  // newest last
    QSet<QString> m_running; // runningKey of the decodes in flight
    int m_maxEdge = 256;
    QString m_cacheDir;
};

} // namespace Pixapi
