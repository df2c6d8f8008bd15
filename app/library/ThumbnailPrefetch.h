#pragma once

#include "api/ApiError.h"
#include "support/Result.h"

#include <QFuture>
#include <QHash>
#include <QImage>
#include <QList>
#include <QMutex>
#include <QSet>
#include <QString>
#include <QThreadPool>

#include <memory>

namespace Pixapi {

struct LibraryRecord;

// The first screen of thumbnails, decoded while the UI thread is still building and showing the window. Given the
// future of the first page, it decodes the first `count` records at `edge` on pool threads as soon as the page has
// been read, without a round trip through the (busy) UI thread. The model takes each image when it first paints the
// record; until then it knows not to ask the loader for it.
class ThumbnailPrefetch
{
public:
    using PageResult = Result<QList<LibraryRecord>, ApiError>;
    using Page = QFuture<PageResult>;

    ThumbnailPrefetch(const Page& page, int count, int edge, const QString& cacheDir);

    int edge() const { return m_edge; }
    // The decoded image of the record with this loader key, handed over once; null if not decoded (yet).
    QImage take(const QString& key);
    // Among the records being decoded and not done yet: its image comes with finished().
    bool isDecoding(const QString& key) const;
    // Finishes (with the number of images decoded) when every decode has.
    QFuture<int> finished() const { return m_finished; }

private:
    struct State
    {
        mutable QMutex mutex;
        QSet<QString> keys; // the records being decoded
        QHash<QString, QImage> images;
        bool done = false;
        // Decodes beside the thread running the continuation. Its own pool: the global one may be full at start,
        // and this one dies with the last user of the state, on whichever thread that is (never one of its own).
        QThreadPool helpers;
    };
    std::shared_ptr<State> m_state; // shared with the pool threads, which may outlive this object
    QFuture<int> m_finished;
    int m_edge;
};

} // namespace Pixapi
