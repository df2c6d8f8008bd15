#pragma once

#include <QAbstractScrollArea>
#include <QImage>
#include <QList>
#include <QPoint>
#include <QPointF>
#include <QString>

namespace Pixapi {

struct DecodedImage;

// What part of an image a canvas shows, independent of the image's resolution: the zoom relative to fitting the
// view and the centre as a fraction of the image. Another canvas given the same view shows the same part of its
// own image at the same size on screen (a comparison board links its cells this way).
struct CanvasView
{
    bool fit = true;
    qreal relativeZoom = 1.0;    // zoom / fit zoom; unused when fit
    QPointF center = {0.5, 0.5}; // of the image, 0..1; unused when fit
};

// Shows one image on a dark canvas with fit / 100 % / free zoom and panning. Zoom is in device pixels: 1.0 shows
// one image pixel per screen pixel (HiDPI aware). Only the visible part is painted, from the mip level closest to
// the zoom, so a 4k image is never rescaled as a whole while painting.
class ImageCanvas : public QAbstractScrollArea
{
    Q_OBJECT

public:
    explicit ImageCanvas(QWidget* parent = nullptr);

    // A stand-in (the grid's thumbnail) drawn at the size of the real image until setImage() brings the pixels.
    void setPreview(const QImage& thumbnail, QSize fullSize);
    void setImage(const DecodedImage& image);
    // Replaces the image by a message (an unreadable or missing file).
    void setError(const QString& message);

    bool hasFullImage() const { return m_full; }
    bool hasPreview() const { return !m_full && !m_levels.isEmpty(); }
    QString errorText() const { return m_error; }
    QSize imageSize() const { return m_size; }

    qreal zoomFactor() const { return m_zoom; }
    bool isFitMode() const { return m_fit; }
    void fit();
    void setZoom(qreal factor); // around the centre of the view
    void zoomAt(qreal factor, QPointF viewportPos);
    void zoomIn();
    void zoomOut();
    // The image pixel under a point of the viewport (may lie outside the image).
    QPointF imagePointAt(QPointF viewportPos) const;
    // True when the image is larger than the view in that direction, so arrow keys pan instead of navigating.
    bool canPanHorizontally() const;
    bool canPanVertically() const;

    CanvasView view() const;
    void setView(const CanvasView& view);

Q_SIGNALS:
    void zoomChanged(qreal factor, bool fitMode);
    // The user zoomed or panned (wheel, drag, scroll bars, keys); not emitted for changes made in code.
    void viewChangedByUser();
    // Only a preview is shown and the zoom asks for more pixels than it has: time to decode the full image.
    void moreDetailWanted();

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    qreal dpr() const;
    qreal scale() const; // logical pixels per image pixel
    qreal fitZoom() const;
    QPointF origin() const; // where the image's top-left corner is, in viewport coordinates
    void applyZoom(qreal factor, QPointF viewportPos, bool fitMode);
    void updateScrollBars();
    void updateCursor();
    void askForDetailIfNeeded();

    QList<QImage> m_levels; // full size (or the preview) first, then halves
    QSize m_size;           // of the real image, in pixels
    bool m_full = false;
    QString m_error;
    qreal m_zoom = 1.0;
    bool m_fit = true;
    bool m_detailAsked = false;
    bool m_dragging = false;
    QPoint m_dragStart;
    QPoint m_scrollAtDragStart;
};

} // namespace Pixapi
