#include "library/ThumbnailPrefetch.h"

#include "library/Library.h"
#include "library/ThumbnailLoader.h"
#include "support/BackgroundWork.h"

#include <QMutexLocker>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

namespace Pixapi {

namespace {
constexpr int PrefetchHelperThreads = 1; // with the continuation's thread: two decoders, as the loader has
} // namespace

ThumbnailPrefetch::ThumbnailPrefetch(const Page& page, int count, int edge, const QString& cacheDir)
    : m_state(std::make_shared<State>())
    , m_edge(edge)
{
    m_state->helpers.setMaxThreadCount(PrefetchHelperThreads);
    // Page (still being read) → decodes. The continuation runs on a pool thread the moment the page is there and
    // takes part in the decoding itself.
    m_finished = Page(page).then(backgroundPool(), [state = m_state, count, edge, cacheDir](const PageResult& result) {
        QList<LibraryRecord> first = result.ok() ? result.value().mid(0, count) : QList<LibraryRecord>();
        {
            const QMutexLocker lock(&state->mutex);
            for (const LibraryRecord& record : std::as_const(first))
                state->keys.insert(ThumbnailLoader::keyOf(record));
        }
        QtConcurrent::blockingMap(&state->helpers, first, [&state, edge, &cacheDir](LibraryRecord& record) {
            QImage image = ThumbnailLoader::load(record, edge, cacheDir, true);
            const QMutexLocker lock(&state->mutex);
            state->images.insert(ThumbnailLoader::keyOf(record), std::move(image));
        });
        const QMutexLocker lock(&state->mutex);
        state->done = true;
        return int(state->images.size());
    });
}

QImage ThumbnailPrefetch::take(const QString& key)
{
    const QMutexLocker lock(&m_state->mutex);
    return m_state->images.take(key);
}

bool ThumbnailPrefetch::isDecoding(const QString& key) const
{
    const QMutexLocker lock(&m_state->mutex);
    return !m_state->done && m_state->keys.contains(key) && !m_state->images.contains(key);
}

} // namespace Pixapi
