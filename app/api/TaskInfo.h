#pragma once

#include "api/ApiError.h"
#include "api/ApiTypes.h"

#include <QString>

#include <optional>

namespace Pixapi {

// A task of the async API (POST /v1/async/images/generations, GET /v1/tasks/{id}; contract §4.2, §4.3, §12).
struct TaskInfo
{
    // Unknown covers every status the contract does not name: it is polled like a running task, never a success.
    enum class Status { Submitted, Queued, Processing, Completed, Failed, Unknown };

    QString id; // "task_…"
    Status status = Status::Unknown;
    QString statusText;   // the server's status as sent (shown for Unknown)
    int progress = 0;     // 0..100 (clamped)
    qint64 createdAt = 0; // unix seconds; 0 when absent
    QString model;
    std::optional<GenerationResponse> result; // set when Completed
    std::optional<ApiError> error;            // set when Failed (the task's own error, not a transport error)

    bool isTerminal() const { return status == Status::Completed || status == Status::Failed; }
    static Status statusFromText(const QString& text);
    static QString statusName(Status status); // "submitted", …, "unknown"
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::TaskInfo::Status)
