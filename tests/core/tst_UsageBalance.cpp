#include "SandboxFixture.h"
#include "TestEnv.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"
#include "usage/BalanceService.h"
#include "usage/UsageLedger.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;
using Source = BalanceService::BalanceState::Source;

// The balance of the current account (issue #6, item 2): fetched where the server offers it (the sandbox's
// GET /v1/balance), else the last one the user entered, kept per account in a real settings file, with what the
// ledger recorded as spent since.
class tst_UsageBalance : public QObject
{
    Q_OBJECT

private:
    const QString m_account = QStringLiteral("acct-1");
    SandboxFixture m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<UsageLedger> m_ledger;
    std::unique_ptr<BalanceService> m_service;

    QString settingsFile() const { return m_dir->filePath(QStringLiteral("settings.ini")); }

    int balanceGets() const
    {
        int count = 0;
        for (const SandboxRequestRecord& record : m_sandbox.server->requests())
            count += record.path == QLatin1String("/v1/balance") ? 1 : 0;
        return count;
    }

    SandboxFault balanceFault(int status) const
    {
        SandboxFault fault;
        fault.kind = SandboxFault::Kind::Status;
        fault.pathPrefix = QStringLiteral("/v1/balance");
        fault.status = status;
        return fault;
    }

    void refreshAndWait(QSignalSpy& spy)
    {
        const int before = int(spy.count());
        m_service->refresh();
        QVERIFY(m_service->isRefreshing());
        QTRY_VERIFY_WITH_TIMEOUT(!m_service->isRefreshing(), 10000);
        QCOMPARE(spy.count(), before + 1);
    }

    UsageEntry spend(const QDateTime& at, double credits, const QString& account) const
    {
        UsageEntry e;
        e.at = at;
        e.accountId = account;
        e.model = QStringLiteral("gemini-2.5-flash-image");
        e.credits = credits;
        e.source = QStringLiteral("generate");
        return e;
    }

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        qRegisterMetaType<ApiError>();
    }

    void init()
    {
        QVERIFY(m_sandbox.start());
        m_dir = std::make_unique<QTemporaryDir>();
        m_settings = std::make_unique<Settings>(settingsFile());
        m_ledger = std::make_unique<UsageLedger>(m_dir->filePath(QStringLiteral("usage.sqlite")));
        QVERIFY(m_ledger->open().ok());
        m_service = std::make_unique<BalanceService>(m_sandbox.client.get(), m_settings.get(), m_ledger.get());
        m_service->setAccountId(m_account);
    }

    void cleanup()
    {
        m_service.reset();
        m_ledger.reset();
        m_settings.reset();
        m_dir.reset();
        m_sandbox.reset();
    }

    void fetchedFromTheSandboxAndKeptPerAccount()
    {
        const BalanceService::BalanceState unknown = m_service->state();
        QCOMPARE(unknown.source, Source::Unknown);
        QVERIFY(!unknown.credits);
        QVERIFY(!unknown.serverOffersBalance);

        QSignalSpy changed(m_service.get(), &BalanceService::balanceChanged);
        QSignalSpy failed(m_service.get(), &BalanceService::refreshFailed);
        const QDateTime before = QDateTime::currentDateTimeUtc();
        m_sandbox.server->setBalance(640);
        refreshAndWait(changed);
        BalanceService::BalanceState state = m_service->state();
        QCOMPARE(state.source, Source::Fetched);
        QCOMPARE(state.credits, 640.0);
        QCOMPARE(state.serverOffersBalance, true);
        QVERIFY(state.at >= before.addMSecs(-1) && state.at <= QDateTime::currentDateTimeUtc());
        QCOMPARE(state.at.timeSpec(), Qt::UTC);
        QCOMPARE(failed.count(), 0);

        // One question at a time.
        m_service->refresh();
        m_service->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!m_service->isRefreshing(), 10000);
        QCOMPARE(balanceGets(), 2);
        // Done once the answer is in: a refresh asked from the answer's own signal is sent.
        bool askedAgain = false;
        const auto again = connect(m_service.get(), &BalanceService::balanceChanged, this, [&] {
            if (!askedAgain) {
                askedAgain = true;
                m_service->refresh();
            }
        });
        m_service->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(balanceGets(), 4, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!m_service->isRefreshing(), 10000);
        disconnect(again);

        // Another account knows nothing yet; the sandbox (no account) is an account of its own.
        m_service->setAccountId(QStringLiteral("acct-2"));
        QCOMPARE(m_service->state().source, Source::Unknown);
        m_service->setAccountId(QString());
        m_sandbox.server->setBalance(12.5);
        refreshAndWait(changed);
        QCOMPARE(m_service->state().credits, 12.5);

        // Persisted in the settings file, per account.
        m_service.reset();
        m_settings->sync();
        m_settings = std::make_unique<Settings>(settingsFile());
        BalanceService reread(m_sandbox.client.get(), m_settings.get(), m_ledger.get());
        reread.setAccountId(m_account);
        state = reread.state();
        QCOMPARE(state.source, Source::Fetched);
        QCOMPARE(state.credits, 640.0);
        QVERIFY(!state.serverOffersBalance); // not asked in this run
        reread.setAccountId(QString());
        QCOMPARE(reread.state().credits, 12.5);
    }

    void withoutTheEndpointTheEnteredBalanceStays()
    {
        QSignalSpy changed(m_service.get(), &BalanceService::balanceChanged);
        QSignalSpy failed(m_service.get(), &BalanceService::refreshFailed);
        m_service->setEnteredBalance(840);
        QCOMPARE(changed.count(), 1);
        for (const int status : {404, 405}) {
            m_sandbox.server->clearFaults();
            m_sandbox.server->addFault(balanceFault(status));
            refreshAndWait(changed);
            const BalanceService::BalanceState state = m_service->state();
            QCOMPARE(state.source, Source::Entered);
            QCOMPARE(state.credits, 840.0);
            QCOMPARE(state.serverOffersBalance, false);
        }
        QCOMPARE(failed.count(), 0);
        QCOMPARE(balanceGets(), 2); // not retried: the answer is final

        // Another failure is reported and keeps the last known balance.
        m_sandbox.server->clearFaults();
        m_sandbox.server->addFault(balanceFault(401));
        refreshAndWait(failed);
        QCOMPARE(failed.first().first().value<ApiError>().kind, ApiError::Kind::Unauthorized);
        QCOMPARE(m_service->state().credits, 840.0);
        QCOMPARE(m_service->state().source, Source::Entered);

        // The server's answer, once it has one, replaces what was entered.
        m_sandbox.server->clearFaults();
        refreshAndWait(changed);
        QCOMPARE(m_service->state().source, Source::Fetched);
        QCOMPARE(m_service->state().credits, m_sandbox.server->balance());
    }

    void spentSinceKnownComesFromTheLedger()
    {
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-3600);
        QVERIFY(m_ledger->append(spend(before, 500, m_account)).ok()); // before the balance was read: in it already
        m_service->setEnteredBalance(840);
        const QDateTime known = m_service->state().at;
        QVERIFY(m_ledger->append(spend(known, 12, m_account)).ok());
        QVERIFY(m_ledger->append(spend(known.addMSecs(1500), 24, m_account)).ok());
        QVERIFY(m_ledger->append(spend(known.addMSecs(10), 99, QStringLiteral("acct-2"))).ok());
        const BalanceService::BalanceState state = m_service->state();
        QCOMPARE(state.spentSinceKnown, 36.0);
        QCOMPARE(state.estimatedNow(), 804.0);
        QCOMPARE(state.source, Source::Entered);
    }

    void meansNoBalanceEndpoint()
    {
        ApiError error = ApiError::make(ApiError::Kind::NotFound);
        error.httpStatus = 404;
        QVERIFY(BalanceService::meansNoBalanceEndpoint(error));
        error = ApiError::make(ApiError::Kind::HttpError);
        error.httpStatus = 405;
        QVERIFY(BalanceService::meansNoBalanceEndpoint(error));
        error.httpStatus = 500;
        QVERIFY(!BalanceService::meansNoBalanceEndpoint(error));
        QVERIFY(!BalanceService::meansNoBalanceEndpoint(ApiError::make(ApiError::Kind::Offline)));
    }
};

QTEST_GUILESS_MAIN(tst_UsageBalance)
#include "tst_UsageBalance.moc"
