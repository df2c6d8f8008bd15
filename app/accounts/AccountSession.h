#pragma once

#include "accounts/Account.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"

#include <QObject>
#include <QUrl>

#include <optional>

namespace Pixapi {

class AccountRegistry;
class Settings;
class NetworkAccess;

// Decides which connection the app uses and applies it to the PixapiClient: the current account's server, kind and
// key from the keychain, or the embedded sandbox. Follows the account registry (accounts()): switching accounts
// re-reads the key and re-points the client; a key saved, rotated or revoked for the current account is read again.
// The key lives only in the keychain and in the client's memory; it never reaches settings or logs.
class AccountSession : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Loading,         // reading the keychain
        Ready,           // the account's key is applied to the client
        NoKey,           // no key was ever saved for this account
        KeychainProblem, // the keychain failed or is probably locked: see keychainProblem(); nothing was changed
        Sandbox,         // the embedded sandbox is in use
    };
    Q_ENUM(State)

    // Creates the account registry over `settings` (see accounts()).
    AccountSession(Settings* settings, ApiKeyStore* keys, PixapiClient* client, NetworkAccess* network,
                   QObject* parent = nullptr);

    // The profiles; add, switch, rotate, revoke and remove there (the session follows).
    AccountRegistry* accounts() const { return m_accounts; }

    // Reads the current account's key. May be called again (e.g. after the user unlocked the keychain).
    void start();
    // Saves the key for the current account (AccountRegistry::saveKey); on success the key is read back and applied,
    // leaving the sandbox if it was in use. keySaved() reports the outcome either way.
    void saveKey(const QString& key);
    // Checks a key against a server (of the current account's kind) with GET /v1/models, using a client of its own:
    // the session's client, state and settings are untouched. The job emits finished() once; its result holds the
    // models or the ApiError.
    ModelsJob* testConnection(const QUrl& baseUrl, const QString& key);
    // Switches the client to the sandbox at baseUrl with the key it accepts (SandboxServer::defaultKey()).
    void useSandbox(const QUrl& baseUrl, const QString& sandboxKey);

    State state() const { return m_state; }
    QString accountId() const; // the current account's
    // The keychain answer that caused KeychainProblem (or the last failed save).
    const std::optional<KeyResult>& keychainProblem() const { return m_problem; }
    // True when KeychainProblem comes from a "missing" entry although a key was saved: the keychain is probably locked.
    bool keyProbablyLocked() const;

Q_SIGNALS:
    void stateChanged(Pixapi::AccountSession::State state);
    void keySaved(const Pixapi::KeyResult& result);

private:
    void setState(State state);
    void pointClientAt(const Account& account);
    void applyKey(const Account& account, const QString& key);
    void onKeyRead(const QString& accountId, const KeyResult& result);
    void followCurrentAccount();

    AccountRegistry* m_accounts;
    ApiKeyStore* m_keys;
    PixapiClient* m_client;
    State m_state = State::Loading;
    std::optional<KeyResult> m_problem;
    std::optional<Account> m_applied; // the account whose key the client holds (Ready)
    // Bumped by every start()/useSandbox()/saveKey(), so a late keychain answer cannot override a newer choice.
    quint64 m_generation = 0;
};

} // namespace Pixapi
