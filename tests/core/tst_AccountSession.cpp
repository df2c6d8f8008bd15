#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"

#include "TestEnv.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

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

    SandboxServer m_sandbox;
    NetworkAccess m_network;
    ApiKeyStore m_keys;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
};

void tst_AccountSession::initTestCase()
{
    TestEnv::init();
    qRegisterMetaType<KeyResult>();
    QVERIFY(m_sandbox.listen());
}

void tst_AccountSession::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    // Every test function uses an account of its own, so keyring entries never leak between tests.
    m_settings->setValue(Settings::Key::AccountId, QString::fromLatin1(QTest::currentTestFunction()));
    m_settings->setValue(Settings::Key::BaseUrl, m_sandbox.baseUrl().toString());
}

void tst_AccountSession::cleanup()
{
    m_settings.reset();
    m_dir.reset();
}

AccountSession::State tst_AccountSession::settle(AccountSession& session)
{
    if (session.state() == AccountSession::State::Loading) {
        QSignalSpy spy(&session, &AccountSession::stateChanged);
        if (!spy.wait(15000))
            qWarning("the session did not leave Loading");
    }
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
    QCOMPARE(m_settings->value(Settings::Key::KeyStored).toBool(), false);
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
        QCOMPARE(first.session.state(), AccountSession::State::Ready);
        const auto firstModels = listModels(first.client);
        QVERIFY(firstModels && firstModels->ok());
    }
    QCOMPARE(m_settings->value(Settings::Key::KeyStored).toBool(), true);

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
    QCOMPARE(m_settings->value(Settings::Key::KeyStored).toBool(), false);
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

QTEST_GUILESS_MAIN(tst_AccountSession)
#include "tst_AccountSession.moc"
