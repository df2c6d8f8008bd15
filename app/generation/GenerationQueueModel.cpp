#include "generation/GenerationQueueModel.h"

namespace Pixapi {

GenerationQueueModel::GenerationQueueModel(QObject* parent)
    : QAbstractListModel(parent)
{ }

int GenerationQueueModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QString GenerationQueueModel::promptExcerpt(const QString& prompt, int maxChars)
{
    QString text = prompt.simplified();
    if (text.size() > maxChars)
        text = text.left(maxChars - 1).trimmed() + QChar(0x2026); // …
    return text;
}

QVariant GenerationQueueModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QueueEntry& e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case PromptExcerptRole:
        return promptExcerpt(e.params.prompt);
    case Qt::ToolTipRole:
        return e.errorText.isEmpty() ? e.stage : e.errorText;
    case EntryIdRole:
        return QVariant::fromValue(e.id);
    case StateRole:
        return int(e.state);
    case ModelRole:
        return e.params.model;
    case ProgressRole:
        return e.progress;
    case ErrorTextRole:
        return e.errorText;
    case TaskIdRole:
        return e.taskId;
    case StageRole:
        return e.stage;
    case IsAsyncRole:
        return e.async;
    case SavedCountRole:
        return e.savedCount;
    case MayHaveBeenChargedRole:
        return e.mayHaveBeenCharged;
    case CanCancelRole:
        return !e.isFinished();
    case CanRetryRole:
        return e.isFinished() && e.state != QueueEntry::State::Completed && e.retryable;
    default:
        return {};
    }
}

QHash<int, QByteArray> GenerationQueueModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(EntryIdRole, "entryId");
    names.insert(StateRole, "state");
    names.insert(ModelRole, "model");
    names.insert(PromptExcerptRole, "promptExcerpt");
    names.insert(ProgressRole, "progress");
    names.insert(ErrorTextRole, "errorText");
    names.insert(TaskIdRole, "taskId");
    names.insert(StageRole, "stage");
    names.insert(IsAsyncRole, "isAsync");
    names.insert(SavedCountRole, "savedCount");
    names.insert(MayHaveBeenChargedRole, "mayHaveBeenCharged");
    names.insert(CanCancelRole, "canCancel");
    names.insert(CanRetryRole, "canRetry");
    return names;
}

int GenerationQueueModel::rowOf(quint64 entryId) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).id == entryId)
            return row;
    }
    return -1;
}

const QueueEntry* GenerationQueueModel::find(quint64 entryId) const
{
    const int row = rowOf(entryId);
    return row < 0 ? nullptr : &m_entries.at(row);
}

void GenerationQueueModel::append(const QueueEntry& entry)
{
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append(entry);
    endInsertRows();
}

void GenerationQueueModel::update(quint64 entryId, const std::function<void(QueueEntry&)>& change)
{
    const int row = rowOf(entryId);
    if (row < 0)
        return;
    change(m_entries[row]);
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
}

bool GenerationQueueModel::remove(quint64 entryId)
{
    const int row = rowOf(entryId);
    if (row < 0)
        return false;
    beginRemoveRows({}, row, row);
    m_entries.removeAt(row);
    endRemoveRows();
    return true;
}

} // namespace Pixapi
