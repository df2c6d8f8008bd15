#include "TestApp.h"

namespace Pixapi {

TestApp::TestApp()
    : TestApp(QString())
{ }

TestApp::TestApp(const QString& dataDir)
    : root(dataDir.isEmpty() ? dir.path() : dataDir)
    , settings(root + QStringLiteral("/settings.ini"))
    , client(&network)
    , library(root + QStringLiteral("/library"))
    , session(&settings, &keys, &client, &network)
    , catalog(&client)
    , tasks(root + QStringLiteral("/library"))
    , ledger(root + QStringLiteral("/usage.sqlite"))
{ }

AppServices TestApp::services()
{
    AppServices services;
    services.settings = &settings;
    services.network = &network;
    services.client = &client;
    services.library = &library;
    services.keys = &keys;
    services.session = &session;
    services.catalog = &catalog;
    services.tasks = &tasks;
    if (ledger.isOpen() || ledger.open())
        services.ledger = &ledger;
    return services;
}

} // namespace Pixapi
