#include "batch/BatchRun.h"

#include "catalog/ModelCatalog.h"
#include "compare/PromptMatrix.h"
#include "generation/GenerationQueue.h"
#include "generation/QueueRequest.h"
#include "library/TagWrites.h"
#include "support/Logging.h"

namespace Pixapi {

BatchRun::BatchRun(GenerationQueue* queue, Library* library, BatchJournal* journal, const ModelCatalog* catalog,
                   QString name, QList<BatchItem> items, QObject* parent)
    : QObject(parent)
    , m_queue(queue)
    , m_journal(journal)
    , m_catalog(catalog)
    , m_tags(new TagWrites(library, this))
    , m_name(std::move(name))
    , m_items(std::move(items))
{
    connect(m_queue, &GenerationQueue::entryFinished, this, &BatchRun::onFinished);
    connect(m_tags, &TagWrites::settled, this, &BatchRun::finishIfDone);
}

QString BatchRun::batchTag(const QString& name)
{
    return PromptMatrix::tagFor({QStringLiteral("batch"), name});
}

void BatchRun::setConcurrency(int concurrency)
{
    m_concurrency = std::max(1, concurrency);
    m_queue->setGlobalLimit(m_concurrency);
    m_queue->setPerModelLimit(m_concurrency);
}

Result<BatchRun::Plan, ApiError> BatchRun::prepare(bool sendUncertain)
{
    using Failure = Result<Plan, ApiError>;
    const auto settled = m_journal->settleInterrupted(m_name);
    if (!settled)
        return Failure::failure(settled.error());
    if (sendUncertain) {
        if (const auto forgotten = m_journal->forgetUncertain(m_name); !forgotten)
            return Failure::failure(forgotten.error());
    }
    const auto entries = m_journal->entries(m_name);
    if (!entries)
        return Failure::failure(entries.error());

    Plan plan;
    plan.interrupted = settled.value();
    QList<GenerationParams> toSend;
    for (int i = 0; i < m_items.size(); ++i) {
        const BatchItem& item = m_items.at(i);
        const auto entry = entries.value().constFind(item.key);
        if (entry != entries.value().constEnd()) {
            if (entry->state == BatchJournal::State::Done) {
                ++plan.alreadyDone;
                continue;
            }
            if (entry->state != BatchJournal::State::Failed) {
                ++plan.uncertain;
                continue;
            }
            ++plan.failedBefore;
        }
        plan.toSend << i;
        plan.images += item.params.n;
        toSend << item.params;
        if (m_catalog && !m_catalog->find(item.params.model) && !plan.unknownModels.contains(item.params.model))
            plan.unknownModels << item.params.model;
    }
    if (m_catalog)
        plan.cost = BoardCost::estimate(toSend, *m_catalog);
    m_plan = plan;
    return plan;
}

double BatchRun::estimateOf(int index) const
{
    return m_catalog ? BoardCost::estimate(QList<GenerationParams> {m_items.at(index).params}, *m_catalog).total
                     : 0; // unknown: 0
}

bool BatchRun::fitsUnderCap(int index) const
{
    if (!m_creditCap)
        return true;
    double committed = m_credits;
    for (const int running : m_running)
        committed += estimateOf(running);
    return committed + estimateOf(index) <= *m_creditCap + 1e-9;
}

void BatchRun::start()
{
    Q_ASSERT(!m_started);
    m_started = true;
    sendMore();
    finishIfDone();
}

void BatchRun::stop()
{
    stopWith(StopReason::Stopped);
    finishIfDone();
}

void BatchRun::stopWith(StopReason reason)
{
    if (m_stopReason == StopReason::None)
        m_stopReason = reason;
}

void BatchRun::sendMore()
{
    while (m_stopReason == StopReason::None && m_running.size() < m_concurrency && m_next < m_plan.toSend.size()) {
        const int index = m_plan.toSend.at(m_next);
        if (!fitsUnderCap(index)) {
            stopWith(StopReason::CreditCap);
            return;
        }
        // Recorded before it is sent: a request that goes out unrecorded could be sent (and paid for) twice.
        const BatchItem& item = m_items.at(index);
        if (const auto recorded = m_journal->markSending(m_name, item); !recorded) {
            qCWarning(lcGeneration).noquote() << "batch journal:" << recorded.error().detail;
            stopWith(StopReason::StorageError);
            return;
        }
        ++m_next;
        GenerationQueue::Request request = queueRequestFor(item.params, m_catalog, m_accountId);
        request.source = QStringLiteral("batch");
        m_queue->enqueue(request, [this, index](quint64 id) { m_running.insert(id, index); });
        Q_EMIT itemStarted(index);
    }
}

void BatchRun::onFinished(quint64 entryId, const GenerationOutcome& outcome)
{
    const auto it = m_running.constFind(entryId);
    if (it == m_running.constEnd())
        return;
    const int index = it.value();
    m_running.erase(it);

    // Images saved: done, even when some of the answer could not be read (sending again would pay again).
    BatchJournal::State state = BatchJournal::State::Done;
    if (outcome.saved.isEmpty())
        state = outcome.error && !outcome.error->mayHaveBeenProcessed ? BatchJournal::State::Failed
                                                                      : BatchJournal::State::Uncertain;
    const std::optional<double> credits = outcome.credits();
    const QString error = outcome.error ? outcome.error->userMessage() : QString();
    if (const auto recorded =
            m_journal->markFinished(m_name, m_items.at(index).key, state, int(outcome.saved.size()), credits, error);
        !recorded) {
        qCWarning(lcGeneration).noquote() << "batch journal:" << recorded.error().detail;
        stopWith(StopReason::StorageError);
    }
    switch (state) {
    case BatchJournal::State::Done:
        ++m_done;
        break;
    case BatchJournal::State::Failed:
        ++m_failed;
        break;
    default:
        ++m_uncertain;
        break;
    }
    m_images += int(outcome.saved.size());
    m_credits += credits.value_or(0);
    m_tags->add(outcome.saved, QStringList {batchTag(m_name)} + m_items.at(index).tags);
    Q_EMIT itemFinished(index, state, outcome);
    sendMore();
    finishIfDone();
}

bool BatchRun::isFinished() const
{
    const bool nothingLeft = m_stopReason != StopReason::None || m_next == m_plan.toSend.size();
    return m_started && nothingLeft && m_running.isEmpty() && m_tags->pending() == 0;
}

void BatchRun::finishIfDone()
{
    if (!m_finishedSent && isFinished()) {
        m_finishedSent = true;
        Q_EMIT finished();
    }
}

} // namespace Pixapi
