#include "compare/MatrixBatch.h"

#include "compare/PromptMatrix.h"
#include "generation/GenerationOutcome.h"
#include "generation/GenerationQueue.h"
#include "generation/QueueRequest.h"
#include "library/TagWrites.h"

#include <algorithm>

namespace Pixapi {

QList<MatrixBatch::Item> MatrixBatch::itemsFor(const PromptMatrix& matrix, const GenerationParams& base,
                                               const QStringList& models)
{
    const QList<FilledPrompt> prompts = matrix.expand();
    QList<Item> items;
    items.reserve(prompts.size() * models.size());
    for (const QString& model : models) {
        for (const FilledPrompt& prompt : prompts) {
            Item item;
            item.params = base;
            item.params.model = model;
            item.params.prompt = prompt.text;
            for (const auto& binding : prompt.bindings)
                item.tags << PromptMatrix::tagFor(binding);
            items << item;
        }
    }
    return items;
}

BoardCost MatrixBatch::cost(const QList<Item>& items, const ModelCatalog& catalog)
{
    QList<GenerationParams> requests;
    for (const Item& item : items)
        requests << item.params;
    return BoardCost::estimate(requests, catalog);
}

MatrixBatch::MatrixBatch(GenerationQueue* queue, Library* library, QList<Item> items, const ModelCatalog* catalog,
                         QObject* parent)
    : QObject(parent)
    , m_queue(queue)
    , m_tags(new TagWrites(library, this))
    , m_catalog(catalog)
    , m_items(std::move(items))
{
    m_entries.resize(m_items.size());
    connect(m_queue, &GenerationQueue::entryStarted, this, &MatrixBatch::onStarted);
    connect(m_queue, &GenerationQueue::entryFinished, this, &MatrixBatch::onFinished);
    connect(m_tags, &TagWrites::settled, this, &MatrixBatch::finishIfDone);
}

void MatrixBatch::start()
{
    Q_ASSERT(!m_started);
    m_started = true;
    for (int i = 0; i < m_items.size(); ++i) {
        GenerationQueue::Request request = queueRequestFor(m_items.at(i).params, m_catalog, m_accountId);
        request.source = QStringLiteral("batch");
        m_queue->enqueue(request, [this, i](quint64 id) {
            m_itemOfEntry.insert(id, i);
            m_entries[i].id = id;
        });
    }
    finishIfDone();
}

void MatrixBatch::cancel()
{
    // The waiting entries first (taken out at once, nothing was sent): cancelling a running one frees its slot,
    // which would start a waiting one. The running ones report back through entryFinished.
    for (const bool waiting : {true, false}) {
        for (Entry& entry : m_entries) {
            if (entry.isFinished() || !entry.id || (entry.state == State::Queued) != waiting)
                continue;
            if (m_queue->cancel(entry.id) && waiting)
                entry.state = State::Cancelled;
        }
    }
    Q_EMIT progressed();
    finishIfDone();
}

int MatrixBatch::count(State state) const
{
    return int(
        std::count_if(m_entries.cbegin(), m_entries.cend(), [state](const Entry& e) { return e.state == state; }));
}

int MatrixBatch::finishedCount() const
{
    return count(State::Done) + count(State::Failed) + count(State::Cancelled);
}

int MatrixBatch::failedCount() const
{
    return count(State::Failed);
}

int MatrixBatch::cancelledCount() const
{
    return count(State::Cancelled);
}

int MatrixBatch::imageCount() const
{
    int images = 0;
    for (const Entry& entry : m_entries)
        images += entry.images;
    return images;
}

double MatrixBatch::creditsCharged() const
{
    double total = 0;
    for (const Entry& entry : m_entries)
        total += entry.credits;
    return total;
}

void MatrixBatch::finishIfDone()
{
    if (!m_finishedSent && isFinished()) {
        m_finishedSent = true;
        Q_EMIT finished();
    }
}

void MatrixBatch::onStarted(quint64 entryId)
{
    const int index = m_itemOfEntry.value(entryId, -1);
    if (index < 0 || m_entries.at(index).state != State::Queued)
        return;
    m_entries[index].state = State::Running;
    Q_EMIT progressed();
}

void MatrixBatch::onFinished(quint64 entryId, const GenerationOutcome& outcome)
{
    const int index = m_itemOfEntry.value(entryId, -1);
    if (index < 0 || m_entries.at(index).isFinished())
        return;
    Entry& entry = m_entries[index];
    if (!outcome.saved.isEmpty())
        entry.state = State::Done;
    else if (outcome.error && outcome.error->kind == ApiError::Kind::Cancelled)
        entry.state = State::Cancelled;
    else
        entry.state = State::Failed;
    entry.images = int(outcome.saved.size());
    entry.credits = outcome.credits().value_or(0);
    m_tags->add(outcome.saved, m_items.at(index).tags);
    Q_EMIT progressed();
    finishIfDone();
}

} // namespace Pixapi
