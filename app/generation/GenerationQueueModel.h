#pragma once

#include "api/ApiTypes.h"

#include <QAbstractListModel>
#include <QList>

#include <functional>

namespace Pixapi {

// One generation in the queue, as the queue panel shows it.
struct QueueEntry
{
    enum class State {
        Queued,    // waiting for a free slot (per-model limit or global cap); nothing sent yet
        Running,   // sync request in flight, or async task being submitted / polled / saved
        Completed, // every image is in the library
        Failed,    // see errorText; mayHaveBeenCharged says whether the server may have billed it
        Cancelled, // stopped by the user (an async task may still run on the server: see errorText)
        Orphaned,  // an async submit whose answer was lost: may have been charged, no task id; never resubmitted
    };

    quint64 id = 0; // the queue's id for this entry; stable for its lifetime
    GenerationParams params;
    bool async = false;
    State state = State::Queued;
    int progress = -1;    // 0..100 for async tasks; -1 when unknown (sync requests)
    QString stage;        // the job's latest stage description
    QString errorText;    // for a person; empty unless Failed, Cancelled or Orphaned
    QString taskId;       // async: the server's task id once known
    qint64 taskRowId = 0; // async: the TaskStore row
    int savedCount = 0;
    bool mayHaveBeenCharged = false;
    // False for an edit resumed after a restart: its input files were not kept, and sending only its parameters
    // would be a different (and charged) request.
    bool retryable = true;

    bool isFinished() const { return state != State::Queued && state != State::Running; }
};

// The queue as a list model (QtCore, no widgets): newest entries last. Read-only for views; GenerationQueue edits it.
class GenerationQueueModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        EntryIdRole = Qt::UserRole + 1, // quint64
        StateRole,                      // QueueEntry::State as int
        ModelRole,                      // model id as requested
        PromptExcerptRole,              // first line of the prompt, elided (also DisplayRole)
        ProgressRole,                   // int 0..100, -1 unknown
        ErrorTextRole,
        TaskIdRole,
        StageRole,
        IsAsyncRole,
        SavedCountRole,
        MayHaveBeenChargedRole,
        CanCancelRole, // Queued or Running
        CanRetryRole,  // Failed, Cancelled or Orphaned (a retry is a NEW request)
    };
    Q_ENUM(Role)

    explicit GenerationQueueModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(quint64 entryId) const; // -1 when absent
    const QueueEntry& at(int row) const { return m_entries.at(row); }
    const QueueEntry* find(quint64 entryId) const;
    const QList<QueueEntry>& entries() const { return m_entries; }

    static QString promptExcerpt(const QString& prompt, int maxChars = 80);

    // Edits, for GenerationQueue.
    void append(const QueueEntry& entry);
    void update(quint64 entryId, const std::function<void(QueueEntry&)>& change);
    bool remove(quint64 entryId);

private:
    QList<QueueEntry> m_entries;
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::QueueEntry::State)
