#pragma once

#include "api/ApiTypes.h"
#include "api/TaskInfo.h"
#include "generation/GenerationOutcome.h"
#include "generation/TaskStore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace Pixapi {

class ApiJob;
class Library;
class PixapiClient;
class ResultSaver;

// One generation through the async API, persisted so that it survives a crash:
//   row "submitting" → POST /v1/async/images/generations (never retried) → row "running" with the task id (written
//   before anything is reported) → poll GET /v1/tasks/{id} with growing intervals → on "completed" every image is
//   stored like GenerationJob does (ResultSaver) → row "completed"; on "failed" the row records the task's error.
// A submit whose answer is lost leaves the row "orphaned" (may have been charged, no task id): never resubmitted.
// Signals as GenerationJob (finished exactly once) plus the task's id, status and progress.
class AsyncGenerationJob : public QObject
{
    Q_OBJECT

public:
    struct PollPolicy
    {
        int initialMs = 1500;        // first poll after the submit
        double factor = 1.5;         // each later interval grows by this
        int maxMs = 10'000;          // and is capped here
        int timeoutMs = 30 * 60'000; // give up waiting (the row stays resumable)
    };

    AsyncGenerationJob(PixapiClient* client, Library* library, TaskStore* store, GenerationParams params,
                       QObject* parent = nullptr);

    void setCreditsPerImage(std::optional<double> credits) { m_creditsPerImage = credits; }
    void setAccountId(const QString& accountId) { m_accountId = accountId; }
    // Library images this generation was made from; persisted with the task and recorded with every image.
    void setParentIds(const QList<qint64>& ids) { m_parentIds = ids; }
    // Input images (and a mask): the request becomes an edit (POST .../images/edits).
    void setEditInputs(const EditInputs& inputs) { m_edit = inputs; }
    // What sent it (GenerationQueue::Request::source), kept with the task for a resumed one.
    void setSource(const QString& source) { m_origin.source = source; }
    void setPollPolicy(const PollPolicy& policy) { m_policy = policy; }

    // A new task: persists the row, submits, polls.
    void start();
    // Continues a persisted task (state Running, remote id set): polls at once. Params and account come from the row.
    void resume(const TaskRow& row);
    // Stops locally: the server has no cancel endpoint, so the task may still complete (and be charged); the row
    // becomes "cancelled_locally". During the submit it waits for the answer so the task id is never lost; once the
    // task completed, its images are saved regardless.
    void cancel();

    const GenerationParams& params() const { return m_params; }
    const GenerationOutcome& outcome() const { return m_outcome; }
    bool isRunning() const { return m_started && !m_done; }
    qint64 localId() const { return m_localId; }
    QString taskId() const { return m_taskId; }
    TaskInfo::Status status() const { return m_status; }
    int progress() const { return m_progress; }

Q_SIGNALS:
    void stageChanged(const QString& description);
    void taskIdAssigned(const QString& taskId);
    void statusChanged(Pixapi::TaskInfo::Status status, const QString& statusText);
    void progressChanged(int percent);
    void imageSaved(const Pixapi::LibraryRecord& record);
    void finished(const Pixapi::GenerationOutcome& outcome);

private:
    void onSubmitted(const TaskInfo& task);
    void onSubmitFailed(const ApiError& error);
    void poll();
    void schedulePoll(int delayMs);
    void onPolled(const TaskInfo& task);
    void onPollFailed(const ApiError& error);
    void applyStatus(const TaskInfo& task);
    void saveResult(const GenerationResponse& response);
    void cancelLocally();
    void failWith(const ApiError& error, std::optional<TaskRow::State> rowState);
    void writeState(TaskRow::State state, const QString& reason = {}, const QString& code = {});
    void finishLater();
    void finish();

    PixapiClient* m_client;
    QPointer<Library> m_library;
    TaskStore* m_store;
    GenerationParams m_params;
    PollPolicy m_policy;
    std::optional<double> m_creditsPerImage;
    QString m_accountId;
    QList<qint64> m_parentIds;
    EditInputs m_edit;
    TaskRow::Origin m_origin; // the edit's counts: from m_edit when started, from the row when resumed

    qint64 m_localId = 0;
    QString m_taskId;
    TaskInfo::Status m_status = TaskInfo::Status::Unknown;
    QString m_statusText;
    int m_progress = 0;
    int m_nextDelayMs = 0;
    QTimer m_pollTimer;
    QElapsedTimer m_clock;
    QPointer<ApiJob> m_request; // the submit or the poll in flight
    ResultSaver* m_saver = nullptr;
    GenerationOutcome m_outcome;
    bool m_started = false;
    bool m_cancelRequested = false;
    bool m_done = false;
};

} // namespace Pixapi
