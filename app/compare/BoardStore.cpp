#include "compare/BoardStore.h"

#include "library/LibraryDatabase.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTimeZone>
#include <QVariant>
#include <QtConcurrent/QtConcurrentRun>

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

QJsonObject paramsToJson(const GenerationParams& params)
{
    return {{QStringLiteral("model"), params.model},
            {QStringLiteral("prompt"), params.prompt},
            {QStringLiteral("n"), params.n},
            {QStringLiteral("size"), params.size},
            {QStringLiteral("quality"), params.quality},
            {QStringLiteral("response_format"), params.responseFormat}};
}

GenerationParams paramsFromJson(const QJsonObject& json)
{
    GenerationParams params;
    params.model = json.value(QLatin1String("model")).toString();
    params.prompt = json.value(QLatin1String("prompt")).toString();
    params.n = json.value(QLatin1String("n")).toInt(1);
    params.size = json.value(QLatin1String("size")).toString();
    params.quality = json.value(QLatin1String("quality")).toString();
    params.responseFormat = json.value(QLatin1String("response_format")).toString();
    return params;
}

// A cell's error as JSON, so that reading it back gives the same kind (and so the same sentence, in the language of
// the day) rather than a frozen English string.
QString errorJson(const ApiError& error)
{
    const QJsonObject json {{QStringLiteral("kind"), ApiError::kindName(error.kind)},
                            {QStringLiteral("http_status"), error.httpStatus},
                            {QStringLiteral("code"), error.code},
                            {QStringLiteral("server_message"), error.serverMessage},
                            {QStringLiteral("request_id"), error.requestId},
                            {QStringLiteral("may_have_been_processed"), error.mayHaveBeenProcessed}};
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

ApiError errorFromText(const QString& text)
{
    const QJsonObject json = QJsonDocument::fromJson(text.toUtf8()).object();
    const std::optional<ApiError::Kind> kind = ApiError::kindFromName(json.value(QLatin1String("kind")).toString());
    if (!kind) { // not written by errorJson: keep the text as the server's words
        ApiError error = ApiError::make(ApiError::Kind::ServerError);
        error.serverMessage = text;
        return error;
    }
    ApiError error = ApiError::make(*kind);
    error.httpStatus = json.value(QLatin1String("http_status")).toInt();
    error.code = json.value(QLatin1String("code")).toString();
    error.serverMessage = json.value(QLatin1String("server_message")).toString();
    error.requestId = json.value(QLatin1String("request_id")).toString();
    error.mayHaveBeenProcessed = json.value(QLatin1String("may_have_been_processed")).toBool();
    return error;
}

QString specJson(const BoardSpec& spec)
{
    QJsonArray variants;
    for (const BoardVariant& variant : spec.variants)
        variants.append(QJsonObject {{QStringLiteral("size"), variant.size},
                                     {QStringLiteral("quality"), variant.quality},
                                     {QStringLiteral("prompt"), variant.prompt},
                                     {QStringLiteral("prompt_label"), variant.promptLabel}});
    QJsonArray variables;
    for (const PromptVariable& variable : spec.promptVariables)
        variables.append(QJsonObject {{QStringLiteral("name"), variable.name},
                                      {QStringLiteral("values"), QJsonArray::fromStringList(variable.values)}});
    const QJsonObject json {{QStringLiteral("base"), paramsToJson(spec.base)},
                            {QStringLiteral("models"), QJsonArray::fromStringList(spec.models)},
                            {QStringLiteral("variants"), variants},
                            {QStringLiteral("prompt_variables"), variables}};
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

BoardSpec specFromJson(const QString& text)
{
    const QJsonObject json = QJsonDocument::fromJson(text.toUtf8()).object();
    BoardSpec spec;
    spec.base = paramsFromJson(json.value(QLatin1String("base")).toObject());
    for (const QJsonValue& model : json.value(QLatin1String("models")).toArray())
        spec.models << model.toString();
    for (const QJsonValue& value : json.value(QLatin1String("variants")).toArray()) {
        const QJsonObject variant = value.toObject();
        // "prompt" and "prompt_label" came with prompt-matrix boards: older rows have neither (empty: no prompt).
        spec.variants << BoardVariant {
            variant.value(QLatin1String("size")).toString(), variant.value(QLatin1String("quality")).toString(),
            variant.value(QLatin1String("prompt")).toString(), variant.value(QLatin1String("prompt_label")).toString()};
    }
    for (const QJsonValue& value : json.value(QLatin1String("prompt_variables")).toArray()) {
        PromptVariable variable;
        variable.name = value.toObject().value(QLatin1String("name")).toString();
        for (const QJsonValue& text : value.toObject().value(QLatin1String("values")).toArray())
            variable.values << text.toString();
        spec.promptVariables << variable;
    }
    return spec;
}

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
    board.addBindValue(specJson(spec));
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
         cell.error ? errorJson(*cell.error) : QStringLiteral(""), // NOT NULL: a null QString binds as NULL
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
    return QtConcurrent::run([root = std::move(libraryRoot), limit]() -> Result<QList<SavedBoard>, ApiError> {
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
