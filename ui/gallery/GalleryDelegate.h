#pragma once

#include <QStyledItemDelegate>

namespace Pixapi {

// Paints one result tile: the model's QImage thumbnail fitted into a rounded square, with hover and selection
// states. The QImage → QPixmap conversion happens once per thumbnail (QPixmapCache), never per paint.
class GalleryDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit GalleryDelegate(QObject* parent = nullptr);

    void setTileSize(int pixels);
    int tileSize() const { return m_tileSize; }

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    int m_tileSize = 220;
};

} // namespace Pixapi
