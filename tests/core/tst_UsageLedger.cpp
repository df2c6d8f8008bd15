#include "TestEnv.h"
#include "usage/UsageLedger.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

namespace {

const QString kAccountA = QStringLiteral("acct-a");
const QString kAccountB = QStringLiteral("acct-b");

QDateTime utc(const QString& iso)
{
    return QDateTime::fromString(iso, Qt::ISODateWithMs).toUTC();
}

UsageEntry entry(const QString& at, const QString& model, std::optional<double> credits, qint64 durationMs = 1000)
{
    UsageEntry e;
    e.at = utc(at);
    e.accountId = kAccountA;
    e.model = model;
    e.n = 1;
    e.images = 1;
    e.credits = credits;
    e.durationMs = durationMs;
    e.httpStatus = 200;
    e.requestId = QStringLiteral("req-") + at;
    e.source = QStringLiteral("generate");
    return e;
}

UsageEntry failure(const QString& at, const QString& model, const QString& kind, const QString& requestId)
{
    UsageEntry e = entry(at, model, 0.0, 99'999);
    e.images = 0;
    e.errorKind = kind;
    e.requestId = requestId;
    e.httpStatus = kind == QLatin1String("server_error") ? 500 : 0;
    return e;
}

// A reference reader for RFC 4180 (quoted fields with doubled quotes and line breaks, CRLF records).
QList<QStringList> parseCsv(const QString& text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += c;
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row << field;
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            row << field;
            rows << row;
            row.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

} // namespace

// The usage ledger (issue #6, item 1): its own SQLite file, the spend windows in local days of a fixed time zone
// around fixed instants (no dependence on when the test runs), per model, per day and per failure kind, queries and
// the CSV export.
class tst_UsageLedger : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    const QTimeZone m_berlin {QByteArrayLiteral("Europe/Berlin")};
    // Sunday 30 March 2025, 12:00 in Berlin: the day clocks go forward (23 hours long). Local midnight is 23:00 UTC
    // the day before; the 7-day window starts on the 24th, the 30-day window on the 1st (both at 23:00 UTC the day
    // before, in winter time).
    const QDateTime m_now = utc(QStringLiteral("2025-03-30T10:00:00.000Z"));

    QString path() const { return m_dir->filePath(QStringLiteral("usage.sqlite")); }

    // The fixture of the math tests; what each row counts for is next to it.
    void appendMonth(UsageLedger& ledger)
    {
        QList<UsageEntry> rows;
        rows << entry(QStringLiteral("2025-03-29T23:00:00.000Z"), QStringLiteral("m1"), 4.0, 1000); // today's midnight
        UsageEntry estimated = entry(QStringLiteral("2025-03-29T22:59:59.999Z"), QStringLiteral("m1"), 2.0, 3000);
        estimated.creditsEstimated = true; // yesterday, 1 ms before midnight
        rows << estimated;
        rows << entry(QStringLiteral("2025-03-23T23:00:00.000Z"), QStringLiteral("m2"), 10.0, 500); // 7-day edge
        UsageEntry timeout = failure(QStringLiteral("2025-03-23T22:59:59.999Z"), QStringLiteral("m2"),
                                     QStringLiteral("timeout"), QStringLiteral("req-timeout")); // 1 ms before it
        timeout.credits = 3.0;
        timeout.creditsEstimated = true;
        timeout.mayHaveBeenCharged = true;
        rows << timeout;
        rows << entry(QStringLiteral("2025-02-28T23:00:00.000Z"), QStringLiteral("m1"), 5.0, 2000); // 30-day edge
        rows << entry(QStringLiteral("2025-02-28T22:59:59.999Z"), QStringLiteral("m1"), 1000.0);    // 1 ms before: out
        UsageEntry other = entry(QStringLiteral("2025-03-30T08:00:00.000Z"), QStringLiteral("m1"), 100.0);
        other.accountId = kAccountB;
        rows << other;
        rows << failure(QStringLiteral("2025-03-30T09:00:00.000Z"), QStringLiteral("m2"),
                        QStringLiteral("server_error"), QStringLiteral("req-500-new"));
        rows << failure(QStringLiteral("2025-03-29T12:00:00.000Z"), QStringLiteral("m2"),
                        QStringLiteral("server_error"), QStringLiteral("req-500-old"));
        rows << entry(QStringLiteral("2025-03-30T22:00:00.000Z"), QStringLiteral("m1"), 7.0); // tomorrow's midnight
        rows << entry(QStringLiteral("2025-03-30T09:30:00.000Z"), QStringLiteral("m3"), std::nullopt, -1); // no price
        for (const UsageEntry& row : std::as_const(rows))
            QVERIFY(ledger.append(row).ok());
    }

    UsageSummary summarize(const std::optional<QString>& accountId) const
    {
        const auto result = UsageLedger::summarize(path(), accountId, m_now, m_berlin).result();
        if (!result.ok())
            qFatal("summary failed: %s", qPrintable(result.error().detail));
        return result.value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        QVERIFY(m_berlin.isValid());
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void cleanup() { m_dir.reset(); }

    void opensItsOwnVersionedFileInWal()
    {
        const QString nested = m_dir->filePath(QStringLiteral("a/b/usage.sqlite"));
        {
            UsageLedger ledger(nested);
            QVERIFY(ledger.open().ok());
            const auto id = ledger.append(entry(QStringLiteral("2025-03-30T09:00:00.000Z"), QStringLiteral("m1"), 2.0));
            QVERIFY(id.ok());
            QVERIFY(id.value() > 0);
            UsageEntry noTime;
            QCOMPARE(ledger.append(noTime).error().kind, ApiError::Kind::BadRequest);
        }
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
            db.setDatabaseName(nested);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version")) && query.next());
            QCOMPARE(query.value(0).toInt(), UsageLedger::SchemaVersion);
            QVERIFY(query.exec(QStringLiteral("PRAGMA journal_mode")) && query.next());
            QCOMPARE(query.value(0).toString(), QStringLiteral("wal"));
            QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM requests")) && query.next());
            QCOMPARE(query.value(0).toInt(), 1); // kept across connections
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 99")));
            query = QSqlQuery();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("probe"));
        UsageLedger newer(nested);
        const auto refused = newer.open();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ApiError::Kind::StorageError);
        QVERIFY(refused.error().detail.contains(QStringLiteral("99")));

        QVERIFY(UsageLedger::defaultPath().endsWith(QStringLiteral("/usage.sqlite")));
    }

    void spendWindowsFollowLocalMidnights()
    {
        UsageLedger ledger(path());
        QVERIFY(ledger.open().ok());
        appendMonth(ledger);

        const UsageSummary a = summarize(kAccountA);
        QCOMPARE(a.today, 4.0);              // from local midnight on, the future row left out
        QCOMPARE(a.last7Days, 4.0 + 2 + 10); // from the 24th's midnight on
        QCOMPARE(a.last30Days, 16.0 + 3 + 5);
        QCOMPARE(a.estimated30d, 2.0 + 3);
        QCOMPARE(a.requests30d, 8);
        QCOMPARE(a.failed30d, 3);
        QCOMPARE(a.unpriced30d, 1);

        const UsageSummary all = summarize(std::nullopt);
        QCOMPARE(all.today, 104.0);
        QCOMPARE(all.requests30d, 9);

        // The guards' small sums: "since" has no end, so the row stamped tomorrow counts.
        QCOMPARE(ledger.spentToday(kAccountA, m_now, m_berlin), 4.0 + 7);
        QCOMPARE(ledger.spentToday(std::nullopt, m_now, m_berlin), 111.0);
        QCOMPARE(ledger.spentSince(kAccountA, utc(QStringLiteral("2025-03-23T23:00:00.000Z"))), 16.0 + 7);
        QCOMPARE(ledger.spentSince(kAccountA, utc(QStringLiteral("2025-03-23T22:59:59.999Z"))), 19.0 + 7);
        QCOMPARE(ledger.spentToday(QStringLiteral("nobody"), m_now, m_berlin), 0.0);
        // One hour later in UTC is still the same local day; at 22:00 UTC it is the next one.
        QCOMPARE(ledger.spentToday(kAccountA, m_now.addSecs(3600), m_berlin), 11.0);
        QCOMPARE(ledger.spentToday(kAccountA, utc(QStringLiteral("2025-03-30T22:00:00.000Z")), m_berlin), 7.0);
    }

    void perModelPerDayAndFailures()
    {
        UsageLedger ledger(path());
        QVERIFY(ledger.open().ok());
        appendMonth(ledger);
        const UsageSummary a = summarize(kAccountA);

        QCOMPARE(a.perModel.size(), 3);
        const ModelUsage& m2 = a.perModel.at(0); // most credits first
        QCOMPARE(m2.model, QStringLiteral("m2"));
        QCOMPARE(m2.credits, 13.0);
        QCOMPARE(m2.requests, 4);
        QCOMPARE(m2.failures, 3);
        QCOMPARE(m2.averageLatencyMs, 500); // its one success; the failures' 99999 ms are left out
        const ModelUsage& m1 = a.perModel.at(1);
        QCOMPARE(m1.model, QStringLiteral("m1"));
        QCOMPARE(m1.credits, 11.0);
        QCOMPARE(m1.requests, 3);
        QCOMPARE(m1.failures, 0);
        QCOMPARE(m1.averageLatencyMs, (1000 + 3000 + 2000) / 3);
        QCOMPARE(a.perModel.at(2).model, QStringLiteral("m3"));
        QCOMPARE(a.perModel.at(2).averageLatencyMs, -1); // no known duration

        QCOMPARE(a.perDay.size(), 30);
        QCOMPARE(a.perDay.first().date, QDate(2025, 3, 1));
        QCOMPARE(a.perDay.last().date, QDate(2025, 3, 30));
        double total = 0;
        for (int i = 0; i < a.perDay.size(); ++i) {
            QCOMPARE(a.perDay.at(i).date, QDate(2025, 3, 1).addDays(i)); // no gaps
            total += a.perDay.at(i).credits;
        }
        QCOMPARE(total, a.last30Days);
        auto day = [&](int dayOfMonth) { return a.perDay.at(dayOfMonth - 1); };
        QCOMPARE(day(1).credits, 5.0);
        QCOMPARE(day(1).requests, 1);
        QCOMPARE(day(2).requests, 0);
        QCOMPARE(day(2).credits, 0.0);
        QCOMPARE(day(23).credits, 3.0); // 22:59:59.999 UTC is still the 23rd in Berlin
        QCOMPARE(day(23).failures, 1);
        QCOMPARE(day(24).credits, 10.0);
        QCOMPARE(day(29).credits, 2.0);
        QCOMPARE(day(29).requests, 2);
        QCOMPARE(day(29).failures, 1);
        QCOMPARE(day(30).credits, 4.0);
        QCOMPARE(day(30).requests, 3);
        QCOMPARE(day(30).failures, 1);

        QCOMPARE(a.failures.size(), 2);
        QCOMPARE(a.failures.at(0).errorKind, QStringLiteral("server_error"));
        QCOMPARE(a.failures.at(0).count, 2);
        QCOMPARE(a.failures.at(0).lastRequestId, QStringLiteral("req-500-new"));
        QCOMPARE(a.failures.at(1).errorKind, QStringLiteral("timeout"));
        QCOMPARE(a.failures.at(1).lastRequestId, QStringLiteral("req-timeout"));
    }

    void entriesAreNewestFirstAndFiltered()
    {
        UsageLedger ledger(path());
        QVERIFY(ledger.open().ok());
        appendMonth(ledger);
        UsageEntry sandbox = entry(QStringLiteral("2025-03-30T09:45:00.000Z"), QStringLiteral("m1"), 1.0);
        sandbox.accountId.clear(); // sent without an account
        QVERIFY(ledger.append(sandbox).ok());

        auto read = [&](const UsageQuery& query) {
            const auto result = UsageLedger::entries(path(), query).result();
            if (!result.ok())
                qFatal("entries failed");
            return result.value();
        };
        const QList<UsageEntry> all = read({});
        QCOMPARE(all.size(), 12);
        for (int i = 1; i < all.size(); ++i)
            QVERIFY(all.at(i - 1).at >= all.at(i).at);

        UsageQuery window;
        window.accountId = kAccountA;
        window.since = utc(QStringLiteral("2025-03-29T23:00:00.000Z"));
        window.until = utc(QStringLiteral("2025-03-30T22:00:00.000Z")); // exclusive
        const QList<UsageEntry> today = read(window);
        QCOMPARE(today.size(), 3);
        QCOMPARE(today.first().model, QStringLiteral("m3"));
        QCOMPARE(today.first().at, utc(QStringLiteral("2025-03-30T09:30:00.000Z")));
        QVERIFY(!today.first().credits);
        QCOMPARE(today.first().durationMs, -1);
        QCOMPARE(today.last().credits, 4.0);
        QCOMPARE(today.last().at, window.since);

        window.limit = 2;
        QCOMPARE(read(window).size(), 2);

        UsageQuery noAccount;
        noAccount.accountId = QString();
        const QList<UsageEntry> sandboxRows = read(noAccount);
        QCOMPARE(sandboxRows.size(), 1);
        QCOMPARE(sandboxRows.first().accountId, QString());
        QCOMPARE(summarize(QString()).today, 1.0);

        const QList<UsageEntry> failed = read({kAccountA, utc(QStringLiteral("2025-03-23T22:59:59.999Z")),
                                               utc(QStringLiteral("2025-03-23T23:00:00.000Z")), 0});
        QCOMPARE(failed.size(), 1);
        const UsageEntry& timeout = failed.first();
        QVERIFY(!timeout.succeeded());
        QCOMPARE(timeout.errorKind, QStringLiteral("timeout"));
        QVERIFY(timeout.mayHaveBeenCharged);
        QVERIFY(timeout.creditsEstimated);
        QCOMPARE(timeout.credits, 3.0);
        QCOMPARE(timeout.requestId, QStringLiteral("req-timeout"));
        QCOMPARE(timeout.source, QStringLiteral("generate"));
    }

    void exportsRfc4180CsvInUtcWithCLocaleNumbers()
    {
        UsageLedger ledger(path());
        QVERIFY(ledger.open().ok());
        UsageEntry odd = entry(QStringLiteral("2025-03-30T09:00:00.250Z"), QStringLiteral("custom,\"v2\" model"), 2.5);
        odd.size = QStringLiteral("16:9");
        odd.requestId = QStringLiteral("line\nbreak");
        odd.creditsEstimated = true;
        QVERIFY(ledger.append(odd).ok());
        UsageEntry plain = entry(QStringLiteral("2025-03-30T08:00:00.000Z"), QStringLiteral("m1"), 1234567.0, -1);
        plain.requestId = QStringLiteral("=HYPERLINK(\"http://x\")"); // a spreadsheet must not run it
        QVERIFY(ledger.append(plain).ok());
        QVERIFY(ledger
                    .append(failure(QStringLiteral("2025-03-01T08:00:00.000Z"), QStringLiteral("m1"),
                                    QStringLiteral("server_error"), QStringLiteral("req-1")))
                    .ok());

        const QLocale previous;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany)); // "2,5" and "1.234.567" if it leaked
        const QString csvPath = m_dir->filePath(QStringLiteral("usage.csv"));
        UsageQuery march30;
        march30.since = utc(QStringLiteral("2025-03-29T23:00:00.000Z"));
        const auto written = UsageLedger::exportCsv(path(), march30, csvPath).result();
        QLocale::setDefault(previous);
        QVERIFY(written.ok());
        QCOMPARE(written.value(), 2);

        QFile file(csvPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.contains(QStringLiteral("\"custom,\"\"v2\"\" model\"")));
        const QList<QStringList> rows = parseCsv(text);
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.at(0).join(QLatin1Char(',')),
                 QStringLiteral("id,time_utc,account,model,n,images,size,quality,credits,credits_estimated,"
                                "duration_ms,http_status,error_kind,request_id,may_have_been_charged,source"));
        for (const QStringList& row : rows)
            QCOMPARE(row.size(), 16);
        const QStringList& first = rows.at(1); // newest first
        QCOMPARE(first.at(1), QStringLiteral("2025-03-30T09:00:00.250Z"));
        QCOMPARE(first.at(2), kAccountA);
        QCOMPARE(first.at(3), odd.model);
        QCOMPARE(first.at(6), QStringLiteral("16:9"));
        QCOMPARE(first.at(8), QStringLiteral("2.5"));
        QCOMPARE(first.at(9), QStringLiteral("1"));
        QCOMPARE(first.at(13), odd.requestId);
        const QStringList& second = rows.at(2);
        QCOMPARE(second.at(1), QStringLiteral("2025-03-30T08:00:00.000Z"));
        QCOMPARE(second.at(8), QStringLiteral("1234567"));
        QCOMPARE(second.at(10), QString()); // unknown duration
        QCOMPARE(second.at(13), QStringLiteral("'=HYPERLINK(\"http://x\")"));
        QCOMPARE(second.at(11), QStringLiteral("200"));

        // Unwritable target: an error, and nothing half-written.
        const QString blocked = m_dir->filePath(QStringLiteral("usage.sqlite/x.csv"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("usage export failed")));
        const auto refused = UsageLedger::exportCsv(path(), {}, blocked).result();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ApiError::Kind::StorageError);
        QVERIFY(!QFile::exists(blocked));
    }
};

QTEST_GUILESS_MAIN(tst_UsageLedger)
#include "tst_UsageLedger.moc"
