#pragma once

#include "api/ApiError.h"
#include "support/Result.h"
#include "usage/UsageEntry.h"

#include <QDate>
#include <QDateTime>
#include <QFuture>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QTimeZone>

#include <optional>

namespace Pixapi {

// Which ledger rows to read.
struct UsageQuery
{
    std::optional<QString> accountId; // nothing: every account; "" is the account of requests sent without one
    QDateTime since;                  // inclusive; invalid: from the first row
    QDateTime until;                  // exclusive; invalid: to the last row
    int limit = 0;                    // the newest `limit` rows; 0: all
};

struct ModelUsage
{
    QString model;
    double credits = 0;
    int requests = 0;
    int failures = 0;
    qint64 averageLatencyMs = -1; // of the successful requests with a known duration; -1: none
};

struct DayUsage
{
    QDate date; // in the summary's time zone
    double credits = 0;
    int requests = 0;
    int failures = 0;
};

struct FailureUsage
{
    QString errorKind; // ApiError::kindName()
    int count = 0;
    QString lastRequestId; // of the newest failure of this kind that has one: to quote to support
};

// Spend and requests of one account (or all) over the last 30 local days, today included. The windows are local
// calendar days in the summary's time zone: "today" starts at local midnight, "last 7 days" at the midnight six days
// before, "last 30 days" at the midnight 29 days before; rows after the end of today are left out.
struct UsageSummary
{
    double today = 0;
    double last7Days = 0;
    double last30Days = 0;
    double estimated30d = 0; // the part of last30Days that is a catalog estimate (the server reported no cost)
    int requests30d = 0;
    int failed30d = 0;
    int unpriced30d = 0;          // requests of unknown cost (no price known): not in the credits
    QList<ModelUsage> perModel;   // most credits first
    QList<DayUsage> perDay;       // 30 days, oldest first, days without requests included (a chart without gaps)
    QList<FailureUsage> failures; // most frequent first
};

// The local record of every generation request (success or failure) and what it cost, in an SQLite file of its own:
// spend concerns the account, not whichever library folder is open. Small statements (append, spentSince) run on
// the thread that opened the ledger; reads of many rows (summarize, entries, exportCsv) run on a worker with a
// connection of their own.
class UsageLedger
{
public:
    static constexpr int SchemaVersion = 1;

    explicit UsageLedger(QString filePath);
    ~UsageLedger();
    Q_DISABLE_COPY_MOVE(UsageLedger)

    // <AppPaths::dataDir()>/usage.sqlite
    static QString defaultPath();

    // Creates the file and its directory if needed, switches it to WAL and migrates the schema; refuses a newer one.
    Result<bool, ApiError> open();
    bool isOpen() const { return m_db.isOpen(); }
    QString filePath() const { return m_filePath; }

    // Returns the new row's id. BadRequest without a valid time.
    Result<qint64, ApiError> append(const UsageEntry& entry);
    // Credits (charged and estimated) of the requests sent at or after fromUtc; 0 when it cannot be read (logged).
    double spentSince(const std::optional<QString>& accountId, const QDateTime& fromUtc) const;
    // spentSince() local midnight of nowUtc's day in `zone`: what a daily cap counts.
    double spentToday(const std::optional<QString>& accountId, const QDateTime& nowUtc,
                      const QTimeZone& zone = QTimeZone::systemTimeZone()) const;

    // Worker functions: each opens the file with a connection of its own on a QtConcurrent thread.
    static QFuture<Result<UsageSummary, ApiError>> summarize(QString filePath, std::optional<QString> accountId,
                                                             QDateTime nowUtc,
                                                             const QTimeZone& zone = QTimeZone::systemTimeZone());
    // Newest first.
    static QFuture<Result<QList<UsageEntry>, ApiError>> entries(QString filePath, UsageQuery query);
    // The rows of entries(query) as CSV (RFC 4180: header row, CRLF, quoted where needed; UTC ISO-8601 times; C-locale
    // numbers), written atomically. Returns the number of rows written.
    static QFuture<Result<int, ApiError>> exportCsv(QString filePath, UsageQuery query, QString csvPath);

private:
    Result<int, ApiError> userVersion() const;
    Result<bool, ApiError> exec(const QString& statement) const;
    Result<bool, ApiError> migrate();
    Result<QList<UsageEntry>, ApiError> select(const UsageQuery& filter) const;
    Result<UsageSummary, ApiError> summary(const std::optional<QString>& accountId, const QDateTime& nowUtc,
                                           const QTimeZone& zone) const;

    const QString m_filePath;
    const QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace Pixapi
