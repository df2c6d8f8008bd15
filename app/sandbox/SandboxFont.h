#pragma once

#include <QColor>
#include <QPoint>
#include <QString>

class QPainter;

namespace Pixapi {

// A built-in 5x7 bitmap font. Renders need text without QGuiApplication (core tests and the CLI run on
// QCoreApplication) and must give the same pixels on every machine, whatever fonts are installed.
class SandboxFont
{
public:
    static constexpr int CellWidth = 6; // glyph columns plus one column of spacing
    static constexpr int CellHeight = 8;

    // Draws `text` (upper-cased; characters outside ASCII 32..95 become '?') with each font pixel a scale x scale
    // block.
    static void draw(QPainter& painter, QPoint topLeft, const QString& text, int scale, const QColor& color);
    static int width(const QString& text, int scale);
};

} // namespace Pixapi
