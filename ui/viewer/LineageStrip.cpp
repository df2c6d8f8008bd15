#include "viewer/LineageStrip.h"

#include "library/ThumbnailLoader.h"

#include <QKeyEvent>
#include <QPixmap>

namespace Pixapi {

namespace {
constexpr int IconEdge = 64;
constexpr int StripHeight = IconEdge + 16;
} // namespace

LineageStrip::LineageStrip(QWidget* parent)
    : QListWidget(parent)
    , m_loader(new ThumbnailLoader(this))
{
    setViewMode(QListView::IconMode);
    setFlow(QListView::LeftToRight);
    setWrapping(false);
    setMovement(QListView::Static);
    setIconSize({IconEdge, IconEdge});
    setSpacing(4);
    setFixedHeight(StripHeight);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setDragEnabled(false);
    m_loader->setMaxEdge(qRound(IconEdge * devicePixelRatioF()));
    connect(m_loader, &ThumbnailLoader::loaded, this, &LineageStrip::onThumbnailLoaded);
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) { activate(row(item)); });
}

void LineageStrip::activate(int row)
{
    // Later, from the event loop: showing the record refills this list, which must not happen inside its own click.
    QMetaObject::invokeMethod(
        this, [this, record = recordAt(row)] { Q_EMIT recordActivated(record); }, Qt::QueuedConnection);
}

void LineageStrip::setRecords(const QList<LibraryRecord>& records)
{
    clear();
    m_records = records;
    for (const LibraryRecord& record : records) {
        auto* item = new QListWidgetItem(this);
        const QString prompt = record.prompt.isEmpty() ? tr("(no prompt)") : record.prompt;
        const QString tip = record.isTrashed() ? tr("%1 (in the trash)").arg(prompt) : prompt;
        item->setToolTip(tip);
        item->setData(Qt::AccessibleTextRole, tip);
        item->setSizeHint({IconEdge + 8, IconEdge + 8});
        m_loader->request(record);
    }
    setVisible(!records.isEmpty());
}

LibraryRecord LineageStrip::recordAt(int row) const
{
    return row >= 0 && row < m_records.size() ? m_records.at(row) : LibraryRecord();
}

void LineageStrip::onThumbnailLoaded(const QString& key, int, const QImage& image)
{
    if (image.isNull())
        return; // the item keeps its tool tip; the file may be gone
    QPixmap pixmap = QPixmap::fromImage(image);
    pixmap.setDevicePixelRatio(devicePixelRatioF());
    for (qsizetype i = 0; i < m_records.size(); ++i) {
        if (ThumbnailLoader::keyOf(m_records.at(i)) == key)
            item(int(i))->setIcon(pixmap);
    }
}

void LineageStrip::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter || event->key() == Qt::Key_Space)
        && currentRow() >= 0) {
        activate(currentRow());
        return;
    }
    QListWidget::keyPressEvent(event);
}

} // namespace Pixapi
