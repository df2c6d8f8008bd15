#pragma once

#include "api/ApiTypes.h"
#include "generation/AsyncGenerationJob.h"
#include "generation/GenerationOutcome.h"
#include "generation/GenerationQueueModel.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace Pixapi {

class Library;
class PixapiClient;
class TaskStore;
struct SpooledResponse;

// The one place that runs generations, sync (GenerationJob) or async (AsyncGenerationJob). Entries wait in FIFO
// order until their model has a free slot (per-model limit, default 2) and the global cap allows (default 4).
// Nothing is ever retried automatically: retry() is an explicit, NEW request. The entries are exposed through
// model() for the queue panel.
class GenerationQueue : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        GenerationParams params;
        bool async = false;
        QString accountId;                           // recorded with the images
        std::optional<double> creditsPerImage;       // catalog price, recorded when the server reports no cost
        QList<qint64> parentIds;                     // library images it was made from, recorded with every image
        QString source = QStringLiteral("generate"); // what sent it, for the usage ledger: "generate", "board", "batch"
        EditInputs edit;                             // input images (and mask): sent as an edit
    };

    // `store` may be null (or not open): async requests then fail without sending anything.
    GenerationQueue(PixapiClient* client, Library* library, TaskStore* store, QObject* parent = nullptr);
    ~GenerationQueue() override;

    GenerationQueueModel* model() const { return m_model; }

    void setPerModelLimit(int limit); // >= 1; applies at once (more entries may start)
    int perModelLimit() const { return m_perModelLimit; }
    void setGlobalLimit(int limit); // >= 1
    int globalLimit() const { return m_globalLimit; }
    void setPollPolicy(const AsyncGenerationJob::PollPolicy& policy) { m_pollPolicy = policy; }

    // Adds an entry and starts it if a slot is free. Returns its id. `added`, when given, gets the id before the entry
    // can start: a free slot starts it (and it may even finish) inside this call, so a caller that tracks its entries
    // registers them there.
    quint64 enqueue(const Request& request, const std::function<void(quint64)>& added = {});
    // The request of an entry still listed (until dismissed); nothing for an unknown id.
    std::optional<Request> request(quint64 entryId) const;
    // Queued: removed from the run order (never sent). Running: the job's cancel (see GenerationJob and
    // AsyncGenerationJob for what that can and cannot stop). False when the entry is unknown or finished.
    bool cancel(quint64 entryId);
    // A NEW request with the same parameters, for a Failed, Cancelled or Orphaned entry. Returns the new id, 0 if
    // the entry cannot be retried.
    quint64 retry(quint64 entryId);
    // Removes a finished entry from the list; an orphan is marked acknowledged in the store and not shown again.
    bool dismiss(quint64 entryId);
    // Loads unfinished async tasks from the store (at start): running ones resume polling at once (they already
    // exist on the server, so they do not wait for a slot, but they occupy one); rows left "submitting" by a crash
    // and orphans are listed as Orphaned. Returns the number of entries added.
    int resumePending();
    // Saves the sync answers a crash left in the ResponseSpool (read on a worker): each is listed as an entry while
    // its images are stored, then as Completed (or Failed). Entries appear shortly after the call.
    void recoverSpooled();

    int runningCount() const;
    int runningCount(const QString& model) const;

Q_SIGNALS:
    void imageSaved(const Pixapi::LibraryRecord& record);
    // The entry got its slot; its request is sent right after (a slot must not cancel it from here).
    void entryStarted(quint64 entryId);
    void entryFinished(quint64 entryId, const Pixapi::GenerationOutcome& outcome);

private:
    struct Pending
    {
        Request request;
        quint64 id = 0;
    };
    quint64 addEntry(const Request& request, QueueEntry::State state);
    void recover(const SpooledResponse& spooled);
    void startReady();
    void startEntry(quint64 entryId, const Request& request);
    void watchAsync(quint64 entryId, AsyncGenerationJob* job);
    void onImageSaved(quint64 entryId, const LibraryRecord& record);
    void onFinished(quint64 entryId, const GenerationOutcome& outcome, bool orphaned);

    PixapiClient* m_client;
    QPointer<Library> m_library;
    TaskStore* m_store;
    GenerationQueueModel* m_model;
    AsyncGenerationJob::PollPolicy m_pollPolicy;
    QHash<quint64, Request> m_requests; // every entry's request (for retry)
    QList<quint64> m_waiting;           // queued entry ids, FIFO
    QHash<quint64, QObject*> m_jobs;    // running entry id → GenerationJob or AsyncGenerationJob
    QHash<quint64, QString> m_runningModel;
    quint64 m_nextId = 1;
    int m_perModelLimit = 2;
    int m_globalLimit = 4;
};

} // namespace Pixapi
