#pragma once

#include <QFont>

class QColor;
class QWidget;

namespace Pixapi::TextLook {

// Text looks set through the palette and the font instead of per-widget style sheets: a style sheet gives its widget
// a style of its own, parsed and then consulted on every measure and paint, which the window's first frame pays for
// each one.

// Secondary text: the palette's placeholder color.
void setDim(QWidget* widget);
void setColor(QWidget* widget, const QColor& color);
// pointSize 0 keeps the size.
void setWeight(QWidget* widget, QFont::Weight weight, qreal pointSize = 0);

} // namespace Pixapi::TextLook
