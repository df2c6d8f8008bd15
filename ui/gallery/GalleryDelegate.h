#pragma once

#include <QStyledItemDelegate>

namespace Pixapi {

// Paints the grid: image tiles (the model's QImage thumbnail fitted into a rounded square, with hover and selection
// states, favorite and stars badges, a dimmed look for trashed images) and group header rows ("Today · 12 images")
// that span the width. sizeHint never asks for the thumbnail (DecorationRole starts a decode): only painting does.
// The QImage → QPixmap conversion happens once per thumbnail (QPixmapCache), never per paint; thumbnails come at
// imageEdge() and are scaled only while one made for another tile size stands in.
class GalleryDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit GalleryDelegate(QObject* parent = nullptr);

    void setTileSize(int pixels);
    int tileSize() const { return m_tileSize; }
    // The width of a header row: the view's, less its spacing, so a header fills a line of its own.
    void setHeaderWidth(int pixels);
    int headerWidth() const { return m_headerWidth; }
    static int headerHeight();
    // The box a tile's image fits in, in device pixels: thumbnails of this edge are painted without scaling.
    static int imageEdge(int tileSize, qreal devicePixelRatio);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    void paintHeader(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const;
    void paintTile(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const;
    void paintBadges(QPainter* painter, const QRectF& tile, const QModelIndex& index) const;

    int m_tileSize = 220;
    int m_headerWidth = 600;
};

} // namespace Pixapi
