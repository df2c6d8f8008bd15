#include "TestApp.h"

namespace Pixapi {

TestApp::TestApp()
    : settings(dir.filePath(QStringLiteral("settings.ini")))
    , client(&network)
    , library(dir.filePath(QStringLiteral("library")))
    , session(&settings, &keys, &client, &network)
    , catalog(&client)
    , tasks(dir.filePath(QStringLiteral("library")))
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
    return services;
}

} // namespace Pixapi
