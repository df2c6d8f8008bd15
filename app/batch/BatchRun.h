#pragma once

#include "api/ApiTypes.h"
#include "batch/BatchFile.h"
#include "batch/BatchJournal.h"
#include "compare/BoardSpec.h"
#include "generation/GenerationOutcome.h"

#include <QHash>
#include <QList>
#include <QObject>

#include <optional>

namespace Pixapi {

class GenerationQueue;
class Library;
class ModelCatalog;
class TagWrites;

// Runs the items of a batch file through the GenerationQueue, at most `concurrency` at a time, and keeps the journal:
// an item is recorded Sending before its request goes out and Done, Failed or Uncertain when it ends (see
// BatchJournal), so running the same batch again sends only what is left and never pays twice. Every image is tagged
// with "batch: <name>" and its row's tags. Nothing is retried within a run.
class BatchRun : public QObject
{
    Q_OBJECT

public:
    // What a run would do, from the journal: the preflight shown before anything is sent.
    struct Plan
    {
        QList<int> toSend;         // indexes into items(), in file order
        int alreadyDone = 0;       // finished by an earlier run
        int uncertain = 0;         // may have been charged by an earlier run: not sent (see sendUncertain)
        int interrupted = 0;       // of those, left Sending by a run that was killed, settled now
        int failedBefore = 0;      // refused earlier (not charged): sent again
        int images = 0;            // of toSend
        BoardCost cost;            // of toSend, from the catalog's prices
        QStringList unknownModels; // not in the catalog: nothing is sent
    };

    enum class StopReason { None, Stopped, CreditCap, StorageError };

    // `journal` must be open; everything must outlive the run.
    BatchRun(GenerationQueue* queue, Library* library, BatchJournal* journal, const ModelCatalog* catalog, QString name,
             QList<BatchItem> items, QObject* parent = nullptr);

    // Settles what an interrupted run left behind and works out the plan. With sendUncertain, the requests that may
    // have been charged are sent again (the person checked and asks for it).
    Result<Plan, ApiError> prepare(bool sendUncertain);
    void setConcurrency(int concurrency); // >= 1; default 4
    // Stops sending once this run's spend (reported, else estimated) plus the next request's estimate would pass it.
    void setCreditCap(std::optional<double> cap) { m_creditCap = cap; }
    void setAccountId(const QString& accountId) { m_accountId = accountId; }

    // Sends the plan of prepare(). Call once.
    void start();
    // No new request is sent; the ones on their way finish (they may already be paid for).
    void stop();

    static QString batchTag(const QString& name); // "batch: <name>"
    const QString& name() const { return m_name; }
    const QList<BatchItem>& items() const { return m_items; }
    int total() const { return int(m_plan.toSend.size()); }
    int running() const { return int(m_running.size()); }
    int finishedCount() const { return m_done + m_failed + m_uncertain; }
    int done() const { return m_done; }
    int failed() const { return m_failed; }
    int uncertain() const { return m_uncertain; }
    int images() const { return m_images; }
    double credits() const { return m_credits; }
    int notSent() const { return total() - m_next; }
    StopReason stopReason() const { return m_stopReason; }
    bool isFinished() const;

Q_SIGNALS:
    void itemStarted(int index);
    void itemFinished(int index, Pixapi::BatchJournal::State state, const Pixapi::GenerationOutcome& outcome);
    void finished(); // once: nothing running, nothing left to send (or stopped), every tag written

private:
    void sendMore();
    bool fitsUnderCap(int index) const;
    double estimateOf(int index) const;
    void stopWith(StopReason reason);
    void onFinished(quint64 entryId, const GenerationOutcome& outcome);
    void finishIfDone();

    GenerationQueue* m_queue;
    BatchJournal* m_journal;
    const ModelCatalog* m_catalog;
    TagWrites* m_tags;
    QString m_name;
    QList<BatchItem> m_items;
    Plan m_plan;
    QString m_accountId;
    int m_concurrency = 4;
    std::optional<double> m_creditCap;
    QHash<quint64, int> m_running; // queue entry → item index
    int m_next = 0;                // next position in m_plan.toSend
    int m_done = 0;
    int m_failed = 0;
    int m_uncertain = 0;
    int m_images = 0;
    double m_credits = 0;
    StopReason m_stopReason = StopReason::None;
    bool m_started = false;
    bool m_finishedSent = false;
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::BatchJournal::State)
