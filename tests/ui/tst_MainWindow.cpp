#include "MainWindow.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"
#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"
#include "library/GalleryModel.h"
#include "library/Library.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"
#include "settings/ApiKeyDialog.h"
#include "settings/Settings.h"

#include "TestEnv.h"

#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

// The real MainWindow against an in-process sandbox on loopback, a temporary library and a private keyring.
class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void generateWithCtrlEnterLandsInGridAndLibrary();
    void insufficientCreditsShowsMessageAndSavesNothing();
    void firstRunTryWithoutKeyUsesSandbox();
    void cancelStopsARunningGeneration();
    void windowGeometryIsRemembered();

private:
    // Everything main.cpp builds, per test.
    struct App
    {
        QTemporaryDir dir;
        Settings settings;
        NetworkAccess network;
        PixapiClient client;
        Library library;
        ApiKeyStore keys;
        AccountSession session;
        ModelCatalog catalog;
        explicit App()
            : settings(dir.filePath(QStringLiteral("settings.ini")))
            , client(&network)
            , library(dir.filePath(QStringLiteral("library")))
            , session(&settings, &keys, &client, &network)
            , catalog(&client)
        { }
    };
    AppServices services();
    void waitForModels(MainWindow& window);

    SandboxServer m_sandbox;
    std::unique_ptr<App> m_app;
    int m_sandboxStarts = 0;
};

void tst_MainWindow::initTestCase()
{
    TestEnv::init();
    QVERIFY(m_sandbox.listen());
}

void tst_MainWindow::init()
{
    m_sandbox.clearFaults();
    m_sandbox.clearRequests();
    m_sandbox.setBalance(1000);
    m_app = std::make_unique<App>();
    QVERIFY(m_app->dir.isValid());
    QVERIFY(m_app->library.open().ok());
    m_app->settings.setValue(Settings::Key::AccountId, QString::fromLatin1(QTest::currentTestFunction()));
    m_sandboxStarts = 0;
}

void tst_MainWindow::cleanup()
{
    m_app.reset();
}

AppServices tst_MainWindow::services()
{
    App* app = m_app.get();
    AppServices services {&app->settings, &app->network, &app->client,  &app->library,
                          &app->keys,     &app->session, &app->catalog, {}};
    services.enableSandbox = [this, app] {
        ++m_sandboxStarts;
        app->session.useSandbox(m_sandbox.baseUrl(), SandboxServer::defaultKey());
        return true;
    };
    return services;
}

void tst_MainWindow::waitForModels(MainWindow& window)
{
    auto* models = window.findChild<QComboBox*>(QStringLiteral("modelCombo"));
    QVERIFY(models);
    QTRY_VERIFY_WITH_TIMEOUT(models->count() > 0, 15000);
    QVERIFY(!models->currentText().isEmpty());
}

void tst_MainWindow::generateWithCtrlEnterLandsInGridAndLibrary()
{
    // The remembered model is picked again once the catalog has loaded (not simply the first one).
    m_app->settings.setValue(Settings::Key::LastModel, QStringLiteral("gpt-image-1.5"));
    AppServices s = services();
    s.enableSandbox();
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForModels(window);
    auto* models = window.findChild<QComboBox*>(QStringLiteral("modelCombo"));
    QCOMPARE(models->currentData(ModelCatalogModel::IdRole).toString(), QStringLiteral("gpt-image-1.5"));
    QVERIFY(models->currentIndex() > 0);

    auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
    auto* generate = window.findChild<QPushButton*>(QStringLiteral("generateButton"));
    QVERIFY(prompt);
    QVERIFY(generate);
    QVERIFY(!generate->isEnabled()); // empty prompt
    prompt->setFocus();
    QTest::keyClicks(prompt, QStringLiteral("a red fox in the snow"));
    QVERIFY(generate->isEnabled());
    QTest::keyClick(prompt, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(prompt->toPlainText(), QStringLiteral("a red fox in the snow")); // no newline was typed
    QCOMPARE(window.runningGenerations(), 1);

    GalleryModel* grid = window.galleryModel();
    QTRY_COMPARE_WITH_TIMEOUT(grid->rowCount(), 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(window.runningGenerations(), 0, 30000);
    const LibraryRecord shown = grid->record(0);
    QVERIFY(QFileInfo(shown.filePath).isFile());
    QVERIFY(shown.filePath.startsWith(m_app->library.rootDir()));
    QCOMPARE(shown.prompt, QStringLiteral("a red fox in the snow"));
    QCOMPARE(m_app->library.count(), 1);
    const QList<LibraryRecord> rows = m_app->library.recent(1);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().id, shown.id);
    QCOMPARE(rows.first().filePath, shown.filePath);
    // The catalog price is recorded with the image (the sandbox lists gpt-image-1.5 at 1 credit per image).
    QVERIFY(rows.first().credits.has_value());
    QCOMPARE(*rows.first().credits, 1.0);
    // The thumbnail arrives off the UI thread, then replaces the placeholder.
    QTRY_COMPARE_WITH_TIMEOUT(grid->data(grid->index(0), GalleryModel::ThumbnailStateRole).toInt(),
                              int(GalleryModel::ThumbnailState::Ready), 10000);
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("Saved")));
    // The model choice is remembered for the next start.
    QCOMPARE(shown.model, QStringLiteral("gpt-image-1.5"));
    QCOMPARE(m_app->settings.value(Settings::Key::LastModel).toString(), QStringLiteral("gpt-image-1.5"));
}

void tst_MainWindow::insufficientCreditsShowsMessageAndSavesNothing()
{
    AppServices s = services();
    s.enableSandbox();
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForModels(window);

    SandboxFault fault;
    fault.kind = SandboxFault::Kind::Status;
    fault.status = 402;
    fault.pathPrefix = QStringLiteral("/v1/images/generations");
    m_sandbox.addFault(fault);

    auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
    QVERIFY(prompt);
    QTest::keyClicks(prompt, QStringLiteral("an expensive picture"));
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("generateButton")), Qt::LeftButton);
    QCOMPARE(window.runningGenerations(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(window.runningGenerations(), 0, 30000);

    ApiError expected = ApiError::make(ApiError::Kind::InsufficientCredits);
    QVERIFY2(window.statusBar()->currentMessage().contains(expected.userMessage()),
             qPrintable(window.statusBar()->currentMessage()));
    QCOMPARE(window.galleryModel()->rowCount(), 0);
    QCOMPARE(m_app->library.count(), 0);
    QVERIFY(QDir(m_app->library.rootDir() + QStringLiteral("/images"))
                .entryList(QDir::Files | QDir::NoDotAndDotDot)
                .isEmpty());
}

void tst_MainWindow::firstRunTryWithoutKeyUsesSandbox()
{
    AppServices s = services();
    s.session->start(); // a fresh keyring: no key for this account
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(s.session->state(), AccountSession::State::NoKey, 15000);

    ApiKeyDialog* dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = window.findChild<ApiKeyDialog*>(QStringLiteral("apiKeyDialog"))) != nullptr
                                 && dialog->isVisible(),
                             5000);
    auto* key = dialog->findChild<QLineEdit*>(QStringLiteral("keyEdit"));
    QVERIFY(key);
    QCOMPARE(key->echoMode(), QLineEdit::Password);
    QVERIFY(!dialog->findChild<QPushButton*>(QStringLiteral("saveButton"))->isEnabled());
    QVERIFY(!dialog->findChild<QWidget*>(QStringLiteral("keychainProblemFrame"))->isVisible());

    auto* sandbox = dialog->findChild<QPushButton*>(QStringLiteral("sandboxButton"));
    QVERIFY(sandbox);
    QTest::mouseClick(sandbox, Qt::LeftButton);
    QCOMPARE(m_sandboxStarts, 1);
    QCOMPARE(s.session->state(), AccountSession::State::Sandbox);
    QTRY_VERIFY(window.findChild<ApiKeyDialog*>(QStringLiteral("apiKeyDialog")) == nullptr); // closed and deleted
    waitForModels(window);
    auto* indicator = window.findChild<QLabel*>(QStringLiteral("connectionIndicator"));
    QVERIFY(indicator);
    QVERIFY(indicator->text().contains(QStringLiteral("Sandbox")));
    // Nothing about the sandbox is persisted as if it were a key.
    QCOMPARE(m_app->settings.value(Settings::Key::KeyStored).toBool(), false);
}

void tst_MainWindow::cancelStopsARunningGeneration()
{
    AppServices s = services();
    s.enableSandbox();
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForModels(window);

    SandboxFault slow;
    slow.kind = SandboxFault::Kind::Latency;
    slow.latencyMs = 20000;
    slow.pathPrefix = QStringLiteral("/v1/images/generations");
    m_sandbox.addFault(slow);

    auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
    QTest::keyClicks(prompt, QStringLiteral("never mind"));
    QTest::keyClick(prompt, Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier); // the keypad Enter too
    QCOMPARE(window.runningGenerations(), 1);
    auto* progress = window.findChild<QProgressBar*>(QStringLiteral("progressBar"));
    auto* cancel = window.findChild<QPushButton*>(QStringLiteral("cancelButton"));
    QVERIFY(progress && cancel);
    QVERIFY(progress->isVisible());
    QVERIFY(cancel->isVisible());

    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(window.runningGenerations(), 0, 10000); // well before the 20 s latency
    QVERIFY(!progress->isVisible());
    QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Generation cancelled."));
    QCOMPARE(window.galleryModel()->rowCount(), 0);
    QCOMPARE(m_app->library.count(), 0);
}

void tst_MainWindow::windowGeometryIsRemembered()
{
    AppServices s = services();
    s.enableSandbox();
    {
        MainWindow window(s);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(900, 640);
        QTRY_COMPARE(window.size(), QSize(900, 640));
        QVERIFY(window.close());
    }
    QVERIFY(!m_app->settings.value(Settings::Key::MainWindowGeometry).toByteArray().isEmpty());
    MainWindow again(s);
    QCOMPARE(again.size(), QSize(900, 640));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"
