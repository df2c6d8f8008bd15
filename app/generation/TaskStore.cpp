#include "generation/TaskStore.h"

#include "library/IndexConnection.h"
#include "support/Logging.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Pixapi {

namespace {

const QString kColumns =
    QStringLiteral("id, remote_id, params_json, state, remote_status, progress, created_at, updated_at, error, "
                   "error_code, account_id");

QVariant nullIfEmpty(const QString& text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString paramsJson(const GenerationParams& params, std::optional<double> creditsPerImage,
                   const QList<qint64>& parentIds, const TaskRow::Origin& origin)
{
    QJsonObject json {{QStringLiteral("model"), params.model},
                      {QStringLiteral("prompt"), params.prompt},
                      {QStringLiteral("n"), params.n},
                      {QStringLiteral("size"), params.size},
                      {QStringLiteral("quality"), params.quality},
                      {QStringLiteral("response_format"), params.responseFormat}};
    if (creditsPerImage)
        json.insert(QStringLiteral("credits_per_image"), *creditsPerImage);
    if (!parentIds.isEmpty()) {
        QJsonArray parents;
        for (const qint64 id : parentIds)
            parents.append(id); // ids stay far below 2^53, exact as JSON numbers
        json.insert(QStringLiteral("parent_ids"), parents);
    }
    if (!origin.source.isEmpty())
        json.insert(QStringLiteral("source"), origin.source);
    if (origin.inputImages > 0) {
        json.insert(QStringLiteral("input_images"), origin.inputImages);
        json.insert(QStringLiteral("mask"), origin.masked);
    }
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

void readParams(const QString& text, TaskRow& row)
{
    const QJsonObject json = QJsonDocument::fromJson(text.toUtf8()).object();
    row.params.model = json.value(QLatin1String("model")).toString();
    row.params.prompt = json.value(QLatin1String("prompt")).toString();
    row.params.n = json.value(QLatin1String("n")).toInt(1);
    row.params.size = json.value(QLatin1String("size")).toString();
    row.params.quality = json.value(QLatin1String("quality")).toString();
    row.params.responseFormat = json.value(QLatin1String("response_format")).toString();
    const QJsonValue credits = json.value(QLatin1String("credits_per_image"));
    if (credits.isDouble())
        row.creditsPerImage = credits.toDouble();
    const QJsonArray parents = json.value(QLatin1String("parent_ids")).toArray();
    for (const QJsonValue& parent : parents)
        row.parentIds.append(parent.toInteger());
    row.origin.source = json.value(QLatin1String("source")).toString();
    row.origin.inputImages =
        std::clamp(json.value(QLatin1String("input_images")).toInt(0), 0, 64); // a sane count, whatever the file says
    row.origin.masked = json.value(QLatin1String("mask")).toBool(false);
}

} // namespace

QString TaskRow::stateName(State state)
{
    switch (state) {
    case State::Submitting:
        return QStringLiteral("submitting");
    case State::Running:
        return QStringLiteral("running");
    case State::Completed:
        return QStringLiteral("completed");
    case State::Failed:
        return QStringLiteral("failed");
    case State::CancelledLocally:
        return QStringLiteral("cancelled_locally");
    case State::Orphaned:
        return QStringLiteral("orphaned");
    case State::Dismissed:
        return QStringLiteral("dismissed");
    }
    return {};
}

std::optional<TaskRow::State> TaskRow::stateFromName(const QString& name)
{
    for (State state : {State::Submitting, State::Running, State::Completed, State::Failed, State::CancelledLocally,
                        State::Orphaned, State::Dismissed}) {
        if (stateName(state) == name)
            return state;
    }
    return std::nullopt;
}

TaskStore::TaskStore(QString libraryRoot)
    : m_index(std::move(libraryRoot), QStringLiteral("task"))
{ }

TaskStore::~TaskStore() = default;

Result<bool, ApiError> TaskStore::open()
{
    return m_index.open();
}

void TaskStore::close()
{
    m_index.close();
}

bool TaskStore::isOpen() const
{
    return m_index.isOpen();
}

Result<bool, ApiError> TaskStore::update(const QString& statement, const QVariantList& values)
{
    return m_index.write(statement, values);
}

Result<qint64, ApiError> TaskStore::insertSubmitting(const GenerationParams& params, const QString& accountId,
                                                     std::optional<double> creditsPerImage,
                                                     const QList<qint64>& parentIds, const TaskRow::Origin& origin)
{
    if (!m_index.isOpen())
        return Result<qint64, ApiError>::failure(m_index.notOpen());
    QSqlQuery query(m_index.connection());
    query.prepare(QStringLiteral("INSERT INTO tasks (params_json, state, progress, created_at, updated_at, account_id)"
                                 " VALUES (?, ?, 0, ?, ?, ?)"));
    const qint64 now = nowMs();
    query.addBindValue(paramsJson(params, creditsPerImage, parentIds, origin));
    query.addBindValue(TaskRow::stateName(TaskRow::State::Submitting));
    query.addBindValue(now);
    query.addBindValue(now);
    query.addBindValue(nullIfEmpty(accountId));
    if (!query.exec())
        return Result<qint64, ApiError>::failure(ApiError::make(
            ApiError::Kind::StorageError, QStringLiteral("cannot record the task: ") + query.lastError().text()));
    return query.lastInsertId().toLongLong();
}

Result<bool, ApiError> TaskStore::setRemoteId(qint64 id, const QString& remoteId, const QString& remoteStatus)
{
    return update(QStringLiteral("UPDATE tasks SET remote_id = ?, remote_status = ?, state = ?, error = NULL,"
                                 " error_code = NULL, updated_at = ? WHERE id = ?"),
                  {remoteId, nullIfEmpty(remoteStatus), TaskRow::stateName(TaskRow::State::Running), nowMs(), id});
}

Result<bool, ApiError> TaskStore::setProgress(qint64 id, const QString& remoteStatus, int progress)
{
    return update(QStringLiteral("UPDATE tasks SET remote_status = ?, progress = ?, updated_at = ? WHERE id = ?"),
                  {nullIfEmpty(remoteStatus), progress, nowMs(), id});
}

Result<bool, ApiError> TaskStore::setState(qint64 id, TaskRow::State state, const QString& error,
                                           const QString& errorCode)
{
    return update(QStringLiteral("UPDATE tasks SET state = ?, error = ?, error_code = ?, updated_at = ? WHERE id = ?"),
                  {TaskRow::stateName(state), nullIfEmpty(error), nullIfEmpty(errorCode), nowMs(), id});
}

QList<TaskRow> TaskStore::select(const QString& where, const QVariantList& values) const
{
    QList<TaskRow> rows;
    if (!m_index.isOpen())
        return rows;
    QSqlQuery query(m_index.connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM tasks ") + where);
    for (const QVariant& value : values)
        query.addBindValue(value);
    if (!query.exec()) {
        qCWarning(lcGeneration) << "cannot read tasks:" << query.lastError().text();
        return rows;
    }
    while (query.next()) {
        TaskRow row;
        row.id = query.value(0).toLongLong();
        row.remoteId = query.value(1).toString();
        readParams(query.value(2).toString(), row);
        // An unknown state (written by a newer version) is treated as running: polling it is always safe.
        row.state = TaskRow::stateFromName(query.value(3).toString()).value_or(TaskRow::State::Running);
        row.remoteStatus = query.value(4).toString();
        row.progress = query.value(5).toInt();
        row.createdAt = QDateTime::fromMSecsSinceEpoch(query.value(6).toLongLong(), Qt::UTC);
        row.updatedAt = QDateTime::fromMSecsSinceEpoch(query.value(7).toLongLong(), Qt::UTC);
        row.error = query.value(8).toString();
        row.errorCode = query.value(9).toString();
        row.accountId = query.value(10).toString();
        rows.append(row);
    }
    return rows;
}

std::optional<TaskRow> TaskStore::find(qint64 id) const
{
    const QList<TaskRow> rows = select(QStringLiteral("WHERE id = ?"), {id});
    if (rows.isEmpty())
        return std::nullopt;
    return rows.constFirst();
}

QList<TaskRow> TaskStore::pending() const
{
    return select(QStringLiteral("WHERE state IN (?, ?, ?) ORDER BY id"),
                  {TaskRow::stateName(TaskRow::State::Running), TaskRow::stateName(TaskRow::State::Submitting),
                   TaskRow::stateName(TaskRow::State::Orphaned)});
}

QList<TaskRow> TaskStore::recent(int limit) const
{
    return select(QStringLiteral("ORDER BY id DESC LIMIT ?"), {limit});
}

} // namespace Pixapi
