#include "accounts/AccountRegistry.h"

#include "accounts/ApiKeyStore.h"
#include "net/NetworkAccess.h"
#include "settings/Settings.h"
#include "support/Logging.h"

namespace Pixapi {
namespace {

AccountResult resultWith(AccountResult::Status status)
{
    AccountResult result;
    result.status = status;
    return result;
}

AccountResult keychainResult(const KeyResult& keychain)
{
    AccountResult result =
        resultWith(keychain.ok() ? AccountResult::Status::Ok : AccountResult::Status::KeychainProblem);
    result.keychain = keychain;
    return result;
}

Result<Account, QString> unknownAccount()
{
    return Result<Account, QString>::failure(resultWith(AccountResult::Status::UnknownAccount).userMessage());
}

} // namespace

AccountRegistry::AccountRegistry(Settings* settings, ApiKeyStore* keys, NetworkAccess* network, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_keys(keys)
    , m_network(network)
{
    migrateSingleAccount();
    // Settings holds all the state, so every registry over it (each session's, a test's) signals the same changes.
    connect(m_settings, &Settings::changed, this, [this](Settings::Key key) {
        if (key == Settings::Key::Accounts) {
            Q_EMIT accountsChanged();
        } else if (key == Settings::Key::AccountId) {
            if (const std::optional<Account> now = current())
                Q_EMIT currentChanged(*now);
        }
    });
}

void AccountRegistry::migrateSingleAccount()
{
    if (!accounts().isEmpty())
        return;
    Account account;
    account.id = m_settings->accountId();
    if (account.id.isEmpty())
        account.id = Settings::defaultValue(Settings::Key::AccountId).toString();
    account.baseUrl = QUrl(m_settings->baseUrl());
    if (!account.baseUrl.isValid() || account.baseUrl.isEmpty())
        account.baseUrl = PixapiClient::defaultBaseUrl();
    account.name = account.baseUrl.host().isEmpty() ? tr("My account") : account.baseUrl.host();
    account.keyStored = m_settings->value(Settings::Key::KeyStored).toBool();
    qCInfo(lcKeychain).noquote() << "accounts: the single account" << account.id << "becomes the first profile";
    write({account});
    makeCurrent(account);
}

QList<Account> AccountRegistry::accounts() const
{
    QList<Account> out;
    const QVariantList entries = m_settings->value(Settings::Key::Accounts).toList();
    for (const QVariant& entry : entries) {
        if (std::optional<Account> account = Account::fromVariant(entry.toMap()))
            out << std::move(*account);
    }
    return out;
}

std::optional<Account> AccountRegistry::account(const QString& id) const
{
    const QList<Account> all = accounts();
    for (const Account& account : all) {
        if (account.id == id)
            return account;
    }
    return std::nullopt;
}

std::optional<Account> AccountRegistry::current() const
{
    if (std::optional<Account> named = account(m_settings->accountId()))
        return named;
    const QList<Account> all = accounts();
    return all.isEmpty() ? std::nullopt : std::optional<Account>(all.first());
}

void AccountRegistry::write(const QList<Account>& accounts)
{
    QVariantList entries;
    for (const Account& account : accounts)
        entries << account.toVariant();
    m_settings->setValue(Settings::Key::Accounts, entries);
    m_settings->sync();
}

void AccountRegistry::makeCurrent(const Account& account)
{
    // The mirror first: whoever hears currentChanged() (emitted for AccountId) reads a matching BaseUrl.
    m_settings->setValue(Settings::Key::BaseUrl, account.baseUrl.toString());
    m_settings->setValue(Settings::Key::AccountId, account.id);
    m_settings->sync();
}

std::optional<QString> AccountRegistry::nameProblem(const QString& name, const QString& exceptId) const
{
    if (name.isEmpty())
        return tr("Enter a name for the account.");
    const QList<Account> all = accounts();
    for (const Account& other : all) {
        if (other.id != exceptId && other.name.compare(name, Qt::CaseInsensitive) == 0)
            return tr("An account named “%1” already exists.").arg(other.name);
    }
    return std::nullopt;
}

Result<Account, QString> AccountRegistry::add(const QString& name, const QUrl& baseUrl, Account::Kind kind)
{
    Account account;
    account.id = Account::newId();
    account.name = name.trimmed();
    account.baseUrl = baseUrl;
    account.kind = kind;
    if (std::optional<QString> problem = nameProblem(account.name, account.id))
        return Result<Account, QString>::failure(*problem);
    if (std::optional<QString> problem = Account::urlProblem(baseUrl))
        return Result<Account, QString>::failure(*problem);
    write(accounts() << account);
    qCInfo(lcKeychain).noquote() << "accounts: added" << account.id;
    return account;
}

Result<Account, QString> AccountRegistry::modify(const QString& id,
                                                 const std::function<std::optional<QString>(Account&)>& change)
{
    QList<Account> all = accounts();
    const auto it = std::find_if(all.begin(), all.end(), [&id](const Account& account) { return account.id == id; });
    if (it == all.end())
        return unknownAccount();
    if (std::optional<QString> problem = change(*it))
        return Result<Account, QString>::failure(*problem);
    const Account changed = *it;
    const std::optional<Account> before = current();
    write(all);
    if (before && before->id == id)
        m_settings->setValue(Settings::Key::BaseUrl, changed.baseUrl.toString()); // keep the mirror
    return changed;
}

Result<Account, QString> AccountRegistry::rename(const QString& id, const QString& name)
{
    return modify(id, [this, &id, trimmed = name.trimmed()](Account& account) {
        std::optional<QString> problem = nameProblem(trimmed, id);
        if (!problem)
            account.name = trimmed;
        return problem;
    });
}

Result<Account, QString> AccountRegistry::setBaseUrl(const QString& id, const QUrl& baseUrl)
{
    return modify(id, [&baseUrl](Account& account) {
        std::optional<QString> problem = Account::urlProblem(baseUrl);
        if (!problem)
            account.baseUrl = baseUrl;
        return problem;
    });
}

Result<Account, QString> AccountRegistry::setKind(const QString& id, Account::Kind kind)
{
    return modify(id, [kind](Account& account) {
        account.kind = kind;
        return std::optional<QString>();
    });
}

bool AccountRegistry::switchTo(const QString& id)
{
    const std::optional<Account> target = account(id);
    if (!target)
        return false;
    makeCurrent(*target);
    return true;
}

void AccountRegistry::setKeyStored(const QString& id, bool stored)
{
    modify(id, [stored](Account& account) {
        account.keyStored = stored;
        return std::optional<QString>();
    });
}

std::optional<Account> AccountRegistry::accountFor(const QString& id, AccountJob* job) const
{
    std::optional<Account> found = account(id);
    if (!found)
        job->finishLater(resultWith(AccountResult::Status::UnknownAccount));
    return found;
}

ModelsJob* AccountRegistry::testConnection(const QUrl& baseUrl, Account::Kind kind, const QString& key)
{
    // A client of its own: checking a key must not disturb the connection in use.
    auto* client = new PixapiClient(m_network, this);
    client->setBaseUrl(baseUrl);
    client->setServerKind(kind);
    client->setApiKey(key);
    ModelsJob* job = client->listModels();
    connect(job, &ApiJob::finished, client, &QObject::deleteLater);
    return job;
}

void AccountRegistry::check(AccountJob* job, const Account& account, const QString& key,
                            const std::function<void(const QList<ModelInfo>&)>& onAccepted)
{
    ModelsJob* models = testConnection(account.baseUrl, account.kind, key);
    connect(models, &ApiJob::finished, job, [job, models, onAccepted] {
        const ModelsJob::ResultType& result = models->result();
        if (result.ok()) {
            onAccepted(result.value());
            return;
        }
        AccountResult failed = resultWith(AccountResult::Status::CheckFailed);
        failed.apiError = result.error();
        job->finish(failed);
    });
}

AccountJob* AccountRegistry::saveKey(const QString& id, const QString& key)
{
    auto* job = new AccountJob(this);
    if (!accountFor(id, job))
        return job;
    KeyJob* write = m_keys->writeKey(id, key.trimmed());
    connect(write, &KeyJob::finished, job, [this, job, id](const KeyResult& written) {
        if (written.ok()) {
            setKeyStored(id, true);
            Q_EMIT keyChanged(id);
        }
        job->finish(keychainResult(written));
    });
    return job;
}

AccountJob* AccountRegistry::rotateKey(const QString& id, const QString& newKey)
{
    auto* job = new AccountJob(this);
    const std::optional<Account> account = accountFor(id, job);
    if (!account)
        return job;
    const QString key = newKey.trimmed();
    if (const std::optional<KeyResult::Status> refusal = ApiKeyStore::refusal(key)) {
        KeyResult refused;
        refused.status = *refusal;
        job->finishLater(keychainResult(refused));
        return job;
    }
    check(job, *account, key, [this, job, id, key](const QList<ModelInfo>& models) {
        if (!this->account(id)) { // removed while the server was asked
            job->finish(resultWith(AccountResult::Status::UnknownAccount));
            return;
        }
        KeyJob* write = m_keys->writeKey(id, key);
        connect(write, &KeyJob::finished, job, [this, job, id, models](const KeyResult& written) {
            AccountResult result = keychainResult(written);
            if (written.ok()) {
                result.models = models;
                setKeyStored(id, true);
                Q_EMIT keyChanged(id);
            }
            qCInfo(lcKeychain).noquote() << "accounts: rotate" << id << AccountResult::statusName(result.status);
            job->finish(result);
        });
    });
    return job;
}

AccountJob* AccountRegistry::revokeKey(const QString& id)
{
    auto* job = new AccountJob(this);
    if (!accountFor(id, job))
        return job;
    KeyJob* deletion = m_keys->deleteKey(id);
    connect(deletion, &KeyJob::finished, job, [this, job, id](KeyResult deleted) {
        if (deleted.status == KeyResult::Status::Missing)
            deleted.status = KeyResult::Status::Ok; // nothing to delete
        if (deleted.ok()) {
            setKeyStored(id, false);
            Q_EMIT keyChanged(id);
        }
        job->finish(keychainResult(deleted));
    });
    return job;
}

AccountJob* AccountRegistry::remove(const QString& id)
{
    auto* job = new AccountJob(this);
    if (!accountFor(id, job))
        return job;
    if (accounts().size() < 2) {
        job->finishLater(resultWith(AccountResult::Status::LastAccount));
        return job;
    }
    KeyJob* deletion = m_keys->deleteKey(id);
    connect(deletion, &KeyJob::finished, job, [this, job, id](KeyResult deleted) {
        if (deleted.status == KeyResult::Status::Missing)
            deleted.status = KeyResult::Status::Ok; // nothing to delete
        if (!deleted.ok()) {
            job->finish(keychainResult(deleted));
            return;
        }
        QList<Account> rest = accounts();
        const bool wasCurrent = current() && current()->id == id;
        rest.removeIf([&id](const Account& account) { return account.id == id; });
        if (rest.isEmpty()) { // the others were removed meanwhile: this one stays, without its key
            setKeyStored(id, false);
            job->finish(resultWith(AccountResult::Status::LastAccount));
            return;
        }
        if (wasCurrent)
            makeCurrent(rest.first());
        write(rest);
        qCInfo(lcKeychain).noquote() << "accounts: removed" << id;
        job->finish(keychainResult(deleted));
    });
    return job;
}

AccountJob* AccountRegistry::testAccount(const QString& id)
{
    auto* job = new AccountJob(this);
    if (!accountFor(id, job))
        return job;
    KeyJob* read = m_keys->readKey(id);
    connect(read, &KeyJob::finished, job, [this, job, id](const KeyResult& stored) {
        const std::optional<Account> account = this->account(id);
        if (!account) {
            job->finish(resultWith(AccountResult::Status::UnknownAccount));
            return;
        }
        if (!stored.ok()) {
            job->finish(keychainResult(stored));
            return;
        }
        check(job, *account, stored.key, [job, stored](const QList<ModelInfo>& models) {
            AccountResult result = keychainResult(stored);
            result.keychain->key.clear(); // results travel through signals: they carry no secret
            result.models = models;
            job->finish(result);
        });
    });
    return job;
}

} // namespace Pixapi
