#include "SandboxFixture.h"
#include "TestEnv.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"
#include "usage/BalanceService.h"
#include "usage/UsageDialog.h"
#include "usage/UsageLedger.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Pixapi;

// The Usage & Credits window over a real ledger file and the sandbox's balance: what it shows, its limits, the CSV.
class tst_UsageDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        AppIdentity::installTranslators(*QCoreApplication::instance()); // "%n credit(s)" → "9 credits"
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_sandbox.start());
        m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
        m_ledger = std::make_unique<UsageLedger>(m_dir->filePath(QStringLiteral("usage.sqlite")));
        QVERIFY(m_ledger->open().ok());
        m_balance = std::make_unique<BalanceService>(m_sandbox.client.get(), m_settings.get(), m_ledger.get());
    }

    void cleanup()
    {
        m_balance.reset();
        m_ledger.reset();
        m_settings.reset();
        m_sandbox.reset();
        m_dir.reset();
    }

    void showsSpendBalanceAndFailures()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        append(now.addSecs(-60), QStringLiteral("gpt-image-1.5"), 3, 1200);
        append(now.addSecs(-120), QStringLiteral("gemini-2.5-flash-image"), 2, 800);
        append(now.addDays(-3), QStringLiteral("gemini-2.5-flash-image"), 4, 1000);
        UsageEntry refused = entry(now.addSecs(-30), QStringLiteral("gpt-image-1.5"), 0, -1);
        refused.errorKind = ApiError::kindName(ApiError::Kind::InsufficientCredits);
        refused.httpStatus = 402;
        refused.requestId = QStringLiteral("req_402");
        QVERIFY(m_ledger->append(refused).ok());

        UsageDialog dialog(m_ledger->filePath(), m_balance.get(), m_settings.get(), nullptr);
        dialog.show();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.isLoaded(), 10000);
        QCOMPARE(dialog.findChild<QLabel*>(QStringLiteral("spendWeek"))->text(), QStringLiteral("9 credits"));
        QCOMPARE(dialog.findChild<QLabel*>(QStringLiteral("spendMonth"))->text(), QStringLiteral("9 credits"));
        QCOMPARE(dialog.summary().perDay.size(), 30);
        // The charts: a bar per day, a bar per model.
        const auto* perDay = dialog.findChild<QChartView*>(QStringLiteral("usagePerDayChart"));
        const auto days = perDay->chart()->axes(Qt::Horizontal);
        QCOMPARE(days.size(), 1);
        QCOMPARE(perDay->chart()->series().size(), 1);
        QCOMPARE(qobject_cast<QAbstractBarSeries*>(perDay->chart()->series().first())->barSets().first()->count(), 30);
        // Dates under every fifth bar, today's last.
        auto* dayLabels = qobject_cast<QCategoryAxis*>(days.first());
        QCOMPARE(dayLabels->count(), 6);
        QCOMPARE(dayLabels->categoriesLabels().last(),
                 QLocale().toString(QDate::currentDate(), QStringLiteral("d MMM")));
        const auto* models = dialog.findChild<QTreeWidget*>(QStringLiteral("usageModels"));
        QCOMPARE(models->topLevelItemCount(), 2);
        QCOMPARE(models->topLevelItem(0)->text(0), QStringLiteral("gemini-2.5-flash-image")); // most credits first
        QCOMPARE(models->topLevelItem(0)->text(1), QStringLiteral("6"));
        QCOMPARE(models->topLevelItem(0)->text(4), QStringLiteral("0.9 s"));
        QCOMPARE(models->topLevelItem(1)->text(3), QStringLiteral("1")); // the 402
        const auto* failures = dialog.findChild<QTreeWidget*>(QStringLiteral("usageFailures"));
        QCOMPARE(failures->topLevelItemCount(), 1);
        QCOMPARE(failures->topLevelItem(0)->text(0), ApiError::make(ApiError::Kind::InsufficientCredits).userMessage());
        QCOMPARE(failures->topLevelItem(0)->text(2), QStringLiteral("req_402"));

        // The balance comes from the server where it has an endpoint (the sandbox does).
        QTRY_COMPARE_WITH_TIMEOUT(dialog.balanceText(), QStringLiteral("1000 credits"), 10000);
        QVERIFY(!dialog.findChild<QLabel*>(QStringLiteral("lowBalanceWarning"))->isVisible());
        // A warning threshold above it warns at once, and is saved.
        dialog.findChild<QDoubleSpinBox*>(QStringLiteral("lowBalanceBox"))->setValue(2000);
        QVERIFY(dialog.findChild<QLabel*>(QStringLiteral("lowBalanceWarning"))->isVisible());
        QCOMPARE(m_settings->value(Settings::Key::UsageLowBalanceWarning).toDouble(), 2000.0);
        dialog.findChild<QDoubleSpinBox*>(QStringLiteral("dailyCapBox"))->setValue(25);
        QCOMPARE(m_settings->value(Settings::Key::UsageDailyCap).toDouble(), 25.0);

        // A new request shows after refresh().
        append(QDateTime::currentDateTimeUtc(), QStringLiteral("gpt-image-1.5"), 5, 900);
        QSignalSpy loaded(&dialog, &UsageDialog::loaded);
        dialog.refresh();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(dialog.findChild<QLabel*>(QStringLiteral("spendMonth"))->text(), QStringLiteral("14 credits"));

        // The CSV: a header and a row per request of the account.
        QSignalSpy exported(&dialog, &UsageDialog::exported);
        const QString csv = m_dir->filePath(QStringLiteral("usage.csv"));
        dialog.exportCsv(csv);
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.first().at(1).toInt(), 5);
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 6);
        QVERIFY(lines.at(1).contains("gpt-image-1.5") || lines.at(1).contains("gemini"));
    }

    // Without a balance endpoint the user enters the balance; the spend recorded since is taken off it.
    void enteredBalanceLessTheSpendSince()
    {
        SandboxFault missing;
        missing.kind = SandboxFault::Kind::Status;
        missing.status = 404;
        missing.pathPrefix = QStringLiteral("/v1/balance");
        m_sandbox.server->addFault(missing);
        UsageDialog dialog(m_ledger->filePath(), m_balance.get(), m_settings.get(), nullptr);
        dialog.show();
        QTRY_VERIFY_WITH_TIMEOUT(dialog.findChild<QLabel*>(QStringLiteral("balanceSource"))
                                     ->text()
                                     .contains(QStringLiteral("no balance API")),
                                 10000);
        QCOMPARE(dialog.balanceText(), QStringLiteral("Unknown"));
        m_balance->setEnteredBalance(500);
        QCOMPARE(dialog.balanceText(), QStringLiteral("500 credits"));
        append(QDateTime::currentDateTimeUtc().addSecs(1), QStringLiteral("gpt-image-1.5"), 12, 700);
        QSignalSpy loaded(&dialog, &UsageDialog::loaded);
        dialog.refresh(); // as after every recorded request
        QVERIFY(loaded.wait(10000));
        QCOMPARE(dialog.balanceText(), QStringLiteral("488 credits"));
        QVERIFY(
            dialog.findChild<QLabel*>(QStringLiteral("balanceSource"))->text().contains(QStringLiteral("12 credits")));
    }

private:
    static UsageEntry entry(const QDateTime& at, const QString& model, double credits, qint64 durationMs)
    {
        UsageEntry entry;
        entry.at = at;
        entry.model = model;
        entry.images = credits > 0 ? 1 : 0;
        entry.credits = credits;
        entry.durationMs = durationMs;
        entry.source = QStringLiteral("generate");
        return entry;
    }
    void append(const QDateTime& at, const QString& model, double credits, qint64 durationMs)
    {
        QVERIFY(m_ledger->append(entry(at, model, credits, durationMs)).ok());
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    SandboxFixture m_sandbox;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<UsageLedger> m_ledger;
    std::unique_ptr<BalanceService> m_balance;
};

QTEST_MAIN(tst_UsageDialog)
#include "tst_UsageDialog.moc"
