// AccountRegistry: profiles in a real Settings file, keys in the real keychain (with-keyring.sh: private bus,
// unlocked gnome-keyring, checked with secret-tool) and checks against loopback sandbox servers.
#include "accounts/AccountRegistry.h"
#include "accounts/ApiKeyStore.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"

#include "TestEnv.h"

#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Pixapi;
using Status = AccountResult::Status;

namespace {

QString newKey(const char* what)
{
    return QStringLiteral("pk-%1-").arg(QLatin1String(what)) + QUuid::createUuid().toString(QUuid::Id128);
}

} // namespace

class tst_AccountRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void migratesTheSingleAccount();
    void migratesDefaultsWhenNothingWasSet();
    void baseUrlRules_data();
    void baseUrlRules();
    void addRenameAndValidate();
    void switchEmitsAndPersists();
    void registriesOverOneSettingsAgree();

    void saveKeyIsVerifiedAndMarked();
    void rotateWithAWorkingKey();
    void rotateWithAFailingKeyKeepsTheOldOne();
    void rotateOfAnUnknownAccount();
    void revokeDeletesTheEntry();
    void removeDeletesEntryAndAccount();
    void lastAccountIsNeverRemoved();
    void testAccountReadsTheKeyAndChecksIt();

private:
    std::unique_ptr<AccountRegistry> makeRegistry();
    AccountResult await(AccountJob* job);
    Account addAccount(AccountRegistry& registry, const QString& name, const QUrl& url);
    // A key used by the current test: cleanup() checks that it reached neither the settings nor the log.
    QString secret(const char* what);

    SandboxServer m_sandbox;
    NetworkAccess m_network;
    ApiKeyStore m_keys;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    QStringList m_secrets;
};

void tst_AccountRegistry::initTestCase()
{
    TestEnv::init();
    qRegisterMetaType<Account>();
    qRegisterMetaType<AccountResult>();
    TestEnv::LogCapture::install();
    QLoggingCategory::setFilterRules(QStringLiteral("pixapi.*=true")); // debug lines too: none may carry a key
    QVERIFY(m_sandbox.listen());
}

void tst_AccountRegistry::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_secrets.clear();
    m_sandbox.setAcceptedKeys({SandboxServer::defaultKey()});
}

void tst_AccountRegistry::cleanup()
{
    m_settings->sync();
    for (const QString& key : std::as_const(m_secrets)) {
        QCOMPARE(TestEnv::filesContaining(m_dir->path(), key.toUtf8()), QStringList());
        QVERIFY2(TestEnv::LogCapture::lines().filter(key).isEmpty(), "a key reached the log");
    }
    m_settings.reset();
    m_dir.reset();
}

std::unique_ptr<AccountRegistry> tst_AccountRegistry::makeRegistry()
{
    return std::make_unique<AccountRegistry>(m_settings.get(), &m_keys, &m_network);
}

AccountResult tst_AccountRegistry::await(AccountJob* job)
{
    QSignalSpy finished(job, &AccountJob::finished);
    QSignalSpy destroyed(job, &QObject::destroyed);
    if (!finished.wait(20000))
        return {};
    if (destroyed.isEmpty())
        destroyed.wait(5000); // deleted after emitting: no second emission is possible
    if (finished.count() != 1)
        qWarning("finished() emitted %d times", int(finished.count()));
    return finished.first().first().value<AccountResult>();
}

Account tst_AccountRegistry::addAccount(AccountRegistry& registry, const QString& name, const QUrl& url)
{
    const auto added = registry.add(name, url, Account::Kind::Pixapi);
    if (!added.ok())
        qFatal("cannot add %s: %s", qPrintable(name), qPrintable(added.error()));
    return added.value();
}

QString tst_AccountRegistry::secret(const char* what)
{
    m_secrets << newKey(what);
    return m_secrets.last();
}

void tst_AccountRegistry::migratesTheSingleAccount()
{
    m_settings->setValue(Settings::Key::BaseUrl, QStringLiteral("https://images.example.com/v1"));
    m_settings->setValue(Settings::Key::AccountId, QStringLiteral("legacy"));
    m_settings->setValue(Settings::Key::KeyStored, true);

    const auto registry = makeRegistry();
    const QList<Account> accounts = registry->accounts();
    QCOMPARE(accounts.size(), 1);
    const Account& migrated = accounts.first();
    QCOMPARE(migrated.id, QStringLiteral("legacy")); // same id, so the same keychain entry
    QCOMPARE(migrated.baseUrl, QUrl(QStringLiteral("https://images.example.com/v1")));
    QCOMPARE(migrated.kind, Account::Kind::Pixapi);
    QVERIFY(migrated.keyStored);
    QCOMPARE(migrated.name, QStringLiteral("images.example.com"));
    QCOMPARE(registry->current(), migrated);

    // Stored: a registry over a fresh read of the file finds it and migrates nothing again.
    m_settings->sync();
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    QCOMPARE(makeRegistry()->accounts(), accounts);
}

void tst_AccountRegistry::migratesDefaultsWhenNothingWasSet()
{
    const auto registry = makeRegistry();
    QCOMPARE(registry->accounts().size(), 1);
    const Account first = *registry->current();
    QCOMPARE(first.id, QStringLiteral("default"));
    QCOMPARE(first.baseUrl, PixapiClient::defaultBaseUrl());
    QVERIFY(!first.keyStored);
}

void tst_AccountRegistry::baseUrlRules_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("https") << QStringLiteral("https://api.pixapi.ai") << true;
    QTest::newRow("https with path") << QStringLiteral("https://generativelanguage.googleapis.com/v1beta/openai/")
                                     << true;
    QTest::newRow("http loopback v4") << QStringLiteral("http://127.0.0.1:8080") << true;
    QTest::newRow("http loopback v6") << QStringLiteral("http://[::1]:8080/v1") << true;
    QTest::newRow("http localhost") << QStringLiteral("http://localhost:1234") << true;
    QTest::newRow("http remote") << QStringLiteral("http://example.com") << false;
    QTest::newRow("http localhost lookalike") << QStringLiteral("http://localhost.example.com") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com") << false;
    QTest::newRow("user info") << QStringLiteral("https://alice:secret@example.com") << false;
    QTest::newRow("user name") << QStringLiteral("https://alice@example.com") << false;
    QTest::newRow("query") << QStringLiteral("https://example.com/v1?key=abc") << false;
    QTest::newRow("fragment") << QStringLiteral("https://example.com/#v1") << false;
    QTest::newRow("no scheme") << QStringLiteral("api.pixapi.ai") << false;
    QTest::newRow("no host") << QStringLiteral("https://") << false;
    QTest::newRow("empty") << QStringLiteral("") << false;
}

void tst_AccountRegistry::baseUrlRules()
{
    QFETCH(QString, url);
    QFETCH(bool, accepted);
    const std::optional<QString> problem = Account::urlProblem(QUrl(url));
    QCOMPARE(!problem.has_value(), accepted);
    if (problem)
        QVERIFY(!problem->isEmpty());

    // add() and setBaseUrl() apply the same rule and change nothing when it refuses.
    const auto registry = makeRegistry();
    const QList<Account> before = registry->accounts();
    const auto added = registry->add(QStringLiteral("Profile"), QUrl(url), Account::Kind::OpenAICompatible);
    QCOMPARE(added.ok(), accepted);
    if (!accepted) {
        QCOMPARE(added.error(), *problem);
        QCOMPARE(registry->accounts(), before);
        QVERIFY(!registry->setBaseUrl(before.first().id, QUrl(url)).ok());
        QCOMPARE(registry->accounts(), before);
    }
}

void tst_AccountRegistry::addRenameAndValidate()
{
    const auto registry = makeRegistry();
    QSignalSpy changed(registry.get(), &AccountRegistry::accountsChanged);
    const auto work =
        registry->add(QStringLiteral("  Work "), QUrl(QStringLiteral("https://api.pixapi.ai")), Account::Kind::Pixapi);
    QVERIFY(work.ok());
    QCOMPARE(work.value().name, QStringLiteral("Work"));
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{32}$")).match(work.value().id).hasMatch());
    QVERIFY(!work.value().keyStored);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(registry->accounts().size(), 2);
    QCOMPARE(registry->current()->id, QStringLiteral("default")); // adding does not switch

    // Names are unique ignoring case, and never empty.
    QVERIFY(
        !registry->add(QStringLiteral("WORK"), QUrl(QStringLiteral("https://a.example")), Account::Kind::Pixapi).ok());
    QVERIFY(
        !registry->add(QStringLiteral("  "), QUrl(QStringLiteral("https://a.example")), Account::Kind::Pixapi).ok());
    const auto openai = registry->add(QStringLiteral("OpenAI"), QUrl(QStringLiteral("https://api.openai.com/v1")),
                                      Account::Kind::OpenAICompatible);
    QVERIFY(openai.ok());
    QCOMPARE(changed.count(), 2);

    const auto renamed = registry->rename(work.value().id, QStringLiteral("Studio"));
    QVERIFY(renamed.ok());
    QCOMPARE(registry->account(work.value().id)->name, QStringLiteral("Studio"));
    QVERIFY(!registry->rename(work.value().id, QStringLiteral("openai")).ok()); // taken by the other
    QVERIFY(registry->rename(work.value().id, QStringLiteral("STUDIO")).ok());  // its own name, other case
    QVERIFY(!registry->rename(QStringLiteral("no-such-id"), QStringLiteral("X")).ok());

    QVERIFY(registry->setBaseUrl(work.value().id, QUrl(QStringLiteral("http://127.0.0.1:9"))).ok());
    QVERIFY(registry->setKind(work.value().id, Account::Kind::OpenAICompatible).ok());
    QCOMPARE(changed.count(), 6); // two adds, two renames, a URL and a kind; refusals signal nothing

    // All of it is in the settings file (read afresh), and no secret is.
    m_settings->sync();
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    const std::optional<Account> reread = makeRegistry()->account(work.value().id);
    QVERIFY(reread);
    QCOMPARE(reread->name, QStringLiteral("STUDIO"));
    QCOMPARE(reread->baseUrl, QUrl(QStringLiteral("http://127.0.0.1:9")));
    QCOMPARE(reread->kind, Account::Kind::OpenAICompatible);
    QCOMPARE(makeRegistry()->account(openai.value().id)->kind, Account::Kind::OpenAICompatible);
}

void tst_AccountRegistry::switchEmitsAndPersists()
{
    const auto registry = makeRegistry();
    const Account other = addAccount(*registry, QStringLiteral("Other"), QUrl(QStringLiteral("https://b.example")));
    QSignalSpy current(registry.get(), &AccountRegistry::currentChanged);

    QVERIFY(registry->switchTo(other.id));
    QCOMPARE(current.count(), 1);
    QCOMPARE(current.first().first().value<Account>(), other);
    QCOMPARE(registry->current(), other);
    QCOMPARE(m_settings->accountId(), other.id);
    QCOMPARE(m_settings->baseUrl(), QStringLiteral("https://b.example")); // the mirror pixapi-cli reads

    QVERIFY(registry->switchTo(other.id)); // already current: no signal
    QVERIFY(!registry->switchTo(QStringLiteral("no-such-id")));
    QCOMPARE(current.count(), 1);
    QCOMPARE(registry->current(), other);

    // A new base URL of the current account moves the mirror along.
    QVERIFY(registry->setBaseUrl(other.id, QUrl(QStringLiteral("https://c.example/v1"))).ok());
    QCOMPARE(m_settings->baseUrl(), QStringLiteral("https://c.example/v1"));

    m_settings->sync();
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    QCOMPARE(makeRegistry()->current()->id, other.id);
}

void tst_AccountRegistry::registriesOverOneSettingsAgree()
{
    const auto first = makeRegistry();
    const auto second = makeRegistry();
    QSignalSpy listChanged(second.get(), &AccountRegistry::accountsChanged);
    QSignalSpy currentChanged(second.get(), &AccountRegistry::currentChanged);
    const Account added = addAccount(*first, QStringLiteral("Shared"), QUrl(QStringLiteral("https://s.example")));
    QVERIFY(first->switchTo(added.id));
    QCOMPARE(listChanged.count(), 1);
    QCOMPARE(currentChanged.count(), 1);
    QCOMPARE(second->current(), added);
    QCOMPARE(second->accounts().size(), 2); // migrated once, by the first
}

void tst_AccountRegistry::saveKeyIsVerifiedAndMarked()
{
    const auto registry = makeRegistry();
    const Account account = addAccount(*registry, QStringLiteral("Keyed"), m_sandbox.baseUrl());
    const QString key = secret("save");
    QSignalSpy keyChanged(registry.get(), &AccountRegistry::keyChanged);

    const AccountResult saved = await(registry->saveKey(account.id, QLatin1Char(' ') + key + QLatin1Char('\n')));
    QVERIFY2(saved.ok(), qPrintable(saved.userMessage()));
    QVERIFY(saved.keychain && saved.keychain->ok());
    QVERIFY(registry->account(account.id)->keyStored);
    QCOMPARE(keyChanged.count(), 1);
    QCOMPARE(keyChanged.first().first().toString(), account.id);
    QCOMPARE(TestEnv::keyringLookup(m_keys.entryName(account.id)), key); // trimmed

    // Refusals come from the store, before the keychain, and change nothing.
    const AccountResult empty = await(registry->saveKey(account.id, QStringLiteral("   ")));
    QCOMPARE(empty.status, Status::KeychainProblem);
    QCOMPARE(empty.keychain->status, KeyResult::Status::EmptyKey);
    QCOMPARE(TestEnv::keyringLookup(m_keys.entryName(account.id)), key);
    QCOMPARE(await(registry->saveKey(QStringLiteral("no-such-id"), key)).status, Status::UnknownAccount);
}

void tst_AccountRegistry::rotateWithAWorkingKey()
{
    const auto registry = makeRegistry();
    const Account account = addAccount(*registry, QStringLiteral("Rotating"), m_sandbox.baseUrl());
    const QString oldKey = secret("rotate-old");
    const QString newKey = secret("rotate-new");
    QVERIFY(await(registry->saveKey(account.id, oldKey)).ok());
    m_sandbox.setAcceptedKeys({newKey});
    m_sandbox.clearRequests();
    QSignalSpy keyChanged(registry.get(), &AccountRegistry::keyChanged);

    const AccountResult rotated = await(registry->rotateKey(account.id, newKey));
    QVERIFY2(rotated.ok(), qPrintable(rotated.userMessage()));
    QVERIFY(!rotated.models.isEmpty()); // what the new key can see
    QCOMPARE(TestEnv::keyringLookup(m_keys.entryName(account.id)), newKey);
    QVERIFY(registry->account(account.id)->keyStored);
    QCOMPARE(keyChanged.count(), 1);
    // The check went to the account's server, with a key (the accepted one: it answered the models).
    const QList<SandboxRequestRecord> requests = m_sandbox.requests();
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.first().path, QStringLiteral("/v1/models"));
    QVERIFY(requests.first().hadAuthorization);
}

void tst_AccountRegistry::rotateWithAFailingKeyKeepsTheOldOne()
{
    const auto registry = makeRegistry();
    const Account account = addAccount(*registry, QStringLiteral("Keeping"), m_sandbox.baseUrl());
    const QString oldKey = secret("keep-old");
    const QString refusedKey = secret("keep-refused");
    m_sandbox.setAcceptedKeys({oldKey});
    QVERIFY(await(registry->saveKey(account.id, oldKey)).ok());
    QSignalSpy keyChanged(registry.get(), &AccountRegistry::keyChanged);

    const AccountResult rotated = await(registry->rotateKey(account.id, refusedKey));
    QCOMPARE(rotated.status, Status::CheckFailed);
    QVERIFY(rotated.apiError);
    QCOMPARE(rotated.apiError->kind, ApiError::Kind::Unauthorized);
    QCOMPARE(rotated.apiError->httpStatus, 401);
    QVERIFY(!rotated.userMessage().isEmpty());
    QVERIFY(!rotated.keychain);                                             // the keychain was never touched
    QCOMPARE(TestEnv::keyringLookup(m_keys.entryName(account.id)), oldKey); // byte for byte
    QVERIFY(registry->account(account.id)->keyStored);
    QCOMPARE(keyChanged.count(), 0);

    // An unreachable server is no better: the old key stays.
    QVERIFY(registry->setBaseUrl(account.id, QUrl(QStringLiteral("http://127.0.0.1:1"))).ok());
    const AccountResult offline = await(registry->rotateKey(account.id, refusedKey));
    QCOMPARE(offline.status, Status::CheckFailed);
    QCOMPARE(offline.apiError->kind, ApiError::Kind::Offline);
    QCOMPARE(TestEnv::keyringLookup(m_keys.entryName(account.id)), oldKey);
}

void tst_AccountRegistry::rotateOfAnUnknownAccount()
{
    const auto registry = makeRegistry();
    m_sandbox.clearRequests();
    QCOMPARE(await(registry->rotateKey(QStringLiteral("no-such-id"), secret("unknown"))).status,
             Status::UnknownAccount);
    const AccountResult empty = await(registry->rotateKey(registry->current()->id, QString()));
    QCOMPARE(empty.status, Status::KeychainProblem);
    QCOMPARE(empty.keychain->status, KeyResult::Status::EmptyKey);
    QCOMPARE(m_sandbox.requests().size(), 0); // nothing was checked
}

void tst_AccountRegistry::revokeDeletesTheEntry()
{
    const auto registry = makeRegistry();
    const Account account = addAccount(*registry, QStringLiteral("Revoked"), m_sandbox.baseUrl());
    QVERIFY(await(registry->saveKey(account.id, secret("revoke"))).ok());
    QVERIFY(TestEnv::keyringLookup(m_keys.entryName(account.id)));
    QSignalSpy keyChanged(registry.get(), &AccountRegistry::keyChanged);

    const AccountResult revoked = await(registry->revokeKey(account.id));
    QVERIFY2(revoked.ok(), qPrintable(revoked.userMessage()));
    QCOMPARE(TestEnv::keyringLookup(m_keys.entryName(account.id)), std::nullopt);
    QVERIFY(!registry->account(account.id)->keyStored);
    QVERIFY(registry->account(account.id)); // the account stays
    QCOMPARE(keyChanged.count(), 1);
    QVERIFY(await(registry->revokeKey(account.id)).ok()); // nothing left to delete is fine
}

void tst_AccountRegistry::removeDeletesEntryAndAccount()
{
    const auto registry = makeRegistry();
    const Account doomed = addAccount(*registry, QStringLiteral("Doomed"), m_sandbox.baseUrl());
    const QString survivor = registry->current()->id;
    QVERIFY(registry->switchTo(doomed.id));
    QVERIFY(await(registry->saveKey(doomed.id, secret("remove"))).ok());
    QSignalSpy current(registry.get(), &AccountRegistry::currentChanged);

    const AccountResult removed = await(registry->remove(doomed.id));
    QVERIFY2(removed.ok(), qPrintable(removed.userMessage()));
    QCOMPARE(TestEnv::keyringLookup(m_keys.entryName(doomed.id)), std::nullopt);
    QVERIFY(!registry->account(doomed.id));
    QCOMPARE(registry->accounts().size(), 1);
    // It was current: the remaining one is now.
    QCOMPARE(current.count(), 1);
    QCOMPARE(registry->current()->id, survivor);
    QCOMPARE(m_settings->accountId(), survivor);
    QCOMPARE(m_settings->baseUrl(), registry->current()->baseUrl.toString());
    QCOMPARE(await(registry->remove(doomed.id)).status, Status::UnknownAccount);
}

void tst_AccountRegistry::lastAccountIsNeverRemoved()
{
    const auto registry = makeRegistry();
    const Account only = *registry->current();
    QVERIFY(await(registry->saveKey(only.id, secret("last"))).ok());
    const AccountResult refused = await(registry->remove(only.id));
    QCOMPARE(refused.status, Status::LastAccount);
    QVERIFY(!refused.userMessage().isEmpty());
    QCOMPARE(registry->accounts().size(), 1);
    QVERIFY(TestEnv::keyringLookup(m_keys.entryName(only.id))); // its key was not touched either
    QVERIFY(await(registry->revokeKey(only.id)).ok());
}

void tst_AccountRegistry::testAccountReadsTheKeyAndChecksIt()
{
    const auto registry = makeRegistry();
    const Account account = addAccount(*registry, QStringLiteral("Tested"), m_sandbox.baseUrl());
    const AccountResult noKey = await(registry->testAccount(account.id));
    QCOMPARE(noKey.status, Status::KeychainProblem);
    QCOMPARE(noKey.keychain->status, KeyResult::Status::Missing);

    const QString key = secret("test");
    QVERIFY(await(registry->saveKey(account.id, key)).ok());
    const AccountResult refused = await(registry->testAccount(account.id));
    QCOMPARE(refused.status, Status::CheckFailed);
    QCOMPARE(refused.apiError->kind, ApiError::Kind::Unauthorized);

    m_sandbox.setAcceptedKeys({key});
    const AccountResult accepted = await(registry->testAccount(account.id));
    QVERIFY2(accepted.ok(), qPrintable(accepted.userMessage()));
    QVERIFY(!accepted.models.isEmpty());
    QVERIFY(accepted.keychain->key.isEmpty()); // the result carries no secret

    // An unsaved pair, with a client of its own.
    ModelsJob* pair = registry->testConnection(m_sandbox.baseUrl(), Account::Kind::Pixapi, key);
    QSignalSpy finished(pair, &ApiJob::finished);
    bool ok = false;
    connect(pair, &ApiJob::finished, this, [&ok, pair] { ok = pair->result().ok(); });
    QVERIFY(finished.wait(15000));
    QVERIFY(ok);
}

QTEST_GUILESS_MAIN(tst_AccountRegistry)
#include "tst_AccountRegistry.moc"
