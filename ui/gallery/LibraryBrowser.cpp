#include "gallery/LibraryBrowser.h"

#include "gallery/GalleryView.h"
#include "library/GalleryModel.h"
#include "library/Library.h"
#include "support/Logging.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QTimer>
#include <QToolButton>

#include <algorithm>
#include <memory>

namespace Pixapi {

namespace {
constexpr int SearchDebounceMs = 200;

// Calls `done` with the result on `context`'s thread (a watcher: the future's one continuation stays free).
template <typename T, typename F>
void whenFinished(QObject* context, QFuture<T> future, F done)
{
    auto* watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(std::move(future));
}

// Counts down the answers of one edit applied to several images, then reports the ids it succeeded for.
struct Batch
{
    int pending = 0;
    QList<qint64> succeeded;
    QString firstError;
};
} // namespace

LibraryBrowser::LibraryBrowser(Library* library, GalleryModel* model, GalleryView* view, QWidget* parent)
    : QWidget(parent)
    , m_library(library)
    , m_model(model)
    , m_view(view)
    , m_search(new QLineEdit(this))
    , m_favorites(new QToolButton(this))
    , m_debounce(new QTimer(this))
    , m_favoriteAction(new QAction(this))
    , m_copyPromptAction(new QAction(tr("Copy &Prompt"), this))
    , m_trashAction(new QAction(tr("Move to &Trash"), this))
    , m_openAction(new QAction(tr("&Open"), this))
{
    m_search->setObjectName(QStringLiteral("librarySearch"));
    m_search->setPlaceholderText(tr("Search prompts, models and tags"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    m_favorites->setObjectName(QStringLiteral("favoritesFilter"));
    m_favorites->setText(tr("Favorites"));
    m_favorites->setToolTip(tr("Show only favorite images"));
    m_favorites->setCheckable(true);
    m_favorites->setAutoRaise(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search);
    layout->addWidget(m_favorites);

    m_favoriteAction->setObjectName(QStringLiteral("favoriteAction"));
    m_copyPromptAction->setObjectName(QStringLiteral("copyPromptAction"));
    m_trashAction->setObjectName(QStringLiteral("trashAction"));
    m_trashAction->setShortcut(QKeySequence::Delete);
    m_trashAction->setShortcutContext(Qt::WidgetShortcut);
    m_openAction->setObjectName(QStringLiteral("openAction"));
    m_view->addAction(m_trashAction); // the Delete key on the grid
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    m_query.limit = 0; // the whole library
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(SearchDebounceMs);

    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &LibraryBrowser::reload);
    connect(m_favorites, &QToolButton::toggled, this, &LibraryBrowser::reload);
    connect(m_view, &QWidget::customContextMenuRequested, this, &LibraryBrowser::showContextMenu);
    connect(m_favoriteAction, &QAction::triggered, this, &LibraryBrowser::toggleFavorite);
    connect(m_copyPromptAction, &QAction::triggered, this, &LibraryBrowser::copyPrompt);
    connect(m_trashAction, &QAction::triggered, this, &LibraryBrowser::trashSelected);
    connect(m_openAction, &QAction::triggered, this, [this] {
        if (const QModelIndex current = m_view->currentIndex(); current.isValid())
            Q_EMIT openRequested(current);
    });
    connect(m_library, &Library::imageStored, this, &LibraryBrowser::onImageStored);
    connect(m_library, &Library::recordsRemoved, m_model, &GalleryModel::removeIds);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LibraryBrowser::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &LibraryBrowser::updateActions);
    updateActions();
}

bool LibraryBrowser::isFiltered() const
{
    return !LibraryQuery::matchExpression(m_query.text).isEmpty() || m_query.favoritesOnly;
}

void LibraryBrowser::reload()
{
    m_debounce->stop();
    m_query.text = m_search->text();
    m_query.favoritesOnly = m_favorites->isChecked();
    m_view->setEmptyText(isFiltered() ? tr("No image matches.")
                                      : tr("Your images appear here as they arrive.\nDescribe one on the left, "
                                           "then press Generate."));
    if (!m_library->isOpen())
        return;
    const quint64 serial = ++m_querySerial;
    m_queryRunning = true;
    m_landedWhileLoading.clear();
    whenFinished(this, m_library->search(m_query),
                 [this, serial](const Result<QList<LibraryRecord>, ApiError>& result) {
                     if (serial != m_querySerial)
                         return; // a newer query is on its way
                     m_queryRunning = false;
                     if (!result.ok()) {
                         qCWarning(lcUi) << "library search failed:" << ApiError::kindName(result.error().kind);
                         Q_EMIT failed(tr("The library could not be read. %1").arg(result.error().userMessage()));
                         return;
                     }
                     m_model->setRecords(result.value());
                     // Images stored while the query ran may be missing from its answer.
                     for (const LibraryRecord& record : std::as_const(m_landedWhileLoading)) {
                         if (m_model->rowOfId(record.id) < 0)
                             m_model->addRecord(record);
                     }
                     m_landedWhileLoading.clear();
                 });
}

void LibraryBrowser::onImageStored(const LibraryRecord& record)
{
    if (isFiltered()) {
        // Whether it matches the search is the index's call; a new image is never a favorite.
        if (!m_query.favoritesOnly)
            m_debounce->start();
        return;
    }
    if (m_queryRunning)
        m_landedWhileLoading << record;
    m_model->addRecord(record);
}

QList<qint64> LibraryBrowser::selectedIds() const
{
    QList<qint64> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedIndexes();
    for (const QModelIndex& index : rows)
        ids << index.data(GalleryModel::RecordIdRole).toLongLong();
    return ids;
}

void LibraryBrowser::updateActions()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedIndexes();
    const bool allFavorite = !rows.isEmpty() && std::all_of(rows.cbegin(), rows.cend(), [](const QModelIndex& i) {
        return i.data(GalleryModel::FavoriteRole).toBool();
    });
    m_favoriteAction->setText(allFavorite ? tr("Un&favorite") : tr("&Favorite"));
    for (QAction* action : {m_favoriteAction, m_copyPromptAction, m_trashAction})
        action->setEnabled(!rows.isEmpty());
    m_openAction->setEnabled(m_view->currentIndex().isValid());
}

void LibraryBrowser::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    // Right-clicking outside the selection acts on that tile alone, as in file managers.
    if (!m_view->selectionModel()->isSelected(index))
        m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    updateActions();
    QMenu menu(this);
    menu.addAction(m_openAction);
    menu.addAction(m_favoriteAction);
    menu.addAction(m_copyPromptAction);
    menu.addSeparator();
    menu.addAction(m_trashAction);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void LibraryBrowser::toggleFavorite()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedIndexes();
    const bool favorite = !std::all_of(
        rows.cbegin(), rows.cend(), [](const QModelIndex& i) { return i.data(GalleryModel::FavoriteRole).toBool(); });
    for (const qint64 id : selectedIds()) {
        whenFinished(this, m_library->setFavorite(id, favorite),
                     [this, id, favorite](const Result<bool, ApiError>& result) {
                         if (!result.ok()) {
                             Q_EMIT failed(tr("The image could not be changed. %1").arg(result.error().userMessage()));
                             return;
                         }
                         if (m_query.favoritesOnly && !favorite)
                             m_model->removeIds({id}); // no longer matches the filter
                         else
                             m_model->setFavorite(id, favorite);
                     });
    }
}

void LibraryBrowser::copyPrompt()
{
    QStringList prompts;
    const QModelIndexList rows = m_view->selectionModel()->selectedIndexes();
    for (const QModelIndex& index : rows)
        prompts << index.data(GalleryModel::PromptRole).toString();
    QApplication::clipboard()->setText(prompts.join(QLatin1Char('\n')));
}

void LibraryBrowser::trashSelected()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    auto batch = std::make_shared<Batch>();
    batch->pending = int(ids.size());
    for (const qint64 id : ids) {
        whenFinished(this, m_library->trash(id), [this, id, ids, batch](const Result<bool, ApiError>& result) {
            if (result.ok()) {
                batch->succeeded << id;
                m_model->removeIds({id});
            } else if (batch->firstError.isEmpty()) {
                batch->firstError = result.error().userMessage();
            }
            if (--batch->pending > 0)
                return;
            // What did go to the trash can be undone; a failure alone gets the message.
            if (!batch->firstError.isEmpty())
                qCWarning(lcUi) << "moving to the trash failed for" << ids.size() - batch->succeeded.size()
                                << "image(s)";
            if (!batch->succeeded.isEmpty())
                Q_EMIT trashed(batch->succeeded);
            else
                Q_EMIT failed(tr("The images could not be moved to the trash. %1").arg(batch->firstError));
        });
    }
}

void LibraryBrowser::restore(const QList<qint64>& ids)
{
    auto batch = std::make_shared<Batch>();
    batch->pending = int(ids.size());
    for (const qint64 id : ids) {
        whenFinished(this, m_library->restore(id), [this, batch](const Result<bool, ApiError>& result) {
            if (!result.ok() && batch->firstError.isEmpty())
                batch->firstError = result.error().userMessage();
            if (--batch->pending > 0)
                return;
            if (!batch->firstError.isEmpty())
                Q_EMIT failed(tr("Some images could not be restored. %1").arg(batch->firstError));
            reload(); // back in their place in the order
        });
    }
}

} // namespace Pixapi
