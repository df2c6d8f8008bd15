#include "usage/UsageRecorder.h"

#include "support/Logging.h"
#include "usage/UsageLedger.h"

#include <algorithm>

namespace Pixapi {

namespace {

// What the ledger knows of a success's status: the parsers accept any 2xx without keeping its code, and both APIs
// answer a generation (or a task poll) with 200.
constexpr int AnsweredStatus = 200;

} // namespace

UsageRecorder::UsageRecorder(GenerationQueue* queue, UsageLedger* ledger, QObject* parent)
    : QObject(parent)
    , m_queue(queue)
    , m_ledger(ledger)
{
    connect(queue, &GenerationQueue::entryStarted, this, &UsageRecorder::onStarted);
    connect(queue, &GenerationQueue::entryFinished, this, &UsageRecorder::onFinished);
}

UsageEntry UsageRecorder::entryFor(const GenerationQueue::Request& request, const GenerationOutcome& outcome,
                                   const QDateTime& sentAt, qint64 elapsedMs)
{
    const GenerationParams& params = request.params;
    const QList<LibraryRecord>& saved = outcome.saved;
    UsageEntry entry;
    entry.at = sentAt.toUTC();
    entry.accountId = request.accountId;
    entry.model = params.model;
    entry.n = params.n;
    entry.images = int(saved.size());
    entry.size = params.size;
    entry.quality = params.quality;
    entry.source = request.source;
    // The job's own measure of the request (what the gallery shows), else the queue's from sending to finishing.
    entry.durationMs = !saved.isEmpty() && saved.first().durationMs >= 0 ? saved.first().durationMs : elapsedMs;
    if (!saved.isEmpty())
        entry.requestId = saved.first().requestId;

    // The server answered with images: every one it returned was paid for, saved or not.
    const bool answered = outcome.expected > 0;
    if (!outcome.complete()) {
        // As the queue reports it: an incomplete outcome without an error is a malformed answer.
        const ApiError error = outcome.error.value_or(ApiError::make(ApiError::Kind::MalformedResponse));
        entry.errorKind = ApiError::kindName(error.kind);
        entry.mayHaveBeenCharged = answered || error.mayHaveBeenProcessed;
        entry.httpStatus = answered ? AnsweredStatus : error.httpStatus;
        if (entry.requestId.isEmpty())
            entry.requestId = error.requestId;
    } else {
        entry.httpStatus = AnsweredStatus;
    }

    const std::optional<double> catalogPrice = request.creditsPerImage;
    if (answered && !saved.isEmpty() && saved.first().credits) {
        // Each record carries the server's cost per image, or the catalog price when the server reported none
        // (ResultSaver): records at exactly the catalog price are an estimate.
        const double perImage = *saved.first().credits;
        entry.credits = perImage * outcome.expected;
        entry.creditsEstimated = catalogPrice && std::all_of(saved.cbegin(), saved.cend(), [&](const LibraryRecord& r) {
                                     return r.credits == catalogPrice;
                                 });
    } else if (answered || entry.mayHaveBeenCharged) {
        const int charged = answered ? outcome.expected : params.n;
        if (catalogPrice) {
            entry.credits = *catalogPrice * charged;
            entry.creditsEstimated = true;
        }
    } else {
        entry.credits = 0.0; // nothing reached the server, or it refused the request: surely not charged
    }
    return entry;
}

void UsageRecorder::onStarted(quint64 entryId)
{
    const std::optional<GenerationQueue::Request> request = m_queue->request(entryId);
    if (!request)
        return;
    Sent sent {*request, QDateTime::currentDateTimeUtc(), {}};
    sent.clock.start();
    m_sent.insert(entryId, sent);
}

void UsageRecorder::onFinished(quint64 entryId, const GenerationOutcome& outcome)
{
    UsageEntry entry;
    if (const auto it = m_sent.constFind(entryId); it != m_sent.cend()) {
        entry = entryFor(it->request, outcome, it->at, it->clock.elapsed());
        m_sent.erase(it);
    } else if (const std::optional<GenerationQueue::Request> request = m_queue->request(entryId)) {
        // Resumed at start (an async task sent by an earlier run): when it was sent is not known here.
        entry = entryFor(*request, outcome, QDateTime::currentDateTimeUtc(), -1);
    } else {
        qCWarning(lcGeneration) << "usage of queue entry" << entryId << "not recorded: its request is gone";
        return;
    }
    const auto appended = m_ledger->append(entry);
    if (!appended) {
        qCWarning(lcGeneration).noquote() << "usage not recorded:" << appended.error().detail;
        return;
    }
    entry.id = appended.value();
    Q_EMIT recorded(entry);
}

} // namespace Pixapi
