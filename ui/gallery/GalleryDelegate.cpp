#include "gallery/GalleryDelegate.h"

#include "library/GalleryModel.h"

#include <QImage>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPixmapCache>
#include <QtMath>

namespace Pixapi {

namespace {
constexpr int TileRadius = 8;
constexpr int TileInset = 2; // room for the selection outline
constexpr int HeaderHeight = 30;
constexpr int BadgeMargin = 6;
const QColor TileColor(0x2c, 0x2e, 0x33);
const QColor AccentColor(0x5b, 0x5e, 0xf7);
const QColor HeaderText(0xe6, 0xe7, 0xea);
const QColor HeaderDim(0x9a, 0x9e, 0xa8);
const QColor HeartColor(0xf2, 0x4b, 0x6a);
const QColor StarColor(0xf5, 0xc2, 0x42);

// The thumbnail at `size` (device pixels), converted to a pixmap once and then cached.
QPixmap cachedPixmap(const QImage& image, QSize size, qreal dpr)
{
    const QString key =
        QStringLiteral("pixapi.gallery.%1.%2x%3").arg(image.cacheKey()).arg(size.width()).arg(size.height());
    QPixmap pixmap;
    if (QPixmapCache::find(key, &pixmap))
        return pixmap;
    const QImage fitted =
        image.size() == size ? image : image.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    pixmap = QPixmap::fromImage(fitted);
    pixmap.setDevicePixelRatio(dpr);
    QPixmapCache::insert(key, pixmap);
    return pixmap;
}

// A small dark pill behind a badge so it reads on any image.
void drawPill(QPainter* painter, const QRectF& rect)
{
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0, 0, 0, 150));
    painter->drawRoundedRect(rect, rect.height() / 2, rect.height() / 2);
}
} // namespace

GalleryDelegate::GalleryDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{ }

void GalleryDelegate::setTileSize(int pixels)
{
    m_tileSize = pixels;
}

void GalleryDelegate::setHeaderWidth(int pixels)
{
    m_headerWidth = pixels;
}

int GalleryDelegate::headerHeight()
{
    return HeaderHeight;
}

int GalleryDelegate::imageEdge(int tileSize, qreal devicePixelRatio)
{
    return qMax(1, qCeil((tileSize - 2 * TileInset) * devicePixelRatio));
}

QSize GalleryDelegate::sizeHint(const QStyleOptionViewItem&, const QModelIndex& index) const
{
    if (index.data(GalleryModel::IsHeaderRole).toBool())
        return {m_headerWidth, HeaderHeight};
    return {m_tileSize, m_tileSize};
}

void GalleryDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    painter->save();
    if (index.data(GalleryModel::IsHeaderRole).toBool())
        paintHeader(painter, option, index);
    else
        paintTile(painter, option, index);
    painter->restore();
}

void GalleryDelegate::paintHeader(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QRect area = option.rect.adjusted(TileInset, 0, -TileInset, 0);
    QFont titleFont = option.font;
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    const int count = index.data(GalleryModel::GroupSizeRole).toInt();
    // The last group may go on in pages not loaded yet: its count is a lower bound then.
    const QString countText = index.data(GalleryModel::GroupMayContinueRole).toBool()
                                  ? tr("%1+ images").arg(QLocale().toString(count))
                                  : tr("%n image(s)", nullptr, count);
    // The count always shows; a long title (a prompt) gives way.
    const QFontMetrics countMetrics(option.font);
    const QString separator = QStringLiteral("  ·  ");
    const int countWidth = countMetrics.horizontalAdvance(separator + countText);
    const QFontMetrics titleMetrics(titleFont);
    const QString title = titleMetrics.elidedText(index.data(GalleryModel::GroupTitleRole).toString(), Qt::ElideRight,
                                                  qMax(0, area.width() - countWidth));
    const int titleWidth = titleMetrics.horizontalAdvance(title);

    painter->setFont(titleFont);
    painter->setPen(HeaderText);
    painter->drawText(QRect(area.left(), area.top(), titleWidth, area.height()), Qt::AlignLeft | Qt::AlignBottom,
                      title);
    painter->setFont(option.font);
    painter->setPen(HeaderDim);
    painter->drawText(QRect(area.left() + titleWidth, area.top(), countWidth, area.height()),
                      Qt::AlignLeft | Qt::AlignBottom, separator + countText);
}

void GalleryDelegate::paintTile(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::SmoothPixmapTransform);

    const QRectF tile = QRectF(option.rect).adjusted(TileInset, TileInset, -TileInset, -TileInset);
    QPainterPath shape;
    shape.addRoundedRect(tile, TileRadius, TileRadius);
    painter->fillPath(shape, TileColor);

    const bool trashed = index.data(GalleryModel::TrashedRole).toBool();
    const QImage image = index.data(Qt::DecorationRole).value<QImage>();
    if (!image.isNull()) {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        // Thumbnails come at this edge; one made for another tile size stands in (scaled as its replacement will be)
        // until the replacement arrives. A source smaller than the tile stays at its size.
        const int edge = imageEdge(option.rect.width(), dpr);
        const int madeFor = index.data(GalleryModel::ThumbnailEdgeRole).toInt();
        QSize size = image.size();
        if (madeFor > 0 && madeFor != edge)
            size = (QSizeF(size) * edge / madeFor).toSize().expandedTo({1, 1});
        const QPixmap pixmap = cachedPixmap(image, size.boundedTo({edge, edge}), dpr);
        const QSizeF shown = pixmap.deviceIndependentSize();
        const QRectF where(tile.center() - QPointF(shown.width() / 2, shown.height() / 2), shown);
        painter->setClipPath(shape);
        if (trashed)
            painter->setOpacity(0.45); // in the trash: still recognisable, clearly not "live"
        painter->drawPixmap(where.topLeft(), pixmap);
        painter->setOpacity(1.0);
        painter->setClipping(false);
    }

    const auto state = static_cast<GalleryModel::ThumbnailState>(index.data(GalleryModel::ThumbnailStateRole).toInt());
    if (state == GalleryModel::ThumbnailState::Pending) {
        painter->setPen(QColor(0xb0, 0xb4, 0xbc));
        painter->drawText(tile, Qt::AlignCenter, tr("Loading…"));
    }
    paintBadges(painter, tile, index);
    if (trashed) {
        const QString label = tr("In trash");
        const QFontMetricsF metrics(option.font);
        const QRectF pill(tile.left() + BadgeMargin, tile.top() + BadgeMargin, metrics.horizontalAdvance(label) + 14,
                          metrics.height() + 4);
        drawPill(painter, pill);
        painter->setFont(option.font); // the badges may have changed it
        painter->setPen(QColor(0xe6, 0xe7, 0xea));
        painter->drawText(pill, Qt::AlignCenter, label);
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
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(shape);
    }
}

void GalleryDelegate::paintBadges(QPainter* painter, const QRectF& tile, const QModelIndex& index) const
{
    const bool favorite = index.data(GalleryModel::FavoriteRole).toBool();
    const int stars = index.data(GalleryModel::StarsRole).toInt();
    if (!favorite && stars <= 0)
        return;
    // Bottom left: ♥ then ★★★, on one pill.
    QString text;
    if (favorite)
        text += QChar(0x2665);
    if (favorite && stars > 0)
        text += QLatin1Char(' ');
    text += QString(qBound(0, stars, 5), QChar(0x2605));
    QFont font = painter->font();
    font.setPixelSize(qBound(10, m_tileSize / 14, 16));
    painter->setFont(font);
    const QFontMetricsF metrics(font);
    const QRectF pill(tile.left() + BadgeMargin, tile.bottom() - BadgeMargin - metrics.height() - 4,
                      metrics.horizontalAdvance(text) + 12, metrics.height() + 4);
    drawPill(painter, pill);
    qreal x = pill.left() + 6;
    if (favorite) {
        const QString heart(QChar(0x2665));
        painter->setPen(HeartColor);
        painter->drawText(QRectF(x, pill.top(), pill.width(), pill.height()), Qt::AlignLeft | Qt::AlignVCenter, heart);
        x += metrics.horizontalAdvance(heart + QLatin1Char(' '));
    }
    if (stars > 0) {
        painter->setPen(StarColor);
        painter->drawText(QRectF(x, pill.top(), pill.right() - x, pill.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          QString(qBound(0, stars, 5), QChar(0x2605)));
    }
}

} // namespace Pixapi
