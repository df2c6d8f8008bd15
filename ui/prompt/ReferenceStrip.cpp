#include "prompt/ReferenceStrip.h"

#include "common/TextLook.h"
#include "edit/MaskEditorDialog.h"
#include "library/GalleryModel.h"
#include "support/BackgroundWork.h"
#include "support/WhenFinished.h"

#include <QBuffer>
#include <QClipboard>
#include <QFileDialog>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QMimeData>
#include <QPixmap>
#include <QStandardPaths>
#include <QToolButton>

namespace Pixapi {

namespace {
constexpr int PromptPreviewChars = 80;

QImage readThumbnail(const QString& filePath, int edge)
{
    QImageReader reader(filePath);
    reader.setAutoTransform(true);
    const QSize full = reader.size();
    if (full.isValid())
        reader.setScaledSize(full.scaled(edge, edge, Qt::KeepAspectRatio));
    return reader.read();
}

QString preview(const QString& prompt)
{
    const QString simplified = prompt.simplified();
    return simplified.size() > PromptPreviewChars ? simplified.left(PromptPreviewChars - 1) + QChar(0x2026)
                                                  : simplified;
}
} // namespace

ReferenceStrip::ReferenceStrip(QWidget* parent)
    : QWidget(parent)
    , m_tiles(new QHBoxLayout)
    , m_tileRow(new QWidget(this))
    , m_title(new QLabel(this))
    , m_maskBadge(new QLabel(tr("Mask"), this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_title->setObjectName(QStringLiteral("referenceTitle"));
    TextLook::setDim(m_title);
    const QString why = tr("Input images are sent with the prompt to a model that edits images: the new images are "
                           "made from them, and are recorded as made from them. Drop images here, paste one, or use "
                           "“Use as Reference” on a library image.");
    setToolTip(why);
    layout->addWidget(m_title);
    auto* row = new QHBoxLayout;
    row->setSpacing(4);
    QToolButton* add =
        makeButton(QStringLiteral("addInputImageButton"), tr("Add Image…"), tr("Add an image file as an input image"));
    QToolButton* paste = makeButton(QStringLiteral("pasteInputImageButton"), tr("Paste"),
                                    tr("Add the image on the clipboard as an input image"));
    m_paintMask = makeButton(QStringLiteral("paintMaskButton"), tr("Paint Mask…"),
                             tr("Paint where the model may change the first input image; the rest is kept"));
    m_clearMask = makeButton(QStringLiteral("clearMaskButton"), tr("Clear Mask"), tr("Edit the whole image again"));
    for (QToolButton* button : {add, paste, m_paintMask, m_clearMask})
        row->addWidget(button);
    row->addStretch(1);
    layout->addLayout(row);
    connect(add, &QToolButton::clicked, this, &ReferenceStrip::chooseFiles);
    connect(paste, &QToolButton::clicked, this, &ReferenceStrip::pasteFromClipboard);
    connect(m_paintMask, &QToolButton::clicked, this, &ReferenceStrip::openMaskEditor);
    connect(m_clearMask, &QToolButton::clicked, this, &ReferenceStrip::clearMask);

    auto* tileLayout = new QVBoxLayout(m_tileRow);
    tileLayout->setContentsMargins(0, 0, 0, 0);
    m_tiles->setSpacing(6);
    m_tiles->addStretch(1);
    tileLayout->addLayout(m_tiles);
    layout->addWidget(m_tileRow);
    m_maskBadge->setObjectName(QStringLiteral("maskBadge"));
    m_maskBadge->setAutoFillBackground(true);
    m_maskBadge->setStyleSheet(QStringLiteral("QLabel { background: rgba(230, 40, 90, 200); color: white; "
                                              "border-radius: 3px; padding: 0 3px; }"));
    m_maskBadge->hide();
    updateState();
}

QToolButton* ReferenceStrip::makeButton(const QString& objectName, const QString& text, const QString& tip)
{
    auto* button = new QToolButton(this);
    button->setObjectName(objectName);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

void ReferenceStrip::updateState()
{
    const int count = int(m_references.size());
    m_title->setText(count == 0 ? tr("No input images: the prompt alone makes the image")
                                : tr("%n input image(s) for the model to edit", nullptr, count));
    m_tileRow->setVisible(count > 0);
    m_paintMask->setEnabled(count > 0);
    m_clearMask->setVisible(hasMask());
    placeBadge();
}

qint64 ReferenceStrip::firstId() const
{
    return m_references.isEmpty() ? 0 : m_references.constFirst().id;
}

void ReferenceStrip::setMask(const EditMask& mask)
{
    m_mask = mask;
    m_maskImageId = m_mask.isNull() ? 0 : firstId();
    m_maskBadge->setToolTip(tr("A mask is painted on this image: %1 % of it may change")
                                .arg(QLocale().toString(m_mask.coverage() * 100, 'f', 1)));
    updateState();
    Q_EMIT maskChanged();
}

void ReferenceStrip::clearMask()
{
    if (!m_mask.isNull())
        setMask({});
}

void ReferenceStrip::openMaskEditor()
{
    if (m_references.isEmpty())
        return;
    auto* dialog = new MaskEditorDialog(m_references.constFirst().filePath, m_mask, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const qint64 paintedOn = firstId();
    connect(dialog, &QDialog::accepted, this, [this, dialog, paintedOn] {
        if (paintedOn != firstId() || !dialog->isLoaded())
            return; // the image changed while the dialog was open
        const EditMask painted = dialog->mask();
        setMask(painted.isEmpty() ? EditMask() : painted);
    });
    dialog->open();
}

void ReferenceStrip::chooseFiles()
{
    auto* dialog = new QFileDialog(this, tr("Add Input Images"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setNameFilter(tr("Images (*.png *.jpg *.jpeg *.webp)"));
    dialog->setDirectory(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation));
    connect(dialog, &QFileDialog::filesSelected, this, &ReferenceStrip::importFilesRequested);
    dialog->open();
}

void ReferenceStrip::pasteFromClipboard()
{
    const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
    const QString name = tr("Pasted image");
    if (!mime) {
        Q_EMIT notice(tr("The clipboard holds no image."));
        return;
    }
    // Encoded bytes go as they are: no decode, no quality lost.
    for (const char* type : {"image/png", "image/jpeg", "image/webp"}) {
        if (mime->hasFormat(QLatin1String(type))) {
            Q_EMIT importBytesRequested(mime->data(QLatin1String(type)), name);
            return;
        }
    }
    QStringList files;
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile())
            files << url.toLocalFile();
    }
    if (!files.isEmpty()) {
        Q_EMIT importFilesRequested(files);
        return;
    }
    if (!mime->hasImage()) {
        Q_EMIT notice(tr("The clipboard holds no image."));
        return;
    }
    const QImage image = qvariant_cast<QImage>(mime->imageData());
    whenFinished(this, runInBackground([image] {
                     QByteArray png;
                     QBuffer buffer(&png);
                     buffer.open(QIODevice::WriteOnly);
                     image.save(&buffer, "PNG");
                     return png;
                 }),
                 [this, name](const QByteArray& png) { Q_EMIT importBytesRequested(png, name); });
}

void ReferenceStrip::placeBadge()
{
    // On the first tile's bottom left: the mask always belongs to the first input image.
    QWidget* first = m_references.isEmpty() ? nullptr : m_tileOf.value(m_references.constFirst().id);
    if (!first) {
        m_maskBadge->hide();
        return;
    }
    if (m_maskBadge->parentWidget() != first)
        m_maskBadge->setParent(first); // hides it: shown again below
    m_maskBadge->adjustSize();
    m_maskBadge->move(2, ThumbnailEdge - m_maskBadge->height() - 2);
    m_maskBadge->raise();
    m_maskBadge->setVisible(hasMask());
}

ReferenceStrip::AddResult ReferenceStrip::addReference(const LibraryRecord& record, const QImage& thumbnail)
{
    if (m_tileOf.contains(record.id))
        return AddResult::AlreadyThere;
    if (m_references.size() >= MaxReferences)
        return AddResult::Full;
    m_references.append(record);
    QWidget* tile = makeTile(record);
    m_tiles->insertWidget(m_tiles->count() - 1, tile); // before the stretch
    const int edge = qRound(ThumbnailEdge * devicePixelRatioF());
    if (!thumbnail.isNull())
        showThumbnail(record.id, thumbnail.scaled(edge, edge, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    else
        decodeThumbnail(record.id, record.filePath, edge);
    updateState();
    Q_EMIT referencesChanged();
    return AddResult::Added;
}

QWidget* ReferenceStrip::makeTile(const LibraryRecord& record)
{
    auto* tile = new QWidget(this);
    tile->setObjectName(QStringLiteral("referenceTile"));
    tile->setProperty("recordId", record.id);
    const QString origin = record.prompt.isEmpty() ? record.params.value(QLatin1String("imported_from")).toString()
                                                   : preview(record.prompt);
    tile->setToolTip(origin);
    auto* grid = new QGridLayout(tile);
    grid->setContentsMargins(0, 0, 0, 0);
    auto* image = new QLabel(tile);
    image->setFixedSize(ThumbnailEdge, ThumbnailEdge);
    image->setAlignment(Qt::AlignCenter);
    image->setPixmap(
        QPixmap::fromImage(GalleryModel::placeholder(ThumbnailEdge, GalleryModel::ThumbnailState::Pending)));
    grid->addWidget(image, 0, 0);
    auto* remove = new QToolButton(tile);
    remove->setObjectName(QStringLiteral("removeReferenceButton"));
    remove->setProperty("recordId", record.id);
    remove->setText(QStringLiteral("×"));
    remove->setAutoRaise(true);
    remove->setToolTip(tr("Remove this input image"));
    remove->setAccessibleName(tr("Remove input image"));
    grid->addWidget(remove, 0, 0, Qt::AlignTop | Qt::AlignRight);
    const qint64 id = record.id;
    connect(remove, &QToolButton::clicked, this, [this, id] { removeReference(id); });
    m_tileOf.insert(id, tile);
    m_imageOf.insert(id, image);
    return tile;
}

void ReferenceStrip::decodeThumbnail(qint64 id, const QString& filePath, int edge)
{
    whenFinished(this, runInBackground(readThumbnail, filePath, edge), [this, id](const QImage& image) {
        if (!image.isNull())
            showThumbnail(id, image);
        else if (QLabel* label = m_imageOf.value(id))
            label->setPixmap(
                QPixmap::fromImage(GalleryModel::placeholder(ThumbnailEdge, GalleryModel::ThumbnailState::Failed)));
    });
}

void ReferenceStrip::showThumbnail(qint64 id, const QImage& image)
{
    QLabel* label = m_imageOf.value(id);
    if (!label) // removed while it was decoding
        return;
    QPixmap pixmap = QPixmap::fromImage(image);
    // Decoded at the screen's density: shown at ThumbnailEdge logical pixels whatever its pixel size.
    pixmap.setDevicePixelRatio(qMax(1.0, qreal(qMax(image.width(), image.height())) / ThumbnailEdge));
    label->setPixmap(pixmap);
    if (!m_withThumbnail.contains(id))
        m_withThumbnail.append(id);
}

bool ReferenceStrip::hasThumbnail(qint64 id) const
{
    return m_withThumbnail.contains(id);
}

bool ReferenceStrip::removeReference(qint64 id)
{
    QWidget* tile = m_tileOf.take(id);
    if (!tile)
        return false;
    m_imageOf.remove(id);
    m_withThumbnail.removeAll(id);
    m_references.removeIf([id](const LibraryRecord& record) { return record.id == id; });
    if (m_maskBadge->parent() == tile)
        m_maskBadge->setParent(this); // the badge outlives the tile
    if (m_maskImageId == id) {
        m_mask = {}; // painted on an image that is no longer sent
        m_maskImageId = 0;
        Q_EMIT maskChanged();
    }
    tile->hide();
    tile->deleteLater(); // the × that asked for this is inside the tile
    updateState();
    Q_EMIT referencesChanged();
    return true;
}

void ReferenceStrip::clear()
{
    if (m_references.isEmpty())
        return;
    const QList<qint64> ids = m_tileOf.keys();
    QSignalBlocker blocker(this);
    for (const qint64 id : ids)
        removeReference(id);
    blocker.unblock();
    Q_EMIT referencesChanged();
}

} // namespace Pixapi
