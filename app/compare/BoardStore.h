#pragma once

#include "api/ApiError.h"
#include "compare/BoardSpec.h"
#include "compare/ComparisonRun.h"
#include "library/IndexConnection.h"
#include "support/Result.h"

#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace Pixapi {

// A board as saved: its setup, each cell as it ended (images as library records), the winner and the note.
struct SavedBoard
{
    qint64 id = 0;
    QDateTime createdAt; // UTC
    BoardSpec spec;
    QList<BoardCell> cells; // entryId is 0: the queue entries are gone
    std::optional<int> winner;
    QString note;
};

// Comparison boards in the library's SQLite file (schema version 5: boards, board_cells, board_images). Like
// TaskStore: its own connection, small synchronous writes on the calling thread (one board row, one cell row).
class BoardStore
{
public:
    explicit BoardStore(QString libraryRoot);
    ~BoardStore();
    Q_DISABLE_COPY_MOVE(BoardStore)

    Result<bool, ApiError> open(); // creates and migrates the index like Library::open()
    void close();
    bool isOpen() const;

    // A new board with every cell Queued; returns its id.
    Result<qint64, ApiError> create(const BoardSpec& spec);
    // How a cell went, and links to its images.
    Result<bool, ApiError> saveCell(qint64 boardId, int index, const BoardCell& cell);
    // The winner (nothing: none) and the note.
    Result<bool, ApiError> setVerdict(qint64 boardId, std::optional<int> winner, const QString& note);
    // NotFound when there is no such board. Images purged since are left out of their cells.
    Result<SavedBoard, ApiError> load(qint64 boardId) const;
    // Newest first.
    QList<SavedBoard> recent(int limit) const;
    // recent() on a worker thread with a connection of its own (for lists shown in the UI).
    static QFuture<Result<QList<SavedBoard>, ApiError>> readRecent(QString libraryRoot, int limit);
    // Forgets a board (its cells and image links); the images stay in the library. NotFound when there is none.
    Result<bool, ApiError> remove(qint64 boardId);
    // How many boards each model has won (its cell picked).
    QHash<QString, int> winsByModel() const;

private:
    IndexConnection m_index;
};

} // namespace Pixapi
