#pragma once

#include "AppServices.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"
#include "catalog/ModelCatalog.h"
#include "generation/TaskStore.h"
#include "library/Library.h"
#include "net/NetworkAccess.h"
#include "settings/Settings.h"
#include "usage/UsageLedger.h"

#include <QTemporaryDir>

namespace Pixapi {

// Everything main.cpp builds for a window, in a temporary directory (one per UI test function) or in a given data
// directory (the benchmarks open a generated library).
struct TestApp
{
    QTemporaryDir dir;
    QString root; // dir's path, or the data directory given
    Settings settings;
    NetworkAccess network;
    PixapiClient client;
    Library library;
    ApiKeyStore keys;
    AccountSession session;
    ModelCatalog catalog;
    TaskStore tasks;
    UsageLedger ledger; // opened by services()

    TestApp();
    explicit TestApp(const QString& dataDir);
    // The services for a MainWindow; enableSandbox is left to the test.
    AppServices services();
};

} // namespace Pixapi
