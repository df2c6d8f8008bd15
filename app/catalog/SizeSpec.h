#pragma once

#include <QString>

namespace Pixapi {

// One `size` string read the way the models use it (contract §3.1): empty, "auto", pixels ("1536x1024"),
// a resolution tier ("512", "1K", "2K", "4K") or an aspect ratio ("16:9"). Pure value type.
struct SizeSpec
{
    enum class Kind { Empty, Auto, Pixels, Tier, Ratio, Other };

    Kind kind = Kind::Empty;
    int width = 0; // Pixels: pixels; Ratio: the ratio's terms
    int height = 0;
    QString tier; // Tier: normalized ("1K", not "1k")

    static SizeSpec parse(const QString& text);

    // Tier of a long edge: ≤512 → "512", ≤1536 → "1K", ≤2048 → "2K", else "4K" (gpt-image-2 billing, contract §6).
    static QString tierForLongEdge(int longEdge);
    // The output tier of this size: pixels by long edge, a tier as itself; auto, ratios and empty are "1K".
    // Other: empty.
    QString outputTier() const;
    // "16:9" for 16:9, 3840x2160 and 1344x768 (a common ratio within 3 %), else the reduced fraction; "" if none.
    QString ratioName() const;
    // Pixels for a ratio ("16:9", empty = square) at a tier: the tier's long edge, short edge a multiple of 16.
    static QString pixelsFor(const QString& ratio, const QString& tier);
};

} // namespace Pixapi
