#include "library/GalleryModel.h"

#include "library/ThumbnailCache.h"
#include "library/ThumbnailLoader.h"
#include "library/ThumbnailPrefetch.h"
#include "support/WhenFinished.h"

#include <QFileInfo>
#include <QLocale>
#include <QMimeData>
#include <QPainter>
#include <QSet>
#include <QUrl>

#include <algorithm>

namespace Pixapi {

namespace {
constexpr int MaxToolTipPromptChars = 400;
constexpr qint64 DefaultMemoryBudget = 32 * 1024 * 1024;

// Newest first; images of one request together, in response order.
bool newerFirst(const LibraryRecord& a, const LibraryRecord& b)
{
    if (a.createdAt != b.createdAt)
        return a.createdAt > b.createdAt;
    if (a.requestId != b.requestId)
        return a.requestId > b.requestId;
    return a.params.value(QStringLiteral("index")).toInt() < b.params.value(QStringLiteral("index")).toInt();
}
} // namespace

GalleryModel::GalleryModel(QObject* parent)
    : QAbstractListModel(parent)
    , m_memoryBudget(DefaultMemoryBudget)
    , m_loader(new ThumbnailLoader(this))
{
    m_loader->setCacheDir(ThumbnailCache::defaultDir());
    connect(m_loader, &ThumbnailLoader::loaded, this, &GalleryModel::onThumbnailLoaded);
}

GalleryModel::~GalleryModel() = default;

// ---- thumbnails -------------------------------------------------------------------------------------------------

void GalleryModel::setThumbnailEdge(int pixels)
{
    const int before = m_loader->maxEdge();
    m_loader->setMaxEdge(pixels);
    if (m_loader->maxEdge() == before)
        return;
    // Thumbnails of the old edge stay on screen until their replacements arrive (no flash of placeholders while the
    // tiles change size); failed ones are tried again at the new edge.
    m_loader->clearPending();
    m_waiting.clear();
    m_prefetch.reset(); // made for the old edge
    for (auto it = m_thumbnails.begin(); it != m_thumbnails.end();) {
        if (it->state == ThumbnailState::Ready)
            ++it;
        else
            it = m_thumbnails.erase(it);
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {Qt::DecorationRole, ThumbnailStateRole});
}

int GalleryModel::thumbnailEdge() const
{
    return m_loader->maxEdge();
}

void GalleryModel::setThumbnailCacheDir(const QString& dir)
{
    m_loader->setCacheDir(dir);
}

void GalleryModel::setThumbnailMemoryBudget(qint64 bytes)
{
    m_memoryBudget = qMax<qint64>(0, bytes);
    evictOverBudget();
}

QVariant GalleryModel::thumbnailData(const Row& row) const
{
    const auto it = m_thumbnails.find(row.record.id);
    if (it != m_thumbnails.end() && it->state == ThumbnailState::Failed)
        return placeholder(thumbnailEdge(), ThumbnailState::Failed);
    const bool ready = it != m_thumbnails.end() && it->state == ThumbnailState::Ready;
    if (!ready && m_prefetch && m_prefetch->edge() == thumbnailEdge()) {
        const QString key = ThumbnailLoader::keyOf(row.record);
        if (QImage image = m_prefetch->take(key); !image.isNull()) {
            Thumbnail& thumbnail = m_thumbnails[row.record.id];
            thumbnail = {image, ThumbnailState::Ready, ++m_tick, m_prefetch->edge()};
            m_lru.insert(thumbnail.lastUsed, row.record.id);
            m_thumbnailBytes += image.sizeInBytes();
            return image;
        }
        if (m_prefetch->isDecoding(key))
            return placeholder(thumbnailEdge(), ThumbnailState::Pending); // comes with the prefetch
    }
    if (!ready || it->edge != thumbnailEdge()) {
        // Asked again while pending: the loader moves it to the top of its stack (it is on screen now).
        QList<qint64>& waiting = m_waiting[ThumbnailLoader::keyOf(row.record)];
        if (!waiting.contains(row.record.id))
            waiting << row.record.id;
        m_loader->request(row.record);
    }
    if (!ready)
        return placeholder(thumbnailEdge(), ThumbnailState::Pending);
    // Painted now: the most recently used.
    m_lru.remove(it->lastUsed);
    it->lastUsed = ++m_tick;
    m_lru.insert(it->lastUsed, row.record.id);
    return it->image;
}

QFuture<int> GalleryModel::prefetchThumbnails(const QFuture<Result<QList<LibraryRecord>, ApiError>>& page, int count)
{
    m_prefetch = std::make_unique<ThumbnailPrefetch>(page, count, thumbnailEdge(), m_loader->cacheDir());
    m_pagesSincePrefetch = 0;
    whenFinished(this, m_prefetch->finished(), [this, serial = ++m_prefetchSerial](int) {
        if (!m_prefetch || serial != m_prefetchSerial)
            return; // dropped or replaced meanwhile
        // Rows painted while their image was still being decoded show it now; the rest is taken when painted.
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {Qt::DecorationRole, ThumbnailStateRole});
    });
    return m_prefetch->finished();
}

void GalleryModel::onThumbnailLoaded(const QString& key, int edge, const QImage& image)
{
    if (edge != thumbnailEdge())
        return; // made for an edge no longer shown
    const QList<qint64> ids = m_waiting.take(key);
    for (const qint64 id : ids) {
        const int row = rowOfId(id);
        if (row < 0 || ThumbnailLoader::keyOf(m_rows.at(row).record) != key)
            continue; // removed, or now shows another file
        dropThumbnail(id);
        Thumbnail& thumbnail = m_thumbnails[id];
        thumbnail.image = image;
        thumbnail.edge = edge;
        thumbnail.state = image.isNull() ? ThumbnailState::Failed : ThumbnailState::Ready;
        if (thumbnail.state == ThumbnailState::Ready) {
            thumbnail.lastUsed = ++m_tick;
            m_lru.insert(thumbnail.lastUsed, id);
            m_thumbnailBytes += image.sizeInBytes();
        }
        const QModelIndex changed = index(row);
        Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole, ThumbnailStateRole});
    }
    evictOverBudget();
}

void GalleryModel::evictOverBudget()
{
    // The newest thumbnail always stays, so a budget below one thumbnail still shows something.
    while (m_thumbnailBytes > m_memoryBudget && m_lru.size() > 1) {
        const qint64 id = m_lru.first();
        dropThumbnail(id);
        if (const int row = rowOfId(id); row >= 0) {
            const QModelIndex changed = index(row);
            Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole, ThumbnailStateRole});
        }
    }
}

void GalleryModel::dropThumbnail(qint64 id)
{
    const auto it = m_thumbnails.find(id);
    if (it == m_thumbnails.end())
        return;
    if (it->state == ThumbnailState::Ready) {
        m_thumbnailBytes -= it->image.sizeInBytes();
        m_lru.remove(it->lastUsed);
    }
    m_thumbnails.erase(it);
}

void GalleryModel::dropAllThumbnails()
{
    m_thumbnails.clear();
    m_lru.clear();
    m_waiting.clear();
    m_thumbnailBytes = 0;
    m_loader->clearPending();
}

// ---- grouping -----------------------------------------------------------------------------------------------------

LibraryQuery::Sort GalleryModel::sortFor(Grouping grouping)
{
    switch (grouping) {
    case Grouping::Prompt:
        return LibraryQuery::Sort::PromptThenNewest;
    case Grouping::Model:
        return LibraryQuery::Sort::ModelThenNewest;
    case Grouping::None:
    case Grouping::Day:
        break;
    }
    return LibraryQuery::Sort::Newest;
}

void GalleryModel::setGrouping(Grouping grouping)
{
    if (grouping == m_grouping)
        return;
    QList<LibraryRecord> records;
    records.reserve(m_rows.size());
    for (const Row& row : std::as_const(m_rows)) {
        if (!row.header)
            records << row.record;
    }
    m_grouping = grouping;
    setRecords(std::move(records));
}

QString GalleryModel::groupKey(const LibraryRecord& record) const
{
    switch (m_grouping) {
    case Grouping::None:
        break;
    case Grouping::Day:
        return record.createdAt.toLocalTime().date().toString(Qt::ISODate);
    case Grouping::Model:
        return record.model.toLower();
    case Grouping::Prompt:
        return record.prompt.simplified();
    }
    return {};
}

QString GalleryModel::groupTitle(const Row& header) const
{
    if (m_grouping != Grouping::Day)
        return header.title;
    const QDate day = QDate::fromString(header.groupKey, Qt::ISODate);
    const QDate today = QDate::currentDate();
    if (!day.isValid())
        return tr("Unknown date");
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

void GalleryModel::sortForGrouping(QList<LibraryRecord>& records) const
{
    switch (m_grouping) {
    case Grouping::None:
    case Grouping::Day:
        std::stable_sort(records.begin(), records.end(), newerFirst);
        return;
    case Grouping::Model:
        std::stable_sort(records.begin(), records.end(), [](const LibraryRecord& a, const LibraryRecord& b) {
            const int byModel = QString::compare(a.model, b.model, Qt::CaseInsensitive);
            return byModel != 0 ? byModel < 0 : newerFirst(a, b);
        });
        return;
    case Grouping::Prompt: {
        // Prompts whose newest image is newest first; the prompt breaks ties so each group stays in one piece.
        QHash<QString, QDateTime> newest;
        for (const LibraryRecord& record : std::as_const(records)) {
            QDateTime& at = newest[groupKey(record)];
            if (!at.isValid() || record.createdAt > at)
                at = record.createdAt;
        }
        std::stable_sort(records.begin(), records.end(), [&](const LibraryRecord& a, const LibraryRecord& b) {
            const QString keyA = groupKey(a);
            const QString keyB = groupKey(b);
            if (keyA == keyB)
                return newerFirst(a, b);
            const QDateTime& newestA = newest[keyA];
            const QDateTime& newestB = newest[keyB];
            return newestA != newestB ? newestA > newestB : keyA < keyB;
        });
        return;
    }
    }
}

int GalleryModel::responseIndex(const LibraryRecord& record)
{
    return record.params.value(QStringLiteral("index")).toInt();
}

qint64 GalleryModel::requestOrder(const QString& requestId, bool newer)
{
    auto next = [&] { return newer ? ++m_newestRequest : --m_oldestRequest; };
    if (requestId.isEmpty())
        return next(); // unknown request: a group of its own
    auto it = m_requests.find(requestId);
    if (it == m_requests.end())
        it = m_requests.insert(requestId, next());
    return *it;
}

GalleryModel::Row GalleryModel::imageRow(const LibraryRecord& record, bool newer)
{
    Row row;
    row.record = record;
    row.groupKey = groupKey(record);
    row.request = requestOrder(record.requestId, newer);
    row.index = responseIndex(record);
    return row;
}

GalleryModel::Row GalleryModel::headerRow(const Row& first) const
{
    Row header;
    header.header = true;
    header.groupKey = first.groupKey;
    if (m_grouping == Grouping::Prompt)
        header.title = first.groupKey; // the prompt, whitespace simplified
    else if (m_grouping == Grouping::Model)
        header.title = first.record.model;
    return header;
}

int GalleryModel::findHeader(const QString& key) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).header && m_rows.at(row).groupKey == key)
            return row;
    }
    return -1;
}

int GalleryModel::groupEnd(int headerRow) const
{
    int end = headerRow + 1;
    while (end < m_rows.size() && !m_rows.at(end).header)
        ++end;
    return end;
}

int GalleryModel::newHeaderRow(const QString& key) const
{
    if (m_grouping == Grouping::Prompt)
        return 0; // the newest prompt comes first
    for (int row = 0; row < m_rows.size(); ++row) {
        const Row& at = m_rows.at(row);
        // Days newest first (ISO dates sort as text), models by id.
        if (at.header && (m_grouping == Grouping::Day ? at.groupKey < key : at.groupKey > key))
            return row;
    }
    return int(m_rows.size());
}

int GalleryModel::insertionRow(int first, int end, const Row& row) const
{
    // Within a group: newer requests first, a request's images in response order.
    int at = first;
    while (at < end
           && (m_rows.at(at).request > row.request
               || (m_rows.at(at).request == row.request && m_rows.at(at).index <= row.index)))
        ++at;
    return at;
}

void GalleryModel::insertRowsAt(int at, const QList<Row>& rows)
{
    beginInsertRows({}, at, at + int(rows.size()) - 1);
    for (int i = 0; i < rows.size(); ++i)
        m_rows.insert(at + i, rows.at(i));
    m_indexDirty = true;
    endInsertRows();
}

void GalleryModel::updateGroupSizes(bool notify)
{
    m_headerCount = 0;
    int header = -1;
    auto finish = [&](int end) {
        if (header < 0)
            return;
        const int size = end - header - 1;
        if (m_rows.at(header).groupSize != size) {
            m_rows[header].groupSize = size;
            if (notify) {
                const QModelIndex changed = index(header);
                Q_EMIT dataChanged(changed, changed, {GroupSizeRole, Qt::ToolTipRole});
            }
        }
    };
    for (int row = 0; row < m_rows.size(); ++row) {
        if (!m_rows.at(row).header)
            continue;
        finish(row);
        header = row;
        ++m_headerCount;
    }
    finish(int(m_rows.size()));
}

// ---- content --------------------------------------------------------------------------------------------------

void GalleryModel::addRecord(const LibraryRecord& record)
{
    if (rowOfId(record.id) >= 0) {
        updateRecord(record);
        return;
    }
    const Row row = imageRow(record, true);
    if (m_grouping == Grouping::None) {
        insertRowsAt(insertionRow(0, int(m_rows.size()), row), {row});
        return;
    }
    int header = findHeader(row.groupKey);
    if (header < 0) {
        Row newHeader = headerRow(row);
        newHeader.groupSize = 1;
        insertRowsAt(newHeaderRow(row.groupKey), {newHeader, row});
        updateGroupSizes(true); // counts the header; its size is already right
        return;
    }
    if (m_grouping == Grouping::Prompt && header > 0) {
        // Prompting again brings the prompt's group to the top.
        const int end = groupEnd(header);
        beginMoveRows({}, header, end - 1, {}, 0);
        std::rotate(m_rows.begin(), m_rows.begin() + header, m_rows.begin() + end);
        m_indexDirty = true;
        endMoveRows();
        header = 0;
    }
    insertRowsAt(insertionRow(header + 1, groupEnd(header), row), {row});
    updateGroupSizes(true);
}

void GalleryModel::setRecords(QList<LibraryRecord> records)
{
    QSet<qint64> ids;
    records.erase(std::remove_if(records.begin(), records.end(),
                                 [&ids](const LibraryRecord& r) {
                                     if (ids.contains(r.id))
                                         return true;
                                     ids.insert(r.id);
                                     return false;
                                 }),
                  records.end());
    sortForGrouping(records);
    if (m_prefetch && ++m_pagesSincePrefetch > 1)
        m_prefetch.reset(); // another query: its images are not wanted any more

    beginResetModel();
    m_rows.clear();
    m_requests.clear();
    m_newestRequest = 0;
    m_oldestRequest = 0;
    // Oldest first, so newer requests get higher orders.
    QList<Row> images(records.size());
    for (qsizetype i = records.size() - 1; i >= 0; --i)
        images[i] = imageRow(records.at(i), true);
    m_rows.reserve(images.size());
    for (const Row& row : std::as_const(images)) {
        if (m_grouping != Grouping::None && (m_rows.isEmpty() || m_rows.constLast().groupKey != row.groupKey))
            m_rows << headerRow(row);
        m_rows << row;
    }
    updateGroupSizes(false);
    m_indexDirty = true;
    // Thumbnails of images still shown (re-grouping, a refreshed query) are kept.
    QList<qint64> gone;
    for (auto it = m_thumbnails.cbegin(); it != m_thumbnails.cend(); ++it) {
        if (!ids.contains(it.key()))
            gone << it.key();
    }
    for (const qint64 id : std::as_const(gone))
        dropThumbnail(id);
    endResetModel();
}

void GalleryModel::appendRecords(const QList<LibraryRecord>& records)
{
    rebuildIndex();
    QList<Row> added;
    QSet<qint64> seen;
    bool haveGroup = !m_rows.isEmpty();
    QString lastKey = haveGroup ? m_rows.constLast().groupKey : QString();
    for (const LibraryRecord& record : records) {
        if (m_rowOfId.contains(record.id) || seen.contains(record.id))
            continue;
        seen.insert(record.id);
        // An older page: its new requests are older than everything shown.
        const Row row = imageRow(record, false);
        if (m_grouping != Grouping::None && (!haveGroup || row.groupKey != lastKey)) {
            added << headerRow(row);
            lastKey = row.groupKey;
            haveGroup = true;
        }
        added << row;
    }
    if (added.isEmpty())
        return;
    // New headers arrive with their sizes; only the continued group's header changes.
    int header = -1;
    for (int row = 0; row < added.size(); ++row) {
        if (added.at(row).header)
            header = row;
        else if (header >= 0)
            ++added[header].groupSize;
    }
    insertRowsAt(int(m_rows.size()), added);
    updateGroupSizes(true);
}

void GalleryModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_requests.clear();
    m_newestRequest = 0;
    m_oldestRequest = 0;
    m_headerCount = 0;
    m_indexDirty = true;
    dropAllThumbnails();
    endResetModel();
}

void GalleryModel::setFavorite(qint64 id, bool favorite)
{
    const int row = rowOfId(id);
    if (row < 0 || m_rows.at(row).record.favorite == favorite)
        return;
    m_rows[row].record.favorite = favorite;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {FavoriteRole, RecordRole});
}

void GalleryModel::updateRecord(const LibraryRecord& record)
{
    // Edits of curation fields: the row keeps its place (its group key does not change with them).
    const int row = rowOfId(record.id);
    if (row < 0)
        return;
    if (ThumbnailLoader::keyOf(m_rows.at(row).record) != ThumbnailLoader::keyOf(record))
        dropThumbnail(record.id);
    m_rows[row].record = record;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
}

void GalleryModel::removeIds(const QList<qint64>& ids)
{
    rebuildIndex();
    QList<bool> gone(m_rows.size(), false);
    bool any = false;
    for (const qint64 id : ids) {
        if (const auto it = m_rowOfId.constFind(id); it != m_rowOfId.cend()) {
            gone[*it] = true;
            any = true;
        }
    }
    if (!any)
        return;
    // A header goes with the last image of its group.
    for (int header = 0; header < m_rows.size(); ++header) {
        if (!m_rows.at(header).header)
            continue;
        const int end = groupEnd(header);
        gone[header] = std::all_of(gone.cbegin() + header + 1, gone.cbegin() + end, [](bool g) { return g; });
    }
    // Contiguous runs, from the bottom up so the rows above keep their numbers.
    for (int last = int(m_rows.size()) - 1; last >= 0; --last) {
        if (!gone.at(last))
            continue;
        int first = last;
        while (first > 0 && gone.at(first - 1))
            --first;
        beginRemoveRows({}, first, last);
        for (int row = first; row <= last; ++row) {
            if (!m_rows.at(row).header)
                dropThumbnail(m_rows.at(row).record.id);
        }
        m_rows.remove(first, last - first + 1);
        m_indexDirty = true;
        endRemoveRows();
        last = first;
    }
    updateGroupSizes(true);
}

// ---- lookups --------------------------------------------------------------------------------------------------

void GalleryModel::rebuildIndex() const
{
    if (!m_indexDirty)
        return;
    m_rowOfId.clear();
    m_rowOfId.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row) {
        if (!m_rows.at(row).header)
            m_rowOfId.insert(m_rows.at(row).record.id, row);
    }
    m_indexDirty = false;
}

int GalleryModel::rowOfId(qint64 id) const
{
    rebuildIndex();
    return m_rowOfId.value(id, -1);
}

bool GalleryModel::isHeader(int row) const
{
    return row >= 0 && row < m_rows.size() && m_rows.at(row).header;
}

int GalleryModel::imageCount() const
{
    return int(m_rows.size()) - m_headerCount;
}

int GalleryModel::nextImageRow(int row) const
{
    for (int next = qMax(row + 1, 0); next < m_rows.size(); ++next) {
        if (!m_rows.at(next).header)
            return next;
    }
    return -1;
}

int GalleryModel::previousImageRow(int row) const
{
    for (int previous = qMin(row, int(m_rows.size())) - 1; previous >= 0; --previous) {
        if (!m_rows.at(previous).header)
            return previous;
    }
    return -1;
}

// ---- model interface ------------------------------------------------------------------------------------------

int GalleryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    if (role == IsHeaderRole)
        return row.header;
    if (row.header) {
        switch (role) {
        case Qt::DisplayRole:
        case Qt::ToolTipRole:
        case Qt::AccessibleTextRole:
        case GroupTitleRole:
            return groupTitle(row);
        case GroupSizeRole:
            return row.groupSize;
        case GroupMayContinueRole:
            return m_moreToLoad && lastHeaderRow() == index.row();
        default:
            return {};
        }
    }
    switch (role) {
    case Qt::DecorationRole:
        // The only role that decodes: views ask for it only for the rows they paint.
        return thumbnailData(row);
    case Qt::ToolTipRole:
        return toolTip(row.record);
    case Qt::AccessibleTextRole:
    case PromptRole:
        return row.record.prompt;
    case RecordIdRole:
        return row.record.id;
    case FilePathRole:
        return row.record.filePath;
    case ModelRole:
        return row.record.model;
    case CreatedAtRole:
        return row.record.createdAt;
    case ThumbnailStateRole:
        return static_cast<int>(m_thumbnails.value(row.record.id).state);
    case ThumbnailEdgeRole:
        return m_thumbnails.value(row.record.id).edge;
    case FavoriteRole:
        return row.record.favorite;
    case StarsRole:
        return row.record.stars;
    case TagsRole:
        return row.record.tags;
    case TrashedRole:
        return row.record.isTrashed();
    case RecordRole:
        return QVariant::fromValue(row.record);
    default:
        return {};
    }
}

Qt::ItemFlags GalleryModel::flags(const QModelIndex& index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    if (m_rows.at(index.row()).header)
        return Qt::ItemIsEnabled | Qt::ItemNeverHasChildren;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

void GalleryModel::setMoreToLoad(bool more)
{
    if (more == m_moreToLoad)
        return;
    m_moreToLoad = more;
    if (const int row = lastHeaderRow(); row >= 0)
        Q_EMIT dataChanged(index(row), index(row), {GroupMayContinueRole});
}

int GalleryModel::lastHeaderRow() const
{
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (m_rows.at(row).header)
            return row;
    }
    return -1;
}

QHash<int, QByteArray> GalleryModel::roleNames() const
{
    QHash<int, QByteArray> roles = QAbstractListModel::roleNames();
    roles.insert(RecordIdRole, "recordId");
    roles.insert(FilePathRole, "filePath");
    roles.insert(PromptRole, "prompt");
    roles.insert(ModelRole, "model");
    roles.insert(CreatedAtRole, "createdAt");
    roles.insert(ThumbnailStateRole, "thumbnailState");
    roles.insert(FavoriteRole, "favorite");
    roles.insert(StarsRole, "stars");
    roles.insert(TagsRole, "tags");
    roles.insert(TrashedRole, "trashed");
    roles.insert(RecordRole, "record");
    roles.insert(IsHeaderRole, "isHeader");
    roles.insert(GroupTitleRole, "groupTitle");
    roles.insert(GroupSizeRole, "groupSize");
    roles.insert(GroupMayContinueRole, "groupMayContinue");
    roles.insert(ThumbnailEdgeRole, "thumbnailEdge");
    return roles;
}

QStringList GalleryModel::mimeTypes() const
{
    return {QStringLiteral("text/uri-list"), recordIdsMimeType(), QStringLiteral("text/plain")};
}

QMimeData* GalleryModel::mimeData(const QModelIndexList& indexes) const
{
    // In row order, each image once (a selection can list an index per column or twice).
    QList<int> rows;
    for (const QModelIndex& index : indexes) {
        if (checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
            && !m_rows.at(index.row()).header)
            rows << index.row();
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.isEmpty())
        return nullptr;
    QList<QUrl> urls;
    QStringList ids;
    for (const int row : std::as_const(rows)) {
        const LibraryRecord& record = m_rows.at(row).record;
        urls << QUrl::fromLocalFile(record.filePath);
        ids << QString::number(record.id);
    }
    auto* mime = new QMimeData;
    mime->setUrls(urls);
    mime->setData(recordIdsMimeType(), ids.join(QLatin1Char('\n')).toUtf8());
    if (rows.size() == 1)
        mime->setText(m_rows.at(rows.constFirst()).record.filePath);
    return mime;
}

Qt::DropActions GalleryModel::supportedDragActions() const
{
    return Qt::CopyAction;
}

QString GalleryModel::recordIdsMimeType()
{
    return QStringLiteral("application/x-pixapi-record-ids");
}

QList<qint64> GalleryModel::recordIdsFromMime(const QMimeData* mime)
{
    QList<qint64> ids;
    if (!mime)
        return ids;
    const QString text = QString::fromUtf8(mime->data(recordIdsMimeType()));
    for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = line.trimmed().toLongLong(&ok);
        if (ok && id > 0)
            ids << id;
    }
    return ids;
}

QString GalleryModel::toolTip(const LibraryRecord& record) const
{
    QString prompt = record.prompt;
    if (prompt.size() > MaxToolTipPromptChars)
        prompt = prompt.left(MaxToolTipPromptChars) + QChar(0x2026);
    QStringList lines {prompt, tr("Model: %1").arg(record.model)};
    if (record.width > 0 && record.height > 0)
        lines << tr("Size: %1 × %2 px").arg(record.width).arg(record.height);
    const QFileInfo file(record.filePath);
    if (!file.exists())
        lines << tr("The file is missing: %1").arg(record.filePath);
    return lines.join(QLatin1Char('\n'));
}

QImage GalleryModel::placeholder(int edge, ThumbnailState state)
{
    // Cached per state: the view asks for it on every paint.
    static QImage pending;
    static QImage failed;
    QImage& cached = state == ThumbnailState::Failed ? failed : pending;
    if (cached.width() == edge)
        return cached;
    cached = QImage(edge, edge, QImage::Format_ARGB32_Premultiplied);
    cached.fill(state == ThumbnailState::Failed ? QColor(0x4a, 0x2f, 0x33) : QColor(0x3a, 0x3d, 0x44));
    if (state == ThumbnailState::Failed) {
        // A diagonal cross: "this image could not be shown".
        QPainter painter(&cached);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(QColor(0xc0, 0x70, 0x78), qMax(2, edge / 48)));
        const int m = edge / 3;
        painter.drawLine(m, m, edge - m, edge - m);
        painter.drawLine(edge - m, m, m, edge - m);
    }
    return cached;
}

} // namespace Pixapi
