#include "accounts/AccountSession.h"

#include "settings/Settings.h"
#include "support/Logging.h"

namespace Pixapi {

AccountSession::AccountSession(Settings* settings, ApiKeyStore* keys, PixapiClient* client, NetworkAccess* network,
                               QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_keys(keys)
    , m_client(client)
    , m_network(network)
{ }

QString AccountSession::accountId() const
{
    return m_settings->accountId();
}

bool AccountSession::keyProbablyLocked() const
{
    return m_state == State::KeychainProblem && m_problem && m_problem->status == KeyResult::Status::Missing;
}

void AccountSession::start()
{
    const quint64 generation = ++m_generation;
    setState(State::Loading);
    KeyJob* job = m_keys->readKey(accountId());
    connect(job, &KeyJob::finished, this, [this, generation](const KeyResult& result) {
        if (generation != m_generation) {
            qCDebug(lcKeychain) << "ignoring a keychain answer superseded by a newer choice";
            return;
        }
        onKeyRead(result);
    });
}

void AccountSession::onKeyRead(const KeyResult& result)
{
    const bool keyWasStored = m_settings->value(Settings::Key::KeyStored).toBool();
    if (result.ok() && !result.key.isEmpty()) {
        m_problem.reset();
        applyKey(result.key);
        setState(State::Ready);
        return;
    }
    if (result.status == KeyResult::Status::Missing && !keyWasStored) {
        m_problem.reset();
        m_client->setApiKey({});
        setState(State::NoKey);
        return;
    }
    // A "missing" entry we know we saved means the keychain is most likely locked (QtKeychain 0.13 reports a locked
    // collection as EntryNotFound). Never treat it as "no key": settings and the keychain stay as they are.
    qCWarning(lcKeychain) << "keychain problem for the account key, status" << static_cast<int>(result.status)
                          << "key stored before:" << keyWasStored;
    m_problem = result;
    m_client->setApiKey({});
    setState(State::KeychainProblem);
}

void AccountSession::saveKey(const QString& key)
{
    const quint64 generation = ++m_generation;
    const QString trimmed = key.trimmed();
    KeyJob* job = m_keys->writeKey(accountId(), trimmed);
    connect(job, &KeyJob::finished, this, [this, generation, trimmed](const KeyResult& result) {
        if (result.ok()) {
            m_settings->setValue(Settings::Key::KeyStored, true);
            m_settings->sync();
            // A newer choice (the sandbox, another save) wins; the key is stored either way.
            if (generation == m_generation) {
                m_problem.reset();
                applyKey(trimmed);
                setState(State::Ready);
            }
        } else {
            qCWarning(lcKeychain) << "saving the account key failed, status" << static_cast<int>(result.status);
            m_problem = result;
        }
        Q_EMIT keySaved(result);
    });
}

ModelsJob* AccountSession::testConnection(const QUrl& baseUrl, const QString& key)
{
    // A client of its own: testing a key must not disturb the connection in use.
    auto* client = new PixapiClient(m_network, this);
    client->setBaseUrl(baseUrl);
    client->setApiKey(key);
    ModelsJob* job = client->listModels();
    connect(job, &ApiJob::finished, client, &QObject::deleteLater);
    return job;
}

void AccountSession::useSandbox(const QUrl& baseUrl, const QString& sandboxKey)
{
    ++m_generation;
    m_client->setBaseUrl(baseUrl);
    m_client->setApiKey(sandboxKey);
    m_problem.reset();
    qCInfo(lcSandbox) << "using the embedded sandbox at" << baseUrl.toDisplayString();
    setState(State::Sandbox);
}

void AccountSession::applyKey(const QString& key)
{
    const QUrl baseUrl(m_settings->baseUrl());
    m_client->setBaseUrl(baseUrl.isValid() && !baseUrl.isEmpty() ? baseUrl : PixapiClient::defaultBaseUrl());
    m_client->setApiKey(key);
}

void AccountSession::setState(State state)
{
    // Re-emitted even when unchanged: Ready → Ready after a new key means "the connection changed".
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace Pixapi
