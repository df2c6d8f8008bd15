#pragma once

#include "api/ApiError.h"
#include "compare/BoardSpec.h"
#include "library/Library.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>

#include <optional>

namespace Pixapi {

class BoardStore;
struct SavedBoard;
class GenerationQueue;
class ModelCatalog;
struct GenerationOutcome;

// One cell of a running board.
struct BoardCell
{
    enum class State { Queued, Running, Done, Failed, Cancelled };

    GenerationParams params;
    State state = State::Queued;
    QList<LibraryRecord> images;   // in the library before the cell is Done
    std::optional<ApiError> error; // Failed (or Done with fewer images than asked: the first image error)
    qint64 latencyMs = -1;         // from sending to the answer: the request's own duration when recorded
    std::optional<double> credits; // charged, as recorded with the images
    quint64 entryId = 0;           // the GenerationQueue entry

    bool isFinished() const { return state == State::Done || state == State::Failed || state == State::Cancelled; }
};

// Runs a comparison board: every cell goes to the GenerationQueue at once (its per-model and global limits decide
// how many requests are in flight), and each cell finishes on its own: one failure never holds up the others.
// Nothing is retried; the images land in the library like any others.
class ComparisonRun : public QObject
{
    Q_OBJECT

public:
    // With a catalog, each cell records its catalog price (when the server reports none) and goes through the
    // async endpoint when its model only has that one.
    ComparisonRun(GenerationQueue* queue, BoardSpec spec, const ModelCatalog* catalog = nullptr,
                  QObject* parent = nullptr);
    // A saved board shown again: finished, nothing to send. Cells the app left unfinished (it closed while they
    // ran) show as interrupted.
    explicit ComparisonRun(const SavedBoard& saved, QObject* parent = nullptr);
    // The account recorded with the images.
    void setAccountId(const QString& accountId) { m_accountId = accountId; }
    // A board of edits: every cell sends these input images (and mask); `inputIds` are their library images, recorded
    // as the parents of every cell's images. Before start().
    void setEditInputs(const EditInputs& inputs, const QList<qint64>& inputIds)
    {
        m_edit = inputs;
        m_inputIds = inputIds;
    }
    // Saves the board when it starts and each cell as it finishes (the store must outlive the run's start).
    void setStore(BoardStore* store) { m_store = store; }
    qint64 boardId() const { return m_boardId; } // 0 until saved

    // Enqueues every cell. Call once; the spec must have no problem().
    void start();
    // Cancels the cells not finished yet (see GenerationQueue::cancel for what a running request can still do).
    void cancel();

    const BoardSpec& spec() const { return m_spec; }
    const QList<BoardCell>& cells() const { return m_cells; }
    int finishedCount() const;
    bool isFinished() const { return m_started && finishedCount() == m_cells.size(); }
    // What the board has cost so far (the cells whose images report a price).
    double creditsCharged() const;

Q_SIGNALS:
    void cellChanged(int index);
    void finished();

private:
    int cellOf(quint64 entryId) const;
    void finishIfDone(); // finished() once, when the last cell is
    void onStarted(quint64 entryId);
    void onFinished(quint64 entryId, const GenerationOutcome& outcome);

    GenerationQueue* m_queue;
    const ModelCatalog* m_catalog;
    QString m_accountId;
    EditInputs m_edit;
    QList<qint64> m_inputIds;
    BoardSpec m_spec;
    QList<BoardCell> m_cells;
    QList<QElapsedTimer> m_clocks; // per cell, from its start
    QHash<quint64, int> m_cellOfEntry;
    bool m_started = false;
    bool m_finishedSent = false;
    BoardStore* m_store = nullptr;
    qint64 m_boardId = 0;
};

} // namespace Pixapi
