#pragma once

#include "viewer/ImageDecoder.h"

#include <QPointF>
#include <QString>
#include <QWidget>

namespace Pixapi {

// Two images on one canvas, A left of a movable divider and B right of it, both drawn into the same place at the
// same zoom, so the divider wipes from one to the other over the same detail. B is fitted into A's frame when their
// sizes differ (another resolution of the same picture lines up). Drag the divider (or Left / Right) to wipe, drag
// elsewhere to pan, wheel or + / - to zoom, 0 to fit.
class SplitCompareCanvas : public QWidget
{
    Q_OBJECT

public:
    explicit SplitCompareCanvas(QWidget* parent = nullptr);

    // A null image shows "Loading…" on its side until it is set.
    void setImages(const DecodedImage& a, const QString& labelA, const DecodedImage& b, const QString& labelB);
    void setImageA(const DecodedImage& a);
    void setImageB(const DecodedImage& b);
    void setLabels(const QString& labelA, const QString& labelB);
    bool hasImages() const { return !m_a.isNull() && !m_b.isNull(); }

    // Where the divider is, 0 (all B) .. 1 (all A).
    qreal split() const { return m_split; }
    void setSplit(qreal split);
    // 1 = A fitted to the canvas.
    qreal zoom() const { return m_zoom; }
    void setZoom(qreal zoom);
    void fit();
    // The divider's x in widget coordinates.
    int dividerX() const;

    QSize sizeHint() const override { return {640, 480}; }

Q_SIGNALS:
    void splitChanged(qreal split);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    enum class Drag { None, Divider, Pan };

    QRectF frame() const; // where A is drawn, in widget coordinates
    void zoomAround(qreal zoom, QPointF widgetPos);
    void drawImage(QPainter& painter, const DecodedImage& image, const QRectF& target, const QRectF& clip) const;
    void drawLabel(QPainter& painter, const QString& text, bool left) const;

    DecodedImage m_a;
    DecodedImage m_b;
    QString m_labelA;
    QString m_labelB;
    qreal m_split = 0.5;
    qreal m_zoom = 1.0;
    QPointF m_center = {0.5, 0.5}; // of A shown at the canvas centre, as a fraction
    Drag m_drag = Drag::None;
    QPointF m_dragStart;
    QPointF m_centerAtDragStart;
};

} // namespace Pixapi
