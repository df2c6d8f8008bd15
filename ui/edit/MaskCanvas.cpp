#include "edit/MaskCanvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

namespace Pixapi {

namespace {
const QColor MaskTint(230, 40, 90, 130); // translucent: the image shows through where it may change
constexpr int Margin = 8;
} // namespace

MaskCanvas::MaskCanvas(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true); // the brush outline follows the mouse
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::CrossCursor);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void MaskCanvas::setImage(const QImage& preview, QSize imageSize)
{
    m_preview = preview;
    m_imageSize = imageSize;
    if (m_mask.size() != imageSize)
        m_mask = EditMask(imageSize);
    rebuildView();
}

void MaskCanvas::setMask(const EditMask& mask)
{
    m_mask = !mask.isNull() && mask.size() == m_imageSize ? mask : EditMask(m_imageSize);
    refreshOverlay();
    Q_EMIT maskChanged();
}

void MaskCanvas::setTool(EditMask::Tool tool)
{
    m_tool = tool;
}

void MaskCanvas::setBrushSize(int screenPixels)
{
    screenPixels = std::clamp(screenPixels, MinBrush, MaxBrush);
    if (screenPixels == m_brush)
        return;
    m_brush = screenPixels;
    update();
    Q_EMIT brushSizeChanged(m_brush);
}

void MaskCanvas::stepBrushSize(int steps)
{
    setBrushSize(m_brush + steps * std::max(2, m_brush / 8));
}

void MaskCanvas::invert()
{
    m_mask.invert();
    refreshOverlay();
    Q_EMIT maskChanged();
}

void MaskCanvas::clear()
{
    m_mask.clear();
    refreshOverlay();
    Q_EMIT maskChanged();
}

bool MaskCanvas::undo()
{
    if (!m_mask.undo())
        return false;
    refreshOverlay();
    Q_EMIT maskChanged();
    return true;
}

QRectF MaskCanvas::imageRect() const
{
    if (!m_imageSize.isValid())
        return {};
    const QSizeF room = QSizeF(size()) - QSizeF(2 * Margin, 2 * Margin);
    const QSizeF shown = QSizeF(m_imageSize).scaled(room.expandedTo(QSizeF(1, 1)), Qt::KeepAspectRatio);
    return {QPointF((width() - shown.width()) / 2, (height() - shown.height()) / 2), shown};
}

QPointF MaskCanvas::toImage(QPointF widgetPos) const
{
    const QRectF rect = imageRect();
    if (rect.isEmpty())
        return {};
    const qreal scale = m_imageSize.width() / rect.width();
    return (widgetPos - rect.topLeft()) * scale;
}

qreal MaskCanvas::imageRadius() const
{
    const QRectF rect = imageRect();
    return rect.isEmpty() ? 0 : m_brush / 2.0 * m_imageSize.width() / rect.width();
}

void MaskCanvas::rebuildView()
{
    const QRectF rect = imageRect();
    const qreal dpr = devicePixelRatioF();
    if (rect.isEmpty() || m_preview.isNull()) {
        m_view = {};
        m_overlay = {};
        update();
        return;
    }
    // Scaled once per size, from the preview (at most screen-sized), not from the full image on every paint.
    const QSize device = (rect.size() * dpr).toSize();
    m_view = QPixmap::fromImage(m_preview.scaled(device, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    m_view.setDevicePixelRatio(dpr);
    refreshOverlay();
}

void MaskCanvas::refreshOverlay(QRectF imageRegion)
{
    if (m_view.isNull() || m_mask.isNull()) {
        update();
        return;
    }
    const QSize device = m_view.size();
    if (m_overlay.size() != device) {
        m_overlay = QImage(device, QImage::Format_ARGB32_Premultiplied);
        imageRegion = {};
    }
    const qreal scale = qreal(device.width()) / m_imageSize.width();
    const QRect target = imageRegion.isEmpty() ? m_overlay.rect()
                                               : QRectF(imageRegion.topLeft() * scale, imageRegion.size() * scale)
                                                     .toAlignedRect()
                                                     .adjusted(-1, -1, 1, 1)
                                                     .intersected(m_overlay.rect());
    // The mask's 0/255 bytes read as alpha: drawn scaled into the overlay, then coloured in one fill.
    const QImage& mask = m_mask.image();
    const QImage alpha(mask.constBits(), mask.width(), mask.height(), mask.bytesPerLine(), QImage::Format_Alpha8);
    QPainter painter(&m_overlay);
    painter.setClipRect(target);
    painter.setCompositionMode(QPainter::CompositionMode_Source);
    painter.fillRect(target, Qt::transparent);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(QRectF(m_overlay.rect()), alpha);
    painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
    painter.fillRect(target, MaskTint);
    painter.end();
    const QRectF rect = imageRect();
    const qreal dpr = devicePixelRatioF();
    update(QRectF(rect.topLeft() + QPointF(target.topLeft()) / dpr, QSizeF(target.size()) / dpr)
               .toAlignedRect()
               .adjusted(-2, -2, 2, 2));
}

void MaskCanvas::paintEvent(QPaintEvent* event)
{
    QPainter painter(this);
    painter.fillRect(event->rect(), palette().color(QPalette::Window).darker(115));
    const QRectF rect = imageRect();
    if (m_view.isNull()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(this->rect(), Qt::AlignCenter, m_imageSize.isValid() ? QString() : tr("Loading the image…"));
        return;
    }
    painter.drawPixmap(rect.topLeft(), m_view);
    painter.drawImage(rect, m_overlay);
    if (!m_cursor.isNull()) {
        // Dark and light rings: the outline stays visible on any picture.
        const qreal radius = m_brush / 2.0;
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(0, 0, 0, 160), 3));
        painter.drawEllipse(m_cursor, radius, radius);
        painter.setPen(QPen(m_tool == EditMask::Tool::Brush ? Qt::white : QColor(255, 220, 120), 1));
        painter.drawEllipse(m_cursor, radius, radius);
    }
}

void MaskCanvas::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    rebuildView();
}

void MaskCanvas::mousePressEvent(QMouseEvent* event)
{
    if (!hasImage() || (event->button() != Qt::LeftButton && event->button() != Qt::RightButton))
        return QWidget::mousePressEvent(event);
    const bool other = event->button() == Qt::RightButton || event->modifiers().testFlag(Qt::ShiftModifier);
    m_strokeTool = other ? (m_tool == EditMask::Tool::Brush ? EditMask::Tool::Eraser : EditMask::Tool::Brush) : m_tool;
    m_painting = true;
    m_mask.beginStroke();
    m_lastImagePos = toImage(event->position());
    paintTo(m_lastImagePos);
}

void MaskCanvas::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF old = m_cursor;
    m_cursor = event->position();
    const qreal reach = m_brush / 2.0 + 4;
    update(QRectF(old - QPointF(reach, reach), QSizeF(2 * reach, 2 * reach)).toAlignedRect());
    update(QRectF(m_cursor - QPointF(reach, reach), QSizeF(2 * reach, 2 * reach)).toAlignedRect());
    if (m_painting)
        paintTo(toImage(event->position()));
}

void MaskCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (!m_painting)
        return QWidget::mouseReleaseEvent(event);
    m_painting = false;
    m_mask.endStroke();
    Q_EMIT maskChanged();
}

void MaskCanvas::paintTo(QPointF imagePos)
{
    const qreal radius = imageRadius();
    const QPointF from = m_lastImagePos;
    if (from == imagePos)
        m_mask.paintDot(imagePos, radius, m_strokeTool);
    else
        m_mask.paintStroke(from, imagePos, radius, m_strokeTool);
    m_lastImagePos = imagePos;
    const QRectF touched = QRectF(from, imagePos).normalized().adjusted(-radius, -radius, radius, radius);
    refreshOverlay(touched);
}

void MaskCanvas::wheelEvent(QWheelEvent* event)
{
    if (!event->modifiers().testFlag(Qt::ControlModifier))
        return QWidget::wheelEvent(event);
    stepBrushSize(event->angleDelta().y() / 120);
    event->accept();
}

void MaskCanvas::leaveEvent(QEvent* event)
{
    m_cursor = {};
    update();
    QWidget::leaveEvent(event);
}

} // namespace Pixapi
