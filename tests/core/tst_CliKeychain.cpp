// pixapi-cli reading its key from the real keychain (gnome-keyring on a private bus, see with-keyring.sh): the
// default account, --account, PIXAPI_KEY taking precedence, and a clear error for an account without a key.
#include "CliRun.h"
#include "TestEnv.h"
#include "accounts/ApiKeyStore.h"
#include "sandbox/SandboxServer.h"

#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>

using namespace Pixapi;

namespace {
const QString kDefaultKey = QStringLiteral("pk-cli-keychain-default-4b8e2d61a9f0");
const QString kWorkKey = QStringLiteral("pk-cli-keychain-work-93c7e5a1d2b6");
const QString kEnvKey = QStringLiteral("pk-cli-environment-5e0a7c3f18d4");
} // namespace

class tst_CliKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void defaultAccountKeyIsUsed();
    void accountOptionSelectsTheEntry();
    void environmentKeyWinsOverKeychain();
    void accountWithoutKeyIsAClearError();
    void accountKeyGoesOnlyToItsOwnServer();

private:
    void storeKey(const QString& account, const QString& key);
    QStringList modelsArguments() const;
    bool serverSawKeyedRequest() const;

    std::unique_ptr<SandboxServer> m_server;
};

void tst_CliKeychain::initTestCase()
{
    TestEnv::init();
    storeKey(QStringLiteral("default"), kDefaultKey);
    storeKey(QStringLiteral("work"), kWorkKey);
}

void tst_CliKeychain::init()
{
    m_server = std::make_unique<SandboxServer>();
    QVERIFY(m_server->listen());
}

void tst_CliKeychain::cleanup()
{
    m_server.reset();
}

void tst_CliKeychain::storeKey(const QString& account, const QString& key)
{
    ApiKeyStore store;
    KeyJob* job = store.writeKey(account, key);
    QSignalSpy finished(job, &KeyJob::finished);
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.count(), 1);
    const auto result = finished.constFirst().constFirst().value<KeyResult>();
    QVERIFY2(result.ok(), qPrintable(result.detail));
}

QStringList tst_CliKeychain::modelsArguments() const
{
    return {QStringLiteral("models"), QStringLiteral("--json"), QStringLiteral("--base-url"),
            m_server->baseUrl().toString()};
}

bool tst_CliKeychain::serverSawKeyedRequest() const
{
    const QList<SandboxRequestRecord> requests = m_server->requests();
    return !requests.isEmpty() && requests.constFirst().hadAuthorization;
}

void tst_CliKeychain::defaultAccountKeyIsUsed()
{
    m_server->setAcceptedKeys({kDefaultKey});
    const CliRun run = CliRun::run(modelsArguments() << QStringLiteral("--verbose"));
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(serverSawKeyedRequest());
    QVERIFY(!run.out.contains(kDefaultKey.toUtf8()) && !run.err.contains(kDefaultKey.toUtf8()));
}

void tst_CliKeychain::accountOptionSelectsTheEntry()
{
    m_server->setAcceptedKeys({kWorkKey});
    const CliRun work = CliRun::run(modelsArguments() << QStringLiteral("--account") << QStringLiteral("work"));
    QVERIFY2(work.finished && work.exitCode == 0, qPrintable(work.describe()));

    // The default account's key is not the accepted one: the server refuses it, so the entry really was chosen.
    const CliRun other = CliRun::run(modelsArguments());
    QVERIFY2(other.finished && other.exitCode == 1, qPrintable(other.describe()));
    QCOMPARE(other.errLines().size(), 1);
    QVERIFY(!other.err.contains(kDefaultKey.toUtf8()));
}

void tst_CliKeychain::environmentKeyWinsOverKeychain()
{
    m_server->setAcceptedKeys({kEnvKey});
    QProcessEnvironment env = CliRun::baseEnvironment();
    env.insert(QStringLiteral("PIXAPI_KEY"), kEnvKey);
    const CliRun run = CliRun::run(modelsArguments(), env);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY(serverSawKeyedRequest());
}

void tst_CliKeychain::accountWithoutKeyIsAClearError()
{
    const CliRun run = CliRun::run(modelsArguments() << QStringLiteral("--account") << QStringLiteral("nobody"));
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.errLines().size(), 1);
    QVERIFY2(run.errLines().constFirst().startsWith(
                 QStringLiteral("pixapi-cli: error: no API key: set PIXAPI_KEY or save one in Pixapi Studio (")),
             run.err.constData());
    QVERIFY(m_server->requests().isEmpty()); // nothing was sent without a key
}

// Profiles may point at different servers: without --base-url, --account sends its key to that profile's server (found
// by id or name), never to the current profile's; an account without a profile is refused before anything is sent.
void tst_CliKeychain::accountKeyGoesOnlyToItsOwnServer()
{
    // The app's settings where pixapi-cli reads them (QSettings' default location under the private HOME).
    QSettings settings(
        QDir(qEnvironmentVariable("XDG_CONFIG_HOME")).filePath(QStringLiteral("Pixapi/Pixapi Studio.conf")),
        QSettings::IniFormat);
    const auto profile = [](const QString& id, const QString& name, const QString& url) {
        return QVariantMap {{QStringLiteral("id"), id},
                            {QStringLiteral("name"), name},
                            {QStringLiteral("baseUrl"), url},
                            {QStringLiteral("kind"), QStringLiteral("pixapi")},
                            {QStringLiteral("keyStored"), true}};
    };
    SandboxServer current; // the profile in use: must never see the work key
    QVERIFY(current.listen());
    settings.setValue(
        QStringLiteral("accounts/list"),
        QVariantList {profile(QStringLiteral("default"), QStringLiteral("Home"), current.baseUrl().toString()),
                      profile(QStringLiteral("work"), QStringLiteral("Studio"), m_server->baseUrl().toString())});
    settings.setValue(QStringLiteral("connection/accountId"), QStringLiteral("default"));
    settings.sync();
    QCOMPARE(settings.status(), QSettings::NoError);
    m_server->setAcceptedKeys({kWorkKey});

    const CliRun byName = CliRun::run(
        {QStringLiteral("models"), QStringLiteral("--json"), QStringLiteral("--account"), QStringLiteral("Studio")});
    QVERIFY2(byName.finished && byName.exitCode == 0, qPrintable(byName.describe()));
    QVERIFY(serverSawKeyedRequest());
    QVERIFY(current.requests().isEmpty());

    const CliRun unknown = CliRun::run(
        {QStringLiteral("models"), QStringLiteral("--json"), QStringLiteral("--account"), QStringLiteral("nobody")});
    QVERIFY2(unknown.finished && unknown.exitCode == 1, qPrintable(unknown.describe()));
    QVERIFY2(unknown.err.contains("no account \"nobody\""), unknown.err.constData());
    QVERIFY(current.requests().isEmpty());
    QFile::remove(settings.fileName());
}

QTEST_GUILESS_MAIN(tst_CliKeychain)
#include "tst_CliKeychain.moc"
