#include "accounts/ProxySettings.h"

#include "accounts/ApiKeyStore.h"
#include "net/NetworkAccess.h"
#include "settings/Settings.h"
#include "support/Logging.h"
#include "support/Redactor.h"

#include <QNetworkProxy>

namespace Pixapi {
namespace {

const QString SystemName = QStringLiteral("system");
const QString NoneName = QStringLiteral("none");
const QString ManualName = QStringLiteral("manual");
const QString HttpName = QStringLiteral("http");
const QString Socks5Name = QStringLiteral("socks5");

AccountResult invalid(const QString& problem)
{
    AccountResult result;
    result.status = AccountResult::Status::Invalid;
    result.problem = problem;
    return result;
}

// A keychain answer about the proxy password, worded for it where the store's own text speaks of an API key.
AccountResult passwordResult(const KeyResult& keychain)
{
    AccountResult result;
    result.status = keychain.ok() ? AccountResult::Status::Ok : AccountResult::Status::KeychainProblem;
    result.keychain = keychain;
    result.keychain->key.clear(); // results travel through signals: they carry no secret
    switch (keychain.status) {
    case KeyResult::Status::Missing:
        result.problem = ProxySettings::tr("No proxy password is stored, or the keyring is locked. Unlock the keyring "
                                           "and try again, or enter the proxy password again.");
        break;
    case KeyResult::Status::TooLong:
        result.problem = ProxySettings::tr("The proxy password is too long to store (at most %1 bytes).")
                             .arg(ApiKeyStore::MaxKeyBytes);
        break;
    case KeyResult::Status::VerifyFailed:
        result.problem = ProxySettings::tr("The keyring did not return the proxy password that was just saved, so it "
                                           "may not be stored correctly. Try again.");
        break;
    default:
        break; // the store's wording is about the keyring, not the secret
    }
    return result;
}

} // namespace

std::optional<QString> ProxyConfig::problem() const
{
    if (mode != Mode::Manual)
        return std::nullopt;
    if (host.trimmed().isEmpty())
        return tr("Enter the proxy server's host name or address.");
    if (port < 1 || port > 65535)
        return tr("The proxy port must be a number from 1 to 65535.");
    return std::nullopt;
}

QNetworkProxy ProxyConfig::networkProxy(const QString& password) const
{
    QNetworkProxy proxy(type == Type::Socks5 ? QNetworkProxy::Socks5Proxy : QNetworkProxy::HttpProxy, host.trimmed(),
                        static_cast<quint16>(port));
    if (!user.isEmpty()) {
        proxy.setUser(user);
        proxy.setPassword(password);
    }
    return proxy;
}

ProxySettings::ProxySettings(Settings* settings, ApiKeyStore* keys, NetworkAccess* network, QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , m_keys(keys)
    , m_network(network)
{ }

ProxyConfig ProxySettings::config() const
{
    ProxyConfig config;
    const QString mode = m_settings->value(Settings::Key::ProxyMode).toString();
    config.mode = mode == ManualName ? ProxyConfig::Mode::Manual
                  : mode == NoneName ? ProxyConfig::Mode::None
                                     : ProxyConfig::Mode::System;
    config.type = m_settings->value(Settings::Key::ProxyType).toString() == Socks5Name ? ProxyConfig::Type::Socks5
                                                                                       : ProxyConfig::Type::Http;
    config.host = m_settings->value(Settings::Key::ProxyHost).toString();
    config.port = m_settings->value(Settings::Key::ProxyPort).toInt();
    config.user = m_settings->value(Settings::Key::ProxyUser).toString();
    return config;
}

void ProxySettings::store(const ProxyConfig& config)
{
    const QString mode = config.mode == ProxyConfig::Mode::Manual ? ManualName
                         : config.mode == ProxyConfig::Mode::None ? NoneName
                                                                  : SystemName;
    m_settings->setValue(Settings::Key::ProxyMode, mode);
    m_settings->setValue(Settings::Key::ProxyType, config.type == ProxyConfig::Type::Socks5 ? Socks5Name : HttpName);
    m_settings->setValue(Settings::Key::ProxyHost, config.host.trimmed());
    m_settings->setValue(Settings::Key::ProxyPort, config.port);
    m_settings->setValue(Settings::Key::ProxyUser, config.user);
    m_settings->sync();
}

void ProxySettings::use(const ProxyConfig& config, const QString& password)
{
    switch (config.mode) {
    case ProxyConfig::Mode::System:
        m_network->useSystemProxy();
        return;
    case ProxyConfig::Mode::None:
        m_network->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
        return;
    case ProxyConfig::Mode::Manual:
        Redactor::addSecret(password);
        m_network->setProxy(config.networkProxy(password));
        return;
    }
}

AccountJob* ProxySettings::apply()
{
    auto* job = new AccountJob(this);
    const ProxyConfig config = this->config();
    use(config, {});
    if (const std::optional<QString> problem = config.problem()) {
        job->finishLater(invalid(*problem));
        return job;
    }
    if (config.mode != ProxyConfig::Mode::Manual || config.user.isEmpty()) {
        job->finishLater({});
        return job;
    }
    KeyJob* read = m_keys->readProxyPassword();
    connect(read, &KeyJob::finished, job, [this, job, config](const KeyResult& stored) {
        if (stored.ok() && this->config() == config) // a save meanwhile has applied a newer configuration
            use(config, stored.key);
        if (!stored.ok())
            qCWarning(lcNet).noquote() << "proxy password unavailable:" << KeyResult::statusName(stored.status);
        job->finish(passwordResult(stored));
    });
    return job;
}

AccountJob* ProxySettings::save(const ProxyConfig& config, const std::optional<QString>& password)
{
    if (const std::optional<QString> problem = config.problem()) {
        auto* job = new AccountJob(this);
        job->finishLater(invalid(*problem));
        return job;
    }
    const bool login = config.mode == ProxyConfig::Mode::Manual && !config.user.isEmpty();
    if (!login || !password) {
        store(config);
        return apply();
    }
    auto* job = new AccountJob(this);
    KeyJob* change = password->isEmpty() ? m_keys->deleteProxyPassword() : m_keys->writeProxyPassword(*password);
    connect(change, &KeyJob::finished, job, [this, job, config, password = *password](KeyResult changed) {
        if (password.isEmpty() && changed.status == KeyResult::Status::Missing)
            changed.status = KeyResult::Status::Ok; // nothing to delete
        if (changed.ok()) {
            store(config);
            use(config, password);
        }
        job->finish(passwordResult(changed));
    });
    return job;
}

} // namespace Pixapi
