#include "viewer/ImageCanvas.h"

#include "viewer/ImageDecoder.h"

#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>

namespace Pixapi {

namespace {
const QColor CanvasColor(0x1e, 0x1f, 0x23);
const QColor TextColor(0xb0, 0xb4, 0xbc);
constexpr qreal MinZoom = 0.02;
constexpr qreal MaxZoom = 32.0;
constexpr qreal WheelStepFactor = 1.25; // per notch (120 eighths of a degree)
constexpr qreal SmoothBelowZoom = 4.0;  // from here on pixels are shown as crisp squares, for pixel peeping
constexpr std::array<qreal, 17> ZoomSteps = {0.05, 0.1, 0.125, 0.25, 0.333, 0.5,  0.667, 1.0, 1.5,
                                             2.0,  3.0, 4.0,   6.0,  8.0,   12.0, 16.0,  32.0};
constexpr int TextMargin = 24;
} // namespace

ImageCanvas::ImageCanvas(QWidget* parent)
    : QAbstractScrollArea(parent)
{
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    QPalette palette = viewport()->palette();
    palette.setColor(QPalette::Window, CanvasColor);
    viewport()->setPalette(palette);
    viewport()->setAutoFillBackground(false);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    // Scroll bar clicks, drags and the arrow keys all end up as slider actions; the value is set after the action
    // signal, hence queued.
    for (QScrollBar* bar : {horizontalScrollBar(), verticalScrollBar()})
        connect(bar, &QAbstractSlider::actionTriggered, this, &ImageCanvas::viewChangedByUser, Qt::QueuedConnection);
}

void ImageCanvas::setPreview(const QImage& thumbnail, QSize fullSize)
{
    m_levels.clear();
    if (!thumbnail.isNull())
        m_levels << thumbnail;
    m_size = fullSize.isValid() && !fullSize.isEmpty() ? fullSize : thumbnail.size();
    m_full = false;
    m_detailAsked = false;
    m_error.clear();
    setAccessibleDescription({});
    fit(); // each image opens fitted
}

void ImageCanvas::setImage(const DecodedImage& image)
{
    if (image.isNull()) {
        setError(image.error);
        return;
    }
    const bool sizeChanged = m_size != image.image.size();
    m_levels = QList<QImage> {image.image} + image.halves;
    m_size = image.image.size();
    m_full = true;
    m_error.clear();
    setAccessibleDescription({});
    // The zoom the user chose while the preview was up stays; a size the index got wrong is corrected.
    if (m_fit || sizeChanged)
        applyZoom(m_fit ? fitZoom() : m_zoom, QPointF(viewport()->rect().center()), m_fit);
    viewport()->update();
}

void ImageCanvas::setError(const QString& message)
{
    m_levels.clear();
    m_size = {};
    m_full = false;
    m_error = message;
    setAccessibleDescription(message);
    updateScrollBars();
    updateCursor();
    viewport()->update();
}

qreal ImageCanvas::dpr() const
{
    return viewport()->devicePixelRatioF();
}

qreal ImageCanvas::scale() const
{
    return m_zoom / dpr();
}

qreal ImageCanvas::fitZoom() const
{
    if (m_size.isEmpty())
        return 1.0;
    const QSizeF view = QSizeF(viewport()->size()) * dpr();
    const qreal zoom = std::min(view.width() / m_size.width(), view.height() / m_size.height());
    return std::clamp(zoom, MinZoom, 1.0); // small images are not blown up
}

QPointF ImageCanvas::origin() const
{
    const QSizeF shown = QSizeF(m_size) * scale();
    const QSize view = viewport()->size();
    const qreal x =
        shown.width() <= view.width() ? (view.width() - shown.width()) / 2 : -qreal(horizontalScrollBar()->value());
    const qreal y =
        shown.height() <= view.height() ? (view.height() - shown.height()) / 2 : -qreal(verticalScrollBar()->value());
    return {x, y};
}

QPointF ImageCanvas::imagePointAt(QPointF viewportPos) const
{
    return (viewportPos - origin()) / scale();
}

bool ImageCanvas::canPanHorizontally() const
{
    return horizontalScrollBar()->maximum() > 0;
}

bool ImageCanvas::canPanVertically() const
{
    return verticalScrollBar()->maximum() > 0;
}

CanvasView ImageCanvas::view() const
{
    CanvasView view;
    view.fit = m_fit;
    if (m_fit || m_size.isEmpty())
        return view;
    view.relativeZoom = m_zoom / fitZoom();
    const QPointF center = imagePointAt(QPointF(viewport()->rect().center()));
    view.center = {center.x() / m_size.width(), center.y() / m_size.height()};
    return view;
}

void ImageCanvas::setView(const CanvasView& view)
{
    if (view.fit || m_size.isEmpty()) {
        fit();
        return;
    }
    applyZoom(view.relativeZoom * fitZoom(), QPointF(viewport()->rect().center()), false);
    // Then the wanted image point under the centre of the view.
    const QPointF center(view.center.x() * m_size.width(), view.center.y() * m_size.height());
    const QPointF wanted = center * scale() - QPointF(viewport()->rect().center());
    horizontalScrollBar()->setValue(qRound(wanted.x()));
    verticalScrollBar()->setValue(qRound(wanted.y()));
}

void ImageCanvas::fit()
{
    applyZoom(fitZoom(), QPointF(viewport()->rect().center()), true);
}

void ImageCanvas::setZoom(qreal factor)
{
    zoomAt(factor, QPointF(viewport()->rect().center()));
}

void ImageCanvas::zoomAt(qreal factor, QPointF viewportPos)
{
    applyZoom(factor, viewportPos, false);
}

void ImageCanvas::zoomIn()
{
    const auto next = std::find_if(ZoomSteps.cbegin(), ZoomSteps.cend(), [this](qreal z) { return z > m_zoom * 1.01; });
    setZoom(next == ZoomSteps.cend() ? MaxZoom : *next);
}

void ImageCanvas::zoomOut()
{
    const auto previous =
        std::find_if(ZoomSteps.crbegin(), ZoomSteps.crend(), [this](qreal z) { return z < m_zoom / 1.01; });
    setZoom(previous == ZoomSteps.crend() ? std::min(MinZoom, fitZoom()) : *previous);
}

void ImageCanvas::applyZoom(qreal factor, QPointF viewportPos, bool fitMode)
{
    const QPointF anchor = imagePointAt(viewportPos);
    m_fit = fitMode;
    m_zoom = std::clamp(factor, std::min(MinZoom, fitZoom()), MaxZoom);
    updateScrollBars();                                    // may show or hide a scroll bar and so resize the viewport
    const QPointF wanted = anchor * scale() - viewportPos; // the scroll that puts `anchor` back under viewportPos
    horizontalScrollBar()->setValue(qRound(wanted.x()));
    verticalScrollBar()->setValue(qRound(wanted.y()));
    updateCursor();
    viewport()->update();
    askForDetailIfNeeded();
    Q_EMIT zoomChanged(m_zoom, m_fit);
}

void ImageCanvas::askForDetailIfNeeded()
{
    if (m_full || m_detailAsked || m_levels.isEmpty())
        return;
    if (m_levels.first().width() + 1 < m_size.width() * m_zoom) {
        m_detailAsked = true;
        Q_EMIT moreDetailWanted();
    }
}

void ImageCanvas::updateScrollBars()
{
    const QSizeF shown = QSizeF(m_size) * scale();
    const QSize view = viewport()->size();
    horizontalScrollBar()->setRange(0, std::max(0, int(std::ceil(shown.width() - view.width()))));
    verticalScrollBar()->setRange(0, std::max(0, int(std::ceil(shown.height() - view.height()))));
    horizontalScrollBar()->setPageStep(view.width());
    verticalScrollBar()->setPageStep(view.height());
    horizontalScrollBar()->setSingleStep(std::max(1, view.width() / 20));
    verticalScrollBar()->setSingleStep(std::max(1, view.height() / 20));
}

void ImageCanvas::updateCursor()
{
    if (m_dragging)
        viewport()->setCursor(Qt::ClosedHandCursor);
    else if (canPanHorizontally() || canPanVertically())
        viewport()->setCursor(Qt::OpenHandCursor);
    else
        viewport()->unsetCursor();
}

bool ImageCanvas::event(QEvent* event)
{
    // Arrow keys pan while the image overflows that way; otherwise they stay free for previous / next.
    if (event->type() == QEvent::ShortcutOverride) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const bool horizontal = key->key() == Qt::Key_Left || key->key() == Qt::Key_Right;
        const bool vertical = key->key() == Qt::Key_Up || key->key() == Qt::Key_Down;
        if (key->modifiers() == Qt::NoModifier
            && ((horizontal && canPanHorizontally()) || (vertical && canPanVertically()))) {
            event->accept();
            return true;
        }
    }
    return QAbstractScrollArea::event(event);
}

void ImageCanvas::paintEvent(QPaintEvent* event)
{
    QPainter painter(viewport());
    painter.fillRect(event->rect(), CanvasColor);
    const QRect area = viewport()->rect().adjusted(TextMargin, TextMargin, -TextMargin, -TextMargin);
    if (!m_error.isEmpty()) {
        painter.setPen(TextColor);
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_error);
        return;
    }
    if (m_levels.isEmpty()) {
        if (!m_size.isEmpty()) {
            painter.setPen(TextColor);
            painter.drawText(area, Qt::AlignCenter, tr("Loading…"));
        }
        return;
    }
    const qreal s = scale();
    const QPointF topLeft = origin();
    const QRectF target(topLeft, QSizeF(m_size) * s);
    const QRectF visible = target & QRectF(event->rect());
    if (visible.isEmpty())
        return;
    // The smallest level that still has a pixel for every device pixel shown.
    const QImage* level = &m_levels.first();
    for (const QImage& candidate : std::as_const(m_levels)) {
        if (candidate.width() + 1 < m_size.width() * m_zoom)
            break;
        level = &candidate;
    }
    const qreal rx = qreal(level->width()) / m_size.width();
    const qreal ry = qreal(level->height()) / m_size.height();
    const QPointF from = (visible.topLeft() - topLeft) / s;
    const QRectF source(from.x() * rx, from.y() * ry, visible.width() / s * rx, visible.height() / s * ry);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < SmoothBelowZoom);
    painter.drawImage(visible, *level, source);
}

void ImageCanvas::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    if (m_fit)
        fit();
    else
        updateScrollBars();
    updateCursor();
}

void ImageCanvas::wheelEvent(QWheelEvent* event)
{
    if (m_size.isEmpty() || event->angleDelta().y() == 0) {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    zoomAt(m_zoom * std::pow(WheelStepFactor, event->angleDelta().y() / 120.0), event->position());
    event->accept();
    Q_EMIT viewChangedByUser();
}

void ImageCanvas::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !(canPanHorizontally() || canPanVertically())) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    m_dragging = true;
    m_dragStart = event->position().toPoint();
    m_scrollAtDragStart = {horizontalScrollBar()->value(), verticalScrollBar()->value()};
    updateCursor();
}

void ImageCanvas::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_dragging) {
        QAbstractScrollArea::mouseMoveEvent(event);
        return;
    }
    const QPoint moved = event->position().toPoint() - m_dragStart;
    horizontalScrollBar()->setValue(m_scrollAtDragStart.x() - moved.x());
    verticalScrollBar()->setValue(m_scrollAtDragStart.y() - moved.y());
    Q_EMIT viewChangedByUser();
}

void ImageCanvas::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        updateCursor();
        return;
    }
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void ImageCanvas::scrollContentsBy(int, int)
{
    viewport()->update();
}

} // namespace Pixapi
