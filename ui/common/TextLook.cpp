#include "common/TextLook.h"

#include <QColor>
#include <QPalette>
#include <QWidget>

namespace Pixapi::TextLook {

void setDim(QWidget* widget)
{
    setColor(widget, widget->palette().color(QPalette::PlaceholderText));
}

void setColor(QWidget* widget, const QColor& color)
{
    QPalette palette = widget->palette();
    palette.setColor(QPalette::WindowText, color);
    palette.setColor(QPalette::ButtonText, color);
    palette.setColor(QPalette::Text, color);
    widget->setPalette(palette);
}

void setWeight(QWidget* widget, QFont::Weight weight, qreal pointSize)
{
    QFont font = widget->font();
    font.setWeight(weight);
    if (pointSize > 0)
        font.setPointSizeF(pointSize);
    widget->setFont(font);
}

} // namespace Pixapi::TextLook
