#include "usage/UsageLedger.h"

#include "support/AppPaths.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QLocale>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <atomic>

namespace Pixapi {

namespace {

// Waits this long for another connection's write lock (a worker may read while the UI thread appends).
constexpr int BusyTimeoutMs = 5000;
// The summary's window: today and the 29 local days before it.
constexpr int SummaryDays = 30;
constexpr int WeekDays = 7;

// migrationSteps()[i] takes the schema from version i to i + 1. Append new steps; never edit a shipped one.
QList<QStringList> migrationSteps()
{
    return {
        // 1: one row per request. at is unix milliseconds (UTC, when sent); credits NULL = no price known;
        // duration_ms NULL = unknown; http_status 0 = no HTTP answer; error_kind '' = success.
        {
            QStringLiteral("CREATE TABLE requests ("
                           " id INTEGER PRIMARY KEY,"
                           " at INTEGER NOT NULL,"
                           " account_id TEXT NOT NULL DEFAULT '',"
                           " model TEXT NOT NULL DEFAULT '',"
                           " n INTEGER NOT NULL,"
                           " images INTEGER NOT NULL,"
                           " size TEXT NOT NULL DEFAULT '',"
                           " quality TEXT NOT NULL DEFAULT '',"
                           " credits REAL,"
                           " credits_estimated INTEGER NOT NULL CHECK (credits_estimated IN (0, 1)),"
                           " duration_ms INTEGER,"
                           " http_status INTEGER NOT NULL DEFAULT 0,"
                           " error_kind TEXT NOT NULL DEFAULT '',"
                           " request_id TEXT NOT NULL DEFAULT '',"
                           " may_have_been_charged INTEGER NOT NULL CHECK (may_have_been_charged IN (0, 1)),"
                           " source TEXT NOT NULL DEFAULT '')"),
            QStringLiteral("CREATE INDEX requests_account_at ON requests(account_id, at)"),
            QStringLiteral("CREATE INDEX requests_at ON requests(at)"),
        },
    };
}

const QString kColumns = QStringLiteral("id, at, account_id, model, n, images, size, quality, credits, "
                                        "credits_estimated, duration_ms, http_status, error_kind, request_id, "
                                        "may_have_been_charged, source");

QString nextConnectionName()
{
    static std::atomic<quint64> counter {0};
    return QStringLiteral("pixapi.usage.") + QString::number(++counter);
}

ApiError storageError(const QString& what, const QSqlError& error)
{
    qCWarning(lcLibrary).noquote() << "usage ledger:" << what << "-" << error.text();
    return ApiError::make(ApiError::Kind::StorageError, what + QStringLiteral(": ") + error.text());
}

// A null QString binds as SQL NULL; the text columns are NOT NULL.
QString notNull(const QString& text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

UsageEntry entryFromRow(const QSqlQuery& row)
{
    UsageEntry entry;
    entry.id = row.value(0).toLongLong();
    entry.at = QDateTime::fromMSecsSinceEpoch(row.value(1).toLongLong(), Qt::UTC);
    entry.accountId = row.value(2).toString();
    entry.model = row.value(3).toString();
    entry.n = row.value(4).toInt();
    entry.images = row.value(5).toInt();
    entry.size = row.value(6).toString();
    entry.quality = row.value(7).toString();
    if (!row.value(8).isNull())
        entry.credits = row.value(8).toDouble();
    entry.creditsEstimated = row.value(9).toBool();
    entry.durationMs = row.value(10).isNull() ? -1 : row.value(10).toLongLong();
    entry.httpStatus = row.value(11).toInt();
    entry.errorKind = row.value(12).toString();
    entry.requestId = row.value(13).toString();
    entry.mayHaveBeenCharged = row.value(14).toBool();
    entry.source = row.value(15).toString();
    return entry;
}

// " WHERE ..." for the account and time filters; appends the values to bind.
QString whereClause(const std::optional<QString>& accountId, const QDateTime& since, const QDateTime& until,
                    QVariantList& binds)
{
    QString sql = QStringLiteral(" WHERE 1");
    if (accountId) {
        sql += QStringLiteral(" AND account_id = ?");
        binds.append(notNull(*accountId));
    }
    if (since.isValid()) {
        sql += QStringLiteral(" AND at >= ?");
        binds.append(since.toMSecsSinceEpoch());
    }
    if (until.isValid()) {
        sql += QStringLiteral(" AND at < ?");
        binds.append(until.toMSecsSinceEpoch());
    }
    return sql;
}

// Runs `work` on a pooled thread against a ledger opened there (a connection belongs to its thread).
template <typename T, typename Work>
QFuture<Result<T, ApiError>> onWorker(QString filePath, Work work)
{
    return runInBackground([filePath = std::move(filePath), work = std::move(work)]() -> Result<T, ApiError> {
        UsageLedger ledger(filePath);
        if (auto opened = ledger.open(); !opened)
            return Result<T, ApiError>::failure(opened.error());
        return work(ledger);
    });
}

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A text field a spreadsheet
// would run as a formula (a server's model name or request id starting with =, +, -, @) gets a leading apostrophe.
QString csvField(const QString& value)
{
    static const QList<QChar> formulaStarts {u'=', u'+', u'-', u'@', u'\t', u'\r'};
    const QString text = !value.isEmpty() && formulaStarts.contains(value.front()) ? QLatin1Char('\'') + value : value;
    static const QList<QChar> special {u',', u'"', u'\r', u'\n'};
    if (std::none_of(special.cbegin(), special.cend(), [&](QChar c) { return text.contains(c); }))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

// Shortest exact decimal in the C locale ("2.5", "12"), whatever the user's locale.
QString csvNumber(double value)
{
    return QLocale::c().toString(value, 'f', QLocale::FloatingPointShortest);
}

QString csvRow(const UsageEntry& e)
{
    const QStringList fields {
        QString::number(e.id),
        e.at.toUTC().toString(Qt::ISODateWithMs),
        csvField(e.accountId),
        csvField(e.model),
        QString::number(e.n),
        QString::number(e.images),
        csvField(e.size),
        csvField(e.quality),
        e.credits ? csvNumber(*e.credits) : QString(),
        e.creditsEstimated ? QStringLiteral("1") : QStringLiteral("0"),
        e.durationMs >= 0 ? QString::number(e.durationMs) : QString(),
        QString::number(e.httpStatus),
        csvField(e.errorKind),
        csvField(e.requestId),
        e.mayHaveBeenCharged ? QStringLiteral("1") : QStringLiteral("0"),
        csvField(e.source),
    };
    return fields.join(QLatin1Char(',')) + QLatin1String("\r\n");
}

Result<int, ApiError> writeCsv(const QList<UsageEntry>& entries, const QString& csvPath)
{
    auto failed = [&](const QString& why) {
        qCWarning(lcLibrary).noquote() << "usage export failed:" << why;
        return Result<int, ApiError>::failure(
            ApiError::make(ApiError::Kind::StorageError, QStringLiteral("cannot write the CSV file: ") + why));
    };
    QSaveFile file(csvPath);
    if (!file.open(QIODevice::WriteOnly))
        return failed(file.errorString());
    // Column names are a file format, not UI text: they stay English for the tools that read them.
    QString text = QStringLiteral("id,time_utc,account,model,n,images,size,quality,credits,credits_estimated,"
                                  "duration_ms,http_status,error_kind,request_id,may_have_been_charged,source\r\n");
    for (const UsageEntry& entry : entries)
        text += csvRow(entry);
    if (file.write(text.toUtf8()) < 0 || !file.commit())
        return failed(file.errorString());
    return int(entries.size());
}

} // namespace

UsageLedger::UsageLedger(QString filePath)
    : m_filePath(std::move(filePath))
    , m_connectionName(nextConnectionName())
{
    Q_ASSERT(migrationSteps().size() == SchemaVersion);
}

UsageLedger::~UsageLedger()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase(); // drop the last handle, else removeDatabase() warns that the connection is still in use
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString UsageLedger::defaultPath()
{
    return AppPaths::dataDir() + QStringLiteral("/usage.sqlite");
}

Result<bool, ApiError> UsageLedger::open()
{
    if (m_db.isOpen())
        return true;
    if (!QDir().mkpath(QFileInfo(m_filePath).absolutePath()))
        return Result<bool, ApiError>::failure(
            ApiError::make(ApiError::Kind::StorageError, QStringLiteral("cannot create the usage ledger's directory")));
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(m_filePath);
    if (!m_db.open())
        return Result<bool, ApiError>::failure(
            storageError(QStringLiteral("cannot open the usage ledger"), m_db.lastError()));
    if (auto done = exec(QStringLiteral("PRAGMA busy_timeout = ") + QString::number(BusyTimeoutMs)); !done)
        return done;
    if (auto migrated = migrate(); !migrated) {
        m_db.close();
        return migrated;
    }
    return true;
}

Result<bool, ApiError> UsageLedger::exec(const QString& statement) const
{
    QSqlQuery query(m_db);
    if (!query.exec(statement))
        return Result<bool, ApiError>::failure(
            storageError(QStringLiteral("usage ledger statement failed"), query.lastError()));
    return true;
}

Result<int, ApiError> UsageLedger::userVersion() const
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return Result<int, ApiError>::failure(
            storageError(QStringLiteral("cannot read the usage ledger's schema version"), query.lastError()));
    return query.value(0).toInt();
}

Result<bool, ApiError> UsageLedger::migrate()
{
    {
        // WAL: a worker reads the summary while the UI thread appends. It is stored in the file.
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot set the journal mode"), query.lastError()));
    }
    const auto version = userVersion();
    if (!version)
        return Result<bool, ApiError>::failure(version.error());
    if (version.value() > SchemaVersion)
        return Result<bool, ApiError>::failure(ApiError::make(
            ApiError::Kind::StorageError, QStringLiteral("the usage ledger has schema version %1; this version of the "
                                                         "app knows up to %2")
                                              .arg(version.value())
                                              .arg(SchemaVersion)));
    if (version.value() == SchemaVersion)
        return true;

    // IMMEDIATE takes the write lock now, so two connections opening a new ledger do not both migrate it; the
    // version is read again inside the transaction for the same reason.
    if (auto begun = exec(QStringLiteral("BEGIN IMMEDIATE")); !begun)
        return begun;
    auto migrated = [this]() -> Result<bool, ApiError> {
        const auto current = userVersion();
        if (!current)
            return Result<bool, ApiError>::failure(current.error());
        const QList<QStringList> steps = migrationSteps();
        for (int from = current.value(); from < SchemaVersion; ++from) {
            for (const QString& statement : steps.at(from)) {
                if (auto done = exec(statement); !done)
                    return done;
            }
        }
        return exec(QStringLiteral("PRAGMA user_version = ") + QString::number(SchemaVersion));
    }();
    if (migrated)
        migrated = exec(QStringLiteral("COMMIT"));
    if (!migrated)
        exec(QStringLiteral("ROLLBACK"));
    return migrated;
}

Result<qint64, ApiError> UsageLedger::append(const UsageEntry& entry)
{
    if (!m_db.isOpen())
        return Result<qint64, ApiError>::failure(
            ApiError::make(ApiError::Kind::StorageError, QStringLiteral("the usage ledger is not open")));
    if (!entry.at.isValid())
        return Result<qint64, ApiError>::failure(
            ApiError::make(ApiError::Kind::BadRequest, QStringLiteral("a usage entry needs the time it was sent")));
    QSqlQuery query(m_db);
    query.prepare(
        QStringLiteral("INSERT INTO requests (at, account_id, model, n, images, size, quality, credits, "
                       "credits_estimated, duration_ms, http_status, error_kind, request_id, "
                       "may_have_been_charged, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(entry.at.toMSecsSinceEpoch());
    query.addBindValue(notNull(entry.accountId));
    query.addBindValue(notNull(entry.model));
    query.addBindValue(entry.n);
    query.addBindValue(entry.images);
    query.addBindValue(notNull(entry.size));
    query.addBindValue(notNull(entry.quality));
    query.addBindValue(entry.credits ? QVariant(*entry.credits) : QVariant(QMetaType::fromType<double>()));
    query.addBindValue(entry.creditsEstimated ? 1 : 0);
    query.addBindValue(entry.durationMs >= 0 ? QVariant(entry.durationMs) : QVariant(QMetaType::fromType<qint64>()));
    query.addBindValue(entry.httpStatus);
    query.addBindValue(notNull(entry.errorKind));
    query.addBindValue(notNull(entry.requestId));
    query.addBindValue(entry.mayHaveBeenCharged ? 1 : 0);
    query.addBindValue(notNull(entry.source));
    if (!query.exec())
        return Result<qint64, ApiError>::failure(
            storageError(QStringLiteral("cannot write the usage entry"), query.lastError()));
    return query.lastInsertId().toLongLong();
}

double UsageLedger::spentSince(const std::optional<QString>& accountId, const QDateTime& fromUtc) const
{
    QVariantList binds;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT coalesce(sum(credits), 0) FROM requests")
                  + whereClause(accountId, fromUtc, {}, binds));
    for (const QVariant& value : std::as_const(binds))
        query.addBindValue(value);
    if (!query.exec() || !query.next()) {
        storageError(QStringLiteral("cannot read the spend"), query.lastError());
        return 0;
    }
    return query.value(0).toDouble();
}

double UsageLedger::spentToday(const std::optional<QString>& accountId, const QDateTime& nowUtc,
                               const QTimeZone& zone) const
{
    return spentSince(accountId, nowUtc.toTimeZone(zone).date().startOfDay(zone));
}

Result<QList<UsageEntry>, ApiError> UsageLedger::select(const UsageQuery& filter) const
{
    QVariantList binds;
    QString sql = QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM requests")
                  + whereClause(filter.accountId, filter.since, filter.until, binds)
                  + QStringLiteral(" ORDER BY at DESC, id DESC");
    if (filter.limit > 0) {
        sql += QStringLiteral(" LIMIT ?");
        binds.append(filter.limit);
    }
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant& value : std::as_const(binds))
        query.addBindValue(value);
    if (!query.exec())
        return Result<QList<UsageEntry>, ApiError>::failure(
            storageError(QStringLiteral("cannot read the usage ledger"), query.lastError()));
    QList<UsageEntry> entries;
    while (query.next())
        entries.append(entryFromRow(query));
    return entries;
}

Result<UsageSummary, ApiError> UsageLedger::summary(const std::optional<QString>& accountId, const QDateTime& nowUtc,
                                                    const QTimeZone& zone) const
{
    const QDate today = nowUtc.toTimeZone(zone).date();
    const QDate firstDay = today.addDays(1 - SummaryDays);
    const QDate firstWeekDay = today.addDays(1 - WeekDays);
    UsageQuery window;
    window.accountId = accountId;
    window.since = firstDay.startOfDay(zone);
    window.until = today.addDays(1).startOfDay(zone);
    const auto rows = select(window);
    if (!rows)
        return Result<UsageSummary, ApiError>::failure(rows.error());

    UsageSummary summary;
    for (int i = 0; i < SummaryDays; ++i)
        summary.perDay.append(DayUsage {firstDay.addDays(i), 0, 0, 0});
    QHash<QString, ModelUsage> models;
    QHash<QString, qint64> latencySum; // per model, over the successes with a known duration
    QHash<QString, int> latencyCount;
    QHash<QString, FailureUsage> failures;

    // Newest first: the first failure of a kind with a request id is its newest example.
    for (const UsageEntry& e : rows.value()) {
        const QDate date = e.at.toTimeZone(zone).date();
        const double credits = e.credits.value_or(0);
        summary.last30Days += credits;
        if (date >= firstWeekDay)
            summary.last7Days += credits;
        if (date == today)
            summary.today += credits;
        if (e.creditsEstimated)
            summary.estimated30d += credits;
        ++summary.requests30d;
        if (!e.credits)
            ++summary.unpriced30d;

        DayUsage& day = summary.perDay[firstDay.daysTo(date)];
        day.credits += credits;
        ++day.requests;

        ModelUsage& model = models[e.model];
        model.model = e.model;
        model.credits += credits;
        ++model.requests;

        if (e.succeeded()) {
            if (e.durationMs >= 0) {
                latencySum[e.model] += e.durationMs;
                ++latencyCount[e.model];
            }
            continue;
        }
        ++summary.failed30d;
        ++day.failures;
        ++model.failures;
        FailureUsage& failure = failures[e.errorKind];
        failure.errorKind = e.errorKind;
        ++failure.count;
        if (failure.lastRequestId.isEmpty())
            failure.lastRequestId = e.requestId;
    }

    for (ModelUsage& model : models) {
        if (const int count = latencyCount.value(model.model); count > 0)
            model.averageLatencyMs = latencySum.value(model.model) / count;
        summary.perModel.append(model);
    }
    std::sort(summary.perModel.begin(), summary.perModel.end(), [](const ModelUsage& a, const ModelUsage& b) {
        if (a.credits != b.credits)
            return a.credits > b.credits;
        if (a.requests != b.requests)
            return a.requests > b.requests;
        return a.model < b.model;
    });
    summary.failures = failures.values();
    std::sort(summary.failures.begin(), summary.failures.end(), [](const FailureUsage& a, const FailureUsage& b) {
        return a.count != b.count ? a.count > b.count : a.errorKind < b.errorKind;
    });
    return summary;
}

QFuture<Result<UsageSummary, ApiError>> UsageLedger::summarize(QString filePath, std::optional<QString> accountId,
                                                               QDateTime nowUtc, const QTimeZone& zone)
{
    return onWorker<UsageSummary>(std::move(filePath),
                                  [accountId = std::move(accountId), nowUtc = std::move(nowUtc), zone](
                                      const UsageLedger& ledger) { return ledger.summary(accountId, nowUtc, zone); });
}

QFuture<Result<QList<UsageEntry>, ApiError>> UsageLedger::entries(QString filePath, UsageQuery query)
{
    return onWorker<QList<UsageEntry>>(
        std::move(filePath), [query = std::move(query)](const UsageLedger& ledger) { return ledger.select(query); });
}

QFuture<Result<int, ApiError>> UsageLedger::exportCsv(QString filePath, UsageQuery query, QString csvPath)
{
    return onWorker<int>(std::move(filePath),
                         [query = std::move(query), csvPath = std::move(csvPath)](const UsageLedger& ledger) {
                             const auto rows = ledger.select(query);
                             if (!rows)
                                 return Result<int, ApiError>::failure(rows.error());
                             return writeCsv(rows.value(), csvPath);
                         });
}

} // namespace Pixapi
