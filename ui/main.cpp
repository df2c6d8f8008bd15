// Composition root: creates the core services, picks the connection (account key or sandbox) and shows the window.

#include "AppServices.h"
#include "MainWindow.h"
#include "SelfTest.h"

#include "accounts/AccountJob.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "accounts/ProxySettings.h"
#include "api/PixapiClient.h"
#include "catalog/ModelCatalog.h"
#include "generation/TaskStore.h"
#include "library/Library.h"
#include "library/ThumbnailCache.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxHost.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"
#include "support/AppPaths.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"
#include "support/MemoryTuning.h"
#include "support/ProcessHardening.h"
#include "support/Redactor.h"
#include "support/StartupWarmup.h"
#include "usage/UsageLedger.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstring>
#include <memory>
#include <optional>

using namespace Pixapi;

namespace {

constexpr int CachePruneDelayMs = 5000;

// These runs print and exit: they must work on a machine without a display.
bool runsWithoutWindow(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        for (const char* option : {"--self-test", "--version", "-v", "--help", "-h"}) {
            if (std::strcmp(argv[i], option) == 0)
                return true;
        }
    }
    return false;
}

void print(const QString& line)
{
    QTextStream(stdout) << line << Qt::endl;
}

} // namespace

int main(int argc, char* argv[])
{
    ProcessHardening::disableCoreDumps(); // the key is in this process's memory
    tuneAllocatorForImages();
    if (runsWithoutWindow(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    Redactor::installMessageHandler(); // no key reaches a log line, whoever writes it
    if (!runsWithoutWindow(argc, argv))
        warmUpInBackground();
    AppIdentity::apply();
    QGuiApplication::setDesktopFileName(QStringLiteral(PIXAPI_APP_ID));
    QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/" PIXAPI_APP_ID ".svg")));
    AppIdentity::installTranslators(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Native desktop image studio for the Pixapi API."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption sandboxOption(
        QStringLiteral("sandbox"),
        QCoreApplication::translate("main", "Use the embedded sandbox server, even if an API key is saved."));
    const QCommandLineOption selfTestOption(
        QStringLiteral("self-test"),
        QCoreApplication::translate("main", "Generate one image with the embedded sandbox, check that it reached the "
                                            "library, print the result and exit."));
    const QCommandLineOption dataDirOption(
        QStringLiteral("data-dir"),
        QCoreApplication::translate("main", "Keep the image library and the settings in <dir>."),
        QCoreApplication::translate("main", "dir"));
    parser.addOptions({sandboxOption, selfTestOption, dataDirOption});
    parser.process(app);

    const bool selfTest = parser.isSet(selfTestOption);
    QString dataDir = parser.value(dataDirOption);
    std::optional<QTemporaryDir> scratch;
    if (selfTest && dataDir.isEmpty()) {
        scratch.emplace(); // the self-test never writes into the user's library
        dataDir = scratch->path();
    }
    if (!dataDir.isEmpty())
        AppPaths::setDataDirOverride(dataDir);

    Settings settings(dataDir.isEmpty() ? QString() : QDir(dataDir).filePath(QStringLiteral("settings.ini")));
    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(QUrl(settings.baseUrl()));
    Library library(AppPaths::libraryDir());
    ApiKeyStore keys;
    // The proxy first: the session's first request (the key check, the models) must already go through it.
    ProxySettings proxy(&settings, &keys, &network);
    if (AccountJob* applied = proxy.apply()) {
        QObject::connect(applied, &AccountJob::finished, [](const AccountResult& result) {
            if (!result.ok())
                qCWarning(lcUi) << "proxy:" << AccountResult::statusName(result.status);
        });
    }
    AccountSession session(&settings, &keys, &client, &network);
    ModelCatalog catalog(&client);
    std::unique_ptr<SandboxHost> sandbox; // started only when the user (or --sandbox / --self-test) asks for it

    AppServices services {&settings, &network, &client, &library, &keys, &session, &catalog, {}};
    services.proxy = &proxy;
    services.enableSandbox = [&sandbox, &session] {
        if (!sandbox) {
            auto host = std::make_unique<SandboxHost>();
            if (!host->start())
                return false;
            sandbox = std::move(host);
        }
        session.useSandbox(sandbox->baseUrl(), SandboxServer::defaultKey());
        return true;
    };

    if (const auto opened = library.open(); !opened) {
        const QString message = QCoreApplication::translate("main", "The image library at %1 cannot be opened: %2")
                                    .arg(library.rootDir(), opened.error().detail);
        if (selfTest) {
            print(QCoreApplication::translate("main", "self-test failed: %1").arg(message));
        } else {
            QMessageBox::critical(nullptr, QCoreApplication::applicationName(), message);
        }
        return 1;
    }

    // Thumbnails are disposable: the cache is trimmed to its least recently used 512 MiB, off the UI thread, once
    // the first screen is up (walking the cache would compete with it for the disk and the cores).
    QTimer::singleShot(CachePruneDelayMs, [] {
        backgroundPool()->start([] { ThumbnailCache(ThumbnailCache::defaultDir()).prune(qint64(512) << 20); });
    });

    // Every request and what it cost; without the ledger generation still works, unrecorded.
    UsageLedger ledger(UsageLedger::defaultPath());
    if (const auto opened = ledger.open(); opened)
        services.ledger = &ledger;
    else
        qCWarning(lcUi) << "usage ledger unavailable:" << opened.error().detail;

    // Background tasks share the library's index file; without it they fail before sending anything.
    TaskStore tasks(library.rootDir());
    if (const auto opened = tasks.open(); opened)
        services.tasks = &tasks;
    else
        qCWarning(lcUi) << "task store unavailable:" << ApiError::kindName(opened.error().kind);

    if (selfTest) {
        SelfTest test(services);
        int exitCode = 1;
        QObject::connect(&test, &SelfTest::finished, &app, [&exitCode](bool ok, const QString& summary) {
            print(summary);
            exitCode = ok ? 0 : 1;
            QCoreApplication::exit(exitCode);
        });
        test.start();
        app.exec();
        return exitCode;
    }

    if (parser.isSet(sandboxOption)) {
        if (!services.enableSandbox()) {
            QMessageBox::critical(nullptr, QCoreApplication::applicationName(),
                                  QCoreApplication::translate("main", "The sandbox server could not be started."));
            return 1;
        }
    } else {
        session.start();
    }

    MainWindow window(services);
    window.show();
    return app.exec();
}
