#include "gallery/LibraryBrowser.h"

#include "gallery/GalleryDelegate.h"
#include "gallery/GalleryView.h"
#include "gallery/LibraryEdits.h"
#include "gallery/LibraryFilterBar.h"
#include "gallery/LibraryOrganizer.h"
#include "settings/Settings.h"
#include "support/Logging.h"

#include <QHBoxLayout>
#include <QTimer>

namespace Pixapi {

namespace {
constexpr int SearchDebounceMs = 200;
constexpr int NamesDebounceMs = 400;
constexpr int EdgeDebounceMs = 150;
constexpr int ZoomStep = 32;

const std::pair<GalleryModel::Grouping, QLatin1String> GroupingNames[] = {
    {GalleryModel::Grouping::None, QLatin1String("none")},
    {GalleryModel::Grouping::Day, QLatin1String("day")},
    {GalleryModel::Grouping::Prompt, QLatin1String("prompt")},
    {GalleryModel::Grouping::Model, QLatin1String("model")},
};

GalleryModel::Grouping groupingFromName(const QString& name)
{
    for (const auto& [grouping, key] : GroupingNames) {
        if (name == key)
            return grouping;
    }
    return GalleryModel::Grouping::None;
}

QString groupingName(GalleryModel::Grouping grouping)
{
    for (const auto& [each, key] : GroupingNames) {
        if (each == grouping)
            return key;
    }
    return QStringLiteral("none");
}

} // namespace

LibraryBrowser::LibraryBrowser(Library* library, GalleryModel* model, GalleryView* view, QWidget* parent,
                               Settings* settings)
    : QWidget(parent)
    , m_library(library)
    , m_model(model)
    , m_view(view)
    , m_settings(settings)
    , m_filterBar(new LibraryFilterBar(this))
    , m_organizer(new LibraryOrganizer(library, model, view, this))
    , m_debounce(new QTimer(this))
    , m_namesDebounce(new QTimer(this))
    , m_edgeDebounce(new QTimer(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filterBar);
    m_filterBar->setObjectName(QStringLiteral("libraryFilterBar"));
    m_organizer->setObjectName(QStringLiteral("libraryOrganizer"));

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(SearchDebounceMs);
    m_namesDebounce->setSingleShot(true);
    m_namesDebounce->setInterval(NamesDebounceMs);
    m_edgeDebounce->setSingleShot(true);
    m_edgeDebounce->setInterval(EdgeDebounceMs);

    const int tileSize = m_settings ? m_settings->value(Settings::Key::GalleryTileSize).toInt()
                                    : Settings::defaultValue(Settings::Key::GalleryTileSize).toInt();
    m_filterBar->setTileSize(tileSize);
    onTileSizeChanged(m_filterBar->tileSize()); // clamped to the slider's range
    // The window is not laid out yet: thumbnails are made for the last layout's edge, which a window restored to its
    // size has again (the first layout corrects it otherwise). The first screen of them is then decoded with the
    // first page, while the window is still being built.
    const int lastEdge = m_settings ? m_settings->value(Settings::Key::GalleryThumbnailEdge).toInt() : 0;
    m_prefetchTiles = m_settings ? m_settings->value(Settings::Key::GalleryScreenTiles).toInt() : 0;
    if (lastEdge > 0)
        m_model->setThumbnailEdge(lastEdge);
    else
        applyThumbnailEdge();
    const GalleryModel::Grouping grouping =
        groupingFromName(m_settings ? m_settings->value(Settings::Key::GalleryGrouping).toString() : QString());
    m_filterBar->setGrouping(grouping);
    m_model->setGrouping(grouping);

    connect(m_filterBar, &LibraryFilterBar::searchEdited, m_debounce, qOverload<>(&QTimer::start));
    connect(m_filterBar, &LibraryFilterBar::filtersChanged, this, &LibraryBrowser::reload);
    connect(m_filterBar, &LibraryFilterBar::groupingChanged, this, &LibraryBrowser::onGroupingChanged);
    connect(m_filterBar, &LibraryFilterBar::tileSizeChanged, this, &LibraryBrowser::onTileSizeChanged);
    connect(m_debounce, &QTimer::timeout, this, &LibraryBrowser::reload);
    connect(m_namesDebounce, &QTimer::timeout, this, &LibraryBrowser::refreshNames);
    connect(m_view, &GalleryView::nearEnd, this, &LibraryBrowser::loadNextPage);
    connect(m_view, &GalleryView::zoomRequested, this, &LibraryBrowser::zoom);
    connect(m_view, &GalleryView::tileSizeChanged, this, &LibraryBrowser::onViewTileSizeChanged);
    connect(m_edgeDebounce, &QTimer::timeout, this, &LibraryBrowser::applyThumbnailEdge);
    connect(m_library, &Library::imageStored, this, &LibraryBrowser::onImageStored);
    connect(m_library, &Library::recordsRemoved, m_model, &GalleryModel::removeIds);
    connect(m_library, &Library::recordsRemoved, m_namesDebounce, qOverload<>(&QTimer::start));
    connect(m_library, &Library::recordChanged, m_organizer, &LibraryOrganizer::refreshRecord);
    connect(m_library, &Library::collectionsChanged, m_namesDebounce, qOverload<>(&QTimer::start));

    connect(m_organizer, &LibraryOrganizer::openRequested, this, &LibraryBrowser::openRequested);
    connect(m_organizer, &LibraryOrganizer::trashed, this, &LibraryBrowser::trashed);
    connect(m_organizer, &LibraryOrganizer::failed, this, &LibraryBrowser::failed);
    connect(m_organizer, &LibraryOrganizer::exportRequested, this, &LibraryBrowser::exportRequested);
    connect(m_organizer, &LibraryOrganizer::copyImageRequested, this, &LibraryBrowser::copyImageRequested);
    connect(m_organizer, &LibraryOrganizer::reuseSettingsRequested, this, &LibraryBrowser::reuseSettingsRequested);
    connect(m_organizer, &LibraryOrganizer::generateAgainRequested, this, &LibraryBrowser::generateAgainRequested);
    connect(m_organizer, &LibraryOrganizer::useAsReferenceRequested, this, &LibraryBrowser::useAsReferenceRequested);
    connect(m_organizer, &LibraryOrganizer::namesChanged, m_namesDebounce, qOverload<>(&QTimer::start));
    // Images may have left the filtered grid or the trash: the count follows.
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &LibraryBrowser::updateCount);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_queryRunning && !m_pageRunning)
            updateCount();
    });
}

bool LibraryBrowser::isFiltered() const
{
    return m_filterBar->hasFilters();
}

void LibraryBrowser::reload()
{
    m_debounce->stop();
    LibraryQuery query;
    m_filterBar->applyTo(query);
    query.sort = GalleryModel::sortFor(m_model->grouping());
    query.limit = PageSize;
    query.offset = 0;
    m_query = query;
    m_organizer->setQuery(m_query);
    if (m_query.trashOnly)
        m_view->setEmptyText(isFiltered() ? tr("No image in the trash matches.") : tr("The trash is empty."));
    else
        m_view->setEmptyText(isFiltered() ? tr("No image matches.")
                                          : tr("Your images appear here as they arrive.\nDescribe one on the left, "
                                               "then press Generate."));
    if (!m_library->isOpen())
        return;
    const quint64 serial = ++m_querySerial;
    m_queryRunning = true;
    m_pageRunning = false;
    m_hasMore = false;
    m_landedWhileLoading.clear();
    m_running = m_library->search(m_query);
    if (const int tiles = std::exchange(m_prefetchTiles, 0); tiles > 0)
        m_model->prefetchThumbnails(m_running, tiles);
    whenFinished(this, m_running, [this, serial](const SearchResult& result) {
        if (serial == m_querySerial && m_queryRunning)
            applyResult(result);
    });
    // The names in the filter menus need not hold up the first page (at start: the first screen).
    m_namesDebounce->start();
}

void LibraryBrowser::applyResult(const SearchResult& result)
{
    m_queryRunning = false;
    if (!result.ok()) {
        qCWarning(lcUi) << "library search failed:" << ApiError::kindName(result.error().kind);
        Q_EMIT failed(tr("The library could not be read. %1").arg(result.error().userMessage()));
        return;
    }
    m_hasMore = result.value().size() >= PageSize;
    m_model->setRecords(result.value());
    m_model->setMoreToLoad(m_hasMore);
    // Images stored while the query ran may be missing from its answer.
    for (const LibraryRecord& record : std::as_const(m_landedWhileLoading)) {
        if (m_model->rowOfId(record.id) < 0)
            m_model->addRecord(record);
    }
    m_landedWhileLoading.clear();
    updateCount();
}

void LibraryBrowser::showEvent(QShowEvent* event)
{
    // The first page is usually read by the time the window appears, but its result would wait in the event queue
    // behind the first paint: take it now (it is finished, nothing waits), so the first frame shows the grid.
    if (m_queryRunning && m_running.isFinished())
        applyResult(m_running.result());
    QWidget::showEvent(event);
}

void LibraryBrowser::loadNextPage()
{
    if (m_queryRunning || m_pageRunning || !m_hasMore || !m_library->isOpen())
        return;
    // The grid holds a prefix of the query's answer (images that landed at the top and images taken out of it
    // shift the library's order the same way), so the next page starts after what is shown.
    LibraryQuery page = m_query;
    page.offset = m_model->imageCount();
    const quint64 serial = m_querySerial;
    m_pageRunning = true;
    whenFinished(this, m_library->search(page), [this, serial](const SearchResult& result) {
        if (serial != m_querySerial)
            return;
        m_pageRunning = false;
        if (!result.ok()) {
            m_hasMore = false;
            m_model->setMoreToLoad(false);
            Q_EMIT failed(tr("The library could not be read. %1").arg(result.error().userMessage()));
            return;
        }
        m_hasMore = result.value().size() >= PageSize;
        m_model->appendRecords(result.value());
        m_model->setMoreToLoad(m_hasMore);
    });
}

void LibraryBrowser::updateCount()
{
    if (!m_library->isOpen())
        return;
    const quint64 serial = m_querySerial;
    whenFinished(this, m_library->countMatching(m_query), [this, serial](const Result<int, ApiError>& result) {
        if (serial == m_querySerial)
            m_filterBar->setCount(result.ok() ? result.value() : -1);
    });
}

void LibraryBrowser::refreshNames()
{
    if (!m_library->isOpen())
        return;
    whenFinished(this, m_library->modelNames(), [this](const Result<QStringList, ApiError>& result) {
        if (result.ok())
            m_filterBar->setModelNames(result.value());
    });
    whenFinished(this, m_library->tagNames(), [this](const Result<QStringList, ApiError>& result) {
        if (result.ok()) {
            m_filterBar->setTagNames(result.value());
            m_organizer->setTagNames(result.value());
        }
    });
    whenFinished(this, m_library->collectionNames(), [this](const Result<QStringList, ApiError>& result) {
        if (result.ok()) {
            m_filterBar->setCollectionNames(result.value());
            m_organizer->setCollectionNames(result.value());
        }
    });
}

void LibraryBrowser::onImageStored(const LibraryRecord& record)
{
    m_namesDebounce->start(); // perhaps a model not seen before
    if (m_query.trashOnly)
        return;
    if (isFiltered()) {
        // A new image has no stars, tags or collections and is no favorite; whether it matches the words, models
        // and dates is the index's call.
        const bool mayMatch = !m_query.favoritesOnly && m_query.minStars == 0 && m_query.tag.isEmpty()
                              && m_query.collection.isEmpty()
                              && (m_query.models.isEmpty() || m_query.models.contains(record.model));
        if (mayMatch)
            m_debounce->start();
        return;
    }
    if (m_queryRunning)
        m_landedWhileLoading << record;
    m_model->addRecord(record);
}

void LibraryBrowser::onGroupingChanged(GalleryModel::Grouping grouping)
{
    if (m_settings)
        m_settings->setValue(Settings::Key::GalleryGrouping, groupingName(grouping));
    m_model->setGrouping(grouping);
    reload(); // pages come in the grouping's order
}

void LibraryBrowser::onTileSizeChanged(int pixels)
{
    m_view->setTileSize(pixels);
    if (m_settings && m_settings->value(Settings::Key::GalleryTileSize).toInt() != pixels)
        m_settings->setValue(Settings::Key::GalleryTileSize, pixels);
}

void LibraryBrowser::onViewTileSizeChanged()
{
    // Before anything is shown (the first layout) the edge applies at once, so the first screen is decoded at its
    // final size. Later, while a window edge or the slider is dragged, the shown thumbnails stand in (scaled) and
    // new ones are made once the size has settled.
    if (m_model->hasReadyThumbnails())
        m_edgeDebounce->start();
    else
        applyThumbnailEdge();
}

void LibraryBrowser::applyThumbnailEdge()
{
    const int edge = GalleryDelegate::imageEdge(m_view->tileSize(), m_view->devicePixelRatioF());
    m_model->setThumbnailEdge(edge);
    if (m_settings && m_view->isVisible()) { // a real layout: what the next start prefetches
        m_settings->setValue(Settings::Key::GalleryThumbnailEdge, edge);
        m_settings->setValue(Settings::Key::GalleryScreenTiles, m_view->tilesPerScreen());
    }
}

void LibraryBrowser::zoom(int steps)
{
    m_filterBar->setTileSize(m_filterBar->tileSize() + steps * ZoomStep);
}

void LibraryBrowser::restore(const QList<qint64>& ids)
{
    editEach(
        this, ids, [this](qint64 id) { return m_library->restore(id); },
        [this](const QList<qint64>&, const QString& error) {
            if (!error.isEmpty())
                Q_EMIT failed(tr("Some images could not be restored. %1").arg(error));
            reload(); // back in their place in the order
        });
}

} // namespace Pixapi
