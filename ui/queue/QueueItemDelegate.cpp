#include "queue/QueueItemDelegate.h"

#include "generation/GenerationQueueModel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace Pixapi {

namespace {
constexpr int Padding = 8;
constexpr int LineGap = 2;
constexpr int StateWidth = 170;

QueueEntry::State stateOf(const QModelIndex& index)
{
    return static_cast<QueueEntry::State>(index.data(GenerationQueueModel::StateRole).toInt());
}

QFont smallFont(const QFont& base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.9);
    return font;
}
} // namespace

QString QueueItemDelegate::stateText(const QModelIndex& index)
{
    const bool charged = index.data(GenerationQueueModel::MayHaveBeenChargedRole).toBool();
    switch (stateOf(index)) {
    case QueueEntry::State::Queued:
        return tr("Queued");
    case QueueEntry::State::Running: {
        const int progress = index.data(GenerationQueueModel::ProgressRole).toInt();
        return progress >= 0 ? tr("Running · %1 %").arg(progress) : tr("Running");
    }
    case QueueEntry::State::Completed:
        return tr("Done · %n image(s)", nullptr, index.data(GenerationQueueModel::SavedCountRole).toInt());
    case QueueEntry::State::Failed:
        return charged ? tr("Failed · may have been charged") : tr("Failed");
    case QueueEntry::State::Cancelled:
        return charged ? tr("Cancelled · may have been charged") : tr("Cancelled");
    case QueueEntry::State::Orphaned:
        return tr("May have been charged");
    }
    return {};
}

QColor QueueItemDelegate::stateColor(const QModelIndex& index)
{
    switch (stateOf(index)) {
    case QueueEntry::State::Queued:
    case QueueEntry::State::Cancelled:
        return QColor(0x80, 0x80, 0x88);
    case QueueEntry::State::Running:
        return QColor(0x5b, 0x5e, 0xf7);
    case QueueEntry::State::Completed:
        return QColor(0x2e, 0x9d, 0x4f);
    case QueueEntry::State::Failed:
        return QColor(0xd0, 0x30, 0x30);
    case QueueEntry::State::Orphaned:
        return QColor(0xc2, 0x6a, 0x00);
    }
    return {};
}

QSize QueueItemDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const int lines = index.data(GenerationQueueModel::ErrorTextRole).toString().isEmpty() ? 2 : 3;
    const int line = QFontMetrics(smallFont(option.font)).height();
    return {400, 2 * Padding + option.fontMetrics.height() + (lines - 1) * (line + LineGap)};
}

void QueueItemDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    painter->save();
    const bool selected = opt.state.testFlag(QStyle::State_Selected);
    if (selected)
        painter->fillRect(opt.rect, opt.palette.highlight());
    painter->setPen(opt.palette.color(QPalette::Midlight));
    painter->drawLine(opt.rect.bottomLeft(), opt.rect.bottomRight());

    const QRect content = opt.rect.adjusted(Padding, Padding, -Padding, -Padding);
    const QColor text = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor dim = selected ? text : opt.palette.color(QPalette::PlaceholderText);
    const QFont small = smallFont(opt.font);
    const int lineHeight = opt.fontMetrics.height();
    const int smallHeight = QFontMetrics(small).height();

    // Left column: the state, and a thin progress bar under it while a task reports progress.
    QFont bold = opt.font;
    bold.setWeight(QFont::DemiBold);
    painter->setFont(bold);
    painter->setPen(selected ? text : stateColor(index));
    const QRect stateRect(content.left(), content.top(), StateWidth, lineHeight);
    painter->drawText(stateRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(bold).elidedText(stateText(index), Qt::ElideRight, StateWidth));
    const int progress = index.data(GenerationQueueModel::ProgressRole).toInt();
    const bool running = stateOf(index) == QueueEntry::State::Running;
    if (running) {
        const QRect track(content.left(), stateRect.bottom() + 2 * LineGap, StateWidth - Padding, 4);
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        painter->setBrush(opt.palette.color(QPalette::Midlight));
        painter->drawRoundedRect(track, 2, 2);
        painter->setBrush(stateColor(index));
        const int filled = progress >= 0 ? track.width() * progress / 100 : track.width() / 3;
        painter->drawRoundedRect(QRect(track.topLeft(), QSize(filled, track.height())), 2, 2);
    }

    // Right part: model and task id, the prompt, the error.
    const int left = content.left() + StateWidth;
    const int width = content.right() - left;
    QStringList head {index.data(GenerationQueueModel::ModelRole).toString()};
    if (index.data(GenerationQueueModel::IsAsyncRole).toBool())
        head << tr("background task");
    if (const QString task = index.data(GenerationQueueModel::TaskIdRole).toString(); !task.isEmpty())
        head << task;
    painter->setFont(opt.font);
    painter->setPen(text);
    const QRect headRect(left, content.top(), width, lineHeight);
    painter->drawText(headRect, Qt::AlignLeft | Qt::AlignVCenter,
                      opt.fontMetrics.elidedText(head.join(QStringLiteral(" · ")), Qt::ElideRight, width));
    painter->setFont(small);
    painter->setPen(dim);
    const QRect promptRect(left, headRect.bottom() + LineGap, width, smallHeight);
    painter->drawText(promptRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(small).elidedText(index.data(GenerationQueueModel::PromptExcerptRole).toString(),
                                                     Qt::ElideRight, width));
    if (const QString error = index.data(GenerationQueueModel::ErrorTextRole).toString(); !error.isEmpty()) {
        painter->setPen(selected ? text : stateColor(index));
        const QRect errorRect(left, promptRect.bottom() + LineGap, width, smallHeight);
        painter->drawText(errorRect, Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetrics(small).elidedText(error, Qt::ElideRight, width));
    }
    painter->restore();
}

} // namespace Pixapi
