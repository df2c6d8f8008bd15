#pragma once

#include "generation/GenerationOutcome.h"
#include "generation/GenerationQueue.h"
#include "usage/UsageEntry.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QObject>

namespace Pixapi {

class UsageLedger;

// Writes one ledger row per request the queue finishes, successes and failures alike. An entry cancelled while it
// waited for a slot was never sent and never finishes: it is not recorded.
class UsageRecorder : public QObject
{
    Q_OBJECT

public:
    // `ledger` must be open and outlive the recorder; appends run on this thread (one row each).
    UsageRecorder(GenerationQueue* queue, UsageLedger* ledger, QObject* parent = nullptr);

    // The ledger row of one finished request; public for callers that run jobs without the queue (the CLI).
    // sentAt: when it was sent (UTC). elapsedMs: from sending to finishing, -1 when unknown (used when the saved
    // images carry no duration of their own).
    static UsageEntry entryFor(const GenerationQueue::Request& request, const GenerationOutcome& outcome,
                               const QDateTime& sentAt, qint64 elapsedMs);

Q_SIGNALS:
    // A row was appended (its id set): the usage panel and the balance's "spent since" may refresh.
    void recorded(const Pixapi::UsageEntry& entry);

private:
    struct Sent
    {
        GenerationQueue::Request request; // copied at start: once finished, the entry may be dismissed before we run
        QDateTime at;
        QElapsedTimer clock;
    };
    void onStarted(quint64 entryId);
    void onFinished(quint64 entryId, const GenerationOutcome& outcome);

    GenerationQueue* m_queue;
    UsageLedger* m_ledger;
    QHash<quint64, Sent> m_sent;
};

} // namespace Pixapi
