#pragma once

#include <QAbstractScrollArea>
#include <QImage>
#include <QList>
#include <QPoint>
#include <QString>

namespace Pixapi {

struct DecodedImage;

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

Q_SIGNALS:
    void zoomChanged(qreal factor, bool fitMode);

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

    QList<QImage> m_levels; // full size (or the preview) first, then halves
    QSize m_size;           // of the real image, in pixels
    bool m_full = false;
    QString m_error;
    qreal m_zoom = 1.0;
    bool m_fit = true;
    bool m_dragging = false;
    QPoint m_dragStart;
    QPoint m_scrollAtDragStart;
};

} // namespace Pixapi
