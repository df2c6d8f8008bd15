#pragma once

#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"

#include <QObject>
#include <QUrl>

#include <optional>

namespace Pixapi {

class Settings;
class NetworkAccess;

// Decides which connection the app uses for the current account and applies it to the PixapiClient:
// the account's key from the keychain, or the embedded sandbox. The key lives only in the keychain and in the
// client's memory; it never reaches settings or logs.
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

    AccountSession(Settings* settings, ApiKeyStore* keys, PixapiClient* client, NetworkAccess* network,
                   QObject* parent = nullptr);

    // Reads the key of Settings::AccountId. May be called again (e.g. after the user unlocked the keychain).
    void start();
    // Writes the key to the keychain; on success records KeyStored, applies it and becomes Ready.
    // keySaved() reports the outcome either way.
    void saveKey(const QString& key);
    // Checks a key against a server with GET /v1/models, using a client of its own: the session's client,
    // state and settings are untouched. The job emits finished() once; its result holds the models or the ApiError.
    ModelsJob* testConnection(const QUrl& baseUrl, const QString& key);
    // Switches the client to the sandbox at baseUrl with the key it accepts (SandboxServer::defaultKey()).
    void useSandbox(const QUrl& baseUrl, const QString& sandboxKey);

    State state() const { return m_state; }
    QString accountId() const;
    // The keychain answer that caused KeychainProblem (or the last failed save).
    const std::optional<KeyResult>& keychainProblem() const { return m_problem; }
    // True when KeychainProblem comes from a "missing" entry although a key was saved: the keychain is probably locked.
    bool keyProbablyLocked() const;

Q_SIGNALS:
    void stateChanged(Pixapi::AccountSession::State state);
    void keySaved(const Pixapi::KeyResult& result);

private:
    void setState(State state);
    void applyKey(const QString& key);
    void onKeyRead(const KeyResult& result);

    Settings* m_settings;
    ApiKeyStore* m_keys;
    PixapiClient* m_client;
    NetworkAccess* m_network;
    State m_state = State::Loading;
    std::optional<KeyResult> m_problem;
    // Bumped by every start()/useSandbox()/saveKey(), so a late keychain answer cannot override a newer choice.
    quint64 m_generation = 0;
};

} // namespace Pixapi
