#include "batch/BatchRecovery.h"

#include "batch/BatchJournal.h"
#include "batch/BatchRun.h"
#include "generation/ResponseSpool.h"
#include "generation/ResultSaver.h"
#include "library/Library.h"
#include "library/TagWrites.h"
#include "support/Logging.h"

#include <QTimer>

namespace Pixapi {

namespace {

bool sameRequest(const GenerationParams& a, const GenerationParams& b)
{
    return a.model == b.model && a.prompt == b.prompt && a.n == b.n && a.size == b.size && a.quality == b.quality
           && a.responseFormat == b.responseFormat;
}

} // namespace

BatchRecovery::BatchRecovery(PixapiClient* client, Library* library, BatchJournal* journal, QString batchName,
                             QList<BatchItem> items, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_library(library)
    , m_journal(journal)
    , m_tags(new TagWrites(library, this))
    , m_name(std::move(batchName))
    , m_items(std::move(items))
{
    connect(m_tags, &TagWrites::settled, this, &BatchRecovery::finishIfDone);
}

void BatchRecovery::start()
{
    // A few small files: read here, before anything else of the batch happens.
    const QList<SpooledResponse> spooled = ResponseSpool(m_library->rootDir()).pending();
    if (!spooled.isEmpty()) {
        if (const auto entries = m_journal->entries(m_name)) {
            for (int i = 0; i < m_items.size(); ++i) {
                const auto entry = entries.value().constFind(m_items.at(i).key);
                if (entry != entries.value().constEnd()
                    && (entry->state == BatchJournal::State::Sending || entry->state == BatchJournal::State::Uncertain))
                    m_unsettled << i;
            }
        }
    }
    m_saving = int(spooled.size()); // all counted first: a saver may finish before the next one starts
    for (const SpooledResponse& answer : spooled) {
        auto* saver = new ResultSaver(m_client, m_library, this);
        connect(saver, &ResultSaver::finished, this, [this, saver, params = answer.context.params] {
            saver->deleteLater();
            --m_saving;
            const GenerationOutcome& outcome = saver->outcome();
            const int index = outcome.saved.isEmpty() ? -1 : itemFor(params);
            if (index >= 0) {
                if (const auto recorded =
                        m_journal->markFinished(m_name, m_items.at(index).key, BatchJournal::State::Done,
                                                int(outcome.saved.size()), outcome.credits().value_or(0), QString());
                    !recorded)
                    qCWarning(lcGeneration).noquote() << "batch journal:" << recorded.error().detail;
                ++m_recoveredItems;
                m_tags->add(outcome.saved, QStringList {BatchRun::batchTag(m_name)} + m_items.at(index).tags);
            }
            Q_EMIT answerRecovered(index, outcome);
            finishIfDone();
        });
        saver->recover(answer);
    }
    QTimer::singleShot(0, this, &BatchRecovery::finishIfDone);
}

int BatchRecovery::itemFor(const GenerationParams& params)
{
    for (qsizetype i = 0; i < m_unsettled.size(); ++i) {
        const int index = m_unsettled.at(i);
        if (sameRequest(m_items.at(index).params, params)) {
            m_unsettled.remove(i);
            return index;
        }
    }
    return -1;
}

void BatchRecovery::finishIfDone()
{
    if (m_finishedSent || m_saving > 0 || m_tags->pending() > 0)
        return;
    m_finishedSent = true;
    Q_EMIT finished();
}

} // namespace Pixapi
