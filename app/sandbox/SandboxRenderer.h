#pragma once

#include <QByteArray>
#include <QSize>
#include <QString>

namespace Pixapi {

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
};

} // namespace Pixapi
