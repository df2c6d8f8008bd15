#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QRect>
#include <QSize>
#include <QString>

namespace Pixapi {

// The decoded inputs of an edit (see SandboxEdit), kept with the request until it is rendered.
struct SandboxEditInputs
{
    QImage first;         // image 1, at most the model's max_input_edge a side
    QList<QImage> others; // images 2..N, decoded at thumbnail size
    QImage mask;          // null without a mask; scaled like `first`
    QSize outputSize;
};

// Deterministic PNG renders: the same (model, prompt, size, index) always gives the same bytes.
class SandboxRenderer
{
public:
    static constexpr int MaxSide = 4096;

    // Pixel size for a request `size`: "WxH", a tier "1K"/"2K"/"4K" (square), a ratio "16:9" (1024 on the long
    // edge) or "auto" (1024 square). Capped at MaxSide a side; anything unparsable gives 1024x1024.
    static QSize sizeFor(const QString& size);

    // A gradient-and-shapes picture seeded by a hash of the inputs, labelled with the model id and the prompt.
    static QByteArray renderPng(const QString& modelId, const QString& prompt, const QString& size, int index);

    // An edit: the first input scaled to inputs.outputSize over the picture renderPng would paint, so the picture
    // shows only where the input is transparent or the mask is (OpenAI's mask rule: alpha 0 = edit here). Images
    // 2..N appear as thumbnails along the top right (thumbnailRect), and the label band says "EDIT".
    static QByteArray renderEditPng(const QString& modelId, const QString& prompt, const QString& size, int index,
                                    const SandboxEditInputs& inputs);
    // Where input `other` (0 = image 2) is drawn in an edit of `output` pixels: squares of a sixth of the short edge
    // at most, right to left from the top right corner, wrapping to further rows.
    static QRect thumbnailRect(const QSize& output, int other);
};

} // namespace Pixapi
