#pragma once

#include <QObject>

#include <functional>

namespace Pixapi {
class GalleryView;
}

namespace Pixapi::Bench {

// Tells when every image tile the grid currently shows has its thumbnail (decoded or failed), without asking for a
// thumbnail itself: it reads ThumbnailStateRole only, so it does not change what the model decodes.
class VisibleTiles : public QObject
{
    Q_OBJECT

public:
    explicit VisibleTiles(GalleryView* view, QObject* parent = nullptr);

    // Image rows intersecting the viewport now.
    int visibleImages() const;
    bool allReady() const;
    // Calls back (once) as soon as allReady() holds with at least one visible image; polled every millisecond.
    void whenReady(std::function<void()> done);

private:
    int firstVisibleRow() const;

    GalleryView* m_view;
};

} // namespace Pixapi::Bench
