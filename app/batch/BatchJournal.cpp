#include "batch/BatchJournal.h"

#include "batch/BatchFile.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Pixapi {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

ApiError cannot(const QString& what, const QSqlQuery& query)
{
    return ApiError::make(ApiError::Kind::StorageError, what + QStringLiteral(": ") + query.lastError().text());
}

} // namespace

BatchJournal::BatchJournal(QString libraryRoot)
    : m_root(libraryRoot)
    , m_index(std::move(libraryRoot), QStringLiteral("batch journal"))
{ }

Result<std::unique_ptr<QLockFile>, qint64> BatchJournal::lock(const QString& batch) const
{
    using Locked = Result<std::unique_ptr<QLockFile>, qint64>;
    const QString dir = m_root + QStringLiteral("/batch-locks");
    if (!QDir().mkpath(dir))
        return Locked::failure(0);
    // Hashed: a batch name may hold any character, a file name may not.
    const QString name =
        QString::fromLatin1(QCryptographicHash::hash(batch.toUtf8(), QCryptographicHash::Sha256).toHex().left(32));
    auto lock = std::make_unique<QLockFile>(dir + QLatin1Char('/') + name + QStringLiteral(".lock"));
    lock->setStaleLockTime(0); // only a dead owner makes a lock stale, never its age: a batch may run for hours
    if (lock->tryLock(0))
        return Locked(std::move(lock));
    qint64 pid = 0;
    QString host;
    QString application;
    lock->getLockInfo(&pid, &host, &application);
    return Locked::failure(pid);
}

BatchJournal::~BatchJournal() = default;

Result<bool, ApiError> BatchJournal::open()
{
    return m_index.open();
}

bool BatchJournal::isOpen() const
{
    return m_index.isOpen();
}

QString BatchJournal::stateName(State state)
{
    switch (state) {
    case State::Sending:
        return QStringLiteral("sending");
    case State::Done:
        return QStringLiteral("done");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Uncertain:
        return QStringLiteral("uncertain");
    }
    return {};
}

std::optional<BatchJournal::State> BatchJournal::stateNamed(const QString& name)
{
    for (const State state : {State::Sending, State::Done, State::Failed, State::Uncertain}) {
        if (stateName(state) == name)
            return state;
    }
    return std::nullopt;
}

Result<QHash<QString, BatchJournal::Entry>, ApiError> BatchJournal::entries(const QString& batch) const
{
    using Entries = Result<QHash<QString, Entry>, ApiError>;
    if (!m_index.isOpen())
        return Entries::failure(m_index.notOpen());
    QSqlQuery query(m_index.connection());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT item_key, line, model, state, images, credits, error FROM batch_items WHERE batch = ?"));
    query.addBindValue(batch);
    if (!query.exec())
        return Entries::failure(cannot(QStringLiteral("cannot read the batch journal"), query));
    QHash<QString, Entry> entries;
    while (query.next()) {
        Entry entry;
        entry.key = query.value(0).toString();
        entry.line = query.value(1).toInt();
        entry.model = query.value(2).toString();
        // A state this version does not know (a newer one wrote it) is not sent again: it may have been charged.
        entry.state = stateNamed(query.value(3).toString()).value_or(State::Uncertain);
        entry.images = query.value(4).toInt();
        if (!query.isNull(5))
            entry.credits = query.value(5).toDouble();
        entry.error = query.value(6).toString();
        entries.insert(entry.key, entry);
    }
    return entries;
}

Result<bool, ApiError> BatchJournal::markSending(const QString& batch, const BatchItem& item)
{
    return m_index.write(QStringLiteral("INSERT INTO batch_items (batch, item_key, line, model, state, images,"
                                        " credits, error, updated_at) VALUES (?, ?, ?, ?, ?, 0, NULL, '', ?)"
                                        " ON CONFLICT (batch, item_key) DO UPDATE SET line = excluded.line,"
                                        " state = excluded.state, images = 0, credits = NULL, error = '',"
                                        " updated_at = excluded.updated_at"),
                         {batch, item.key, item.line, item.params.model, stateName(State::Sending), nowMs()});
}

Result<bool, ApiError> BatchJournal::markFinished(const QString& batch, const QString& key, State state, int images,
                                                  std::optional<double> credits, const QString& error)
{
    return m_index.write(
        QStringLiteral("UPDATE batch_items SET state = ?, images = ?, credits = ?, error = coalesce(?, ''),"
                       " updated_at = ? WHERE batch = ? AND item_key = ?"),
        {stateName(state), images, credits ? QVariant(*credits) : QVariant(), error, nowMs(), batch, key});
}

Result<int, ApiError> BatchJournal::changeState(const QString& batch, State from, const QString& statement)
{
    if (!m_index.isOpen())
        return Result<int, ApiError>::failure(m_index.notOpen());
    QSqlQuery query(m_index.connection());
    query.prepare(statement);
    query.addBindValue(nowMs());
    query.addBindValue(batch);
    query.addBindValue(stateName(from));
    if (!query.exec())
        return Result<int, ApiError>::failure(cannot(QStringLiteral("cannot write the batch journal"), query));
    return query.numRowsAffected();
}

Result<int, ApiError> BatchJournal::settleInterrupted(const QString& batch)
{
    return changeState(batch, State::Sending,
                       QStringLiteral("UPDATE batch_items SET state = '") + stateName(State::Uncertain)
                           + QStringLiteral("', error = 'interrupted before the answer arrived', updated_at = ?"
                                            " WHERE batch = ? AND state = ?"));
}

Result<int, ApiError> BatchJournal::forgetUncertain(const QString& batch)
{
    return changeState(batch, State::Uncertain,
                       QStringLiteral("DELETE FROM batch_items WHERE updated_at <= ? AND batch = ? AND state = ?"));
}

} // namespace Pixapi
