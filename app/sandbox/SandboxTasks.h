#pragma once

#include "sandbox/SandboxGeneration.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>
#include <QUrl>

#include <optional>

namespace Pixapi {

class SandboxFileStore;
class SandboxLedger;

// The sandbox's async image tasks (contract §5). A task advances with the clock: "queued" for queuedMs, then
// "processing" with rising progress for processingMs, then "completed" (rendered and charged on the first poll that
// sees it done, exactly once) or "failed". Prompt markers drive the other outcomes in tests and demos:
//   [sandbox:fail]  - the task fails at the end of processing (error code "generation_failed"), nothing is charged;
//   [sandbox:limbo] - after queueing the task reports the undocumented status "awaiting_review" forever.
// Thread-safe: tests change the timings of a server running on another thread.
class SandboxTasks
{
public:
    static constexpr int DefaultQueuedMs = 1500;
    static constexpr int DefaultProcessingMs = 3000;
    static QString failMarker();
    static QString limboMarker();

    // Applies to tasks created afterwards.
    void setTimings(int queuedMs, int processingMs);

    // Registers a validated request; returns the task object in its initial state ("submitted", progress 0).
    QJsonObject create(const SandboxGeneration& request);
    // The task as of now; empty for an unknown id. `baseUrl` is where url results are served (/files/...).
    std::optional<QJsonObject> observe(const QString& id, SandboxLedger& ledger, SandboxFileStore& files,
                                       const QUrl& baseUrl);

private:
    struct Task
    {
        QString id;
        SandboxGeneration request;
        QElapsedTimer clock;
        qint64 createdAt = 0;
        int queuedMs = 0;
        int processingMs = 0;
        std::optional<QJsonObject> terminal; // the final answer, fixed once reached
    };
    static QString newTaskId();
    QJsonObject base(const Task& task) const;
    QJsonObject finish(Task& task, SandboxLedger& ledger, SandboxFileStore& files, const QUrl& baseUrl) const;

    mutable QMutex m_mutex;
    QHash<QString, Task> m_tasks;
    int m_queuedMs = DefaultQueuedMs;
    int m_processingMs = DefaultProcessingMs;
};

} // namespace Pixapi
