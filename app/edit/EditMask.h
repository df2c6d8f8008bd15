#pragma once

#include "support/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QRect>
#include <QSize>
#include <QString>

namespace Pixapi {

// The area of the first input image that an edit may change. The user paints it over that image, and it is kept at
// the image's pixel size. One byte per pixel (Format_Grayscale8): 255 = painted ("may change"), 0 = keep. No value in
// between, so the coverage is an exact count. It is sent as toPng(), where painted pixels are transparent and the
// rest is opaque (OpenAI's mask rule, contract §9).
class EditMask
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::EditMask)

public:
    enum class Tool { Brush, Eraser };

    // Undo keeps at most this many steps and this many bytes of saved pixels (one full 4096² step is 16 MiB).
    static constexpr int MaxUndoSteps = 20;
    static constexpr qint64 MaxUndoBytes = 64LL * 1024 * 1024;

    EditMask() = default; // a null mask: no size, nothing painted
    explicit EditMask(QSize size);

    bool isNull() const { return m_image.isNull(); }
    QSize size() const { return m_image.size(); }

    // A stroke is one undo step. Call beginStroke() when the button goes down, paint, then call endStroke() when it
    // goes up. A paint call outside a stroke is one step by itself.
    void beginStroke();
    void endStroke();
    // Paints every pixel whose centre is within `radius` of the segment (so the caps are round). No antialiasing: the
    // server reads the mask as binary anyway, and the coverage stays exact.
    void paintStroke(QPointF from, QPointF to, qreal radius, Tool tool);
    void paintDot(QPointF center, qreal radius, Tool tool);
    void invert();
    void clear();

    bool canUndo() const { return m_strokeOpen ? !m_strokeRect.isEmpty() || !m_undo.isEmpty() : !m_undo.isEmpty(); }
    bool undo(); // false when there is nothing to undo

    bool isEmpty() const { return m_paintedPixels == 0; }
    qint64 paintedPixels() const { return m_paintedPixels; }
    // The painted fraction, 0..1. The count is updated while painting, so this costs nothing.
    double coverage() const;
    // For the overlay the UI draws over the image (for example as the alpha channel of a tint).
    const QImage& image() const { return m_image; }

    // The mask at another size, for an input that is downscaled before it is sent. A pixel is painted when at least
    // half of the area under it was painted. The copy has no undo history.
    EditMask scaledTo(QSize size) const;
    // An ARGB32 PNG of size(). Painted pixels are fully transparent white (alpha 0); the others are opaque black
    // (alpha 255). A server that reads only the colour still sees white where the image may change. Empty for a null
    // mask.
    QByteArray toPng() const;

    // Checks that a mask file can be sent with an image of `imageSize`: it is a PNG, it decodes, it has an alpha
    // channel, and it has that size. Returns the size, or a translated reason.
    static Result<QSize, QString> checkPng(const QByteArray& png, QSize imageSize);
    // The mask that a PNG describes, after checkPng's checks: pixels with alpha below 128 are painted.
    static Result<EditMask, QString> fromPng(const QByteArray& png, QSize imageSize);

private:
    struct UndoStep
    {
        QRect rect;            // where `before` goes back
        QImage before;         // the pixels of `rect` before the step
        bool inverted = false; // an invert: undone by inverting again, so it saves no pixels
    };

    // The pixel columns [first, last] of one row that a paint call covers.
    struct RowSpan
    {
        int y = 0;
        int first = 0;
        int last = -1;
    };

    // The decoded mask file, after checkPng's checks.
    static Result<QImage, QString> readPng(const QByteArray& png, QSize imageSize);

    QList<RowSpan> spansOf(QPointF from, QPointF to, qreal radius) const;
    void pushUndo(UndoStep step);
    void restore(const UndoStep& step);
    qint64 countPainted(const QRect& rect) const;
    void invertPixels();

    QImage m_image;
    qint64 m_paintedPixels = 0;
    QList<UndoStep> m_undo; // oldest first
    // While a stroke is open: the mask as it was when the stroke began. This is a shared copy, so it costs a detach on
    // the first write only. It also holds the area the stroke has touched so far.
    bool m_strokeOpen = false;
    QImage m_strokeBase;
    QRect m_strokeRect;
};

} // namespace Pixapi
