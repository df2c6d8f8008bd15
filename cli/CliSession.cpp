#include "CliSession.h"

#include "CliCommand.h"
#include "CliConsole.h"
#include "accounts/AccountRegistry.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxHost.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"

#include <QCoreApplication>

namespace Pixapi {

CliSession::CliSession(const CliOptions& options, CliConsole* console, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_console(console)
    , m_network(new NetworkAccess(this))
    , m_client(new PixapiClient(m_network, this))
{ }

CliSession::~CliSession() = default;

void CliSession::start()
{
    if (m_options.sandbox) {
        startSandbox();
        return;
    }

    Settings settings;
    QUrl baseUrl = m_options.baseUrl;
    QString keyAccount = m_options.account.isEmpty() ? settings.accountId() : m_options.account;
    if (baseUrl.isEmpty()) {
        // Profiles may point at different servers: a key goes only to its own profile's server.
        AccountRegistry registry(&settings, nullptr, m_network);
        std::optional<Account> account = m_options.account.isEmpty() ? registry.current() : std::nullopt;
        for (const Account& candidate : registry.accounts()) {
            if (!account && (candidate.id == m_options.account || candidate.name == m_options.account))
                account = candidate;
        }
        if (!account) {
            fail(QCoreApplication::translate("pixapi-cli",
                                             "no account \"%1\" (see Settings → Accounts… in Pixapi Studio); give "
                                             "--base-url to send its key to a server of your choice")
                     .arg(m_options.account));
            return;
        }
        baseUrl = account->baseUrl;
        keyAccount = account->id;
        m_client->setServerKind(account->kind);
    }
    m_accountId = keyAccount;
    // Checked here, before any key is read, so the refusal names the URL (NetworkAccess would refuse it too).
    if (!NetworkAccess::isAllowedUrl(baseUrl)) {
        fail(QCoreApplication::translate("pixapi-cli", "refused base URL %1: %2")
                 .arg(baseUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment),
                      ApiError::make(ApiError::Kind::InsecureUrl).userMessage()));
        return;
    }
    m_client->setBaseUrl(baseUrl);
    m_console->printVerbose(QCoreApplication::translate("pixapi-cli", "server: %1")
                                .arg(baseUrl.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)));

    const QString fromEnvironment = qEnvironmentVariable("PIXAPI_KEY").trimmed();
    if (!fromEnvironment.isEmpty()) {
        m_console->printVerbose(QCoreApplication::translate("pixapi-cli", "API key: from PIXAPI_KEY"));
        useKey(fromEnvironment);
        return;
    }
    readKey(keyAccount);
}

void CliSession::startSandbox()
{
    // On its own thread, so rendering never delays this event loop (and Ctrl+C).
    m_sandbox = std::make_unique<SandboxHost>();
    if (!m_sandbox->start()) {
        fail(QCoreApplication::translate("pixapi-cli", "the sandbox server could not listen on 127.0.0.1"));
        return;
    }
    m_client->setBaseUrl(m_sandbox->baseUrl());
    m_console->printVerbose(QCoreApplication::translate("pixapi-cli", "sandbox: %1 (no credits are spent)")
                                .arg(m_sandbox->baseUrl().toString()));
    useKey(SandboxServer::defaultKey());
}

void CliSession::readKey(const QString& accountId)
{
    m_console->printVerbose(
        QCoreApplication::translate("pixapi-cli", "API key: reading account \"%1\" from the keychain").arg(accountId));
    m_keyStore = new ApiKeyStore(QStringLiteral(PIXAPI_APP_ID), this);
    KeyJob* job = m_keyStore->readKey(accountId);
    connect(job, &KeyJob::finished, this, [this](const KeyResult& result) {
        if (result.ok() && !result.key.trimmed().isEmpty()) {
            useKey(result.key.trimmed());
            return;
        }
        QString message =
            QCoreApplication::translate("pixapi-cli", "no API key: set PIXAPI_KEY or save one in Pixapi Studio");
        // Missing may also mean a locked keyring (QtKeychain 0.13): the store's message says so.
        const QString why = result.userMessage();
        if (!why.isEmpty())
            message += QStringLiteral(" (") + why + QLatin1Char(')');
        fail(message);
    });
}

void CliSession::useKey(const QString& key)
{
    m_console->setSecret(key);
    m_client->setApiKey(key);
    Q_EMIT ready();
}

void CliSession::fail(const QString& message)
{
    m_console->printError(message);
    Q_EMIT failed(ExitCode::Failed);
}

} // namespace Pixapi
