#include "accounts/AccountRegistry.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"

#include "TestEnv.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Pixapi;

namespace {
QString newKey(const char* what)
{
    return QStringLiteral("pk-session-%1-").arg(QLatin1String(what)) + QUuid::createUuid().toString(QUuid::Id128);
}
} // namespace

// Runs against the real keychain (with-keyring.sh: private bus, unlocked gnome-keyring) and a loopback sandbox.
class tst_AccountSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void noKeyMeansNoKey();
    void savedKeyIsReadByANewSession();
    void storedButMissingIsAKeychainProblem();
    void testConnectionReportsUnauthorized();
    void testConnectionWithGoodKeyLeavesSessionAlone();
    void sandboxMode();
    void sandboxWinsOverALateKeychainAnswer();
    void switchingAppliesTheOtherAccountsServerAndKey();
    void keyChangesOfTheCurrentAccountApply();
    void baseUrlChangeOfTheCurrentAccountFollows();
    void onlyASessionSaveLeavesTheSandbox();

private:
    // A session of its own over the shared settings, keychain and network.
    struct Fixture
    {
        PixapiClient client;
        AccountSession session;
        Fixture(Settings* settings, ApiKeyStore* keys, NetworkAccess* network)
            : client(network)
            , session(settings, keys, &client, network)
        { }
    };
    AccountSession::State settle(AccountSession& session);
    using ModelsResult = Result<QList<ModelInfo>, ApiError>;
    std::optional<ModelsResult> listModels(PixapiClient& client);
    bool listsModels(PixapiClient& client);
    AccountResult await(AccountJob* job);

    SandboxServer m_sandbox;
    SandboxServer m_otherSandbox; // a second server, for a second account
    NetworkAccess m_network;
    ApiKeyStore m_keys;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
};

void tst_AccountSession::initTestCase()
{
    TestEnv::init();
    qRegisterMetaType<KeyResult>();
    qRegisterMetaType<AccountResult>();
    QVERIFY(m_sandbox.listen());
    QVERIFY(m_otherSandbox.listen());
}

void tst_AccountSession::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    // Every test function uses an account of its own, so keyring entries never leak between tests.
    m_settings->setValue(Settings::Key::AccountId, QString::fromLatin1(QTest::currentTestFunction()));
    m_settings->setValue(Settings::Key::BaseUrl, m_sandbox.baseUrl().toString());
    m_sandbox.setAcceptedKeys({SandboxServer::defaultKey()});
    m_otherSandbox.setAcceptedKeys({SandboxServer::defaultKey()});
    m_sandbox.clearRequests();
    m_otherSandbox.clearRequests();
}

void tst_AccountSession::cleanup()
{
    m_settings.reset();
    m_dir.reset();
}

AccountSession::State tst_AccountSession::settle(AccountSession& session)
{
    // Loading may be announced again (a key read back after a save) before the final state.
    QSignalSpy spy(&session, &AccountSession::stateChanged);
    QDeadlineTimer deadline(15000);
    while (session.state() == AccountSession::State::Loading && !deadline.hasExpired())
        spy.wait(int(deadline.remainingTime()));
    if (session.state() == AccountSession::State::Loading)
        qWarning("the session did not leave Loading");
    return session.state();
}

std::optional<tst_AccountSession::ModelsResult> tst_AccountSession::listModels(PixapiClient& client)
{
    ModelsJob* job = client.listModels();
    std::optional<ModelsResult> result;
    connect(job, &ApiJob::finished, this, [&result, job] { result = job->result(); });
    QSignalSpy finished(job, &ApiJob::finished);
    finished.wait(15000);
    return result;
}

bool tst_AccountSession::listsModels(PixapiClient& client)
{
    const auto models = listModels(client);
    if (models && !models->ok())
        qWarning("listing models failed: %s", qPrintable(models->error().userMessage()));
    return models && models->ok();
}

AccountResult tst_AccountSession::await(AccountJob* job)
{
    QSignalSpy finished(job, &AccountJob::finished);
    if (!finished.wait(20000))
        return {};
    return finished.first().first().value<AccountResult>();
}

void tst_AccountSession::noKeyMeansNoKey()
{
    Fixture f(m_settings.get(), &m_keys, &m_network);
    QSignalSpy states(&f.session, &AccountSession::stateChanged);
    f.session.start();
    QCOMPARE(f.session.state(), AccountSession::State::Loading);
    QCOMPARE(settle(f.session), AccountSession::State::NoKey);
    QCOMPARE(states.count(), 2); // Loading, NoKey
    QVERIFY(!f.session.keychainProblem());
    QVERIFY(!f.client.hasApiKey());
    QVERIFY(!f.session.accounts()->current()->keyStored);
}

void tst_AccountSession::savedKeyIsReadByANewSession()
{
    const QString key = SandboxServer::defaultKey();
    {
        Fixture first(m_settings.get(), &m_keys, &m_network);
        QSignalSpy saved(&first.session, &AccountSession::keySaved);
        first.session.saveKey(QLatin1Char(' ') + key + QLatin1Char('\n')); // pasted with whitespace
        QVERIFY(saved.wait(15000));
        QCOMPARE(saved.count(), 1);
        const auto result = saved.at(0).at(0).value<KeyResult>();
        QVERIFY2(result.ok(), qPrintable(result.userMessage()));
        // The key applied is the one read back from the keychain.
        QCOMPARE(settle(first.session), AccountSession::State::Ready);
        const auto firstModels = listModels(first.client);
        QVERIFY(firstModels && firstModels->ok());
    }
    QVERIFY(AccountRegistry(m_settings.get(), &m_keys, &m_network).current()->keyStored);

    Fixture second(m_settings.get(), &m_keys, &m_network);
    second.session.start();
    QCOMPARE(settle(second.session), AccountSession::State::Ready);
    QVERIFY(second.client.hasApiKey());
    QCOMPARE(second.client.baseUrl(), m_sandbox.baseUrl());
    // The key read back is the one the sandbox accepts: the listing is authorized.
    const auto models = listModels(second.client);
    QVERIFY(models);
    QVERIFY2(models->ok(), qPrintable(models->ok() ? QString() : models->error().userMessage()));

    // The key reached neither the settings file nor anything else in the test's directory.
    m_settings->sync();
    QVERIFY(QFile::exists(m_settings->fileName()));
    QCOMPARE(TestEnv::filesContaining(m_dir->path(), key.toUtf8()), QStringList());
}

void tst_AccountSession::storedButMissingIsAKeychainProblem()
{
    // A key was saved once, but the keychain has no entry: that is what a locked keyring looks like.
    m_settings->setValue(Settings::Key::KeyStored, true);
    Fixture f(m_settings.get(), &m_keys, &m_network);
    f.session.start();
    QCOMPARE(settle(f.session), AccountSession::State::KeychainProblem);
    QVERIFY(f.session.keychainProblem().has_value());
    QCOMPARE(f.session.keychainProblem()->status, KeyResult::Status::Missing);
    QVERIFY(f.session.keyProbablyLocked());
    QVERIFY(!f.session.keychainProblem()->userMessage().isEmpty());
    QVERIFY(!f.client.hasApiKey());
    // Nothing is "repaired": the flag stays so the next start asks the keychain again.
    QCOMPARE(m_settings->value(Settings::Key::KeyStored).toBool(), true);
}

void tst_AccountSession::testConnectionReportsUnauthorized()
{
    Fixture f(m_settings.get(), &m_keys, &m_network);
    ModelsJob* job = f.session.testConnection(m_sandbox.baseUrl(), QStringLiteral("sk_wrong"));
    QSignalSpy finished(job, &ApiJob::finished);
    std::optional<Result<QList<ModelInfo>, ApiError>> result;
    connect(job, &ApiJob::finished, this, [&result, job] { result = job->result(); });
    QVERIFY(finished.wait(15000));
    QVERIFY(result.has_value());
    QVERIFY(!result->ok());
    QCOMPARE(result->error().kind, ApiError::Kind::Unauthorized);
    QCOMPARE(result->error().httpStatus, 401);
    QTest::qWait(0); // let deleteLater run; a second emission would show up here
    QCOMPARE(finished.count(), 1);
}

void tst_AccountSession::testConnectionWithGoodKeyLeavesSessionAlone()
{
    Fixture f(m_settings.get(), &m_keys, &m_network);
    f.session.start();
    QCOMPARE(settle(f.session), AccountSession::State::NoKey);
    QSignalSpy states(&f.session, &AccountSession::stateChanged);
    ModelsJob* job = f.session.testConnection(m_sandbox.baseUrl(), SandboxServer::defaultKey());
    std::optional<Result<QList<ModelInfo>, ApiError>> result;
    connect(job, &ApiJob::finished, this, [&result, job] { result = job->result(); });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 15000);
    QVERIFY(result->ok());
    QVERIFY(!result->value().isEmpty());
    QCOMPARE(states.count(), 0);
    QVERIFY(!f.client.hasApiKey());
    QVERIFY(!f.session.accounts()->current()->keyStored);
}

void tst_AccountSession::sandboxMode()
{
    Fixture f(m_settings.get(), &m_keys, &m_network);
    m_settings->setValue(Settings::Key::BaseUrl, QStringLiteral("https://api.pixapi.ai"));
    f.session.useSandbox(m_sandbox.baseUrl(), SandboxServer::defaultKey());
    QCOMPARE(f.session.state(), AccountSession::State::Sandbox);
    QCOMPARE(f.client.baseUrl(), m_sandbox.baseUrl());
    QVERIFY(f.client.hasApiKey());
    const auto models = listModels(f.client);
    QVERIFY(models && models->ok());
    QVERIFY(!models->value().isEmpty());
    // The sandbox is a runtime choice: nothing about it is persisted.
    QCOMPARE(m_settings->baseUrl(), QStringLiteral("https://api.pixapi.ai"));
    QCOMPARE(m_settings->value(Settings::Key::KeyStored).toBool(), false);
}

void tst_AccountSession::sandboxWinsOverALateKeychainAnswer()
{
    Fixture f(m_settings.get(), &m_keys, &m_network);
    QSignalSpy states(&f.session, &AccountSession::stateChanged);
    f.session.start(); // the read is answered later, from the event loop
    f.session.useSandbox(m_sandbox.baseUrl(), SandboxServer::defaultKey());
    QCOMPARE(f.session.state(), AccountSession::State::Sandbox);
    // Give the keychain read time to come back (it must not flip the state to NoKey).
    KeyJob* probe = m_keys.readKey(QStringLiteral("probe"));
    QSignalSpy probeDone(probe, &KeyJob::finished);
    QVERIFY(probeDone.wait(15000)); // jobs are serialized: the session's read finished before this one
    QCOMPARE(f.session.state(), AccountSession::State::Sandbox);
    QCOMPARE(states.count(), 2); // Loading, Sandbox
}

void tst_AccountSession::switchingAppliesTheOtherAccountsServerAndKey()
{
    Fixture f(m_settings.get(), &m_keys, &m_network);
    AccountRegistry* accounts = f.session.accounts();
    const Account first = *accounts->current(); // the migrated single account, on m_sandbox
    const auto added = accounts->add(QStringLiteral("Second"), m_otherSandbox.baseUrl(), Account::Kind::Pixapi);
    QVERIFY(added.ok());
    const Account& second = added.value();
    // Each server accepts only its own account's key.
    const QString firstKey = newKey("first");
    const QString secondKey = newKey("second");
    m_sandbox.setAcceptedKeys({firstKey});
    m_otherSandbox.setAcceptedKeys({secondKey});
    QVERIFY(await(accounts->saveKey(first.id, firstKey)).ok());
    QVERIFY(await(accounts->saveKey(second.id, secondKey)).ok());

    f.session.start();
    QCOMPARE(settle(f.session), AccountSession::State::Ready);
    QCOMPARE(f.client.baseUrl(), m_sandbox.baseUrl());
    QVERIFY(listsModels(f.client));
    QCOMPARE(m_sandbox.requests().size(), 1);

    QSignalSpy states(&f.session, &AccountSession::stateChanged);
    QVERIFY(accounts->switchTo(second.id));
    QCOMPARE(f.session.state(), AccountSession::State::Loading); // the other key is being read
    QCOMPARE(settle(f.session), AccountSession::State::Ready);
    QCOMPARE(states.count(), 2); // Loading, Ready
    QCOMPARE(f.session.accountId(), second.id);
    QCOMPARE(f.client.baseUrl(), m_otherSandbox.baseUrl());
    QVERIFY(listsModels(f.client)); // authorized: the second key went to the second server
    QCOMPARE(m_otherSandbox.requests().size(), 1);
    QCOMPARE(m_sandbox.requests().size(), 1); // nothing more reached the first server

    QVERIFY(accounts->switchTo(first.id));
    QCOMPARE(settle(f.session), AccountSession::State::Ready);
    QCOMPARE(f.client.baseUrl(), m_sandbox.baseUrl());
    QVERIFY(listsModels(f.client));
    QCOMPARE(m_sandbox.requests().size(), 2);
    QCOMPARE(m_otherSandbox.requests().size(), 1);
}

void tst_AccountSession::keyChangesOfTheCurrentAccountApply()
{
    Fixture f(m_settings.get(), &m_keys, &m_network);
    AccountRegistry* accounts = f.session.accounts();
    const QString id = f.session.accountId();
    const QString oldKey = newKey("old");
    const QString rotatedKey = newKey("rotated");
    m_sandbox.setAcceptedKeys({oldKey, rotatedKey});
    f.session.saveKey(oldKey);
    QCOMPARE(settle(f.session), AccountSession::State::Ready);

    // Rotated through the registry: the session reads the new key and uses it.
    QSignalSpy states(&f.session, &AccountSession::stateChanged);
    QVERIFY(await(accounts->rotateKey(id, rotatedKey)).ok());
    QCOMPARE(settle(f.session), AccountSession::State::Ready);
    QVERIFY(states.count() >= 2);
    m_sandbox.setAcceptedKeys({rotatedKey});
    QVERIFY(listsModels(f.client));

    // Revoked: no key any more, and the client holds none.
    QVERIFY(await(accounts->revokeKey(id)).ok());
    QCOMPARE(settle(f.session), AccountSession::State::NoKey);
    QVERIFY(!f.client.hasApiKey());
}

void tst_AccountSession::baseUrlChangeOfTheCurrentAccountFollows()
{
    Fixture f(m_settings.get(), &m_keys, &m_network);
    f.session.saveKey(SandboxServer::defaultKey());
    QCOMPARE(settle(f.session), AccountSession::State::Ready);
    QSignalSpy states(&f.session, &AccountSession::stateChanged);
    QVERIFY(f.session.accounts()->setBaseUrl(f.session.accountId(), m_otherSandbox.baseUrl()).ok());
    QCOMPARE(states.count(), 1); // Ready again: the connection changed
    QCOMPARE(f.session.state(), AccountSession::State::Ready);
    QCOMPARE(f.client.baseUrl(), m_otherSandbox.baseUrl());
    QVERIFY(listsModels(f.client));
    QCOMPARE(m_otherSandbox.requests().size(), 1);

    QVERIFY(f.session.accounts()->setKind(f.session.accountId(), Account::Kind::OpenAICompatible).ok());
    QCOMPARE(f.client.serverKind(), ServerKind::OpenAICompatible);
    QCOMPARE(states.count(), 2);
}

void tst_AccountSession::onlyASessionSaveLeavesTheSandbox()
{
    Fixture f(m_settings.get(), &m_keys, &m_network);
    f.session.useSandbox(m_otherSandbox.baseUrl(), SandboxServer::defaultKey());
    // A key saved elsewhere (e.g. for the account while the sandbox is in use) leaves the sandbox alone.
    QVERIFY(await(f.session.accounts()->saveKey(f.session.accountId(), SandboxServer::defaultKey())).ok());
    QCOMPARE(f.session.state(), AccountSession::State::Sandbox);
    QCOMPARE(f.client.baseUrl(), m_otherSandbox.baseUrl());

    // Saving through the session is the user choosing the account: it leaves the sandbox.
    QSignalSpy saved(&f.session, &AccountSession::keySaved);
    f.session.saveKey(SandboxServer::defaultKey());
    QVERIFY(saved.wait(15000));
    QCOMPARE(settle(f.session), AccountSession::State::Ready);
    QCOMPARE(f.client.baseUrl(), m_sandbox.baseUrl());
}

QTEST_GUILESS_MAIN(tst_AccountSession)
#include "tst_AccountSession.moc"
