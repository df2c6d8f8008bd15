#include "VisibleTiles.h"

#include "gallery/GalleryView.h"
#include "library/GalleryModel.h"

#include <QTimer>

namespace Pixapi::Bench {

VisibleTiles::VisibleTiles(GalleryView* view, QObject* parent)
    : QObject(parent)
    , m_view(view)
{ }

int VisibleTiles::firstVisibleRow() const
{
    // Rows are laid out in order, so their tops grow with the row: binary search for the first that reaches the
    // viewport. Rows not laid out yet have an empty rect and count as "below".
    const QAbstractItemModel* model = m_view->model();
    int low = 0;
    int high = model->rowCount();
    while (low < high) {
        const int mid = (low + high) / 2;
        const QRect rect = m_view->visualRect(model->index(mid, 0));
        if (rect.isValid() && rect.bottom() < 0)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

int VisibleTiles::visibleImages() const
{
    const QAbstractItemModel* model = m_view->model();
    const QRect viewport = m_view->viewport()->rect();
    int count = 0;
    for (int row = firstVisibleRow(); row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        const QRect rect = m_view->visualRect(index);
        if (!rect.isValid() || rect.top() > viewport.bottom())
            break;
        if (rect.intersects(viewport) && !index.data(GalleryModel::IsHeaderRole).toBool())
            ++count;
    }
    return count;
}

bool VisibleTiles::allReady() const
{
    const QAbstractItemModel* model = m_view->model();
    const QRect viewport = m_view->viewport()->rect();
    for (int row = firstVisibleRow(); row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        const QRect rect = m_view->visualRect(index);
        if (!rect.isValid() || rect.top() > viewport.bottom())
            break;
        if (!rect.intersects(viewport) || index.data(GalleryModel::IsHeaderRole).toBool())
            continue;
        const auto state = GalleryModel::ThumbnailState(index.data(GalleryModel::ThumbnailStateRole).toInt());
        if (state == GalleryModel::ThumbnailState::Pending)
            return false;
    }
    return true;
}

void VisibleTiles::whenReady(std::function<void()> done)
{
    auto* poll = new QTimer(this);
    poll->setInterval(1);
    connect(poll, &QTimer::timeout, this, [this, poll, done = std::move(done)] {
        if (visibleImages() == 0 || !allReady())
            return;
        poll->deleteLater();
        poll->stop();
        done();
    });
    poll->start();
}

} // namespace Pixapi::Bench
