#include "generation/GenerationQueue.h"

#include "generation/GenerationJob.h"
#include "generation/ResponseSpool.h"
#include "generation/ResultSaver.h"
#include "generation/TaskStore.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"
#include "support/WhenFinished.h"

namespace Pixapi {

GenerationQueue::GenerationQueue(PixapiClient* client, Library* library, TaskStore* store, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_library(library)
    , m_store(store)
    , m_model(new GenerationQueueModel(this))
{ }

GenerationQueue::~GenerationQueue()
{
    // Jobs are children: disconnect first so their destruction never calls back into a half-destroyed queue.
    for (QObject* job : std::as_const(m_jobs))
        job->disconnect(this);
    qDeleteAll(m_jobs);
}

void GenerationQueue::setPerModelLimit(int limit)
{
    m_perModelLimit = std::max(1, limit);
    startReady();
}

void GenerationQueue::setGlobalLimit(int limit)
{
    m_globalLimit = std::max(1, limit);
    startReady();
}

quint64 GenerationQueue::addEntry(const Request& request, QueueEntry::State state)
{
    QueueEntry entry;
    entry.id = m_nextId++;
    entry.params = request.params;
    entry.async = request.async;
    entry.state = state;
    m_requests.insert(entry.id, request);
    m_model->append(entry);
    return entry.id;
}

quint64 GenerationQueue::enqueue(const Request& request, const std::function<void(quint64)>& added)
{
    const quint64 id = addEntry(request, QueueEntry::State::Queued);
    m_model->update(id, [this](QueueEntry& e) { e.stage = tr("Waiting for a free slot…"); });
    if (added)
        added(id);
    m_waiting.append(id);
    startReady();
    return id;
}

std::optional<GenerationQueue::Request> GenerationQueue::request(quint64 entryId) const
{
    const auto it = m_requests.constFind(entryId);
    return it == m_requests.cend() ? std::nullopt : std::optional(*it);
}

int GenerationQueue::runningCount() const
{
    return int(m_jobs.size());
}

int GenerationQueue::runningCount(const QString& model) const
{
    int count = 0;
    for (const QString& running : m_runningModel) {
        if (running == model)
            ++count;
    }
    return count;
}

void GenerationQueue::startReady()
{
    for (auto it = m_waiting.begin(); it != m_waiting.end() && runningCount() < m_globalLimit;) {
        const Request request = m_requests.value(*it);
        if (runningCount(request.params.model) >= m_perModelLimit) {
            ++it; // this model is busy; a later entry of another model may start
            continue;
        }
        const quint64 id = *it;
        it = m_waiting.erase(it);
        startEntry(id, request);
    }
}

void GenerationQueue::startEntry(quint64 entryId, const Request& request)
{
    m_runningModel.insert(entryId, request.params.model);
    m_model->update(entryId, [](QueueEntry& e) {
        e.state = QueueEntry::State::Running;
        e.stage.clear();
    });
    Q_EMIT entryStarted(entryId);
    if (request.async) {
        auto* job = new AsyncGenerationJob(m_client, m_library, m_store, request.params, this);
        job->setAccountId(request.accountId);
        job->setCreditsPerImage(request.creditsPerImage);
        job->setParentIds(request.parentIds);
        job->setEditInputs(request.edit);
        job->setSource(request.source);
        job->setPollPolicy(m_pollPolicy);
        m_jobs.insert(entryId, job);
        watchAsync(entryId, job);
        job->start();
        m_model->update(entryId, [job](QueueEntry& e) { e.taskRowId = job->localId(); });
        return;
    }
    auto* job = new GenerationJob(m_client, m_library, request.params, this);
    job->setAccountId(request.accountId);
    job->setCreditsPerImage(request.creditsPerImage);
    job->setParentIds(request.parentIds);
    job->setEditInputs(request.edit);
    m_jobs.insert(entryId, job);
    connect(job, &GenerationJob::stageChanged, this, [this, entryId](const QString& stage) {
        m_model->update(entryId, [&](QueueEntry& e) { e.stage = stage; });
    });
    connect(job, &GenerationJob::imageSaved, this,
            [this, entryId](const LibraryRecord& record) { onImageSaved(entryId, record); });
    connect(job, &GenerationJob::finished, this,
            [this, entryId](const GenerationOutcome& outcome) { onFinished(entryId, outcome, false); });
    job->start();
}

void GenerationQueue::watchAsync(quint64 entryId, AsyncGenerationJob* job)
{
    connect(job, &AsyncGenerationJob::stageChanged, this, [this, entryId](const QString& stage) {
        m_model->update(entryId, [&](QueueEntry& e) { e.stage = stage; });
    });
    connect(job, &AsyncGenerationJob::progressChanged, this,
            [this, entryId](int progress) { m_model->update(entryId, [&](QueueEntry& e) { e.progress = progress; }); });
    connect(job, &AsyncGenerationJob::taskIdAssigned, this, [this, entryId](const QString& taskId) {
        m_model->update(entryId, [&](QueueEntry& e) { e.taskId = taskId; });
    });
    connect(job, &AsyncGenerationJob::imageSaved, this,
            [this, entryId](const LibraryRecord& record) { onImageSaved(entryId, record); });
    connect(job, &AsyncGenerationJob::finished, this, [this, entryId, job](const GenerationOutcome& outcome) {
        // No task id after a submit that may have reached the server: an orphan, never resubmitted.
        const bool orphaned = outcome.error && outcome.error->mayHaveBeenProcessed && job->taskId().isEmpty();
        onFinished(entryId, outcome, orphaned);
    });
}

void GenerationQueue::onImageSaved(quint64 entryId, const LibraryRecord& record)
{
    m_model->update(entryId, [](QueueEntry& e) { ++e.savedCount; });
    Q_EMIT imageSaved(record);
}

void GenerationQueue::onFinished(quint64 entryId, const GenerationOutcome& outcome, bool orphaned)
{
    if (QObject* job = m_jobs.take(entryId))
        job->deleteLater();
    m_runningModel.remove(entryId);
    m_model->update(entryId, [&](QueueEntry& e) {
        e.stage.clear();
        if (outcome.complete()) {
            e.state = QueueEntry::State::Completed;
            e.progress = e.async ? 100 : e.progress;
            e.errorText.clear();
            return;
        }
        const ApiError error = outcome.error.value_or(ApiError::make(ApiError::Kind::MalformedResponse));
        e.mayHaveBeenCharged = error.mayHaveBeenProcessed;
        e.errorText = error.userMessage();
        if (orphaned) {
            e.state = QueueEntry::State::Orphaned;
            e.errorText = tr("The server may have accepted and charged this request, but its task id was lost. "
                             "Check your balance and dashboard before trying again.");
        } else if (error.kind == ApiError::Kind::Cancelled) {
            e.state = QueueEntry::State::Cancelled;
            if (e.async && !e.taskId.isEmpty())
                e.errorText = tr("Stopped checking. The server cannot cancel a task: it may still complete and be "
                                 "charged.");
        } else {
            e.state = QueueEntry::State::Failed;
        }
    });
    Q_EMIT entryFinished(entryId, outcome);
    startReady();
}

bool GenerationQueue::cancel(quint64 entryId)
{
    const QueueEntry* entry = m_model->find(entryId);
    if (!entry || entry->isFinished())
        return false;
    if (m_waiting.removeOne(entryId)) {
        m_model->update(entryId, [](QueueEntry& e) {
            e.state = QueueEntry::State::Cancelled;
            e.stage.clear();
        });
        return true;
    }
    QObject* job = m_jobs.value(entryId);
    if (auto* async = qobject_cast<AsyncGenerationJob*>(job))
        async->cancel();
    else if (auto* sync = qobject_cast<GenerationJob*>(job))
        sync->cancel();
    return job != nullptr;
}

quint64 GenerationQueue::retry(quint64 entryId)
{
    const QueueEntry* entry = m_model->find(entryId);
    if (!entry || !entry->isFinished() || entry->state == QueueEntry::State::Completed || !entry->retryable
        || !m_requests.contains(entryId))
        return 0;
    return enqueue(m_requests.value(entryId));
}

bool GenerationQueue::dismiss(quint64 entryId)
{
    const QueueEntry* entry = m_model->find(entryId);
    if (!entry || !entry->isFinished())
        return false;
    if (entry->state == QueueEntry::State::Orphaned && entry->taskRowId > 0 && m_store)
        m_store->setState(entry->taskRowId, TaskRow::State::Dismissed, entry->errorText);
    m_requests.remove(entryId);
    return m_model->remove(entryId);
}

int GenerationQueue::resumePending()
{
    if (!m_store || !m_store->isOpen())
        return 0;
    QSet<qint64> tracked;
    for (const QueueEntry& e : m_model->entries()) {
        if (e.taskRowId > 0)
            tracked.insert(e.taskRowId);
    }
    int added = 0;
    const QList<TaskRow> rows = m_store->pending();
    for (const TaskRow& row : rows) {
        if (tracked.contains(row.id))
            continue;
        Request request;
        request.params = row.params;
        request.async = true;
        request.accountId = row.accountId;
        request.creditsPerImage = row.creditsPerImage;
        request.parentIds = row.parentIds;
        if (!row.origin.source.isEmpty())
            request.source = row.origin.source;
        if (row.state == TaskRow::State::Running && !row.remoteId.isEmpty()) {
            const quint64 id = addEntry(request, QueueEntry::State::Running);
            m_runningModel.insert(id, row.params.model);
            auto* job = new AsyncGenerationJob(m_client, m_library, m_store, row.params, this);
            job->setPollPolicy(m_pollPolicy);
            m_jobs.insert(id, job);
            m_model->update(id, [&row](QueueEntry& e) {
                e.retryable = row.origin.inputImages == 0;
                e.taskRowId = row.id;
                e.taskId = row.remoteId;
                e.progress = row.progress;
            });
            watchAsync(id, job);
            job->resume(row);
        } else {
            // Left "submitting" by a crash (or already orphaned): the POST may have been charged, the id is unknown.
            const QString reason = tr("The app stopped while this request was being submitted. The server may have "
                                      "accepted and charged it, but its task id is unknown. Check your balance and "
                                      "dashboard before trying again.");
            if (row.state != TaskRow::State::Orphaned)
                m_store->setState(row.id, TaskRow::State::Orphaned, reason);
            const quint64 id = addEntry(request, QueueEntry::State::Orphaned);
            m_model->update(id, [&](QueueEntry& e) {
                e.retryable = row.origin.inputImages == 0;
                e.taskRowId = row.id;
                e.errorText = reason;
                e.mayHaveBeenCharged = true;
            });
        }
        ++added;
    }
    qCInfo(lcGeneration) << "resumed" << added << "pending task(s)";
    return added;
}

void GenerationQueue::recoverSpooled()
{
    if (!m_library)
        return;
    const ResponseSpool spool(m_library->rootDir());
    whenFinished(this, runInBackground([spool] { return spool.pending(); }),
                 [this](const QList<SpooledResponse>& entries) {
                     for (const SpooledResponse& spooled : entries)
                         recover(spooled);
                     if (!entries.isEmpty())
                         qCInfo(lcGeneration) << "recovering" << entries.size() << "spooled response(s)";
                 });
}

void GenerationQueue::recover(const SpooledResponse& spooled)
{
    Request request;
    request.params = spooled.context.params;
    request.accountId = spooled.context.accountId;
    request.creditsPerImage = spooled.context.creditsPerImage;
    request.parentIds = spooled.context.parentIds;
    const quint64 id = addEntry(request, QueueEntry::State::Running);
    m_model->update(id, [](QueueEntry& e) {
        e.stage = tr("Saving the images received before the app closed…");
        e.retryable = false; // already paid for and saved now: a retry would be a new request
    });
    auto* saver = new ResultSaver(m_client, m_library, this);
    m_jobs.insert(id, saver);
    connect(saver, &ResultSaver::imageSaved, this,
            [this, id](const LibraryRecord& record) { onImageSaved(id, record); });
    connect(saver, &ResultSaver::finished, this, [this, id, saver] { onFinished(id, saver->outcome(), false); });
    saver->recover(spooled);
}

} // namespace Pixapi
