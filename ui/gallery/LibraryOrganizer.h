#pragma once

#include "library/Library.h"
#include "library/LibraryQuery.h"

#include <QKeySequence>
#include <QList>
#include <QObject>
#include <QStringList>

class QAction;
class QMenu;
class QModelIndex;
class QPoint;
class QWidget;

namespace Pixapi {

class GalleryModel;
class GalleryView;

// The organize actions on the selected tiles (context menu and keys on the grid): open, favorite, rating, tags,
// collections, copy, export, reuse, trash; in the trash view restore, delete permanently and empty the trash.
// Every edit re-reads the image and updates its tile in place, or takes it out of the grid when it no longer
// matches the query shown. Dialogs open window-modal (open()), so tests drive them by objectName.
class LibraryOrganizer : public QObject
{
    Q_OBJECT

public:
    LibraryOrganizer(Library* library, GalleryModel* model, GalleryView* view, QWidget* dialogParent);

    // What the grid shows: which actions apply (trash view, collection filter) and which rows an edit drops.
    void setQuery(const LibraryQuery& query);
    // Known tags (completion in the tags dialog) and collections (the "Add to collection" menu).
    void setTagNames(const QStringList& names);
    void setCollectionNames(const QStringList& names);

    // The image is read again: its tile is updated, or removed when it no longer matches the query.
    void refreshRecord(qint64 id);
    QList<LibraryRecord> selectedRecords() const; // in grid order

    // Does this record (as edited) still belong in a grid showing `query`? Text and dates are the index's call and
    // are not re-checked: edits do not change them.
    static bool matches(const LibraryRecord& record, const LibraryQuery& query);

Q_SIGNALS:
    void openRequested(const QModelIndex& index);
    void trashed(const QList<qint64>& ids);
    void failed(const QString& message);
    void exportRequested(const QList<Pixapi::LibraryRecord>& records);
    void copyImageRequested(const Pixapi::LibraryRecord& record);
    void reuseSettingsRequested(const Pixapi::LibraryRecord& record);
    void generateAgainRequested(const Pixapi::LibraryRecord& record);
    void useAsReferenceRequested(const Pixapi::LibraryRecord& record);
    // Tags or collections were edited: the filter menus may need other names.
    void namesChanged();

private:
    QAction* makeAction(const QString& objectName, const QString& text, const QKeySequence& shortcut = {});
    void showContextMenu(const QPoint& pos);
    void updateActions();
    void rebuildCollectionMenu();
    QList<qint64> selectedIds() const;
    // The record of the current tile if it is selected, else the first selected one; id 0 when none.
    LibraryRecord singleRecord() const;

    void toggleFavorite();
    void setRating(int stars);
    void editTags();
    void addToCollection(const QString& name);
    void askNewCollection();
    void removeFromCollection();
    void copyPrompt();
    void trashSelected();
    void restoreSelected();
    void confirmPurge(const QList<qint64>& ids);
    void emptyTrash();
    // After an edit on several images: report the first failure; tags or collections edited change the menus.
    void afterEdit(const QString& firstError, bool namesEdited = false);

    Library* m_library;
    GalleryModel* m_model;
    GalleryView* m_view;
    QWidget* m_dialogParent;
    LibraryQuery m_query;
    QStringList m_tagNames;
    QStringList m_collectionNames;

    QAction* m_openAction;
    QAction* m_favoriteAction;
    QMenu* m_ratingMenu;
    QList<QAction*> m_ratingActions;
    QAction* m_tagsAction;
    QMenu* m_collectionMenu;
    QAction* m_removeFromCollectionAction;
    QAction* m_copyImageAction;
    QAction* m_copyPromptAction;
    QAction* m_exportAction;
    QAction* m_reuseAction;
    QAction* m_generateAgainAction;
    QAction* m_referenceAction;
    QAction* m_trashAction;
    QAction* m_restoreAction;
    QAction* m_purgeAction;
    QAction* m_emptyTrashAction;
};

} // namespace Pixapi
