#include "prompt/ReferenceStrip.h"

#include "common/TextLook.h"
#include "library/GalleryModel.h"
#include "support/WhenFinished.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QPixmap>
#include <QToolButton>
#include <QtConcurrent>

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
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto* title = new QLabel(tr("References"), this);
    title->setObjectName(QStringLiteral("referenceTitle"));
    TextLook::setDim(title);
    // Honest about what a reference does today: it is lineage, not yet model input.
    const QString why = tr("Recorded as the source of new images. Edit-capable models will use references once "
                           "image edits are available.");
    title->setToolTip(why);
    setToolTip(why);
    layout->addWidget(title);
    m_tiles->setSpacing(6);
    m_tiles->addStretch(1);
    layout->addLayout(m_tiles);
    hide();
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
    show();
    Q_EMIT referencesChanged();
    return AddResult::Added;
}

QWidget* ReferenceStrip::makeTile(const LibraryRecord& record)
{
    auto* tile = new QWidget(this);
    tile->setObjectName(QStringLiteral("referenceTile"));
    tile->setProperty("recordId", record.id);
    tile->setToolTip(preview(record.prompt) + QLatin1Char('\n') + toolTip());
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
    remove->setToolTip(tr("Remove this reference"));
    remove->setAccessibleName(tr("Remove reference"));
    grid->addWidget(remove, 0, 0, Qt::AlignTop | Qt::AlignRight);
    const qint64 id = record.id;
    connect(remove, &QToolButton::clicked, this, [this, id] { removeReference(id); });
    m_tileOf.insert(id, tile);
    m_imageOf.insert(id, image);
    return tile;
}

void ReferenceStrip::decodeThumbnail(qint64 id, const QString& filePath, int edge)
{
    whenFinished(this, QtConcurrent::run(readThumbnail, filePath, edge), [this, id](const QImage& image) {
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
    tile->hide();
    tile->deleteLater(); // the × that asked for this is inside the tile
    setVisible(!m_references.isEmpty());
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
