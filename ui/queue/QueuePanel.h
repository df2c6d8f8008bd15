#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QListView;
class QMessageBox;
class QToolButton;

namespace Pixapi {

class GenerationQueue;

// The generations of this session under the grid: state (queued, running with progress, done, failed, cancelled,
// "may have been charged"), model, prompt, task id and error, with Cancel, Retry (confirmed: it is a new, charged
// request) and Remove for the selected one. Hidden until the first generation; the list folds away.
class QueuePanel : public QWidget
{
    Q_OBJECT

public:
    explicit QueuePanel(GenerationQueue* queue, QWidget* parent = nullptr);

    // Selects the entry (e.g. the newest) so the buttons act on it.
    void selectEntry(quint64 entryId);
    quint64 selectedEntry() const;
    void cancelSelected();
    // Asks for confirmation (the dialog's objectName is "retryConfirmation"), then sends a new request.
    void retrySelected();
    void dismissSelected();

private:
    void updateHeader();
    void updateButtons();
    void setExpanded(bool expanded);

    GenerationQueue* m_queue;
    QToolButton* m_toggle;
    QLabel* m_summary;
    QToolButton* m_cancel;
    QToolButton* m_retry;
    QToolButton* m_dismiss;
    QListView* m_list;
    QPointer<QMessageBox> m_confirm;
};

} // namespace Pixapi
