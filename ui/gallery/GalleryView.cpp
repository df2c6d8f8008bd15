#include "gallery/GalleryView.h"

#include "gallery/GalleryDelegate.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <utility>

namespace Pixapi {

namespace {
// QListView puts this around every item: tiles are 2 × Spacing apart, Spacing from the edges.
constexpr int Spacing = 7;
constexpr int LayoutBatchSize = 500;
} // namespace

GalleryView::GalleryView(QWidget* parent)
    : QListView(parent)
    , m_delegate(new GalleryDelegate(this))
{
    setItemDelegate(m_delegate);
    setViewMode(QListView::ListMode); // segments + binary search: fast hit tests and painting for many rows
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setMovement(QListView::Static);
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(false);
    setLayoutMode(QListView::Batched);
    setBatchSize(LayoutBatchSize);
    setSpacing(Spacing);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionRectVisible(true);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    // The layout's width must not depend on whether the scroll bar shows, or headers would not fit their line.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setDefaultDropAction(Qt::CopyAction);
    setMouseTracking(true); // hover highlight
    setFrameShape(QFrame::NoFrame);
    // A dark, neutral canvas whatever the desktop theme: images are judged against it, as in other image tools.
    QPalette canvas = palette();
    canvas.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x23));
    canvas.setColor(QPalette::Text, QColor(0xe6, 0xe7, 0xea));
    canvas.setColor(QPalette::Window, QColor(0x1e, 0x1f, 0x23)); // scroll bar groove
    canvas.setColor(QPalette::Button, QColor(0x3a, 0x3d, 0x44)); // scroll bar handle
    setPalette(canvas);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &GalleryView::checkNearEnd);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &GalleryView::checkNearEnd);
    layoutTiles();
}

void GalleryView::setTileSize(int pixels)
{
    m_preferredTile = qBound(MinimumTileSize, pixels, MaximumTileSize);
    layoutTiles();
}

int GalleryView::tileSize() const
{
    return m_delegate->tileSize();
}

int GalleryView::tilesPerScreen() const
{
    const int pitch = m_delegate->tileSize() + 2 * Spacing;
    const int columns = qMax(1, (viewport()->width() - 1) / pitch);
    const int rows = viewport()->height() / pitch + 1;
    return columns * rows;
}

void GalleryView::resizeEvent(QResizeEvent* event)
{
    layoutTiles();
    QListView::resizeEvent(event);
}

void GalleryView::layoutTiles()
{
    // As many columns as fit at about the preferred size, then stretch the tiles so the grid is flush on both sides.
    // An item takes its width plus 2 × Spacing, and a line must stay narrower than the viewport.
    const int available = viewport()->width() - 1;
    const int columns = qMax(1, qRound(double(available) / (m_preferredTile + 2 * Spacing)));
    const int tile = qMax(48, available / columns - 2 * Spacing);
    const int header = qMax(1, available - 2 * Spacing);
    const bool tileChanged = tile != m_delegate->tileSize();
    if (!tileChanged && header == m_delegate->headerWidth())
        return;
    m_delegate->setTileSize(tile);
    m_delegate->setHeaderWidth(header);
    setIconSize({tile, tile});
    verticalScrollBar()->setSingleStep(qMax(1, tile / 4));
    scheduleDelayedItemsLayout();
    if (tileChanged)
        Q_EMIT tileSizeChanged(tile);
}

void GalleryView::dataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles)
{
    // Item sizes depend on whether a row is a header, which a data change never alters (rows are inserted or
    // removed for that). QListView would lay out every row again on each thumbnail that arrives: only repaint.
    QAbstractItemView::dataChanged(topLeft, bottomRight, roles);
}

// QListView lays every row out again when rows come or go, in batches; the scroll range shrinks meanwhile and
// would leave the view higher up than it was (a page appended at the end would jump the view back): remember where
// it was until the layout is complete.
void GalleryView::rowsInserted(const QModelIndex& parent, int start, int end)
{
    if (m_keptScroll < 0)
        m_keptScroll = verticalScrollBar()->value();
    QListView::rowsInserted(parent, start, end);
}

void GalleryView::rowsAboutToBeRemoved(const QModelIndex& parent, int start, int end)
{
    if (m_keptScroll < 0)
        m_keptScroll = verticalScrollBar()->value();
    QListView::rowsAboutToBeRemoved(parent, start, end);
}

void GalleryView::reset()
{
    m_keptScroll = -1; // new content starts at the top
    QListView::reset();
}

void GalleryView::updateGeometries()
{
    QListView::updateGeometries();
    if (!isLaidOut())
        return;
    if (m_keptScroll >= 0)
        verticalScrollBar()->setValue(std::exchange(m_keptScroll, -1));
    checkNearEnd();
}

bool GalleryView::isLaidOut() const
{
    // The last row has no place until the batched layout has reached it.
    const int rows = model() ? model()->rowCount(rootIndex()) : 0;
    return rows > 0 && visualRect(model()->index(rows - 1, 0, rootIndex())).isValid();
}

void GalleryView::checkNearEnd()
{
    if (!isLaidOut())
        return;
    const QRect last = visualRect(model()->index(model()->rowCount(rootIndex()) - 1, 0, rootIndex()));
    if (last.top() <= 2 * viewport()->height())
        Q_EMIT nearEnd();
}

void GalleryView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        if (const int delta = event->angleDelta().y(); delta != 0)
            Q_EMIT zoomRequested(delta > 0 ? 1 : -1);
        event->accept();
        return;
    }
    QListView::wheelEvent(event);
}

void GalleryView::keyPressEvent(QKeyEvent* event)
{
    if (event->matches(QKeySequence::ZoomIn)
        || (event->modifiers() & Qt::ControlModifier
            && (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal))) {
        Q_EMIT zoomRequested(1);
        return;
    }
    if (event->matches(QKeySequence::ZoomOut)
        || (event->modifiers() & Qt::ControlModifier && event->key() == Qt::Key_Minus)) {
        Q_EMIT zoomRequested(-1);
        return;
    }
    QListView::keyPressEvent(event);
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
