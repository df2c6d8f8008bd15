#include "viewer/LinkedCanvases.h"

#include <QScopedValueRollback>

namespace Pixapi {

LinkedCanvases::LinkedCanvases(QObject* parent)
    : QObject(parent)
{ }

void LinkedCanvases::add(ImageCanvas* canvas)
{
    m_canvases << canvas;
    connect(canvas, &ImageCanvas::viewChangedByUser, this, [this, canvas] { follow(canvas); });
}

void LinkedCanvases::clear()
{
    for (const QPointer<ImageCanvas>& canvas : std::as_const(m_canvases)) {
        if (canvas)
            canvas->disconnect(this);
    }
    m_canvases.clear();
    m_view = {};
}

void LinkedCanvases::setLinked(bool linked)
{
    m_linked = linked;
    if (linked) {
        for (const QPointer<ImageCanvas>& canvas : std::as_const(m_canvases))
            adopt(canvas);
    }
}

void LinkedCanvases::adopt(ImageCanvas* canvas)
{
    if (!m_linked || !canvas || canvas->imageSize().isEmpty())
        return;
    const QScopedValueRollback applying(m_applying, true);
    canvas->setView(m_view);
}

void LinkedCanvases::follow(ImageCanvas* leader)
{
    if (m_applying || !leader)
        return;
    m_view = leader->view();
    if (m_linked) {
        for (const QPointer<ImageCanvas>& canvas : std::as_const(m_canvases)) {
            if (canvas != leader)
                adopt(canvas);
        }
    }
    Q_EMIT sharedViewChanged();
}

ImageCanvas* LinkedCanvases::firstWithImage() const
{
    for (const QPointer<ImageCanvas>& canvas : m_canvases) {
        if (canvas && !canvas->imageSize().isEmpty())
            return canvas;
    }
    return nullptr;
}

void LinkedCanvases::fitAll()
{
    m_view = {};
    for (const QPointer<ImageCanvas>& canvas : std::as_const(m_canvases)) {
        if (canvas)
            canvas->fit();
    }
    Q_EMIT sharedViewChanged();
}

void LinkedCanvases::actualPixels()
{
    apply([](ImageCanvas* canvas) { canvas->setZoom(1.0); });
}

void LinkedCanvases::zoomIn()
{
    apply(&ImageCanvas::zoomIn);
}

void LinkedCanvases::zoomOut()
{
    apply(&ImageCanvas::zoomOut);
}

void LinkedCanvases::apply(const std::function<void(ImageCanvas*)>& change)
{
    if (!m_linked) {
        for (const QPointer<ImageCanvas>& canvas : std::as_const(m_canvases)) {
            if (canvas)
                change(canvas);
        }
        return;
    }
    if (ImageCanvas* first = firstWithImage()) {
        change(first);
        follow(first);
    }
}

} // namespace Pixapi
