#pragma once

#include <QStyledItemDelegate>

namespace Pixapi {

// One generation of the queue panel: a coloured state (with a progress bar while an async task runs), the model,
// the task id, the prompt excerpt and, for failures, the reason.
class QueueItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // "Queued", "Running · 40 %", "Done", "Failed", "Cancelled", "May have been charged", ...
    static QString stateText(const QModelIndex& index);
    static QColor stateColor(const QModelIndex& index);
};

} // namespace Pixapi
