#include "accounts/AccountSession.h"

#include "accounts/AccountRegistry.h"
#include "support/Logging.h"

namespace Pixapi {

AccountSession::AccountSession(Settings* settings, ApiKeyStore* keys, PixapiClient* client, NetworkAccess* network,
                               QObject* parent)
    : QObject(parent)
    , m_accounts(new AccountRegistry(settings, keys, network, this))
    , m_keys(keys)
    , m_client(client)
{
    // Another account: its key and server replace the current ones (leaving the sandbox: the user chose an account).
    connect(m_accounts, &AccountRegistry::currentChanged, this, &AccountSession::start);
    connect(m_accounts, &AccountRegistry::accountsChanged, this, &AccountSession::followCurrentAccount);
    connect(m_accounts, &AccountRegistry::keyChanged, this, [this](const QString& changedId) {
        // The sandbox stays until the user leaves it (saveKey() does).
        if (changedId == accountId() && m_state != State::Sandbox)
            start();
    });
}

QString AccountSession::accountId() const
{
    const std::optional<Account> current = m_accounts->current();
    return current ? current->id : QString();
}

bool AccountSession::keyProbablyLocked() const
{
    return m_state == State::KeychainProblem && m_problem && m_problem->status == KeyResult::Status::Missing;
}

void AccountSession::start()
{
    const quint64 generation = ++m_generation;
    setState(State::Loading);
    const QString id = accountId();
    KeyJob* job = m_keys->readKey(id);
    connect(job, &KeyJob::finished, this, [this, generation, id](const KeyResult& result) {
        if (generation != m_generation) {
            qCDebug(lcKeychain) << "ignoring a keychain answer superseded by a newer choice";
            return;
        }
        onKeyRead(id, result);
    });
}

void AccountSession::onKeyRead(const QString& accountId, const KeyResult& result)
{
    const std::optional<Account> account = m_accounts->account(accountId);
    if (!account) { // removed while reading: currentChanged() has started another read
        qCDebug(lcKeychain) << "ignoring the key of an account removed meanwhile";
        return;
    }
    if (result.ok() && !result.key.isEmpty()) {
        m_problem.reset();
        applyKey(*account, result.key);
        setState(State::Ready);
        return;
    }
    m_applied.reset();
    m_client->setApiKey({});
    if (result.status == KeyResult::Status::Missing && !account->keyStored) {
        m_problem.reset();
        setState(State::NoKey);
        return;
    }
    // A "missing" entry we know we saved means the keychain is most likely locked (QtKeychain 0.13 reports a locked
    // collection as EntryNotFound). Never treat it as "no key": settings and the keychain stay as they are.
    qCWarning(lcKeychain) << "keychain problem for the account key, status" << static_cast<int>(result.status)
                          << "key stored before:" << account->keyStored;
    m_problem = result;
    setState(State::KeychainProblem);
}

void AccountSession::saveKey(const QString& key)
{
    const quint64 generation = ++m_generation;
    AccountJob* job = m_accounts->saveKey(accountId(), key);
    connect(job, &AccountJob::finished, this, [this, generation](const AccountResult& result) {
        if (result.ok()) {
            // keyChanged() has already started reading the key back, unless the sandbox was in use: a save leaves it.
            // A newer choice (the sandbox, another save) wins; the key is stored either way.
            if (generation == m_generation)
                start();
        } else {
            qCWarning(lcKeychain).noquote()
                << "saving the account key failed:" << AccountResult::statusName(result.status);
            m_problem = result.keychain;
        }
        Q_EMIT keySaved(result.keychain.value_or(KeyResult()));
    });
}

ModelsJob* AccountSession::testConnection(const QUrl& baseUrl, const QString& key)
{
    const std::optional<Account> current = m_accounts->current();
    return m_accounts->testConnection(baseUrl, current ? current->kind : Account::Kind::Pixapi, key);
}

void AccountSession::useSandbox(const QUrl& baseUrl, const QString& sandboxKey)
{
    ++m_generation;
    m_applied.reset();
    m_client->setBaseUrl(baseUrl);
    m_client->setServerKind(ServerKind::Pixapi);
    m_client->setApiKey(sandboxKey);
    m_problem.reset();
    qCInfo(lcSandbox) << "using the embedded sandbox at" << baseUrl.toDisplayString();
    setState(State::Sandbox);
}

void AccountSession::pointClientAt(const Account& account)
{
    m_applied = account;
    m_client->setBaseUrl(account.baseUrl);
    m_client->setServerKind(account.kind);
}

void AccountSession::applyKey(const Account& account, const QString& key)
{
    pointClientAt(account);
    m_client->setApiKey(key);
}

void AccountSession::followCurrentAccount()
{
    // A new base URL or kind of the account in use applies at once; its key stays (it is the same account).
    const std::optional<Account> current = m_accounts->current();
    if (m_state != State::Ready || !m_applied || !current || current->id != m_applied->id)
        return;
    if (current->baseUrl == m_applied->baseUrl && current->kind == m_applied->kind)
        return;
    pointClientAt(*current);
    setState(State::Ready); // "the connection changed"
}

void AccountSession::setState(State state)
{
    // Re-emitted even when unchanged: Ready → Ready after a new key means "the connection changed".
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace Pixapi
