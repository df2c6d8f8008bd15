#include "MainWindow.h"
#include "accounts/AccountRegistry.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"
#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"
#include "generation/GenerationQueue.h"
#include "generation/TaskStore.h"
#include "library/GalleryModel.h"
#include "library/Library.h"
#include "net/NetworkAccess.h"
#include "prompt/ModelPicker.h"
#include "prompt/PromptPanel.h"
#include "sandbox/SandboxServer.h"
#include "settings/ApiKeyDialog.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"
#include "usage/UsageAdvice.h"
#include "usage/UsageDialog.h"

#include "TestApp.h"
#include "TestEnv.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

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
    void usageIsRecordedAndCapsRefuseBeforeSending();
    void switchAccountMenuSwitchesInOneClick();
    void insufficientCreditsShowsMessageAndSavesNothing();
    void firstRunTryWithoutKeyUsesSandbox();
    void cancelStopsARunningGeneration();
    void windowGeometryIsRemembered();
    void impossibleRequestIsRefusedAndNothingSent();
    void balanceIsShownAndFollowsGenerations();
    void serverWithoutBalanceShowsNone();
    void backgroundTaskLandsInGridThroughTheQueue();
    void backgroundTaskIsResumedAtNextStart();
    void failedTaskCanBeRetriedAfterConfirmation();

private:
    AppServices services();
    void waitForModels(MainWindow& window);
    static void startAsync(MainWindow& window, const QString& prompt);

    SandboxServer m_sandbox;
    std::unique_ptr<TestApp> m_app;
    int m_sandboxStarts = 0;
};

void tst_MainWindow::initTestCase()
{
    TestEnv::init();
    AppIdentity::installTranslators(*QCoreApplication::instance());
    QVERIFY(m_sandbox.listen());
}

void tst_MainWindow::init()
{
    m_sandbox.clearFaults();
    m_sandbox.clearRequests();
    m_sandbox.setBalance(1000);
    m_app = std::make_unique<TestApp>();
    QVERIFY(m_app->dir.isValid());
    QVERIFY(m_app->library.open().ok());
    QVERIFY(m_app->tasks.open().ok());
    m_sandbox.setTaskTimings(100, 300);
    m_app->settings.setValue(Settings::Key::AccountId, QString::fromLatin1(QTest::currentTestFunction()));
    m_sandboxStarts = 0;
}

void tst_MainWindow::cleanup()
{
    m_app.reset();
}

AppServices tst_MainWindow::services()
{
    TestApp* app = m_app.get();
    AppServices services = app->services();
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
    // The thumbnail is decoded when a view paints the tile (the window is not shown here: ask as a paint would), off
    // the UI thread, then replaces the placeholder.
    grid->data(grid->index(0), Qt::DecorationRole);
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
    // What to do about it, once, with a way to the usage window.
    QTRY_VERIFY(window.findChild<QMessageBox*>(QStringLiteral("creditsAdviceMessage")));
    auto* advice = window.findChild<QMessageBox*>(QStringLiteral("creditsAdviceMessage"));
    QCOMPARE(advice->text(), UsageAdvice::forError(expected, m_sandbox.baseUrl())->text);
    advice->close();
    // The refused request is in the ledger, at no cost.
    QTRY_COMPARE(m_app->ledger.spentSince(std::nullopt, QDateTime::fromSecsSinceEpoch(0)), 0.0);
}

void tst_MainWindow::switchAccountMenuSwitchesInOneClick()
{
    MainWindow window(services());
    AccountRegistry* accounts = m_app->session.accounts();
    const auto studio =
        accounts->add(QStringLiteral("Studio"), QUrl(QStringLiteral("https://studio.example")), Account::Kind::Pixapi);
    QVERIFY(studio.ok());
    const QString before = accounts->current()->id;
    auto* menu = window.findChild<QMenu*>(QStringLiteral("menuSwitchAccount"));
    QVERIFY(menu);
    Q_EMIT menu->aboutToShow();
    auto* other = menu->findChild<QAction*>(QStringLiteral("switchTo_") + studio.value().id);
    QVERIFY(other);
    QVERIFY(!other->isChecked());
    QVERIFY(menu->findChild<QAction*>(QStringLiteral("switchTo_") + before)->isChecked());
    other->trigger();
    QCOMPARE(accounts->current()->id, studio.value().id);
    Q_EMIT menu->aboutToShow(); // rebuilt: the check follows
    QVERIFY(menu->findChild<QAction*>(QStringLiteral("switchTo_") + studio.value().id)->isChecked());
}

void tst_MainWindow::usageIsRecordedAndCapsRefuseBeforeSending()
{
    AppServices s = services();
    s.enableSandbox();
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForModels(window);
    auto* panel = window.findChild<PromptPanel*>(QStringLiteral("promptPanel"));
    QVERIFY(panel->modelPicker()->selectModel(QStringLiteral("gpt-image-1.5"))); // 1 credit an image
    auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
    QTest::keyClicks(prompt, QStringLiteral("a ledger entry"));
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("generateButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 1, 30000);
    const QDateTime epoch = QDateTime::fromSecsSinceEpoch(0);
    QTRY_COMPARE(m_app->ledger.spentSince(std::nullopt, epoch), 1.0);

    // Settings → Usage & Credits… shows it.
    window.findChild<QAction*>(QStringLiteral("actionUsage"))->trigger();
    UsageDialog* usage = window.usageDialog();
    QVERIFY(usage);
    QTRY_VERIFY_WITH_TIMEOUT(usage->isLoaded(), 10000);
    QTRY_COMPARE(usage->findChild<QLabel*>(QStringLiteral("spendToday"))->text(), QStringLiteral("1 credit"));

    // A per-run cap below the next run's price refuses it before anything is sent.
    m_app->settings.setValue(Settings::Key::UsagePerRunCap, 0.5);
    const int posts = m_sandbox.postCount();
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("generateButton")), Qt::LeftButton);
    auto* refused = window.findChild<QMessageBox*>(QStringLiteral("spendingLimitMessage"));
    QVERIFY(refused);
    QVERIFY2(refused->text().contains(QStringLiteral("Usage")), qPrintable(refused->text()));
    refused->close();
    QCOMPARE(window.runningGenerations(), 0);
    QTest::qWait(100);
    QCOMPARE(m_sandbox.postCount(), posts);
    QCOMPARE(m_app->ledger.spentSince(std::nullopt, epoch), 1.0);
    // A daily cap counts what was spent today: 1 + 1 > 1.5.
    m_app->settings.setValue(Settings::Key::UsagePerRunCap, 0.0);
    m_app->settings.setValue(Settings::Key::UsageDailyCap, 1.5);
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("generateButton")), Qt::LeftButton);
    QTRY_VERIFY(window.findChild<QMessageBox*>(QStringLiteral("spendingLimitMessage")));
    QCOMPARE(m_sandbox.postCount(), posts);
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

void tst_MainWindow::impossibleRequestIsRefusedAndNothingSent()
{
    AppServices s = services();
    s.enableSandbox();
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForModels(window);
    auto* panel = window.findChild<PromptPanel*>(QStringLiteral("promptPanel"));
    QVERIFY(panel && panel->modelPicker()->selectModel(QStringLiteral("gpt-image-2")));
    QTest::keyClicks(window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit")), QStringLiteral("a tiny map"));
    window.findChild<QComboBox*>(QStringLiteral("sizeCombo"))->setEditText(QStringLiteral("123x45"));
    // Models and balance have been answered: nothing else is due unless a generation starts.
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QLabel*>(QStringLiteral("balanceLabel"))->isVisible(), 10000);
    const int before = int(m_sandbox.requests().size());

    auto* refusal = window.findChild<QLabel*>(QStringLiteral("refusalLabel"));
    QVERIFY(refusal && refusal->isVisible());
    QVERIFY2(refusal->text().contains(QStringLiteral("123x45")), qPrintable(refusal->text()));
    QTest::keyClick(window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit")), Qt::Key_Return,
                    Qt::ControlModifier);
    window.generate(); // the window refuses it as well, whoever asks
    QCOMPARE(window.runningGenerations(), 0);
    for (const SandboxRequestRecord& request : m_sandbox.requests())
        QVERIFY2(!request.path.contains(QStringLiteral("images")), qPrintable(request.path));
    QCOMPARE(int(m_sandbox.requests().size()), before);
}

void tst_MainWindow::balanceIsShownAndFollowsGenerations()
{
    m_sandbox.setBalance(100);
    AppServices s = services();
    s.enableSandbox();
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForModels(window);
    auto* balance = window.findChild<QLabel*>(QStringLiteral("balanceLabel"));
    QVERIFY(balance);
    QTRY_COMPARE_WITH_TIMEOUT(balance->text(), QStringLiteral("Balance: 100 credits"), 10000);
    QVERIFY(balance->isVisible());

    auto* panel = window.findChild<PromptPanel*>(QStringLiteral("promptPanel"));
    QVERIFY(panel->modelPicker()->selectModel(QStringLiteral("gpt-image-1.5")));
    window.findChild<QSpinBox*>(QStringLiteral("countSpin"))->setValue(2);
    QTest::keyClicks(window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit")), QStringLiteral("two boats"));
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("generateButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 2, 30000);
    // After the generation the balance is asked again: 2 images × 1 credit.
    QTRY_COMPARE_WITH_TIMEOUT(balance->text(), QStringLiteral("Balance: 98 credits"), 10000);
}

void tst_MainWindow::serverWithoutBalanceShowsNone()
{
    SandboxFault missing;
    missing.kind = SandboxFault::Kind::Status;
    missing.status = 404;
    missing.pathPrefix = QStringLiteral("/v1/balance");
    m_sandbox.addFault(missing);
    AppServices s = services();
    s.enableSandbox();
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForModels(window);
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            for (const SandboxRequestRecord& request : m_sandbox.requests()) {
                if (request.path == QLatin1String("/v1/balance"))
                    return true;
            }
            return false;
        }(),
        10000);
    auto* balance = window.findChild<QLabel*>(QStringLiteral("balanceLabel"));
    QTRY_VERIFY(!balance->isVisible());
    QVERIFY(
        window.findChild<QLabel*>(QStringLiteral("costLabel"))->text().startsWith(QStringLiteral("Estimated cost")));
}

void tst_MainWindow::startAsync(MainWindow& window, const QString& prompt)
{
    AsyncGenerationJob::PollPolicy fast;
    fast.initialMs = 100;
    fast.maxMs = 300;
    window.generationQueue()->setPollPolicy(fast);
    auto* panel = window.findChild<PromptPanel*>(QStringLiteral("promptPanel"));
    QVERIFY(panel->modelPicker()->selectModel(QStringLiteral("gpt-image-1.5")));
    auto* async = window.findChild<QCheckBox*>(QStringLiteral("asyncCheck"));
    QVERIFY(async);
    async->setChecked(true);
    QTest::keyClicks(window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit")), prompt);
    QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("generateButton")), Qt::LeftButton);
    QCOMPARE(window.runningGenerations(), 1);
}

void tst_MainWindow::backgroundTaskLandsInGridThroughTheQueue()
{
    AppServices s = services();
    s.enableSandbox();
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForModels(window);
    auto* queuePanel = window.findChild<QWidget*>(QStringLiteral("queuePanel"));
    QVERIFY(queuePanel);
    QVERIFY(!queuePanel->isVisible()); // nothing generated yet

    startAsync(window, QStringLiteral("a slow sunrise"));
    QVERIFY(queuePanel->isVisible());
    GenerationQueueModel* queue = window.generationQueue()->model();
    QCOMPARE(queue->rowCount(), 1);
    QVERIFY(queue->at(0).async);

    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 1, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(queue->at(0).state, QueueEntry::State::Completed, 10000);
    QCOMPARE(window.runningGenerations(), 0);
    QVERIFY(queue->at(0).taskId.startsWith(QStringLiteral("task")));
    QCOMPARE(window.galleryModel()->record(0).prompt, QStringLiteral("a slow sunrise"));
    auto* list = queuePanel->findChild<QListView*>(QStringLiteral("queueList"));
    QVERIFY(list);
    QCOMPARE(list->model()->rowCount(), 1);
    bool sawSubmit = false;
    for (const SandboxRequestRecord& request : m_sandbox.requests()) {
        sawSubmit = sawSubmit || request.path == QLatin1String("/v1/async/images/generations");
        QVERIFY(request.path != QLatin1String("/v1/images/generations")); // never the sync endpoint
    }
    QVERIFY(sawSubmit);
    QVERIFY(!queuePanel->findChild<QToolButton*>(QStringLiteral("queueCancelButton"))->isEnabled());
    QVERIFY(!queuePanel->findChild<QToolButton*>(QStringLiteral("queueRetryButton"))->isEnabled());
}

void tst_MainWindow::backgroundTaskIsResumedAtNextStart()
{
    m_sandbox.setTaskTimings(100, 2500);
    AppServices s = services();
    s.enableSandbox();
    {
        MainWindow first(s);
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        waitForModels(first);
        startAsync(first, QStringLiteral("left running"));
        GenerationQueueModel* queue = first.generationQueue()->model();
        QTRY_VERIFY_WITH_TIMEOUT(!queue->at(0).taskId.isEmpty(), 10000);
        QCOMPARE(first.galleryModel()->rowCount(), 0);
    } // the app goes away while the task runs on the server
    QCOMPARE(m_app->tasks.pending().size(), 1);

    MainWindow second(s);
    second.show();
    QVERIFY(QTest::qWaitForWindowExposed(&second));
    QCOMPARE(second.generationQueue()->model()->rowCount(), 1); // resumed once the session was connected
    QTRY_COMPARE_WITH_TIMEOUT(second.galleryModel()->rowCount(), 1, 30000);
    QCOMPARE(second.galleryModel()->record(0).prompt, QStringLiteral("left running"));
    QTRY_VERIFY(m_app->tasks.pending().isEmpty());
}

void tst_MainWindow::failedTaskCanBeRetriedAfterConfirmation()
{
    AppServices s = services();
    s.enableSandbox();
    MainWindow window(s);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    waitForModels(window);
    startAsync(window, QStringLiteral("[sandbox:fail] a broken one"));
    GenerationQueueModel* queue = window.generationQueue()->model();
    QTRY_COMPARE_WITH_TIMEOUT(queue->at(0).state, QueueEntry::State::Failed, 30000);
    QVERIFY(!queue->at(0).errorText.isEmpty());

    auto* panel = window.findChild<QWidget*>(QStringLiteral("queuePanel"));
    auto* retry = panel->findChild<QToolButton*>(QStringLiteral("queueRetryButton"));
    QVERIFY(retry->isEnabled());
    const auto submits = [this] {
        const QList<SandboxRequestRecord> requests = m_sandbox.requests();
        return std::count_if(requests.cbegin(), requests.cend(), [](const SandboxRequestRecord& r) {
            return r.path == QLatin1String("/v1/async/images/generations");
        });
    };
    const auto submitsBefore = submits();
    QTest::mouseClick(retry, Qt::LeftButton);
    QMessageBox* confirm = nullptr;
    QTRY_VERIFY((confirm = panel->findChild<QMessageBox*>(QStringLiteral("retryConfirmation"))) != nullptr);
    QVERIFY(confirm->text().contains(QStringLiteral("may be charged again")));
    QCOMPARE(queue->rowCount(), 1); // nothing sent before the answer
    QTest::mouseClick(confirm->findChild<QPushButton*>(QStringLiteral("retrySendButton")), Qt::LeftButton);
    QCOMPARE(queue->rowCount(), 2);
    QCOMPARE(queue->at(1).params.prompt, queue->at(0).params.prompt);
    QTRY_COMPARE_WITH_TIMEOUT(queue->at(1).state, QueueEntry::State::Failed, 30000); // the marker fails it again
    const auto submitsAfter = submits();
    QCOMPARE(submitsAfter, submitsBefore + 1);
}

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"
