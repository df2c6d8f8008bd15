#pragma once

#include "accounts/Account.h"
#include "accounts/AccountJob.h"
#include "api/PixapiClient.h"
#include "support/Result.h"

#include <QList>
#include <QObject>

#include <functional>
#include <optional>

namespace Pixapi {

class ApiKeyStore;
class NetworkAccess;
class Settings;

// The server profiles (accounts) and which one is current. Profiles live in Settings::Key::Accounts (no secret), the
// current one's id in Settings::Key::AccountId, and each key in the keychain (ApiKeyStore). Settings is the only
// state: every registry over the same Settings sees (and signals) the same changes.
//
// Settings::Key::BaseUrl mirrors the current account's base URL for readers that predate profiles (pixapi-cli);
// this class is its only writer. The single account of earlier versions (BaseUrl, AccountId, KeyStored) becomes the
// first profile on first use, keeping its id and so its keychain entry.
class AccountRegistry : public QObject
{
    Q_OBJECT

public:
    AccountRegistry(Settings* settings, ApiKeyStore* keys, NetworkAccess* network, QObject* parent = nullptr);

    QList<Account> accounts() const;
    std::optional<Account> account(const QString& id) const;
    // The account of Settings::Key::AccountId (the first one if that names none). Nothing only when the Settings file
    // cannot be written.
    std::optional<Account> current() const;

    // Profile changes; a failure is a translated reason and changes nothing. Names are unique ignoring case;
    // Account::urlProblem() checks the URL. add() does not switch to the new account.
    Result<Account, QString> add(const QString& name, const QUrl& baseUrl, Account::Kind kind);
    Result<Account, QString> rename(const QString& id, const QString& name);
    Result<Account, QString> setBaseUrl(const QString& id, const QUrl& baseUrl);
    Result<Account, QString> setKind(const QString& id, Account::Kind kind);
    // Makes `id` the current account (currentChanged() when it was not). False for an unknown id.
    bool switchTo(const QString& id);

    // Key operations: async, each job emits finished() once. The key never reaches settings or logs.
    // Writes the key, reads it back to verify, marks keyStored.
    AccountJob* saveKey(const QString& id, const QString& key);
    // Checks the new key with GET /v1/models on the account's server (a client of its own: the connection in use is
    // untouched); only when the server accepts it, writes it over the old one and verifies it. On CheckFailed the old
    // key is still in the keychain, byte for byte. The result lists the models the new key can see.
    AccountJob* rotateKey(const QString& id, const QString& newKey);
    // Deletes the account's keychain entry and clears keyStored; the account stays. A missing entry counts as deleted.
    AccountJob* revokeKey(const QString& id);
    // Deletes the keychain entry, then the account; if it was current, the first remaining account becomes current.
    // The last account is never removed (LastAccount): there is always a current one. When the keychain fails the
    // account stays, so that its key is not left behind unreachable.
    AccountJob* remove(const QString& id);
    // Reads the account's key and checks it with GET /v1/models (a client of its own).
    AccountJob* testAccount(const QString& id);
    // Checks an unsaved (URL, key) pair with GET /v1/models, using a client of its own.
    ModelsJob* testConnection(const QUrl& baseUrl, Account::Kind kind, const QString& key);

Q_SIGNALS:
    void accountsChanged();
    void currentChanged(const Pixapi::Account& account);
    // A key was saved, replaced or deleted for this account (by this registry).
    void keyChanged(const QString& accountId);

private:
    void migrateSingleAccount();
    void write(const QList<Account>& accounts);
    void makeCurrent(const Account& account);
    std::optional<QString> nameProblem(const QString& name, const QString& exceptId) const;
    // Applies `change` to the account and stores the list, unless it returns a reason.
    Result<Account, QString> modify(const QString& id, const std::function<std::optional<QString>(Account&)>& change);
    void setKeyStored(const QString& id, bool stored);
    // For an id that exists: the account; otherwise the job finishes with UnknownAccount and nothing is returned.
    std::optional<Account> accountFor(const QString& id, AccountJob* job) const;
    // Checks `key` on the account's server; `onAccepted` runs with the models when it works, else the job finishes
    // with CheckFailed.
    void check(AccountJob* job, const Account& account, const QString& key,
               const std::function<void(const QList<ModelInfo>&)>& onAccepted);

    Settings* m_settings;
    ApiKeyStore* m_keys;
    NetworkAccess* m_network;
};

} // namespace Pixapi
