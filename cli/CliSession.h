#pragma once

#include "CliOptions.h"

#include <QObject>

#include <memory>

namespace Pixapi {

class ApiKeyStore;
class CliConsole;
class NetworkAccess;
class PixapiClient;
class SandboxHost;

// The connection pixapi-cli talks through: the base URL (checked before anything is sent) and the API key, from
// PIXAPI_KEY or the keychain, or the embedded sandbox (on a thread of its own) and its own key. The key is handed to
// the client and the console's scrubber, and never printed.
class CliSession : public QObject
{
    Q_OBJECT

public:
    CliSession(const CliOptions& options, CliConsole* console, QObject* parent = nullptr);
    ~CliSession() override;

    // Emits ready() or failed() once; may do so before returning.
    void start();
    PixapiClient* client() const { return m_client; }
    // The account that pays, recorded with images and usage; empty for the sandbox.
    QString accountId() const { return m_accountId; }

Q_SIGNALS:
    void ready();
    void failed(int exitCode);

private:
    void startSandbox();
    void readKey(const QString& accountId);
    void useKey(const QString& key);
    void fail(const QString& message);

    CliOptions m_options;
    CliConsole* m_console;
    NetworkAccess* m_network;
    PixapiClient* m_client;
    std::unique_ptr<SandboxHost> m_sandbox;
    ApiKeyStore* m_keyStore = nullptr;
    QString m_accountId;
};

} // namespace Pixapi
