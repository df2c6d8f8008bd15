#pragma once

#include "library/GalleryModel.h"
#include "library/Library.h"
#include "library/LibraryQuery.h"

#include <QFuture>
#include <QList>
#include <QWidget>

class QModelIndex;
class QTimer;

namespace Pixapi {

class GalleryView;
class LibraryFilterBar;
class LibraryOrganizer;
class Settings;

// The library browser: the filter bar above the grid and what it drives. The grid shows the library through
// Library::search off the UI thread, a page at a time (the first page fills the first screen; the next one loads
// when the view nears the end); a new query drops the answers of older ones. Images that land appear at the top,
// or trigger a re-query when filters are on and they may match. Grouping, tile size (and the thumbnail edge it
// implies) are kept in Settings. The organize actions live in LibraryOrganizer; their requests surface here.
class LibraryBrowser : public QWidget
{
    Q_OBJECT

public:
    static constexpr int PageSize = 300;

    // `settings` may be null: tile size and grouping are then not remembered.
    LibraryBrowser(Library* library, GalleryModel* model, GalleryView* view, QWidget* parent = nullptr,
                   Settings* settings = nullptr);

    // Runs the current query again and replaces the grid with its first page.
    void reload();
    // Takes trashed images out of the trash again (the Undo of trashed()).
    void restore(const QList<qint64>& ids);
    bool isFiltered() const;
    // Every image of the query is in the grid.
    bool isComplete() const { return !m_hasMore; }
    LibraryFilterBar* filterBar() const { return m_filterBar; }

Q_SIGNALS:
    void openRequested(const QModelIndex& index);
    // Images went to the trash and left the grid; restore(ids) undoes it.
    void trashed(const QList<qint64>& ids);
    void failed(const QString& message);
    void exportRequested(const QList<Pixapi::LibraryRecord>& records);
    void copyImageRequested(const Pixapi::LibraryRecord& record);
    void reuseSettingsRequested(const Pixapi::LibraryRecord& record);
    void generateAgainRequested(const Pixapi::LibraryRecord& record);
    void useAsReferenceRequested(const Pixapi::LibraryRecord& record);

protected:
    void showEvent(QShowEvent* event) override;

private:
    using SearchResult = Result<QList<LibraryRecord>, ApiError>;
    void applyResult(const SearchResult& result);
    void loadNextPage();
    void updateCount();
    void refreshNames();
    void onImageStored(const LibraryRecord& record);
    void onGroupingChanged(GalleryModel::Grouping grouping);
    void onTileSizeChanged(int pixels);
    void onViewTileSizeChanged();
    void applyThumbnailEdge();
    void zoom(int steps);

    Library* m_library;
    GalleryModel* m_model;
    GalleryView* m_view;
    Settings* m_settings;
    LibraryFilterBar* m_filterBar;
    LibraryOrganizer* m_organizer;
    QTimer* m_debounce;
    QTimer* m_namesDebounce;
    QTimer* m_edgeDebounce; // thumbnails for a new tile size, once it has settled
    LibraryQuery m_query;
    quint64 m_querySerial = 0; // answers to older queries are dropped
    bool m_queryRunning = false;
    QFuture<SearchResult> m_running; // the first page of the current query
    int m_prefetchTiles = 0;         // > 0: the next reload decodes that many thumbnails with its first page
    bool m_pageRunning = false;
    bool m_hasMore = false;
    QList<LibraryRecord> m_landedWhileLoading; // stored after the running query read the index
};

} // namespace Pixapi
