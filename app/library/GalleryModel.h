#pragma once

#include "library/Library.h"
#include "library/LibraryQuery.h"

#include <QAbstractListModel>
#include <QHash>
#include <QImage>
#include <QList>
#include <QMap>

class QMimeData;

namespace Pixapi {

class ThumbnailLoader;
class ThumbnailPrefetch;

// The images shown in the results grid. DecorationRole is a QImage thumbnail decoded off the UI thread
// (ThumbnailLoader, backed by the on-disk ThumbnailCache) and only for rows a view asks to paint, so a 10,000-image
// library costs a few screens of thumbnails; decoded thumbnails are kept in memory up to a byte budget (least
// recently painted dropped first). A neutral placeholder stands in until one is ready. Widgets-free: views turn the
// QImage into a pixmap.
//
// With a grouping, header rows (IsHeaderRole) start each group: the records must then arrive in the order of
// sortFor(grouping) (what Library::search returns for that sort); addRecord() puts a new image where the grouping
// wants it. Header rows are not selectable and carry no record.
class GalleryModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        RecordIdRole = Qt::UserRole + 1,
        FilePathRole,
        PromptRole,
        ModelRole,
        CreatedAtRole,
        ThumbnailStateRole, // a ThumbnailState as int
        FavoriteRole,
        StarsRole,            // int 0..5
        TagsRole,             // QStringList
        TrashedRole,          // bool
        RecordRole,           // the whole LibraryRecord (QVariant::fromValue)
        IsHeaderRole,         // bool: a group header row
        GroupTitleRole,       // header rows: "Today", "Yesterday", a date, a model id or a prompt (elided by the view)
        GroupSizeRole,        // header rows: number of images in the group (of those loaded)
        GroupMayContinueRole, // header rows: the group is the last one loaded and more pages may add to it
        ThumbnailEdgeRole,    // the edge the thumbnail was made for (another one stands in after a resize); 0: none
    };
    enum class ThumbnailState { Pending, Ready, Failed };
    Q_ENUM(ThumbnailState)
    enum class Grouping { None, Day, Prompt, Model };
    Q_ENUM(Grouping)

    explicit GalleryModel(QObject* parent = nullptr);
    ~GalleryModel() override;

    // Longest thumbnail edge in pixels: the exact size tiles show, so painting never scales. After a change the
    // thumbnails made for the old edge are still shown while new ones are made on demand.
    void setThumbnailEdge(int pixels);
    int thumbnailEdge() const;
    bool hasReadyThumbnails() const { return !m_lru.isEmpty(); }
    // Decodes the thumbnails of the first `count` records of `page` (the first page of a query still being read) at
    // the current edge as soon as it is there, without waiting for the UI thread; the rows take them when the page
    // arrives. Used at start, so the first screen is ready with the window. Finishes with the number decoded.
    QFuture<int> prefetchThumbnails(const QFuture<Result<QList<LibraryRecord>, ApiError>>& page, int count);
    // Where thumbnails are cached on disk (AppPaths::cacheDir()/thumbnails by default); empty disables the disk cache.
    void setThumbnailCacheDir(const QString& dir);
    // Bytes of decoded thumbnails kept in memory (default 32 MiB: about five screens of tiles).
    void setThumbnailMemoryBudget(qint64 bytes);

    void setGrouping(Grouping grouping); // re-groups the loaded rows (they are re-sorted to match)
    Grouping grouping() const { return m_grouping; }
    // The library sort whose order this grouping expects.
    static LibraryQuery::Sort sortFor(Grouping grouping);

    // Puts a newly stored image where it belongs: at the top (its day / model / prompt group for a grouping, the
    // prompt group moving to the top). Images of one request stay together in response order (index), whatever
    // order they are stored in; the request seen last comes first.
    void addRecord(const LibraryRecord& record);
    // Replaces the content (the first page of a query). Records in any order: sorted as the grouping wants.
    void setRecords(QList<LibraryRecord> records);
    // Adds the next page of the same query (already in the grouping's order) at the end; ids already shown are skipped.
    void appendRecords(const QList<LibraryRecord>& records);
    void clear();
    // Whether the query has pages not loaded yet: the last group's size is then a lower bound.
    void setMoreToLoad(bool more);
    // Keep the grid in step with library edits made elsewhere (unknown ids are ignored).
    void setFavorite(qint64 id, bool favorite);
    void updateRecord(const LibraryRecord& record); // stars, tags, collections, favorite, ... of a shown image
    void removeIds(const QList<qint64>& ids);

    // Image rows only (header rows have none): check isHeader() first.
    const LibraryRecord& record(int row) const { return m_rows.at(row).record; }
    bool isHeader(int row) const;
    int rowOfId(qint64 id) const; // -1 when not shown
    int imageCount() const;       // rows that are images
    // The image row after / before `row` (skipping headers), -1 at the end; for the viewer's next / previous.
    int nextImageRow(int row) const;
    int previousImageRow(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Drag out: file URLs of the images (other apps take the files), the image of a single tile, and the record ids
    // under recordIdsMimeType() for drops inside the app.
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override;
    static QString recordIdsMimeType();
    static QList<qint64> recordIdsFromMime(const QMimeData* mime);

    // The image shown while a thumbnail is being decoded (or could not be).
    static QImage placeholder(int edge, ThumbnailState state);

private:
    int lastHeaderRow() const; // -1 without grouping
    struct Row
    {
        LibraryRecord record; // image rows
        QString groupKey;     // the row's group under the current grouping (empty without one)
        QString title;        // header rows of Model / Prompt (Day titles are made when asked: "Today" moves)
        int groupSize = 0;    // header rows
        bool header = false;
        qint64 request = 0; // arrival order of the record's request: higher is newer
        int index = 0;      // position in the request's response
    };
    struct Thumbnail
    {
        QImage image;
        ThumbnailState state = ThumbnailState::Pending;
        quint64 lastUsed = 0; // m_tick of the last paint (Ready only)
        int edge = 0;         // the edge it was made for: another one is shown until its replacement arrives
    };

    static int responseIndex(const LibraryRecord& record);
    qint64 requestOrder(const QString& requestId, bool newer);
    QString groupKey(const LibraryRecord& record) const;
    Row imageRow(const LibraryRecord& record, bool newer);
    Row headerRow(const Row& first) const;
    QString groupTitle(const Row& header) const;
    void sortForGrouping(QList<LibraryRecord>& records) const;
    int findHeader(const QString& key) const;
    int groupEnd(int headerRow) const;
    int newHeaderRow(const QString& key) const;
    int insertionRow(int first, int end, const Row& row) const;
    void insertRowsAt(int at, const QList<Row>& rows);
    void updateGroupSizes(bool notify);
    void rebuildIndex() const;

    QVariant thumbnailData(const Row& row) const;
    void dropThumbnail(qint64 id);
    void dropAllThumbnails();
    void evictOverBudget();
    void onThumbnailLoaded(const QString& key, int edge, const QImage& image);
    QString toolTip(const LibraryRecord& record) const;

    QList<Row> m_rows;
    QHash<QString, qint64> m_requests; // requestId → arrival order (setRecords / addRecord count up, appends down)
    qint64 m_newestRequest = 0;
    qint64 m_oldestRequest = 0;
    Grouping m_grouping = Grouping::None;
    bool m_moreToLoad = false;
    int m_headerCount = 0;
    // Record id → row, rebuilt on demand after rows moved.
    mutable QHash<qint64, int> m_rowOfId;
    mutable bool m_indexDirty = false;
    // Thumbnails live beside the rows (by record id) so re-grouping keeps them. Painting (data() const) touches them.
    mutable QHash<qint64, Thumbnail> m_thumbnails;
    mutable QMap<quint64, qint64> m_lru;             // lastUsed → id of Ready thumbnails, least recent first
    mutable QHash<QString, QList<qint64>> m_waiting; // loader key → ids that asked for it
    mutable quint64 m_tick = 0;
    mutable qint64 m_thumbnailBytes = 0;
    qint64 m_memoryBudget;
    ThumbnailLoader* m_loader;
    std::unique_ptr<ThumbnailPrefetch> m_prefetch; // serves the first setRecords after it was made
    int m_pagesSincePrefetch = 0;
    quint64 m_prefetchSerial = 0;
};

} // namespace Pixapi
