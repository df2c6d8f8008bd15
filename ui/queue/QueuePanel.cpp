#include "queue/QueuePanel.h"

#include "common/TextLook.h"
#include "generation/GenerationQueue.h"
#include "queue/QueueItemDelegate.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace Pixapi {

namespace {
constexpr int ListHeight = 168;
}

QueuePanel::QueuePanel(GenerationQueue* queue, QWidget* parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_toggle(new QToolButton(this))
    , m_summary(new QLabel(this))
    , m_cancel(new QToolButton(this))
    , m_retry(new QToolButton(this))
    , m_dismiss(new QToolButton(this))
    , m_list(new QListView(this))
{
    setObjectName(QStringLiteral("queuePanel"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum); // the grid keeps every spare pixel
    m_toggle->setObjectName(QStringLiteral("queueToggleButton"));
    m_toggle->setCheckable(true);
    m_toggle->setChecked(true);
    m_toggle->setAutoRaise(true);
    m_toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toggle->setText(tr("Generations"));
    TextLook::setWeight(m_toggle, QFont::DemiBold, 10);
    m_toggle->setToolTip(tr("Show or hide the list of this session's generations"));
    m_summary->setObjectName(QStringLiteral("queueSummaryLabel"));
    TextLook::setDim(m_summary);
    m_cancel->setObjectName(QStringLiteral("queueCancelButton"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the selected generation. A background task may still finish (and be charged) on "
                            "the server."));
    m_retry->setObjectName(QStringLiteral("queueRetryButton"));
    m_retry->setText(tr("Retry"));
    m_retry->setToolTip(tr("Send the selected generation again as a new request"));
    m_dismiss->setObjectName(QStringLiteral("queueDismissButton"));
    m_dismiss->setText(tr("Remove"));
    m_dismiss->setToolTip(tr("Remove the selected finished generation from the list"));
    for (QToolButton* button : {m_cancel, m_retry, m_dismiss})
        button->setAutoRaise(true);

    m_list->setObjectName(QStringLiteral("queueList"));
    m_list->setModel(queue->model());
    m_list->setItemDelegate(new QueueItemDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setUniformItemSizes(false);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->setFixedHeight(ListHeight);

    auto* header = new QHBoxLayout;
    header->setContentsMargins(12, 6, 12, 6);
    header->setSpacing(6);
    header->addWidget(m_toggle);
    header->addWidget(m_summary);
    header->addStretch(1);
    header->addWidget(m_cancel);
    header->addWidget(m_retry);
    header->addWidget(m_dismiss);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addWidget(m_list);

    GenerationQueueModel* model = queue->model();
    connect(m_toggle, &QToolButton::toggled, this, &QueuePanel::setExpanded);
    connect(m_cancel, &QToolButton::clicked, this, &QueuePanel::cancelSelected);
    connect(m_retry, &QToolButton::clicked, this, &QueuePanel::retrySelected);
    connect(m_dismiss, &QToolButton::clicked, this, &QueuePanel::dismissSelected);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &QueuePanel::updateButtons);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int, int last) {
        show(); // the first generation brings the panel up
        m_list->setCurrentIndex(m_queue->model()->index(last, 0));
        m_list->scrollTo(m_list->currentIndex());
    });
    const auto refresh = [this] {
        updateHeader();
        updateButtons();
    };
    connect(model, &QAbstractItemModel::rowsRemoved, this, refresh);
    connect(model, &QAbstractItemModel::modelReset, this, refresh);
    connect(model, &QAbstractItemModel::dataChanged, this, refresh);
    connect(model, &QAbstractItemModel::rowsInserted, this, &QueuePanel::updateHeader);
    setExpanded(true);
    updateHeader();
    updateButtons();
    setVisible(model->rowCount() > 0);
}

quint64 QueuePanel::selectedEntry() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.data(GenerationQueueModel::EntryIdRole).toULongLong() : 0;
}

void QueuePanel::selectEntry(quint64 entryId)
{
    const int row = m_queue->model()->rowOf(entryId);
    if (row >= 0)
        m_list->setCurrentIndex(m_queue->model()->index(row, 0));
}

void QueuePanel::cancelSelected()
{
    if (const quint64 id = selectedEntry())
        m_queue->cancel(id);
}

void QueuePanel::retrySelected()
{
    const quint64 id = selectedEntry();
    if (id == 0 || m_confirm)
        return;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Retry this generation?"),
                                tr("This sends a new request and may be charged again."), QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("retryConfirmation"));
    box->setInformativeText(tr("The first attempt may already have been charged, even if it failed."));
    QPushButton* send = box->addButton(tr("Send Again"), QMessageBox::AcceptRole);
    send->setObjectName(QStringLiteral("retrySendButton"));
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_confirm = box;
    connect(box, &QMessageBox::finished, this, [this, box, send, id] {
        if (box->clickedButton() == send) {
            if (const quint64 fresh = m_queue->retry(id))
                selectEntry(fresh);
        }
    });
    box->open();
}

void QueuePanel::dismissSelected()
{
    if (const quint64 id = selectedEntry())
        m_queue->dismiss(id);
}

void QueuePanel::setExpanded(bool expanded)
{
    m_list->setVisible(expanded);
    m_toggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
}

void QueuePanel::updateHeader()
{
    int active = 0;
    int failed = 0;
    for (const QueueEntry& entry : m_queue->model()->entries()) {
        if (!entry.isFinished())
            ++active;
        else if (entry.state == QueueEntry::State::Failed || entry.state == QueueEntry::State::Orphaned)
            ++failed;
    }
    QStringList parts;
    if (active > 0)
        parts << tr("%n running or queued", nullptr, active);
    if (failed > 0)
        parts << tr("%n need(s) attention", nullptr, failed);
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

void QueuePanel::updateButtons()
{
    const QModelIndex current = m_list->currentIndex();
    const bool finished = current.isValid() && !current.data(GenerationQueueModel::CanCancelRole).toBool();
    m_cancel->setEnabled(current.isValid() && current.data(GenerationQueueModel::CanCancelRole).toBool());
    m_retry->setEnabled(current.isValid() && current.data(GenerationQueueModel::CanRetryRole).toBool());
    m_dismiss->setEnabled(finished);
}

} // namespace Pixapi
