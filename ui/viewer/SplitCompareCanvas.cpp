#include "viewer/SplitCompareCanvas.h"

#include <QKeyEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace Pixapi {

namespace {
const QColor CanvasColor(0x1e, 0x1f, 0x23);
const QColor TextColor(0xb0, 0xb4, 0xbc);
constexpr qreal MinZoom = 1.0; // fitted is the smallest: there is nothing to see around the image
constexpr qreal MaxZoom = 64.0;
constexpr qreal WheelStepFactor = 1.25;
constexpr qreal KeySplitStep = 0.05;
constexpr int DividerGrab = 8; // px either side of the divider that move it instead of panning
constexpr int LabelMargin = 8;
} // namespace

SplitCompareCanvas::SplitCompareCanvas(QWidget* parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true); // the cursor shows when the divider can be grabbed
    setMinimumSize(200, 150);
}

void SplitCompareCanvas::setImages(const DecodedImage& a, const QString& labelA, const DecodedImage& b,
                                   const QString& labelB)
{
    m_a = a;
    m_b = b;
    m_labelA = labelA;
    m_labelB = labelB;
    fit();
}

void SplitCompareCanvas::setImageA(const DecodedImage& a)
{
    m_a = a;
    update();
}

void SplitCompareCanvas::setImageB(const DecodedImage& b)
{
    m_b = b;
    update();
}

void SplitCompareCanvas::setLabels(const QString& labelA, const QString& labelB)
{
    m_labelA = labelA;
    m_labelB = labelB;
    update();
}

void SplitCompareCanvas::setSplit(qreal split)
{
    split = std::clamp(split, 0.0, 1.0);
    if (qFuzzyCompare(split, m_split))
        return;
    m_split = split;
    update();
    Q_EMIT splitChanged(m_split);
}

void SplitCompareCanvas::setZoom(qreal zoom)
{
    zoomAround(zoom, QRectF(rect()).center());
}

void SplitCompareCanvas::fit()
{
    m_zoom = 1.0;
    m_center = {0.5, 0.5};
    update();
}

int SplitCompareCanvas::dividerX() const
{
    return qRound(width() * m_split);
}

QRectF SplitCompareCanvas::frame() const
{
    // A's aspect (or B's while A is not there), fitted to the canvas, times the zoom, the centre point in the middle.
    const QSize source = !m_a.isNull() ? m_a.image.size() : m_b.image.size();
    if (source.isEmpty())
        return {};
    const QSizeF fitted = QSizeF(source).scaled(QSizeF(size()), Qt::KeepAspectRatio) * m_zoom;
    const QPointF middle = QRectF(rect()).center();
    return {middle.x() - m_center.x() * fitted.width(), middle.y() - m_center.y() * fitted.height(), fitted.width(),
            fitted.height()};
}

void SplitCompareCanvas::zoomAround(qreal zoom, QPointF widgetPos)
{
    const QRectF before = frame();
    zoom = std::clamp(zoom, MinZoom, MaxZoom);
    if (before.isEmpty()) {
        m_zoom = zoom;
        update();
        return;
    }
    // The point under widgetPos stays there.
    const QPointF anchor((widgetPos.x() - before.left()) / before.width(),
                         (widgetPos.y() - before.top()) / before.height());
    const QSizeF after = before.size() * (zoom / m_zoom);
    const QPointF middle = QRectF(rect()).center();
    m_zoom = zoom;
    m_center = {anchor.x() + (middle.x() - widgetPos.x()) / after.width(),
                anchor.y() + (middle.y() - widgetPos.y()) / after.height()};
    if (qFuzzyCompare(m_zoom, MinZoom))
        m_center = {0.5, 0.5}; // fitted means centred
    update();
}

void SplitCompareCanvas::drawImage(QPainter& painter, const DecodedImage& image, const QRectF& target,
                                   const QRectF& clip) const
{
    if (image.isNull()) {
        painter.setPen(TextColor);
        painter.drawText(clip, Qt::AlignCenter | Qt::TextWordWrap,
                         image.error.isEmpty() ? tr("Loading…") : image.error);
        return;
    }
    // B goes into A's frame keeping its own aspect.
    const QSizeF shown = QSizeF(image.image.size()).scaled(target.size(), Qt::KeepAspectRatio);
    const QRectF place(target.center() - QPointF(shown.width() / 2, shown.height() / 2), shown);
    const QRectF visible = place & clip;
    if (visible.isEmpty())
        return;
    // The smallest mip level with a pixel for every device pixel.
    const qreal needed = shown.width() * devicePixelRatioF();
    const QImage* level = &image.image;
    for (const QImage& half : image.halves) {
        if (half.width() + 1 < needed)
            break;
        level = &half;
    }
    const qreal sx = level->width() / place.width();
    const qreal sy = level->height() / place.height();
    const QRectF source((visible.left() - place.left()) * sx, (visible.top() - place.top()) * sy, visible.width() * sx,
                        visible.height() * sy);
    painter.drawImage(visible, *level, source);
}

void SplitCompareCanvas::drawLabel(QPainter& painter, const QString& text, bool left) const
{
    if (text.isEmpty())
        return;
    const QFontMetrics metrics(font());
    const QSize box(metrics.horizontalAdvance(text) + 2 * LabelMargin, metrics.height() + LabelMargin);
    const QRect where = left ? QRect(QPoint(LabelMargin, LabelMargin), box)
                             : QRect(QPoint(width() - LabelMargin - box.width(), LabelMargin), box);
    painter.fillRect(where, QColor(0, 0, 0, 160));
    painter.setPen(Qt::white);
    painter.drawText(where, Qt::AlignCenter, text);
}

void SplitCompareCanvas::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), CanvasColor);
    const QRectF target = frame();
    // From 4 screen pixels per image pixel on, pixels show as crisp squares (as in the viewer).
    const int imageWidth = !m_a.isNull() ? m_a.image.width() : m_b.image.width();
    painter.setRenderHint(QPainter::SmoothPixmapTransform,
                          imageWidth <= 0 || target.width() * devicePixelRatioF() / imageWidth < 4);
    const int x = dividerX();
    const QRectF leftSide(0, 0, x, height());
    const QRectF rightSide(x, 0, width() - x, height());
    if (!target.isEmpty()) {
        drawImage(painter, m_a, target, leftSide);
        drawImage(painter, m_b, target, rightSide);
    } else {
        painter.setPen(TextColor);
        painter.drawText(rect(), Qt::AlignCenter, tr("Loading…"));
    }
    // The divider with a round handle in the middle.
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::white, 2));
    painter.drawLine(QPointF(x, 0), QPointF(x, height()));
    painter.setBrush(QColor(0x2a, 0x2c, 0x31));
    painter.drawEllipse(QPointF(x, height() / 2.0), 12, 12);
    painter.setPen(QPen(Qt::white, 1.5));
    const qreal y = height() / 2.0;
    painter.drawLine(QPointF(x - 6, y), QPointF(x - 2, y - 4));
    painter.drawLine(QPointF(x - 6, y), QPointF(x - 2, y + 4));
    painter.drawLine(QPointF(x + 6, y), QPointF(x + 2, y - 4));
    painter.drawLine(QPointF(x + 6, y), QPointF(x + 2, y + 4));
    drawLabel(painter, m_labelA, true);
    drawLabel(painter, m_labelB, false);
}

void SplitCompareCanvas::wheelEvent(QWheelEvent* event)
{
    if (event->angleDelta().y() == 0) {
        QWidget::wheelEvent(event);
        return;
    }
    zoomAround(m_zoom * std::pow(WheelStepFactor, event->angleDelta().y() / 120.0), event->position());
    event->accept();
}

void SplitCompareCanvas::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const bool onDivider = std::abs(event->position().x() - dividerX()) <= DividerGrab;
    m_drag = onDivider || m_zoom <= MinZoom ? Drag::Divider : Drag::Pan; // fitted, there is nothing to pan
    m_dragStart = event->position();
    m_centerAtDragStart = m_center;
    if (m_drag == Drag::Divider)
        setSplit(event->position().x() / width());
    setCursor(m_drag == Drag::Divider ? Qt::SplitHCursor : Qt::ClosedHandCursor);
}

void SplitCompareCanvas::mouseMoveEvent(QMouseEvent* event)
{
    switch (m_drag) {
    case Drag::Divider:
        setSplit(event->position().x() / width());
        return;
    case Drag::Pan: {
        const QRectF shown = frame();
        const QPointF moved = event->position() - m_dragStart;
        m_center = {m_centerAtDragStart.x() - moved.x() / shown.width(),
                    m_centerAtDragStart.y() - moved.y() / shown.height()};
        update();
        return;
    }
    case Drag::None:
        setCursor(std::abs(event->position().x() - dividerX()) <= DividerGrab || m_zoom <= MinZoom
                      ? Qt::SplitHCursor
                      : Qt::OpenHandCursor);
        return;
    }
}

void SplitCompareCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && m_drag != Drag::None) {
        m_drag = Drag::None;
        setCursor(m_zoom <= MinZoom ? Qt::SplitHCursor : Qt::OpenHandCursor);
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void SplitCompareCanvas::keyPressEvent(QKeyEvent* event)
{
    switch (event->key()) {
    case Qt::Key_Left:
        setSplit(m_split - KeySplitStep);
        break;
    case Qt::Key_Right:
        setSplit(m_split + KeySplitStep);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        setZoom(m_zoom * WheelStepFactor);
        break;
    case Qt::Key_Minus:
        setZoom(m_zoom / WheelStepFactor);
        break;
    case Qt::Key_0:
        fit();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace Pixapi
