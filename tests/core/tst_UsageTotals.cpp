#include "TestEnv.h"
#include "usage/UsagePeriod.h"
#include "usage/UsageTotals.h"

#include <QTest>

using namespace Pixapi;

// What `pixapi-cli usage` and `export` read from the command line (--since, --until) and add up.
class tst_UsageTotals : public QObject
{
    Q_OBJECT

private:
    const QTimeZone m_paris = QTimeZone(QByteArrayLiteral("Europe/Paris"));
    // 2026-11-28 01:30 in Paris: still the 27th in UTC, so "today" must be the local day.
    const QDateTime m_now = QDateTime(QDate(2026, 11, 28), QTime(0, 30), Qt::UTC);

    static UsageEntry entry(const QString& model, std::optional<double> credits, const QString& error = {},
                            int images = 1)
    {
        UsageEntry e;
        e.model = model;
        e.credits = credits;
        e.errorKind = error;
        e.images = error.isEmpty() ? images : 0;
        return e;
    }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void moments_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QDateTime>("expected");
        QTest::newRow("today") << QStringLiteral("today") << QDateTime(QDate(2026, 11, 27), QTime(23, 0), Qt::UTC);
        QTest::newRow("yesterday") << QStringLiteral(" Yesterday ")
                                   << QDateTime(QDate(2026, 11, 26), QTime(23, 0), Qt::UTC);
        QTest::newRow("date") << QStringLiteral("2026-11-01") << QDateTime(QDate(2026, 10, 31), QTime(23, 0), Qt::UTC);
        QTest::newRow("local time") << QStringLiteral("2026-07-01 14:30")
                                    << QDateTime(QDate(2026, 7, 1), QTime(12, 30), Qt::UTC); // summer time
        QTest::newRow("offset") << QStringLiteral("2026-11-01T10:00:00+05:00")
                                << QDateTime(QDate(2026, 11, 1), QTime(5, 0), Qt::UTC);
        QTest::newRow("utc") << QStringLiteral("2026-11-01T10:00:00Z")
                             << QDateTime(QDate(2026, 11, 1), QTime(10, 0), Qt::UTC);
        QTest::newRow("minutes") << QStringLiteral("90m") << QDateTime(QDate(2026, 11, 27), QTime(23, 0), Qt::UTC);
        QTest::newRow("hours") << QStringLiteral("12h") << QDateTime(QDate(2026, 11, 27), QTime(12, 30), Qt::UTC);
        QTest::newRow("days") << QStringLiteral("7d") << QDateTime(QDate(2026, 11, 21), QTime(0, 30), Qt::UTC);
        QTest::newRow("weeks") << QStringLiteral("4 w") << QDateTime(QDate(2026, 10, 31), QTime(0, 30), Qt::UTC);
    }

    void moments()
    {
        QFETCH(QString, text);
        QFETCH(QDateTime, expected);
        const auto moment = UsagePeriod::parseMoment(text, m_now, m_paris);
        QVERIFY2(moment.has_value(), qPrintable(text));
        QCOMPARE(*moment, expected);
        QCOMPARE(moment->timeSpec(), Qt::UTC);
    }

    void notMoments()
    {
        for (const char* text : {"", "last tuesday", "7", "d", "-3d", "2026-13-01", "12x", "9999999d"})
            QVERIFY2(!UsagePeriod::parseMoment(QString::fromLatin1(text), m_now, m_paris), text);
    }

    void totals()
    {
        UsageEntry estimated = entry(QStringLiteral("gpt-image-2"), 4);
        estimated.creditsEstimated = true;
        UsageEntry charged = entry(QStringLiteral("gpt-image-2"), 1, QStringLiteral("Timeout"));
        charged.mayHaveBeenCharged = true;
        const UsageTotals totals = UsageTotals::of({
            entry(QStringLiteral("gemini-2.5-flash-image"), 2, {}, 2),
            estimated,
            charged,
            entry(QStringLiteral("gemini-2.5-flash-image"), std::nullopt, QStringLiteral("ServerError")),
            entry(QStringLiteral("sandbox-sketch"), std::nullopt),
            entry(QStringLiteral("gemini-2.5-flash-image"), 2, {}, 1),
        });
        QCOMPARE(totals.requests, 6);
        QCOMPARE(totals.failures, 2);
        QCOMPARE(totals.mayHaveBeenCharged, 1);
        QCOMPARE(totals.unpriced, 1); // the failure without a price is not "unpriced": it cost nothing
        QCOMPARE(totals.images, 5);
        QCOMPARE(totals.credits, 9.0);
        QCOMPARE(totals.estimated, 4.0);
        QCOMPARE(totals.perModel.size(), 3);
        QCOMPARE(totals.perModel.at(0).model, QStringLiteral("gpt-image-2")); // 5 credits
        QCOMPARE(totals.perModel.at(0).failures, 1);
        QCOMPARE(totals.perModel.at(1).model, QStringLiteral("gemini-2.5-flash-image")); // 4 credits
        QCOMPARE(totals.perModel.at(1).requests, 3);
        QCOMPARE(totals.perModel.at(1).images, 3);
        QCOMPARE(totals.perModel.at(2).model, QStringLiteral("sandbox-sketch"));
        QCOMPARE(UsageTotals::of({}).requests, 0);
    }
};

QTEST_GUILESS_MAIN(tst_UsageTotals)
#include "tst_UsageTotals.moc"
