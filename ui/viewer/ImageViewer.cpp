#include "viewer/ImageViewer.h"

#include "library/GalleryModel.h"
#include "settings/Settings.h"
#include "support/Logging.h"
#include "support/WhenFinished.h"
#include "viewer/ImageCanvas.h"
#include "viewer/ImageDecoder.h"
#include "viewer/MetadataPanel.h"
#include "viewer/SplitCompareCanvas.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QLocale>
#include <QMenu>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace Pixapi {

namespace {
constexpr int PanelWidth = 340;
constexpr int MaxStars = 5;
} // namespace

ImageViewer::ImageViewer(Library* library, GalleryModel* model, Settings* settings, QWidget* parent)
    : QWidget(parent)
    , m_library(library)
    , m_model(model)
    , m_settings(settings)
    , m_decoder(new ImageDecoder(this))
    , m_toolBar(new QToolBar(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_stack(new QStackedWidget(m_splitter))
    , m_canvas(new ImageCanvas(m_stack))
    , m_sourceCompare(new SplitCompareCanvas(m_stack))
    , m_panel(new MetadataPanel(m_splitter))
    , m_zoomButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("imageViewer"));
    m_canvas->setObjectName(QStringLiteral("imageCanvas"));
    m_canvas->setAccessibleName(tr("Image"));
    m_sourceCompare->setObjectName(QStringLiteral("sourceCompareCanvas"));
    m_sourceCompare->setAccessibleName(tr("Source and result"));
    m_stack->addWidget(m_canvas);
    m_stack->addWidget(m_sourceCompare);
    m_panel->setObjectName(QStringLiteral("metadataPanel"));
    m_panel->setAccessibleName(tr("Image details"));
    m_splitter->setObjectName(QStringLiteral("viewerSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 0);
    if (!m_splitter->restoreState(m_settings->value(Settings::Key::ViewerSplitterState).toByteArray()))
        m_splitter->setSizes({width() - PanelWidth, PanelWidth});
    connect(m_splitter, &QSplitter::splitterMoved, this,
            [this] { m_settings->setValue(Settings::Key::ViewerSplitterState, m_splitter->saveState()); });

    createActions();
    createToolBar();
    m_panel->setActions(m_favorite, m_copyPrompt);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_splitter, 1);

    connect(m_decoder, &ImageDecoder::decoded, this, &ImageViewer::onDecoded);
    connect(m_canvas, &ImageCanvas::zoomChanged, this, &ImageViewer::updateZoomText);
    connect(m_panel, &MetadataPanel::starsChosen, this,
            [this](int stars) { runEdit(m_library->setStars(m_record.id, stars)); });
    connect(m_panel, &MetadataPanel::tagAdded, this,
            [this](const QString& tag) { runEdit(m_library->addTag(m_record.id, tag)); });
    connect(m_panel, &MetadataPanel::tagRemoved, this,
            [this](const QString& tag) { runEdit(m_library->removeTag(m_record.id, tag)); });
    connect(m_panel, &MetadataPanel::recordActivated, this, &ImageViewer::showRecord);
    connect(m_library, &Library::recordChanged, this, &ImageViewer::onRecordChanged);
    connect(m_library, &Library::imageStored, this, [this](const LibraryRecord& stored) {
        if (m_record.id != 0 && stored.parentIds.contains(m_record.id))
            fetchLineage(); // a new child of the shown image
    });
    connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this](const QModelIndex&, int first, int last) { onRowsAboutToBeRemoved(first, last); });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ImageViewer::onRowsRemoved);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ImageViewer::updateNavigation);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ImageViewer::updateNavigation);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, &ImageViewer::updateNavigation);
    updateNavigation();
    updateZoomText(m_canvas->zoomFactor(), m_canvas->isFitMode());
}

QAction* ImageViewer::makeAction(const QString& objectName, const QString& text, const QList<QKeySequence>& keys)
{
    auto* action = new QAction(text, this);
    action->setObjectName(objectName);
    action->setShortcuts(keys);
    // Only while the viewer has the focus: the grid and the prompt keep their keys.
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    if (!keys.isEmpty())
        action->setToolTip(
            tr("%1 (%2)").arg(text, keys.first().toString(QKeySequence::NativeText)).remove(QLatin1Char('&')));
    QWidget::addAction(action);
    return action;
}

void ImageViewer::createActions()
{
    const auto key = [](QKeyCombination combination) { return QKeySequence(combination); };
    m_back = makeAction(QStringLiteral("viewerBackAction"), tr("&Back"), {key(Qt::Key_Escape), QKeySequence::Back});
    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_previous =
        makeAction(QStringLiteral("viewerPreviousAction"), tr("&Previous"), {key(Qt::Key_Left), key(Qt::Key_PageUp)});
    m_previous->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
    m_next = makeAction(QStringLiteral("viewerNextAction"), tr("&Next"), {key(Qt::Key_Right), key(Qt::Key_PageDown)});
    m_next->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));

    // Plain digits rate the image (0-5), so the zoom presets take Ctrl.
    m_fit = makeAction(QStringLiteral("viewerFitAction"), tr("&Fit to Window"), {key(Qt::CTRL | Qt::Key_0)});
    m_actualSize =
        makeAction(QStringLiteral("viewerActualSizeAction"), tr("&Actual Size (100 %)"), {key(Qt::CTRL | Qt::Key_1)});
    m_zoomIn = makeAction(QStringLiteral("viewerZoomInAction"), tr("Zoom &In"),
                          {QKeySequence::ZoomIn, key(Qt::Key_Plus), key(Qt::Key_Equal)});
    m_zoomOut =
        makeAction(QStringLiteral("viewerZoomOutAction"), tr("Zoom &Out"), {QKeySequence::ZoomOut, key(Qt::Key_Minus)});

    m_favorite = makeAction(QStringLiteral("viewerFavoriteAction"), tr("F&avorite"), {key(Qt::Key_F)});
    m_favorite->setCheckable(true);
    m_copyImage = makeAction(QStringLiteral("viewerCopyImageAction"), tr("&Copy Image"), {QKeySequence::Copy});
    m_copyPrompt = makeAction(QStringLiteral("viewerCopyPromptAction"), tr("Copy &Prompt"),
                              {key(Qt::CTRL | Qt::SHIFT | Qt::Key_C)});
    m_reuseSettings = makeAction(QStringLiteral("viewerReuseSettingsAction"), tr("&Reuse Settings"), {key(Qt::Key_R)});
    m_generateAgain = makeAction(QStringLiteral("viewerGenerateAgainAction"), tr("&Generate Again"), {key(Qt::Key_G)});
    m_useAsReference =
        makeAction(QStringLiteral("viewerUseAsReferenceAction"), tr("&Use as Reference"), {key(Qt::Key_U)});
    m_export = makeAction(QStringLiteral("viewerExportAction"), tr("&Export…"), {key(Qt::CTRL | Qt::Key_E)});
    m_export->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
    m_trash = makeAction(QStringLiteral("viewerTrashAction"), tr("Move to &Trash"), {QKeySequence::Delete});
    m_trash->setIcon(style()->standardIcon(QStyle::SP_TrashIcon));
    m_compareSource = makeAction(QStringLiteral("viewerCompareSourceAction"), tr("Compare with &Source"),
                                 {key(Qt::Key_C), key(Qt::Key_Backslash)});
    m_compareSource->setCheckable(true);
    m_compareSource->setEnabled(false);

    for (int stars = 0; stars <= MaxStars; ++stars) {
        QAction* rate = makeAction(QStringLiteral("viewerStars%1Action").arg(stars),
                                   tr("Rate %1 of 5 Stars").arg(stars), {key(Qt::Key(Qt::Key_0 + stars))});
        connect(rate, &QAction::triggered, this, [this, stars] {
            if (m_record.id != 0)
                runEdit(m_library->setStars(m_record.id, stars));
        });
    }

    connect(m_back, &QAction::triggered, this, &ImageViewer::closed);
    connect(m_previous, &QAction::triggered, this, [this] { step(false); });
    connect(m_next, &QAction::triggered, this, [this] { step(true); });
    connect(m_fit, &QAction::triggered, m_canvas, &ImageCanvas::fit);
    connect(m_actualSize, &QAction::triggered, m_canvas, [this] { m_canvas->setZoom(1.0); });
    connect(m_zoomIn, &QAction::triggered, m_canvas, &ImageCanvas::zoomIn);
    connect(m_zoomOut, &QAction::triggered, m_canvas, &ImageCanvas::zoomOut);
    connect(m_favorite, &QAction::triggered, this, [this](bool favorite) {
        m_favorite->setChecked(m_record.favorite); // shows the library's answer, not the click
        runEdit(m_library->setFavorite(m_record.id, favorite));
    });
    connect(m_copyImage, &QAction::triggered, this, [this] { Q_EMIT copyImageRequested(m_record); });
    connect(m_copyPrompt, &QAction::triggered, this, &ImageViewer::copyPrompt);
    connect(m_reuseSettings, &QAction::triggered, this, [this] { Q_EMIT reuseSettingsRequested(m_record); });
    connect(m_generateAgain, &QAction::triggered, this, [this] { Q_EMIT generateAgainRequested(m_record); });
    connect(m_useAsReference, &QAction::triggered, this, [this] { Q_EMIT useAsReferenceRequested(m_record); });
    connect(m_export, &QAction::triggered, this, [this] { Q_EMIT exportRequested({m_record}); });
    connect(m_trash, &QAction::triggered, this, [this] { Q_EMIT trashRequested({m_record.id}); });
    connect(m_compareSource, &QAction::toggled, this, &ImageViewer::setComparingWithSource);
}

void ImageViewer::createToolBar()
{
    m_toolBar->setObjectName(QStringLiteral("viewerToolBar"));
    m_toolBar->setAccessibleName(tr("Image viewer tools"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addAction(m_back);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_previous);
    m_toolBar->addAction(m_next);
    m_toolBar->addSeparator();

    auto* zoomMenu = new QMenu(m_zoomButton);
    zoomMenu->addAction(m_fit);
    zoomMenu->addAction(m_actualSize);
    zoomMenu->addSeparator();
    for (const int percent : {25, 50, 200, 400}) {
        QAction* preset = zoomMenu->addAction(tr("%1 %").arg(percent));
        connect(preset, &QAction::triggered, m_canvas, [this, percent] { m_canvas->setZoom(percent / 100.0); });
    }
    zoomMenu->addSeparator();
    zoomMenu->addAction(m_zoomIn);
    zoomMenu->addAction(m_zoomOut);
    m_zoomButton->setObjectName(QStringLiteral("zoomButton"));
    m_zoomButton->setMenu(zoomMenu);
    m_zoomButton->setPopupMode(QToolButton::InstantPopup);
    m_zoomButton->setToolTip(tr("Zoom"));
    m_toolBar->addAction(m_zoomOut);
    m_toolBar->addWidget(m_zoomButton);
    m_toolBar->addAction(m_zoomIn);
    m_toolBar->addSeparator();

    for (QAction* action : {m_favorite, m_copyImage, m_copyPrompt, m_reuseSettings, m_generateAgain, m_useAsReference,
                            m_export, m_trash, m_compareSource})
        m_toolBar->addAction(action);

    // Stepping and zooming are glyphs, so the actions with words keep their room; the buttons keep full names.
    m_zoomOut->setIconText(QStringLiteral("−"));
    m_zoomIn->setIconText(QStringLiteral("+"));
    for (QAction* action : {m_previous, m_next, m_zoomOut, m_zoomIn}) {
        auto* button = qobject_cast<QToolButton*>(m_toolBar->widgetForAction(action));
        button->setToolButtonStyle(action->icon().isNull() ? Qt::ToolButtonTextOnly : Qt::ToolButtonIconOnly);
        button->setAccessibleName(action->text().remove(QLatin1Char('&')));
    }
}

int ImageViewer::currentRow() const
{
    return m_record.id != 0 ? m_model->rowOfId(m_record.id) : -1;
}

void ImageViewer::showRow(int row)
{
    if (row >= 0 && row < m_model->rowCount() && m_model->isHeader(row))
        row = m_model->nextImageRow(row);
    if (row < 0 || row >= m_model->rowCount())
        return;
    display(m_model->record(row), row);
}

void ImageViewer::showRecord(const LibraryRecord& record)
{
    display(record, m_model->rowOfId(record.id));
}

void ImageViewer::display(const LibraryRecord& record, int row)
{
    const bool changed = record.id != m_record.id;
    m_record = record;
    m_loadedPath.clear();
    m_shownImage = {};
    if (changed) {
        m_source.reset();
        setComparingWithSource(false);
        m_compareSource->setEnabled(false);
    }
    ++m_recordSerial; // a record read still on its way is for the image shown before
    m_panel->setRecord(record);
    m_panel->clearLineage();
    m_favorite->setChecked(record.favorite);

    // The grid's thumbnail stands in at once, scaled to the real size, until the full decode arrives.
    QImage preview;
    if (row >= 0) {
        const QModelIndex index = m_model->index(row);
        if (index.data(GalleryModel::ThumbnailStateRole).toInt() == int(GalleryModel::ThumbnailState::Ready))
            preview = index.data(Qt::DecorationRole).value<QImage>();
    }
    m_canvas->setPreview(preview, QSize(record.width, record.height));
    m_decoder->request(record.filePath);
    if (const int next = row >= 0 ? m_model->nextImageRow(row) : -1; next >= 0)
        m_decoder->preload(m_model->record(next).filePath);

    fetchLineage();
    updateNavigation();
    if (!isAncestorOf(QApplication::focusWidget()))
        m_canvas->setFocus(); // so the viewer's keys work right away
    if (changed)
        Q_EMIT currentChanged(record.id);
}

void ImageViewer::onDecoded(const QString& filePath, const DecodedImage& image)
{
    if (m_source && filePath == m_source->filePath && isComparingWithSource())
        m_sourceCompare->setImageA(image);
    // Preloads, images stepped past, and a second answer for the one shown are not for the canvas.
    if (filePath != m_record.filePath || filePath == m_loadedPath)
        return;
    m_loadedPath = filePath;
    m_shownImage = image;
    m_canvas->setImage(image);
    if (isComparingWithSource())
        m_sourceCompare->setImageB(image);
    Q_EMIT imageLoaded(m_record.id, !image.isNull());
}

void ImageViewer::fetchLineage()
{
    const quint64 serial = ++m_lineageSerial;
    const qint64 id = m_record.id;
    whenFinished(this, m_library->lineage(id), [this, serial](const Result<Lineage, ApiError>& result) {
        if (serial != m_lineageSerial)
            return;
        if (result.ok())
            onLineage(result.value());
        else
            qCWarning(lcUi) << "lineage could not be read:" << ApiError::kindName(result.error().kind);
    });
}

void ImageViewer::onLineage(const Lineage& lineage)
{
    m_panel->setLineage(lineage);
    // For an edit its first input image (the mask applied to that one); otherwise the image it was made from.
    const QJsonArray inputs = m_record.params.value(QLatin1String("input_ids")).toArray();
    const qint64 sourceId = !inputs.isEmpty()              ? inputs.first().toInteger()
                            : m_record.parentIds.isEmpty() ? 0
                                                           : m_record.parentIds.first();
    m_source.reset();
    for (const LibraryRecord& parent : lineage.parents) {
        if (parent.id == sourceId)
            m_source = parent;
    }
    m_compareSource->setEnabled(m_source.has_value());
    m_compareSource->setToolTip(m_source ? tr("Compare with the image it was made from (C)")
                                         : tr("This image was not made from another image"));
    if (!m_source)
        setComparingWithSource(false);
}

bool ImageViewer::isComparingWithSource() const
{
    return m_stack->currentWidget() == m_sourceCompare;
}

void ImageViewer::setComparingWithSource(bool on)
{
    on = on && m_source.has_value();
    m_compareSource->setChecked(on);
    if (on == isComparingWithSource())
        return;
    m_stack->setCurrentWidget(on ? static_cast<QWidget*>(m_sourceCompare) : m_canvas);
    if (on)
        showSourceImages();
    (on ? static_cast<QWidget*>(m_sourceCompare) : m_canvas)->setFocus();
}

void ImageViewer::showSourceImages()
{
    // Both sides come from the decoder (its cache makes a second look instant); null sides say "Loading…".
    m_sourceCompare->setImages({}, tr("Source"), m_shownImage, tr("Result"));
    m_sourceCompare->setSplit(0.5);
    m_sourceCompare->fit();
    m_decoder->request(m_source->filePath);
}

void ImageViewer::onRecordChanged(qint64 id)
{
    if (id != m_record.id)
        return;
    const quint64 serial = ++m_recordSerial;
    whenFinished(this, m_library->record(id), [this, serial](const Result<LibraryRecord, ApiError>& result) {
        if (serial != m_recordSerial)
            return;
        if (!result.ok()) {
            if (result.error().kind != ApiError::Kind::NotFound) // purged: the grid takes it away
                Q_EMIT failed(tr("The image details could not be read. %1").arg(result.error().userMessage()));
            return;
        }
        m_record = result.value();
        m_panel->setRecord(m_record);
        m_favorite->setChecked(m_record.favorite);
        m_model->updateRecord(m_record); // the grid shows the same stars and favorite
        updateNavigation();
    });
}

void ImageViewer::runEdit(const QFuture<Result<bool, ApiError>>& edit)
{
    whenFinished(this, edit, [this](const Result<bool, ApiError>& result) {
        if (!result.ok())
            Q_EMIT failed(tr("The image could not be changed. %1").arg(result.error().userMessage()));
    });
}

void ImageViewer::onRowsAboutToBeRemoved(int first, int last)
{
    const int row = currentRow();
    if (row < first || row > last)
        return;
    // Rows after the removed range are kept; the next image, else the previous one, takes over.
    int fallback = m_model->nextImageRow(last);
    if (fallback < 0)
        fallback = m_model->previousImageRow(first);
    m_currentRemoved = true;
    m_fallbackId = fallback >= 0 ? m_model->record(fallback).id : 0;
}

void ImageViewer::onRowsRemoved()
{
    if (m_currentRemoved) {
        m_currentRemoved = false;
        if (const int row = m_fallbackId != 0 ? m_model->rowOfId(m_fallbackId) : -1; row >= 0)
            showRow(row);
        else if (isVisible())
            Q_EMIT closed(); // nothing left to show
    }
    updateNavigation();
}

void ImageViewer::updateNavigation()
{
    const int row = currentRow();
    m_previous->setEnabled(row >= 0 && m_model->previousImageRow(row) >= 0);
    m_next->setEnabled(row >= 0 && m_model->nextImageRow(row) >= 0);
    const bool shown = m_record.id != 0;
    for (QAction* action :
         {m_favorite, m_copyImage, m_copyPrompt, m_reuseSettings, m_generateAgain, m_useAsReference, m_export, m_trash})
        action->setEnabled(shown);
    m_trash->setEnabled(shown && !m_record.isTrashed()); // a lineage parent may already be there
}

void ImageViewer::step(bool forward)
{
    const int row = currentRow();
    if (row < 0)
        return;
    const int target = forward ? m_model->nextImageRow(row) : m_model->previousImageRow(row);
    if (target >= 0)
        showRow(target);
}

void ImageViewer::updateZoomText(qreal factor, bool fitMode)
{
    const QString percent = tr("%1 %").arg(QLocale().toString(qRound(factor * 100)));
    m_zoomButton->setText(fitMode ? tr("Fit (%1)").arg(percent) : percent);
    m_zoomButton->setAccessibleName(tr("Zoom %1").arg(percent));
}

void ImageViewer::copyPrompt()
{
    QApplication::clipboard()->setText(m_record.prompt);
}

} // namespace Pixapi
