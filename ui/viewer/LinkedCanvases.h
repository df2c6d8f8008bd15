#pragma once

#include "viewer/ImageCanvas.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Pixapi {

// Canvases that zoom and pan together: when the user moves one, the others show the same part of their own images
// (see CanvasView), so the same detail can be compared across a board. A canvas that gets its image later joins at
// the shared view.
class LinkedCanvases : public QObject
{
    Q_OBJECT

public:
    explicit LinkedCanvases(QObject* parent = nullptr);

    void add(ImageCanvas* canvas);
    void clear();
    // Unlinked, each canvas keeps its own view; linking again brings them all to the last one moved.
    void setLinked(bool linked);
    bool isLinked() const { return m_linked; }
    CanvasView sharedView() const { return m_view; }

    // Shows the shared view on a canvas whose image just arrived.
    void adopt(ImageCanvas* canvas);
    // For all of them at once (buttons and shortcuts of the board).
    void fitAll();
    void actualPixels(); // 100 % on the first canvas with an image, the same part on the others
    void zoomIn();
    void zoomOut();

Q_SIGNALS:
    void sharedViewChanged();

private:
    void follow(ImageCanvas* leader);
    // On the first canvas with an image, which the others follow; unlinked, on each.
    void apply(const std::function<void(ImageCanvas*)>& change);
    ImageCanvas* firstWithImage() const;

    QList<QPointer<ImageCanvas>> m_canvases;
    CanvasView m_view;
    bool m_linked = true;
    bool m_applying = false;
};

} // namespace Pixapi
