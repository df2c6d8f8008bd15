#include "gallery/LibraryOrganizer.h"

#include "gallery/GalleryView.h"
#include "gallery/LibraryEdits.h"
#include "gallery/TagEditorDialog.h"
#include "library/GalleryModel.h"
#include "support/Logging.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>

#include <algorithm>

namespace Pixapi {

namespace {
bool containsName(const QStringList& names, const QString& name)
{
    return names.contains(name, Qt::CaseInsensitive);
}
} // namespace

LibraryOrganizer::LibraryOrganizer(Library* library, GalleryModel* model, GalleryView* view, QWidget* dialogParent)
    : QObject(dialogParent)
    , m_library(library)
    , m_model(model)
    , m_view(view)
    , m_dialogParent(dialogParent)
    , m_ratingMenu(new QMenu(tr("&Rating"), dialogParent))
    , m_collectionMenu(new QMenu(tr("Add to &Collection"), dialogParent))
{
    m_openAction = makeAction(QStringLiteral("openAction"), tr("&Open"), QKeySequence(Qt::Key_Return));
    m_favoriteAction = makeAction(QStringLiteral("favoriteAction"), tr("&Favorite"));
    m_ratingMenu->setObjectName(QStringLiteral("ratingMenu"));
    for (int stars = 0; stars <= 5; ++stars) {
        QAction* action =
            makeAction(QStringLiteral("rating%1").arg(stars),
                       stars == 0 ? tr("No Stars") : QString(stars, QChar(0x2605)), QKeySequence(Qt::Key_0 + stars));
        m_ratingMenu->addAction(action);
        m_ratingActions << action;
        connect(action, &QAction::triggered, this, [this, stars] { setRating(stars); });
    }
    m_tagsAction = makeAction(QStringLiteral("tagsAction"), tr("&Tags…"), QKeySequence(Qt::CTRL | Qt::Key_T));
    m_collectionMenu->setObjectName(QStringLiteral("addToCollectionMenu"));
    m_removeFromCollectionAction =
        makeAction(QStringLiteral("removeFromCollectionAction"), tr("Remove from Co&llection"));
    m_copyImageAction = makeAction(QStringLiteral("copyImageAction"), tr("&Copy Image"), QKeySequence::Copy);
    m_copyPromptAction = makeAction(QStringLiteral("copyPromptAction"), tr("Copy &Prompt"),
                                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_exportAction = makeAction(QStringLiteral("exportAction"), tr("&Export…"), QKeySequence(Qt::CTRL | Qt::Key_E));
    m_reuseAction = makeAction(QStringLiteral("reuseSettingsAction"), tr("Reuse &Settings"));
    m_generateAgainAction = makeAction(QStringLiteral("generateAgainAction"), tr("&Generate Again"));
    m_referenceAction = makeAction(QStringLiteral("useAsReferenceAction"), tr("Use as &Reference"));
    m_trashAction = makeAction(QStringLiteral("trashAction"), tr("Move to &Trash"), QKeySequence::Delete);
    m_restoreAction = makeAction(QStringLiteral("restoreAction"), tr("&Restore"));
    m_purgeAction =
        makeAction(QStringLiteral("purgeAction"), tr("&Delete Permanently…"), QKeySequence(Qt::SHIFT | Qt::Key_Delete));
    m_emptyTrashAction = makeAction(QStringLiteral("emptyTrashAction"), tr("E&mpty Trash…"));
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    connect(m_openAction, &QAction::triggered, this, [this] {
        if (const QModelIndex current = m_view->currentIndex();
            current.isValid() && !current.data(GalleryModel::IsHeaderRole).toBool())
            Q_EMIT openRequested(current);
    });
    connect(m_favoriteAction, &QAction::triggered, this, &LibraryOrganizer::toggleFavorite);
    connect(m_tagsAction, &QAction::triggered, this, &LibraryOrganizer::editTags);
    connect(m_removeFromCollectionAction, &QAction::triggered, this, &LibraryOrganizer::removeFromCollection);
    connect(m_copyImageAction, &QAction::triggered, this, [this] {
        if (const LibraryRecord record = singleRecord(); record.id > 0)
            Q_EMIT copyImageRequested(record);
    });
    connect(m_copyPromptAction, &QAction::triggered, this, &LibraryOrganizer::copyPrompt);
    connect(m_exportAction, &QAction::triggered, this, [this] {
        if (const QList<LibraryRecord> records = selectedRecords(); !records.isEmpty())
            Q_EMIT exportRequested(records);
    });
    connect(m_reuseAction, &QAction::triggered, this, [this] { Q_EMIT reuseSettingsRequested(singleRecord()); });
    connect(m_generateAgainAction, &QAction::triggered, this,
            [this] { Q_EMIT generateAgainRequested(singleRecord()); });
    connect(m_referenceAction, &QAction::triggered, this, [this] { Q_EMIT useAsReferenceRequested(singleRecord()); });
    connect(m_trashAction, &QAction::triggered, this, &LibraryOrganizer::trashSelected);
    connect(m_restoreAction, &QAction::triggered, this, &LibraryOrganizer::restoreSelected);
    connect(m_purgeAction, &QAction::triggered, this, [this] { confirmPurge(selectedIds()); });
    connect(m_emptyTrashAction, &QAction::triggered, this, &LibraryOrganizer::emptyTrash);
    connect(m_view, &QWidget::customContextMenuRequested, this, &LibraryOrganizer::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LibraryOrganizer::updateActions);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &LibraryOrganizer::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &LibraryOrganizer::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LibraryOrganizer::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &LibraryOrganizer::updateActions);
    rebuildCollectionMenu();
    updateActions();
}

QAction* LibraryOrganizer::makeAction(const QString& objectName, const QString& text, const QKeySequence& shortcut)
{
    auto* action = new QAction(text, this);
    action->setObjectName(objectName);
    if (!shortcut.isEmpty()) {
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetShortcut); // keys on the grid only
        m_view->addAction(action);
    }
    return action;
}

void LibraryOrganizer::setQuery(const LibraryQuery& query)
{
    m_query = query;
    updateActions();
}

void LibraryOrganizer::setTagNames(const QStringList& names)
{
    m_tagNames = names;
}

void LibraryOrganizer::setCollectionNames(const QStringList& names)
{
    m_collectionNames = names;
    rebuildCollectionMenu();
}

bool LibraryOrganizer::matches(const LibraryRecord& record, const LibraryQuery& query)
{
    if (query.trashOnly ? !record.isTrashed() : record.isTrashed() && !query.includeTrashed)
        return false;
    return (!query.favoritesOnly || record.favorite) && record.stars >= query.minStars
           && (query.models.isEmpty() || query.models.contains(record.model))
           && (query.tag.isEmpty() || containsName(record.tags, query.tag))
           && (query.collection.isEmpty() || containsName(record.collections, query.collection));
}

void LibraryOrganizer::refreshRecord(qint64 id)
{
    if (m_model->rowOfId(id) < 0)
        return;
    whenFinished(this, m_library->record(id), [this, id](const Result<LibraryRecord, ApiError>& result) {
        if (!result.ok()) {
            if (result.error().kind == ApiError::Kind::NotFound)
                m_model->removeIds({id}); // purged meanwhile
            else
                qCWarning(lcUi) << "re-reading an image failed:" << ApiError::kindName(result.error().kind);
            return;
        }
        if (matches(result.value(), m_query))
            m_model->updateRecord(result.value());
        else
            m_model->removeIds({id});
    });
}

QList<LibraryRecord> LibraryOrganizer::selectedRecords() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedIndexes();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    QList<LibraryRecord> records;
    for (const QModelIndex& index : std::as_const(rows)) {
        if (!m_model->isHeader(index.row()))
            records << m_model->record(index.row());
    }
    return records;
}

QList<qint64> LibraryOrganizer::selectedIds() const
{
    QList<qint64> ids;
    const QList<LibraryRecord> records = selectedRecords();
    for (const LibraryRecord& record : records)
        ids << record.id;
    return ids;
}

LibraryRecord LibraryOrganizer::singleRecord() const
{
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid() && !m_model->isHeader(current.row()) && m_view->selectionModel()->isSelected(current))
        return m_model->record(current.row());
    const QList<LibraryRecord> records = selectedRecords();
    return records.isEmpty() ? LibraryRecord() : records.first();
}

void LibraryOrganizer::updateActions()
{
    const QList<LibraryRecord> records = selectedRecords();
    const bool any = !records.isEmpty();
    const bool single = records.size() == 1;
    const bool trashView = m_query.trashOnly;
    const bool allFavorite =
        any && std::all_of(records.cbegin(), records.cend(), [](const LibraryRecord& r) { return r.favorite; });
    m_favoriteAction->setText(allFavorite ? tr("Un&favorite") : tr("&Favorite"));
    const QModelIndex current = m_view->currentIndex();
    m_openAction->setEnabled(current.isValid() && !m_model->isHeader(current.row()));
    for (QAction* action : {m_copyImageAction, m_copyPromptAction, m_exportAction})
        action->setEnabled(any);
    // Organizing edits are for live images; the trash offers its own two.
    for (QAction* action : std::as_const(m_ratingActions))
        action->setEnabled(any && !trashView);
    for (QAction* action : {m_favoriteAction, m_tagsAction, m_trashAction})
        action->setEnabled(any && !trashView);
    m_collectionMenu->setEnabled(any && !trashView);
    m_removeFromCollectionAction->setEnabled(any && !trashView && !m_query.collection.isEmpty());
    m_removeFromCollectionAction->setVisible(!m_query.collection.isEmpty());
    for (QAction* action : {m_reuseAction, m_generateAgainAction, m_referenceAction})
        action->setEnabled(single && !trashView);
    m_restoreAction->setEnabled(any && trashView);
    m_purgeAction->setEnabled(any && trashView);
    m_emptyTrashAction->setEnabled(trashView && m_model->rowCount() > 0);
}

void LibraryOrganizer::rebuildCollectionMenu()
{
    m_collectionMenu->clear();
    for (const QString& name : std::as_const(m_collectionNames)) {
        QAction* action = m_collectionMenu->addAction(name);
        connect(action, &QAction::triggered, this, [this, name] { addToCollection(name); });
    }
    if (!m_collectionNames.isEmpty())
        m_collectionMenu->addSeparator();
    QAction* create = m_collectionMenu->addAction(tr("&New Collection…"));
    create->setObjectName(QStringLiteral("newCollectionAction"));
    connect(create, &QAction::triggered, this, &LibraryOrganizer::askNewCollection);
}

void LibraryOrganizer::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    const bool onImage = index.isValid() && !m_model->isHeader(index.row());
    if (onImage) {
        // Right-clicking outside the selection acts on that tile alone, as in file managers.
        if (!m_view->selectionModel()->isSelected(index))
            m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect);
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    } else if (!m_query.trashOnly) {
        return;
    }
    updateActions();
    QMenu menu(m_view);
    if (onImage) {
        menu.addAction(m_openAction);
        if (!m_query.trashOnly) {
            menu.addAction(m_favoriteAction);
            menu.addMenu(m_ratingMenu);
            menu.addAction(m_tagsAction);
            menu.addMenu(m_collectionMenu);
            if (!m_query.collection.isEmpty())
                menu.addAction(m_removeFromCollectionAction);
        }
        menu.addSeparator();
        menu.addAction(m_copyImageAction);
        menu.addAction(m_copyPromptAction);
        menu.addAction(m_exportAction);
        menu.addSeparator();
        if (!m_query.trashOnly) {
            menu.addAction(m_reuseAction);
            menu.addAction(m_generateAgainAction);
            menu.addAction(m_referenceAction);
            menu.addSeparator();
            menu.addAction(m_trashAction);
        } else {
            menu.addAction(m_restoreAction);
            menu.addAction(m_purgeAction);
        }
    }
    if (m_query.trashOnly) {
        menu.addSeparator();
        menu.addAction(m_emptyTrashAction);
    }
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void LibraryOrganizer::afterEdit(const QString& firstError, bool namesEdited)
{
    // The tiles follow through Library::recordChanged (refreshRecord), as for edits made elsewhere.
    if (!firstError.isEmpty())
        Q_EMIT failed(tr("Some images could not be changed. %1").arg(firstError));
    if (namesEdited)
        Q_EMIT namesChanged();
}

void LibraryOrganizer::toggleFavorite()
{
    const QList<LibraryRecord> records = selectedRecords();
    const bool favorite =
        !std::all_of(records.cbegin(), records.cend(), [](const LibraryRecord& r) { return r.favorite; });
    editEach(
        this, selectedIds(), [this, favorite](qint64 id) { return m_library->setFavorite(id, favorite); },
        [this](const QList<qint64>&, const QString& error) { afterEdit(error); });
}

void LibraryOrganizer::setRating(int stars)
{
    editEach(
        this, selectedIds(), [this, stars](qint64 id) { return m_library->setStars(id, stars); },
        [this](const QList<qint64>&, const QString& error) { afterEdit(error); });
}

void LibraryOrganizer::editTags()
{
    const QList<LibraryRecord> records = selectedRecords();
    if (records.isEmpty())
        return;
    QStringList current;
    QList<qint64> ids;
    for (const LibraryRecord& record : records) {
        ids << record.id;
        for (const QString& tag : record.tags) {
            if (!containsName(current, tag))
                current << tag;
        }
    }
    std::sort(current.begin(), current.end(),
              [](const QString& a, const QString& b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    auto* dialog = new TagEditorDialog(current, m_tagNames, m_dialogParent);
    dialog->setObjectName(QStringLiteral("tagEditorDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, ids] {
        QList<EditJob> jobs;
        for (const qint64 id : ids) {
            const QStringList added = dialog->added();
            for (const QString& tag : added)
                jobs.append({id, [this, id, tag] { return m_library->addTag(id, tag); }});
            const QStringList removed = dialog->removed();
            for (const QString& tag : removed)
                jobs.append({id, [this, id, tag] { return m_library->removeTag(id, tag); }});
        }
        if (jobs.isEmpty())
            return;
        runEdits(this, jobs, [this](const QList<qint64>&, const QString& error) { afterEdit(error, true); });
    });
    dialog->open();
}

void LibraryOrganizer::addToCollection(const QString& name)
{
    editEach(
        this, selectedIds(), [this, name](qint64 id) { return m_library->addToCollection(id, name); },
        [this](const QList<qint64>&, const QString& error) { afterEdit(error, true); });
}

void LibraryOrganizer::askNewCollection()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    auto* dialog = new QInputDialog(m_dialogParent);
    dialog->setObjectName(QStringLiteral("newCollectionDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("New Collection"));
    dialog->setLabelText(tr("Name of the collection:"));
    connect(dialog, &QInputDialog::textValueSelected, this, [this, ids](const QString& text) {
        const QString name = text.simplified();
        if (name.isEmpty())
            return;
        editEach(
            this, ids, [this, name](qint64 id) { return m_library->addToCollection(id, name); },
            [this](const QList<qint64>&, const QString& error) { afterEdit(error, true); });
    });
    dialog->open();
}

void LibraryOrganizer::removeFromCollection()
{
    const QString name = m_query.collection;
    if (name.isEmpty())
        return;
    editEach(
        this, selectedIds(), [this, name](qint64 id) { return m_library->removeFromCollection(id, name); },
        [this](const QList<qint64>&, const QString& error) { afterEdit(error); });
}

void LibraryOrganizer::copyPrompt()
{
    QStringList prompts;
    const QList<LibraryRecord> records = selectedRecords();
    for (const LibraryRecord& record : records)
        prompts << record.prompt;
    if (!prompts.isEmpty())
        QApplication::clipboard()->setText(prompts.join(QLatin1Char('\n')));
}

void LibraryOrganizer::trashSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    editEach(
        this, ids, [this](qint64 id) { return m_library->trash(id); },
        [this, ids](const QList<qint64>& ok, const QString& error) {
            m_model->removeIds(ok);
            // What did go to the trash can be undone; a failure alone gets the message.
            if (!error.isEmpty())
                qCWarning(lcUi) << "moving to the trash failed for" << ids.size() - ok.size() << "image(s)";
            if (!ok.isEmpty()) {
                Q_EMIT trashed(ok);
                Q_EMIT namesChanged(); // the model menu lists models of images not in the trash
            } else
                Q_EMIT failed(tr("The images could not be moved to the trash. %1").arg(error));
        });
}

void LibraryOrganizer::restoreSelected()
{
    editEach(
        this, selectedIds(), [this](qint64 id) { return m_library->restore(id); },
        [this](const QList<qint64>& ok, const QString& error) {
            m_model->removeIds(ok); // out of the trash view
            Q_EMIT namesChanged();
            if (!error.isEmpty())
                Q_EMIT failed(tr("Some images could not be restored. %1").arg(error));
        });
}

void LibraryOrganizer::confirmPurge(const QList<qint64>& ids)
{
    if (ids.isEmpty())
        return;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Delete Permanently"),
                                tr("Delete %n image(s) permanently?", nullptr, int(ids.size())), QMessageBox::Cancel,
                                m_dialogParent);
    box->setObjectName(QStringLiteral("purgeConfirmation"));
    box->setInformativeText(tr("The files are deleted from the disk. This cannot be undone."));
    QPushButton* remove = box->addButton(tr("Delete Permanently"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("purgeConfirmButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, ids, remove](QAbstractButton* clicked) {
        if (clicked != remove)
            return;
        editEach(
            this, ids, [this](qint64 id) { return m_library->purge(id); },
            [this](const QList<qint64>& ok, const QString& error) {
                m_model->removeIds(ok);
                Q_EMIT namesChanged(); // tags of purged images are gone
                if (!error.isEmpty())
                    Q_EMIT failed(tr("Some images could not be deleted. %1").arg(error));
            });
    });
    box->open();
}

void LibraryOrganizer::emptyTrash()
{
    // Every trashed image, not only the pages loaded.
    LibraryQuery all;
    all.trashOnly = true;
    all.limit = 0;
    whenFinished(this, m_library->search(all), [this](const Result<QList<LibraryRecord>, ApiError>& result) {
        if (!result.ok()) {
            Q_EMIT failed(tr("The library could not be read. %1").arg(result.error().userMessage()));
            return;
        }
        QList<qint64> ids;
        for (const LibraryRecord& record : result.value())
            ids << record.id;
        confirmPurge(ids);
    });
}

} // namespace Pixapi
