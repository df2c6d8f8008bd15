#include "library/ThumbnailLoader.h"

#include "library/Library.h"
#include "library/ThumbnailCache.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"

#include <QFutureWatcher>
#include <QImageReader>

#include <algorithm>

namespace Pixapi {

ThumbnailLoader::ThumbnailLoader(QObject* parent)
    : QObject(parent)
{
    // Two threads: enough to keep up with scrolling, without competing with the library's writes for all cores.
    m_pool.setMaxThreadCount(Threads);
}

ThumbnailLoader::~ThumbnailLoader()
{
    m_pool.waitForDone();
}

void ThumbnailLoader::setMaxEdge(int pixels)
{
    m_maxEdge = qMax(16, pixels);
}

void ThumbnailLoader::setCacheDir(const QString& dir)
{
    m_cacheDir = dir;
}

QString ThumbnailLoader::keyOf(const LibraryRecord& record)
{
    return record.filePath + QLatin1Char('\n') + record.sha256;
}

QString ThumbnailLoader::runningKey(const QString& key, int edge)
{
    return key + QLatin1Char('\n') + QString::number(edge);
}

bool ThumbnailLoader::isPending(const QString& key) const
{
    return m_running.contains(runningKey(key, m_maxEdge))
           || std::any_of(m_stack.cbegin(), m_stack.cend(), [&key](const Request& r) { return r.key == key; });
}

void ThumbnailLoader::request(const LibraryRecord& record)
{
    Request next {keyOf(record), record.filePath, record.sha256};
    // One being made for this edge reports to everyone; one for an old edge does not count.
    if (m_running.contains(runningKey(next.key, m_maxEdge)))
        return;
    const auto waiting =
        std::find_if(m_stack.begin(), m_stack.end(), [&next](const Request& r) { return r.key == next.key; });
    if (waiting != m_stack.end())
        m_stack.erase(waiting);
    m_stack.append(std::move(next));
    if (m_stack.size() > MaxPending)
        m_stack.removeFirst();
    startNext();
}

void ThumbnailLoader::clearPending()
{
    m_stack.clear();
}

void ThumbnailLoader::startNext()
{
    while (m_running.size() < MaxRunning && !m_stack.isEmpty()) {
        const Request next = m_stack.takeLast();
        m_running.insert(runningKey(next.key, m_maxEdge));
        LibraryRecord source;
        source.filePath = next.filePath;
        source.sha256 = next.sha256;
        const int edge = m_maxEdge;
        auto* watcher = new QFutureWatcher<QImage>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, key = next.key, edge] {
            watcher->deleteLater();
            m_running.remove(runningKey(key, edge));
            Q_EMIT loaded(key, edge, watcher->future().resultCount() > 0 ? watcher->result() : QImage());
            startNext();
        });
        watcher->setFuture(runOnPool(&m_pool, &ThumbnailLoader::load, source, edge, m_cacheDir, false));
    }
}

QImage ThumbnailLoader::load(const LibraryRecord& record, int edge, const QString& cacheDir, bool keepExactSize)
{
    const ThumbnailCache cache(cacheDir);
    const bool cached = cache.isUsable(record.sha256);
    const int storedEdge = ThumbnailCache::storedEdgeFor(edge);
    if (cached && storedEdge != edge) {
        if (QImage exact = cache.read(record.sha256, edge); !exact.isNull())
            return exact;
    }
    QImage image;
    if (cached)
        image = cache.read(record.sha256, storedEdge);
    if (image.isNull()) {
        image = decode(record.filePath, storedEdge);
        if (!image.isNull())
            cache.write(record.sha256, storedEdge, image);
    }
    // The exact size the tile shows, made here: painting on the UI thread then never scales.
    if (image.width() > edge || image.height() > edge) {
        image = image.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
        if (keepExactSize)
            cache.write(record.sha256, edge, image);
    }
    return image;
}

QImage ThumbnailLoader::decode(const QString& filePath, int edge)
{
    QImageReader reader(filePath);
    reader.setAutoTransform(true);
    // The scaled size applies before the EXIF transform; fitting into a square box makes the rotation irrelevant.
    const QSize stored = reader.size();
    if (stored.isValid() && (stored.width() > edge || stored.height() > edge))
        reader.setScaledSize(stored.scaled(edge, edge, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    QImage image = reader.read();
    if (image.isNull())
        qCWarning(lcLibrary).noquote() << "no thumbnail for" << filePath << '-' << reader.errorString();
    return image;
}

} // namespace Pixapi
