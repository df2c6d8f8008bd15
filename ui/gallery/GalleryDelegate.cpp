#include "gallery/GalleryDelegate.h"

#include "library/GalleryModel.h"

#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QPixmapCache>

namespace Pixapi {

namespace {
constexpr int TileRadius = 8;
constexpr int TileInset = 2; // room for the selection outline
const QColor TileColor(0x2c, 0x2e, 0x33);
const QColor AccentColor(0x5b, 0x5e, 0xf7);

// The thumbnail scaled to fit `target` (device pixels), converted to a pixmap once and then cached.
QPixmap cachedPixmap(const QImage& image, QSize target, qreal dpr)
{
    const QString key =
        QStringLiteral("pixapi.gallery.%1.%2x%3").arg(image.cacheKey()).arg(target.width()).arg(target.height());
    QPixmap pixmap;
    if (QPixmapCache::find(key, &pixmap))
        return pixmap;
    const QImage fitted = image.size().width() > target.width() || image.size().height() > target.height()
                              ? image.scaled(target, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                              : image;
    pixmap = QPixmap::fromImage(fitted);
    pixmap.setDevicePixelRatio(dpr);
    QPixmapCache::insert(key, pixmap);
    return pixmap;
}
} // namespace

GalleryDelegate::GalleryDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{ }

void GalleryDelegate::setTileSize(int pixels)
{
    m_tileSize = pixels;
}

QSize GalleryDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex&) const
{
    return {m_tileSize, m_tileSize};
}

void GalleryDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);

    const QRectF tile = QRectF(option.rect).adjusted(TileInset, TileInset, -TileInset, -TileInset);
    QPainterPath shape;
    shape.addRoundedRect(tile, TileRadius, TileRadius);
    painter->fillPath(shape, TileColor);

    const QImage image = index.data(Qt::DecorationRole).value<QImage>();
    if (!image.isNull()) {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        const QSize target = (tile.size() * dpr).toSize();
        const QPixmap pixmap = cachedPixmap(image, target, dpr);
        const QSizeF shown = pixmap.deviceIndependentSize();
        const QRectF where(tile.center() - QPointF(shown.width() / 2, shown.height() / 2), shown);
        painter->setClipPath(shape);
        painter->drawPixmap(where.topLeft(), pixmap);
        painter->setClipping(false);
    }

    const auto state = static_cast<GalleryModel::ThumbnailState>(index.data(GalleryModel::ThumbnailStateRole).toInt());
    if (state == GalleryModel::ThumbnailState::Pending) {
        painter->setPen(QColor(0xb0, 0xb4, 0xbc));
        painter->drawText(tile, Qt::AlignCenter, tr("Loading…"));
    }

    if (option.state & QStyle::State_MouseOver)
        painter->fillPath(shape, QColor(255, 255, 255, 24));
    if (option.state & QStyle::State_Selected) {
        painter->setPen(QPen(AccentColor, 3));
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(shape);
    }
    if (option.state & QStyle::State_HasFocus && !(option.state & QStyle::State_Selected)) {
        painter->setPen(QPen(AccentColor.lighter(130), 1, Qt::DashLine));
        painter->drawPath(shape);
    }
    painter->restore();
}

} // namespace Pixapi
