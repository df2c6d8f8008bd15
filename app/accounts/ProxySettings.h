#pragma once

#include "accounts/AccountJob.h"

#include <QCoreApplication>
#include <QObject>
#include <QString>

#include <optional>

class QNetworkProxy;

namespace Pixapi {

class ApiKeyStore;
class NetworkAccess;
class Settings;

// How requests reach the servers (Settings: ProxyMode, ProxyType, ProxyHost, ProxyPort, ProxyUser). The password of a
// manual proxy is never here: it is in the keychain, under ApiKeyStore::proxyPasswordEntryName().
struct ProxyConfig
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::ProxyConfig)

public:
    enum class Mode { System, None, Manual };
    enum class Type { Http, Socks5 };

    Mode mode = Mode::System;
    // For Manual:
    Type type = Type::Http;
    QString host;
    int port = 8080;
    QString user; // empty: the proxy needs no login

    // Why a manual proxy cannot be used (translated), or nothing: it needs a host and a port of 1–65535.
    std::optional<QString> problem() const;
    // The manual proxy, logging in with `password` when it has a user.
    QNetworkProxy networkProxy(const QString& password) const;

    bool operator==(const ProxyConfig& other) const = default;
};

// Stores the proxy configuration and applies it to NetworkAccess, which every request goes through (API calls and
// image downloads alike). Loopback servers (the sandbox, local servers) are always reached directly.
class ProxySettings : public QObject
{
    Q_OBJECT

public:
    ProxySettings(Settings* settings, ApiKeyStore* keys, NetworkAccess* network, QObject* parent = nullptr);

    ProxyConfig config() const;

    // Applies the stored configuration: call it at start, before the first request. A manual proxy is in use at once
    // (never a direct connection meanwhile) and gets its password when the keychain answers; if it cannot be read
    // (KeychainProblem) the proxy is used without it. Invalid when the stored manual proxy is incomplete (it is used
    // anyway: requests fail rather than bypass it).
    AccountJob* apply();
    // Stores a valid configuration (Invalid otherwise, changing nothing) and applies it. `password` counts only for a
    // manual proxy with a user: a new one is written to the keychain and verified first, and nothing changes if that
    // fails; an empty one deletes the stored password; none keeps it.
    AccountJob* save(const ProxyConfig& config, const std::optional<QString>& password = std::nullopt);

private:
    void store(const ProxyConfig& config);
    void use(const ProxyConfig& config, const QString& password);

    Settings* m_settings;
    ApiKeyStore* m_keys;
    NetworkAccess* m_network;
};

} // namespace Pixapi
