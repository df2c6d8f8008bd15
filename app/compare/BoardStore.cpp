#include "compare/BoardStore.h"

#include "compare/BoardJson.h"
#include "library/LibraryDatabase.h"
#include "support/BackgroundWork.h"

#include <QJsonDocument>
#include <QSqlQuery>
#include <QTimeZone>
#include <QVariant>

namespace Pixapi {

namespace {

QString stateName(BoardCell::State state)
{
    switch (state) {
    case BoardCell::State::Queued:
        return QStringLiteral("queued");
    case BoardCell::State::Running:
        return QStringLiteral("running");
    case BoardCell::State::Done:
        return QStringLiteral("done");
    case BoardCell::State::Failed:
        return QStringLiteral("failed");
    case BoardCell::State::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("failed");
}

BoardCell::State stateFromName(const QString& name)
{
    for (const BoardCell::State state : {BoardCell::State::Queued, BoardCell::State::Running, BoardCell::State::Done,
                                         BoardCell::State::Failed, BoardCell::State::Cancelled}) {
        if (stateName(state) == name)
            return state;
    }
    return BoardCell::State::Failed;
}

using BoardJson::errorFromText;
using BoardJson::errorToJson;
using BoardJson::paramsFromJson;
using BoardJson::paramsToJson;
using BoardJson::specFromJson;
using BoardJson::specToJson;

} // namespace

BoardStore::BoardStore(QString libraryRoot)
    : m_index(std::move(libraryRoot), QStringLiteral("board"))
{ }

BoardStore::~BoardStore() = default;

Result<bool, ApiError> BoardStore::open()
{
    return m_index.open();
}

void BoardStore::close()
{
    m_index.close();
}

bool BoardStore::isOpen() const
{
    return m_index.isOpen();
}

Result<qint64, ApiError> BoardStore::create(const BoardSpec& spec)
{
    if (!m_index.isOpen())
        return Result<qint64, ApiError>::failure(m_index.notOpen());
    QSqlDatabase db = m_index.connection();
    if (!db.transaction())
        return Result<qint64, ApiError>::failure(
            ApiError::make(ApiError::Kind::StorageError, QStringLiteral("cannot start a board transaction")));
    QSqlQuery board(db);
    board.prepare(QStringLiteral("INSERT INTO boards (created_at, prompt, spec_json) VALUES (?, ?, ?)"));
    board.addBindValue(QDateTime::currentMSecsSinceEpoch());
    board.addBindValue(spec.base.prompt);
    board.addBindValue(specToJson(spec));
    bool ok = board.exec();
    const qint64 id = board.lastInsertId().toLongLong();
    const QList<GenerationParams> cells = spec.cellParams();
    for (int i = 0; ok && i < cells.size(); ++i) {
        QSqlQuery cell(db);
        cell.prepare(QStringLiteral(
            "INSERT INTO board_cells (board_id, cell_index, model, params_json, state) VALUES (?, ?, ?, ?, ?)"));
        cell.addBindValue(id);
        cell.addBindValue(i);
        cell.addBindValue(cells.at(i).model);
        cell.addBindValue(QString::fromUtf8(QJsonDocument(paramsToJson(cells.at(i))).toJson(QJsonDocument::Compact)));
        cell.addBindValue(stateName(BoardCell::State::Queued));
        ok = cell.exec();
    }
    if (!ok || !db.commit()) {
        db.rollback();
        return Result<qint64, ApiError>::failure(
            ApiError::make(ApiError::Kind::StorageError, QStringLiteral("cannot save the board")));
    }
    return id;
}

Result<bool, ApiError> BoardStore::saveCell(qint64 boardId, int index, const BoardCell& cell)
{
    const auto updated = m_index.write(
        QStringLiteral("UPDATE board_cells SET state = ?, latency_ms = ?, credits = ?, error = ?"
                       " WHERE board_id = ? AND cell_index = ?"),
        {stateName(cell.state), cell.latencyMs >= 0 ? QVariant(cell.latencyMs) : QVariant(),
         cell.credits ? QVariant(*cell.credits) : QVariant(),
         cell.error ? errorToJson(*cell.error) : QStringLiteral(""), // NOT NULL: a null QString binds as NULL
         boardId, index});
    if (!updated)
        return updated;
    for (const LibraryRecord& image : cell.images) {
        if (auto linked =
                m_index.write(QStringLiteral("INSERT OR IGNORE INTO board_images (board_id, cell_index, image_id)"
                                             " VALUES (?, ?, ?)"),
                              {boardId, index, image.id});
            !linked)
            return linked;
    }
    return true;
}

Result<bool, ApiError> BoardStore::setVerdict(qint64 boardId, std::optional<int> winner, const QString& note)
{
    return m_index.write(QStringLiteral("UPDATE boards SET winner_cell = ?, note = ? WHERE id = ?"),
                         {winner ? QVariant(*winner) : QVariant(), note.isNull() ? QStringLiteral("") : note, boardId});
}

Result<SavedBoard, ApiError> BoardStore::load(qint64 boardId) const
{
    if (!m_index.isOpen())
        return Result<SavedBoard, ApiError>::failure(m_index.notOpen());
    QSqlQuery board(m_index.connection());
    board.prepare(QStringLiteral("SELECT created_at, spec_json, winner_cell, note FROM boards WHERE id = ?"));
    board.addBindValue(boardId);
    if (!board.exec() || !board.next())
        return Result<SavedBoard, ApiError>::failure(
            ApiError::make(ApiError::Kind::NotFound, QStringLiteral("no such board")));
    SavedBoard saved;
    saved.id = boardId;
    saved.createdAt = QDateTime::fromMSecsSinceEpoch(board.value(0).toLongLong(), QTimeZone::utc());
    saved.spec = specFromJson(board.value(1).toString());
    if (!board.value(2).isNull())
        saved.winner = board.value(2).toInt();
    saved.note = board.value(3).toString();

    QSqlQuery cells(m_index.connection());
    cells.prepare(QStringLiteral("SELECT cell_index, params_json, state, latency_ms, credits, error FROM board_cells"
                                 " WHERE board_id = ? ORDER BY cell_index"));
    cells.addBindValue(boardId);
    if (!cells.exec())
        return Result<SavedBoard, ApiError>::failure(
            ApiError::make(ApiError::Kind::StorageError, QStringLiteral("cannot read the board")));
    while (cells.next()) {
        BoardCell cell;
        cell.params = paramsFromJson(QJsonDocument::fromJson(cells.value(1).toString().toUtf8()).object());
        cell.state = stateFromName(cells.value(2).toString());
        cell.latencyMs = cells.value(3).isNull() ? -1 : cells.value(3).toLongLong();
        if (!cells.value(4).isNull())
            cell.credits = cells.value(4).toDouble();
        if (const QString error = cells.value(5).toString(); !error.isEmpty())
            cell.error = errorFromText(error);
        saved.cells << cell;
    }
    // A winner that names no cell (a damaged or hand-edited index) is no winner: readers index the cells with it.
    if (saved.winner && (*saved.winner < 0 || *saved.winner >= saved.cells.size()))
        saved.winner.reset();
    QSqlQuery images(m_index.connection());
    images.prepare(QStringLiteral("SELECT cell_index, image_id FROM board_images WHERE board_id = ?"
                                  " ORDER BY cell_index, image_id"));
    images.addBindValue(boardId);
    if (images.exec()) {
        while (images.next()) {
            const int index = images.value(0).toInt();
            if (index < 0 || index >= saved.cells.size())
                continue;
            if (const auto record = m_index.database()->record(images.value(1).toLongLong()); record)
                saved.cells[index].images << record.value();
        }
    }
    return saved;
}

QList<SavedBoard> BoardStore::recent(int limit) const
{
    QList<SavedBoard> boards;
    if (!m_index.isOpen())
        return boards;
    QSqlQuery query(m_index.connection());
    query.prepare(QStringLiteral("SELECT id FROM boards ORDER BY created_at DESC, id DESC LIMIT ?"));
    query.addBindValue(limit);
    if (!query.exec())
        return boards;
    while (query.next()) {
        if (auto board = load(query.value(0).toLongLong()); board)
            boards << board.value();
    }
    return boards;
}

QFuture<Result<QList<SavedBoard>, ApiError>> BoardStore::readRecent(QString libraryRoot, int limit)
{
    return runInBackground([root = std::move(libraryRoot), limit]() -> Result<QList<SavedBoard>, ApiError> {
        BoardStore store(root);
        if (auto opened = store.open(); !opened)
            return Result<QList<SavedBoard>, ApiError>::failure(opened.error());
        return store.recent(limit);
    });
}

Result<bool, ApiError> BoardStore::remove(qint64 boardId)
{
    if (!m_index.isOpen())
        return Result<bool, ApiError>::failure(m_index.notOpen());
    QSqlQuery exists(m_index.connection());
    exists.prepare(QStringLiteral("SELECT 1 FROM boards WHERE id = ?"));
    exists.addBindValue(boardId);
    if (!exists.exec() || !exists.next())
        return Result<bool, ApiError>::failure(
            ApiError::make(ApiError::Kind::NotFound, QStringLiteral("no such board")));
    // Cells and image links go with it (ON DELETE CASCADE); the images are the library's.
    return m_index.write(QStringLiteral("DELETE FROM boards WHERE id = ?"), {boardId});
}

QHash<QString, int> BoardStore::winsByModel() const
{
    QHash<QString, int> wins;
    if (!m_index.isOpen())
        return wins;
    QSqlQuery query(m_index.connection());
    if (!query.exec(QStringLiteral("SELECT c.model, count(*) FROM boards b JOIN board_cells c"
                                   " ON c.board_id = b.id AND c.cell_index = b.winner_cell GROUP BY c.model")))
        return wins;
    while (query.next())
        wins.insert(query.value(0).toString(), query.value(1).toInt());
    return wins;
}

} // namespace Pixapi
