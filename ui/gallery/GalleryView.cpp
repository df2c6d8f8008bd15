#include "gallery/GalleryView.h"

#include "gallery/GalleryDelegate.h"

#include <QPainter>
#include <QScrollBar>

namespace Pixapi {

namespace {
constexpr int TileSpacing = 14;
}

GalleryView::GalleryView(QWidget* parent)
    : QListView(parent)
    , m_delegate(new GalleryDelegate(this))
{
    setItemDelegate(m_delegate);
    setViewMode(QListView::IconMode);
    setMovement(QListView::Static);
    setResizeMode(QListView::Adjust);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setUniformItemSizes(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setMouseTracking(true); // hover highlight
    setFrameShape(QFrame::NoFrame);
    // A dark, neutral canvas whatever the desktop theme: images are judged against it, as in other image tools.
    QPalette canvas = palette();
    canvas.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x23));
    canvas.setColor(QPalette::Text, QColor(0xe6, 0xe7, 0xea));
    canvas.setColor(QPalette::Window, QColor(0x1e, 0x1f, 0x23)); // scroll bar groove
    canvas.setColor(QPalette::Button, QColor(0x3a, 0x3d, 0x44)); // scroll bar handle
    setPalette(canvas);
    // Tiles are centred in their grid cells horizontally but sit at the top: add the same gap above the first row.
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setViewportMargins(0, TileSpacing / 2, 0, 0);
    layoutTiles();
}

void GalleryView::setTileSize(int pixels)
{
    m_preferredTile = pixels;
    layoutTiles();
}

int GalleryView::tileSize() const
{
    return m_delegate->tileSize();
}

void GalleryView::resizeEvent(QResizeEvent* event)
{
    QListView::resizeEvent(event);
    layoutTiles();
}

void GalleryView::layoutTiles()
{
    // As many columns as fit at about the preferred size, then stretch the tiles so the grid is flush on both sides.
    const int available = viewport()->width() - TileSpacing;
    const int columns = qMax(1, qRound(double(available) / (m_preferredTile + TileSpacing)));
    const int tile = qMax(64, available / columns - TileSpacing);
    if (tile == m_delegate->tileSize() && gridSize().width() == tile + TileSpacing)
        return;
    m_delegate->setTileSize(tile);
    setIconSize({tile, tile});
    setGridSize({tile + TileSpacing, tile + TileSpacing});
    verticalScrollBar()->setSingleStep(tile / 4);
}

void GalleryView::setEmptyText(const QString& text)
{
    m_emptyText = text;
    viewport()->update();
}

void GalleryView::paintEvent(QPaintEvent* event)
{
    QListView::paintEvent(event);
    if ((model() && model()->rowCount() > 0) || m_emptyText.isEmpty())
        return;
    QPainter painter(viewport());
    QColor text = palette().color(QPalette::Text);
    text.setAlphaF(0.55f);
    painter.setPen(text);
    QFont font = painter.font();
    font.setPointSizeF(font.pointSizeF() * 1.15);
    painter.setFont(font);
    const QRect area = viewport()->rect().adjusted(40, 40, -40, -40);
    painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
}

} // namespace Pixapi
