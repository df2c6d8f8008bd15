#include "generation/TaskStore.h"

#include "library/IndexConnection.h"
#include "support/Logging.h"

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

} // namespace

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
    query.addBindValue(TaskRow::paramsJson(params, creditsPerImage, parentIds, origin));
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
        row.readParamsJson(query.value(2).toString());
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
