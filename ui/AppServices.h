#pragma once

#include <functional>

namespace Pixapi {

class Settings;
class NetworkAccess;
class PixapiClient;
class Library;
class ApiKeyStore;
class AccountSession;
class ModelCatalog;
class ProxySettings;
class TaskStore;
class UsageLedger;

// The core services the windows work with, created by the composition root (main.cpp) or a test.
// None is owned here.
struct AppServices
{
    Settings* settings = nullptr;
    NetworkAccess* network = nullptr;
    PixapiClient* client = nullptr;
    Library* library = nullptr;
    ApiKeyStore* keys = nullptr;
    AccountSession* session = nullptr;
    ModelCatalog* catalog = nullptr;
    // Starts the embedded sandbox and switches the session to it; false when it could not start. The UI library does
    // not link the sandbox: main.cpp hosts it on a thread, tests pass their in-process server.
    std::function<bool()> enableSandbox;
    // Persisted async tasks (an open store); without one, background tasks fail before anything is sent.
    TaskStore* tasks = nullptr;
    // The usage ledger (an open one); without it nothing is recorded, daily caps count nothing and the usage window
    // is unavailable.
    UsageLedger* ledger = nullptr;
    // How requests reach the servers (applied already); without it the accounts window has no Network tab.
    ProxySettings* proxy = nullptr;
};

} // namespace Pixapi
