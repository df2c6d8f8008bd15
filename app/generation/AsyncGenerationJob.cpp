#include "generation/AsyncGenerationJob.h"

#include "api/PixapiClient.h"
#include "generation/GenerationJob.h"
#include "generation/ResultSaver.h"
#include "support/Logging.h"

namespace Pixapi {

AsyncGenerationJob::AsyncGenerationJob(PixapiClient* client, Library* library, TaskStore* store,
                                       GenerationParams params, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_library(library)
    , m_store(store)
    , m_params(std::move(params))
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &AsyncGenerationJob::poll);
}

void AsyncGenerationJob::start()
{
    if (m_started)
        return;
    m_started = true;
    m_clock.start();
    // Nothing is sent unless the row exists: a task we could not record could never be resumed.
    if (!m_store || !m_store->isOpen()) {
        m_outcome.error = ApiError::make(ApiError::Kind::StorageError, QStringLiteral("the task store is not open"));
        finishLater();
        return;
    }
    m_origin.inputImages = int(m_edit.images.size());
    m_origin.masked = !m_edit.maskPng.isEmpty();
    const auto inserted = m_store->insertSubmitting(m_params, m_accountId, m_creditsPerImage, m_parentIds, m_origin);
    if (!inserted) {
        m_outcome.error = inserted.error();
        finishLater();
        return;
    }
    m_localId = inserted.value();
    Q_EMIT stageChanged(tr("Submitting the task…"));
    TaskJob* job = m_client->submitAsync(m_params, m_edit);
    m_request = job;
    connect(job, &ApiJob::retryScheduled, this, [this](int delayMs, int httpStatus) {
        Q_EMIT stageChanged(GenerationJob::retryStage(delayMs, httpStatus));
    });
    connect(job, &ApiJob::finished, this, [this, job] {
        if (job->result().ok())
            onSubmitted(job->result().value());
        else
            onSubmitFailed(job->result().error());
    });
}

void AsyncGenerationJob::resume(const TaskRow& row)
{
    if (m_started)
        return;
    m_started = true;
    m_clock.start();
    m_localId = row.id;
    m_taskId = row.remoteId;
    m_params = row.params;
    m_accountId = row.accountId;
    m_parentIds = row.parentIds;
    m_creditsPerImage = row.creditsPerImage;
    m_origin = row.origin;
    m_progress = row.progress;
    if (m_taskId.isEmpty()) {
        m_outcome.error = ApiError::make(ApiError::Kind::MalformedResponse, QStringLiteral("the task has no id"));
        finishLater();
        return;
    }
    qCInfo(lcGeneration) << "resuming task" << m_taskId;
    Q_EMIT taskIdAssigned(m_taskId);
    Q_EMIT stageChanged(tr("Checking the task…"));
    m_nextDelayMs = m_policy.initialMs;
    schedulePoll(0);
}

void AsyncGenerationJob::cancel()
{
    if (!m_started || m_done || m_saver || m_cancelRequested)
        return;
    m_cancelRequested = true;
    if (m_taskId.isEmpty()) {
        // The submit is in flight: wait for its answer, so a task the server created is recorded, then stop.
        Q_EMIT stageChanged(tr("Cancelling once the server has answered…"));
        return;
    }
    cancelLocally();
}

void AsyncGenerationJob::cancelLocally()
{
    m_pollTimer.stop();
    if (m_request)
        m_request->cancel();
    writeState(TaskRow::State::CancelledLocally,
               tr("Stopped checking. The server cannot cancel a task: it may still complete and be charged."));
    m_outcome.error = ApiError::make(ApiError::Kind::Cancelled);
    m_outcome.error->mayHaveBeenProcessed = true;
    finish();
}

void AsyncGenerationJob::onSubmitted(const TaskInfo& task)
{
    m_taskId = task.id;
    // Recorded before anything is reported: from here on a crash leaves a resumable row.
    if (m_store) {
        if (const auto written = m_store->setRemoteId(m_localId, m_taskId, task.statusText); !written)
            qCWarning(lcGeneration) << "task" << m_taskId << "could not be recorded; it will not survive a restart";
    }
    qCInfo(lcGeneration) << "submitted task" << m_taskId;
    Q_EMIT taskIdAssigned(m_taskId);
    if (m_cancelRequested) {
        cancelLocally();
        return;
    }
    m_nextDelayMs = m_policy.initialMs;
    onPolled(task);
}

void AsyncGenerationJob::onSubmitFailed(const ApiError& error)
{
    qCInfo(lcGeneration) << "task submit failed:" << ApiError::kindName(error.kind);
    // A lost answer may hide a created (and later charged) task whose id we do not know: say so, never resubmit.
    if (error.mayHaveBeenProcessed) {
        failWith(error, TaskRow::State::Orphaned);
        return;
    }
    failWith(error, TaskRow::State::Failed);
}

void AsyncGenerationJob::schedulePoll(int delayMs)
{
    if (m_clock.elapsed() >= m_policy.timeoutMs) {
        ApiError error = ApiError::make(ApiError::Kind::Timeout, QStringLiteral("task %1 still \"%2\" after %3 s")
                                                                     .arg(m_taskId, m_statusText)
                                                                     .arg(m_policy.timeoutMs / 1000));
        error.mayHaveBeenProcessed = true;
        // The row stays "running": the task may still complete, and resuming picks it up again.
        writeState(TaskRow::State::Running, tr("Gave up waiting for the task; it is checked again on the next start."),
                   ApiError::kindName(error.kind));
        m_outcome.error = error;
        finish();
        return;
    }
    const qint64 left = m_policy.timeoutMs - m_clock.elapsed();
    m_pollTimer.start(int(std::clamp<qint64>(delayMs, 0, left)));
}

void AsyncGenerationJob::poll()
{
    if (m_done)
        return;
    TaskJob* job = m_client->fetchTask(m_taskId);
    m_request = job;
    connect(job, &ApiJob::finished, this, [this, job] {
        if (m_done)
            return;
        if (job->result().ok())
            onPolled(job->result().value());
        else
            onPollFailed(job->result().error());
    });
}

void AsyncGenerationJob::onPolled(const TaskInfo& task)
{
    // An answer about another task must not be saved as this one's images.
    if (!task.id.isEmpty() && task.id != m_taskId) {
        onPollFailed(
            ApiError::make(ApiError::Kind::MalformedResponse,
                           QStringLiteral("asked for task %1, the server answered about %2").arg(m_taskId, task.id)));
        return;
    }
    applyStatus(task);
    switch (task.status) {
    case TaskInfo::Status::Completed:
        saveResult(*task.result);
        return;
    case TaskInfo::Status::Failed: {
        ApiError error = task.error.value_or(ApiError::make(ApiError::Kind::ServerError));
        failWith(error, TaskRow::State::Failed);
        return;
    }
    case TaskInfo::Status::Submitted:
    case TaskInfo::Status::Queued:
    case TaskInfo::Status::Processing:
    case TaskInfo::Status::Unknown:
        break;
    }
    const int delay = m_nextDelayMs;
    m_nextDelayMs = std::min(m_policy.maxMs, int(m_nextDelayMs * m_policy.factor));
    schedulePoll(delay);
}

void AsyncGenerationJob::onPollFailed(const ApiError& error)
{
    if (error.kind == ApiError::Kind::Cancelled)
        return; // cancelLocally() reports
    if (error.isTransient()) {
        // The client already retried; keep polling at the normal pace until the overall timeout.
        qCInfo(lcGeneration) << "polling task" << m_taskId << "failed for now:" << ApiError::kindName(error.kind);
        Q_EMIT stageChanged(tr("Cannot reach the server; trying again…"));
        const int delay = m_nextDelayMs;
        m_nextDelayMs = std::min(m_policy.maxMs, int(m_nextDelayMs * m_policy.factor));
        schedulePoll(delay);
        return;
    }
    // A key problem leaves the task resumable (with the right key); anything else ends it.
    const bool keyProblem = error.kind == ApiError::Kind::Unauthorized || error.kind == ApiError::Kind::Forbidden;
    ApiError reported = error;
    reported.mayHaveBeenProcessed = true;
    failWith(reported, keyProblem ? TaskRow::State::Running : TaskRow::State::Failed);
}

void AsyncGenerationJob::applyStatus(const TaskInfo& task)
{
    const bool statusChanged = task.status != m_status || task.statusText != m_statusText;
    const bool progressChanged = task.progress != m_progress;
    if (!statusChanged && !progressChanged)
        return;
    m_status = task.status;
    m_statusText = task.statusText;
    m_progress = task.progress;
    if (m_store)
        m_store->setProgress(m_localId, m_statusText, m_progress);
    if (statusChanged)
        Q_EMIT this->statusChanged(m_status, m_statusText);
    if (progressChanged)
        Q_EMIT this->progressChanged(m_progress);
    switch (m_status) {
    case TaskInfo::Status::Submitted:
        Q_EMIT stageChanged(tr("Submitted…"));
        break;
    case TaskInfo::Status::Queued:
        Q_EMIT stageChanged(tr("Queued on the server…"));
        break;
    case TaskInfo::Status::Processing:
        Q_EMIT stageChanged(tr("Processing… %1%").arg(m_progress));
        break;
    case TaskInfo::Status::Unknown:
        Q_EMIT stageChanged(tr("Waiting (server status \"%1\")…").arg(m_statusText));
        break;
    case TaskInfo::Status::Completed:
    case TaskInfo::Status::Failed:
        break;
    }
}

void AsyncGenerationJob::saveResult(const GenerationResponse& response)
{
    Q_EMIT stageChanged(tr("Saving the images…"));
    m_saver = new ResultSaver(m_client, m_library, this);
    connect(m_saver, &ResultSaver::imageSaved, this, &AsyncGenerationJob::imageSaved);
    connect(m_saver, &ResultSaver::finished, this, [this] {
        m_outcome = m_saver->outcome();
        if (m_outcome.complete())
            writeState(TaskRow::State::Completed);
        else
            writeState(TaskRow::State::Failed,
                       m_outcome.error ? m_outcome.error->userMessage() : tr("The task returned no images."),
                       m_outcome.error ? ApiError::kindName(m_outcome.error->kind) : QString());
        finish();
    });
    // A task's images may be saved again after a crash mid-save (the row was still running): never twice.
    m_saver->save(response, {m_params, m_accountId, m_creditsPerImage, m_clock.elapsed(), m_taskId, m_parentIds,
                             m_origin.inputImages, m_origin.masked, /*replay=*/true});
}

void AsyncGenerationJob::failWith(const ApiError& error, std::optional<TaskRow::State> rowState)
{
    if (rowState)
        writeState(*rowState, error.userMessage(), error.code.isEmpty() ? ApiError::kindName(error.kind) : error.code);
    m_outcome.error = error;
    finish();
}

void AsyncGenerationJob::writeState(TaskRow::State state, const QString& reason, const QString& code)
{
    if (!m_store || m_localId == 0)
        return;
    if (const auto written = m_store->setState(m_localId, state, reason, code); !written)
        qCWarning(lcGeneration) << "task" << m_localId << "state could not be recorded";
}

void AsyncGenerationJob::finishLater()
{
    QMetaObject::invokeMethod(this, &AsyncGenerationJob::finish, Qt::QueuedConnection);
}

void AsyncGenerationJob::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_pollTimer.stop();
    Q_EMIT finished(m_outcome);
}

} // namespace Pixapi
