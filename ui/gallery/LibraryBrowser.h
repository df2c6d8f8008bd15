#pragma once

#include "library/Library.h"
#include "library/LibraryQuery.h"

#include <QList>
#include <QWidget>

class QAction;
class QLineEdit;
class QModelIndex;
class QTimer;
class QToolButton;

namespace Pixapi {

class GalleryModel;
class GalleryView;

// The filter bar above the grid (search field, favorites toggle) and what it drives: the grid shows the library
// through Library::search (newest first, off the UI thread), images that land appear at the top, and the tile
// actions (favorite, copy prompt, trash, open) act on the selected tiles.
class LibraryBrowser : public QWidget
{
    Q_OBJECT

public:
    LibraryBrowser(Library* library, GalleryModel* model, GalleryView* view, QWidget* parent = nullptr);

    // Runs the current query again and replaces the grid with its answer.
    void reload();
    // Takes trashed images out of the trash again (the Undo of trashed()).
    void restore(const QList<qint64>& ids);
    bool isFiltered() const;

Q_SIGNALS:
    void openRequested(const QModelIndex& index);
    // Images went to the trash and left the grid; restore(ids) undoes it.
    void trashed(const QList<qint64>& ids);
    void failed(const QString& message);

private:
    void onImageStored(const LibraryRecord& record);
    void showContextMenu(const QPoint& pos);
    void updateActions();
    QList<qint64> selectedIds() const;
    void toggleFavorite();
    void copyPrompt();
    void trashSelected();

    Library* m_library;
    GalleryModel* m_model;
    GalleryView* m_view;
    QLineEdit* m_search;
    QToolButton* m_favorites;
    QTimer* m_debounce;
    QAction* m_favoriteAction;
    QAction* m_copyPromptAction;
    QAction* m_trashAction;
    QAction* m_openAction;
    LibraryQuery m_query;
    quint64 m_querySerial = 0; // answers to older queries are dropped
    bool m_queryRunning = false;
    QList<LibraryRecord> m_landedWhileLoading; // stored after the running query read the index
};

} // namespace Pixapi
