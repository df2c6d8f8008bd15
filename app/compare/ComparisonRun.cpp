#include "compare/ComparisonRun.h"

#include "compare/BoardStore.h"
#include "generation/GenerationOutcome.h"
#include "generation/GenerationQueue.h"
#include "generation/QueueRequest.h"
#include "support/Logging.h"

#include <algorithm>

namespace Pixapi {

ComparisonRun::ComparisonRun(GenerationQueue* queue, BoardSpec spec, const ModelCatalog* catalog, QObject* parent)
    : QObject(parent)
    , m_queue(queue)
    , m_catalog(catalog)
    , m_spec(std::move(spec))
{
    for (const GenerationParams& params : m_spec.cellParams()) {
        BoardCell cell;
        cell.params = params;
        m_cells << cell;
    }
    m_clocks.resize(m_cells.size());
    connect(m_queue, &GenerationQueue::entryStarted, this, &ComparisonRun::onStarted);
    connect(m_queue, &GenerationQueue::entryFinished, this, &ComparisonRun::onFinished);
}

ComparisonRun::ComparisonRun(const SavedBoard& saved, QObject* parent)
    : QObject(parent)
    , m_queue(nullptr)
    , m_catalog(nullptr)
    , m_spec(saved.spec)
    , m_cells(saved.cells)
    , m_started(true)
    , m_finishedSent(true)
    , m_boardId(saved.id)
{
    for (BoardCell& cell : m_cells) {
        if (!cell.isFinished()) {
            ApiError interrupted = ApiError::make(ApiError::Kind::Interrupted);
            interrupted.mayHaveBeenProcessed = cell.state == BoardCell::State::Running; // it was sent
            cell.state = BoardCell::State::Failed;
            cell.error = interrupted;
        }
    }
    m_clocks.resize(m_cells.size());
}

void ComparisonRun::start()
{
    Q_ASSERT(!m_started && !m_spec.problem());
    m_started = true;
    if (m_store) {
        if (const auto saved = m_store->create(m_spec); saved)
            m_boardId = saved.value();
        else
            qCWarning(lcGeneration) << "the board could not be saved:" << saved.error().detail;
    }
    for (int i = 0; i < m_cells.size(); ++i) {
        GenerationQueue::Request request = queueRequestFor(m_cells.at(i).params, m_catalog, m_accountId);
        request.source = QStringLiteral("board");
        request.edit = m_edit;
        request.parentIds = m_inputIds;
        m_queue->enqueue(request, [this, i](quint64 id) {
            m_cellOfEntry.insert(id, i);
            m_cells[i].entryId = id;
        });
    }
    finishIfDone();
}

void ComparisonRun::cancel()
{
    if (!m_queue)
        return; // a saved board
    // The waiting cells first (taken out at once, nothing was sent): cancelling a running one frees its slot, which
    // would start a waiting cell. The running ones report back through entryFinished.
    for (const bool waiting : {true, false}) {
        for (int i = 0; i < m_cells.size(); ++i) {
            BoardCell& cell = m_cells[i];
            if (cell.isFinished() || !cell.entryId || (cell.state == BoardCell::State::Queued) != waiting)
                continue;
            if (!m_queue->cancel(cell.entryId) || !waiting)
                continue;
            cell.state = BoardCell::State::Cancelled;
            if (m_store && m_boardId)
                m_store->saveCell(m_boardId, i, cell);
            Q_EMIT cellChanged(i);
        }
    }
    finishIfDone();
}

int ComparisonRun::finishedCount() const
{
    return int(std::count_if(m_cells.cbegin(), m_cells.cend(), [](const BoardCell& c) { return c.isFinished(); }));
}

double ComparisonRun::creditsCharged() const
{
    double total = 0;
    for (const BoardCell& cell : m_cells)
        total += cell.credits.value_or(0);
    return total;
}

void ComparisonRun::finishIfDone()
{
    if (!m_finishedSent && isFinished()) {
        m_finishedSent = true;
        Q_EMIT finished();
    }
}

int ComparisonRun::cellOf(quint64 entryId) const
{
    return m_cellOfEntry.value(entryId, -1);
}

void ComparisonRun::onStarted(quint64 entryId)
{
    const int index = cellOf(entryId);
    if (index < 0)
        return;
    m_clocks[index].start();
    m_cells[index].state = BoardCell::State::Running;
    Q_EMIT cellChanged(index);
}

void ComparisonRun::onFinished(quint64 entryId, const GenerationOutcome& outcome)
{
    const int index = cellOf(entryId);
    if (index < 0 || m_cells.at(index).isFinished())
        return;
    BoardCell& cell = m_cells[index];
    cell.images = outcome.saved;
    cell.error = outcome.error;
    if (!outcome.saved.isEmpty())
        cell.state = BoardCell::State::Done;
    else if (outcome.error && outcome.error->kind == ApiError::Kind::Cancelled)
        cell.state = BoardCell::State::Cancelled;
    else
        cell.state = BoardCell::State::Failed;
    // The request's own duration when the images recorded one; else what this board saw since the cell started.
    cell.latencyMs = m_clocks.at(index).isValid() ? m_clocks.at(index).elapsed() : -1;
    for (const LibraryRecord& record : outcome.saved) {
        if (record.durationMs >= 0) {
            cell.latencyMs = record.durationMs;
            break;
        }
    }
    cell.credits = outcome.credits();
    if (m_store && m_boardId)
        m_store->saveCell(m_boardId, index, cell);
    Q_EMIT cellChanged(index);
    finishIfDone();
}

} // namespace Pixapi
