#pragma once

#include "edit/EditMask.h"

#include <QImage>
#include <QPixmap>
#include <QWidget>

namespace Pixapi {

// Paints an EditMask over the image it belongs to: the image fitted to the widget, the painted area tinted. The
// mask stays at the image's full pixel size (what is sent); the picture shown is a smaller copy decoded elsewhere.
// Left button paints with the current tool, Shift+drag or the right button with the other one; the brush size is in
// screen pixels (Ctrl+wheel or [ and ] change it), so it feels the same at any image size.
class MaskCanvas : public QWidget
{
    Q_OBJECT

public:
    static constexpr int MinBrush = 4;
    static constexpr int MaxBrush = 300;

    explicit MaskCanvas(QWidget* parent = nullptr);

    // `preview`: the picture to show (any size); `imageSize`: the input's real size, which the mask takes.
    void setImage(const QImage& preview, QSize imageSize);
    bool hasImage() const { return m_imageSize.isValid(); }
    // A mask of another size than the image is replaced by an empty one.
    void setMask(const EditMask& mask);
    const EditMask& mask() const { return m_mask; }

    void setTool(EditMask::Tool tool);
    EditMask::Tool tool() const { return m_tool; }
    void setBrushSize(int screenPixels);
    int brushSize() const { return m_brush; }
    // Larger (steps > 0) or smaller by steps of an eighth of the size (at least 2 px): fine when small, quick when big.
    void stepBrushSize(int steps);
    void invert();
    void clear();
    bool undo();

    // Widget position → mask pixel (may lie outside the image).
    QPointF toImage(QPointF widgetPos) const;
    // Where the image is drawn, in widget coordinates.
    QRectF imageRect() const;
    QSize sizeHint() const override { return {720, 540}; }

Q_SIGNALS:
    void maskChanged();
    void brushSizeChanged(int screenPixels);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    qreal imageRadius() const; // the brush radius in mask pixels
    void paintTo(QPointF imagePos);
    void rebuildView();
    // Re-tints the overlay where `imageRegion` (mask pixels) changed; the whole mask when empty.
    void refreshOverlay(QRectF imageRegion = {});

    QImage m_preview;
    QSize m_imageSize;
    EditMask m_mask;
    QPixmap m_view;   // the preview at imageRect()'s size (device pixels)
    QImage m_overlay; // the tinted mask at the same size
    EditMask::Tool m_tool = EditMask::Tool::Brush;
    EditMask::Tool m_strokeTool = EditMask::Tool::Brush;
    int m_brush = 40;
    bool m_painting = false;
    QPointF m_lastImagePos;
    QPointF m_cursor; // the brush outline follows the mouse; null when it is outside
};

} // namespace Pixapi
