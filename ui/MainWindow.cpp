#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "accounts/AccountRegistry.h"
#include "api/PixapiClient.h"
#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"
#include "common/ConnectionIndicator.h"
#include "common/ImageClipboard.h"
#include "common/IntegrityNotice.h"
#include "common/TextLook.h"
#include "compare/BoardStore.h"
#include "compare/CompareSetupDialog.h"
#include "compare/ComparisonBoardView.h"
#include "compare/ComparisonRun.h"
#include "compare/MatrixBatch.h"
#include "compare/SavedBoardsDialog.h"
#include "dialogs/ExportDialog.h"
#include "dialogs/IntegrityDialog.h"
#include "edit/EditCapability.h"
#include "edit/EditSubmission.h"
#include "edit/InputImporter.h"
#include "gallery/GalleryView.h"
#include "gallery/LibraryBrowser.h"
#include "gallery/LibraryEdits.h"
#include "generation/GenerationQueue.h"
#include "generation/QueueRequest.h"
#include "generation/ReuseParams.h"
#include "library/GalleryModel.h"
#include "library/Library.h"
#include "prompt/PromptPanel.h"
#include "queue/QueuePanel.h"
#include "settings/AccountsDialog.h"
#include "settings/ApiKeyDialog.h"
#include "settings/Settings.h"
#include "support/Logging.h"
#include "usage/BalanceService.h"
#include "usage/SpendGuard.h"
#include "usage/UsageAdvice.h"
#include "usage/UsageDialog.h"
#include "usage/UsageLedger.h"
#include "usage/UsageRecorder.h"
#include "viewer/ImageViewer.h"

#include <QActionGroup>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace Pixapi {

namespace {
constexpr int InfoTimeoutMs = 8000;
constexpr int IntegrityCheckDelayMs = 3000;
constexpr int PromptPanelWidth = 400;
} // namespace

MainWindow::MainWindow(AppServices services, QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_services(std::move(services))
    , m_gallery(new GalleryModel(this))
    , m_indicator(new ConnectionIndicator(m_services.session, m_services.client, this))
    , m_queue(new GenerationQueue(m_services.client, m_services.library, m_services.tasks, this))
    , m_queuePanel(new QueuePanel(m_queue, this))
    , m_resultsStack(new QStackedWidget(this))
    , m_integrityNotice(new IntegrityNotice(this))
    , m_clipboard(new ImageClipboard(this))
    , m_inputImporter(new InputImporter(m_services.library, this))
    , m_editSubmission(new EditSubmission(this))
    , m_undoTrashButton(new QPushButton(tr("Undo"), this))
    , m_balance(new BalanceService(m_services.client, m_services.settings, m_services.ledger, this))
{
    m_ui->setupUi(this);
    if (m_services.ledger)
        m_recorder = new UsageRecorder(m_queue, m_services.ledger, this);
    TextLook::setWeight(m_ui->resultsTitleLabel, QFont::DemiBold, 13);
    m_ui->galleryView->setModel(m_gallery); // tile size and thumbnail edge: the browser, from the settings
    m_browser = new LibraryBrowser(m_services.library, m_gallery, m_ui->galleryView, this, m_services.settings);
    m_browser->setObjectName(QStringLiteral("libraryBrowser"));
    m_ui->resultsHeaderLayout->insertWidget(m_ui->resultsHeaderLayout->indexOf(m_ui->openLibraryButton), m_browser);
    // The first page of the library is read on a worker while the rest of the window is built.
    m_browser->reload();
    m_prompt = new PromptPanel(m_services.catalog, m_services.settings, this);
    // The grid and the viewer share the space above the queue; the integrity notice sits above both.
    const int gridAt = m_ui->resultsLayout->indexOf(m_ui->galleryView);
    m_ui->resultsLayout->removeWidget(m_ui->galleryView);
    m_resultsStack->setObjectName(QStringLiteral("resultsStack"));
    m_resultsStack->addWidget(m_ui->galleryView);
    m_ui->resultsLayout->insertWidget(gridAt, m_resultsStack, 1);
    m_integrityNotice->setObjectName(QStringLiteral("integrityNotice"));
    m_ui->resultsLayout->insertWidget(gridAt, m_integrityNotice);
    m_ui->resultsLayout->addWidget(m_queuePanel);
    m_prompt->setObjectName(QStringLiteral("promptPanel"));
    m_ui->mainSplitter->insertWidget(0, m_prompt);
    m_ui->mainSplitter->setStretchFactor(0, 0);
    m_ui->mainSplitter->setStretchFactor(1, 1);
    m_ui->mainSplitter->setSizes({PromptPanelWidth, width() - PromptPanelWidth});

    m_ui->actionQuit->setShortcut(QKeySequence::Quit);
    m_ui->actionRefreshModels->setShortcut(QKeySequence::Refresh);
    m_ui->actionRefreshModels->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_ui->actionRefreshModels->setEnabled(false);
    m_prompt->setRefreshAction(m_ui->actionRefreshModels);
    m_ui->openLibraryButton->setDefaultAction(m_ui->actionOpenLibraryFolder);

    m_undoTrashButton->setObjectName(QStringLiteral("undoTrashButton"));
    m_undoTrashButton->setFlat(true);
    m_undoTrashButton->hide();
    // Permanent widgets stay visible next to a temporary message; the button leaves with its message.
    statusBar()->addPermanentWidget(m_undoTrashButton);
    statusBar()->addPermanentWidget(m_indicator);

    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionRefreshModels, &QAction::triggered, this, &MainWindow::refreshModels);
    connect(m_ui->actionApiKey, &QAction::triggered, this, &MainWindow::showApiKeyDialog);
    m_ui->actionAccounts->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    connect(m_ui->actionAccounts, &QAction::triggered, this, &MainWindow::showAccounts);
    // One click to another account: the list is read each time the menu opens, so it is never stale.
    connect(m_ui->menuSwitchAccount, &QMenu::aboutToShow, this, &MainWindow::fillSwitchAccountMenu);
    m_ui->actionUsage->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    m_ui->actionUsage->setEnabled(m_services.ledger != nullptr);
    connect(m_ui->actionUsage, &QAction::triggered, this, &MainWindow::showUsage);
    connect(m_balance, &BalanceService::balanceChanged, this, &MainWindow::showBalance);
    if (m_recorder) {
        // What a request cost is off the last known balance at once, and in the usage window.
        connect(m_recorder, &UsageRecorder::recorded, this, [this] {
            showBalance();
            if (m_usage)
                m_usage->refresh();
        });
    }
    m_ui->actionCompareModels->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    connect(m_ui->actionCompareModels, &QAction::triggered, this, [this] { showCompareSetup(); });
    m_ui->actionSavedBoards->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    connect(m_ui->actionSavedBoards, &QAction::triggered, this, &MainWindow::showSavedBoards);
    connect(m_ui->actionOpenLibraryFolder, &QAction::triggered, this, &MainWindow::openLibraryFolder);
    connect(m_indicator, &ConnectionIndicator::clicked, this, &MainWindow::showApiKeyDialog);
    connect(m_prompt, &PromptPanel::generateRequested, this, &MainWindow::generate);
    connect(m_prompt, &PromptPanel::cancelRequested, this, &MainWindow::cancelGenerations);
    connect(m_ui->galleryView, &QAbstractItemView::doubleClicked, this, &MainWindow::openResult);
    connect(m_browser, &LibraryBrowser::openRequested, this, &MainWindow::openResult);
    connect(m_browser, &LibraryBrowser::trashed, this, &MainWindow::onImagesTrashed);
    connect(m_browser, &LibraryBrowser::failed, this, &MainWindow::showError);
    connect(m_browser, &LibraryBrowser::exportRequested, this, &MainWindow::exportImages);
    connect(m_browser, &LibraryBrowser::generateAgainRequested, this, &MainWindow::generateAgain);
    connect(m_browser, &LibraryBrowser::reuseSettingsRequested, m_prompt, &PromptPanel::reuseSettings);
    connect(m_browser, &LibraryBrowser::useAsReferenceRequested, this, &MainWindow::useAsReference);
    connect(m_browser, &LibraryBrowser::copyImageRequested, m_clipboard,
            qOverload<const LibraryRecord&>(&ImageClipboard::copy));
    connect(m_clipboard, &ImageClipboard::copied, this,
            [this] { statusBar()->showMessage(tr("Copied to the clipboard."), InfoTimeoutMs); });
    connect(m_clipboard, &ImageClipboard::failed, this, &MainWindow::showError);
    connect(m_prompt, &PromptPanel::recordsDropped, this, &MainWindow::resolveDroppedRecords);
    connect(m_prompt, &PromptPanel::importFilesRequested, this, &MainWindow::importInputs);
    connect(m_prompt, &PromptPanel::importBytesRequested, m_inputImporter, &InputImporter::importBytes);
    connect(m_inputImporter, &InputImporter::imported, this, [this](const LibraryRecord& record) {
        if (m_prompt->addReference(record))
            statusBar()->showMessage(
                tr("Added “%1” as an input image.").arg(record.params.value(QLatin1String("imported_from")).toString()),
                InfoTimeoutMs);
    });
    connect(m_inputImporter, &InputImporter::failed, this, &MainWindow::showError);
    connect(m_editSubmission, &EditSubmission::refused, this, [this](const QString& message) {
        statusBar()->clearMessage();
        showError(message);
    });
    connect(m_integrityNotice, &IntegrityNotice::reviewRequested, this, &MainWindow::showIntegrityDialog);
    connect(m_undoTrashButton, &QPushButton::clicked, this, [this] {
        m_undoTrashButton->hide();
        statusBar()->clearMessage();
        m_browser->restore(std::exchange(m_lastTrashed, {}));
    });
    connect(statusBar(), &QStatusBar::messageChanged, this, [this](const QString& message) {
        if (message != m_undoMessage)
            m_undoTrashButton->hide();
    });
    connect(m_queue, &GenerationQueue::entryFinished, this,
            [this](quint64, const GenerationOutcome& outcome) { onGenerationFinished(outcome); });
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_queue->model(), signal, this, &MainWindow::updateActivity);
    connect(m_queue->model(), &QAbstractItemModel::dataChanged, this, &MainWindow::updateActivity);

    connect(m_services.session, &AccountSession::stateChanged, this, &MainWindow::onSessionStateChanged);
    connect(m_services.catalog, &ModelCatalog::loadingChanged, this, [this](bool loading) {
        if (loading)
            statusBar()->showMessage(tr("Loading models…"));
    });
    connect(m_services.catalog, &ModelCatalog::modelsChanged, this, [this] {
        const int count = int(m_services.catalog->imageModels().size());
        if (count == 0)
            showError(tr("The server offers no image models."));
        else
            statusBar()->showMessage(tr("%n image model(s) available.", nullptr, count), InfoTimeoutMs);
    });
    connect(m_services.catalog, &ModelCatalog::refreshFailed, this, &MainWindow::onModelsFailed);

    restoreWindowState();
    // Index and files are compared on a worker (sizes only), a few seconds after the start so the first screen of
    // thumbnails does not wait behind 10,000 file checks; a notice appears if they disagree.
    QTimer::singleShot(IntegrityCheckDelayMs, this, [this] {
        if (m_services.library->isOpen())
            m_integrityNotice->checkLibrary(m_services.library->rootDir());
    });
    m_prompt->focusPrompt();
    // The session may have settled before the window existed (e.g. --sandbox).
    onSessionStateChanged(m_services.session->state());
}

MainWindow::~MainWindow()
{
    // Runs are children, deleted after the store: a cell finishing while the window goes must not write to it.
    for (ComparisonRun* run : findChildren<ComparisonRun*>())
        run->setStore(nullptr);
}

void MainWindow::onSessionStateChanged(AccountSession::State state)
{
    const bool connected = state == AccountSession::State::Ready || state == AccountSession::State::Sandbox;
    m_ui->actionRefreshModels->setEnabled(connected);
    switch (state) {
    case AccountSession::State::Ready:
    case AccountSession::State::Sandbox:
        // The sandbox's requests are recorded without an account ("").
        m_balance->setAccountId(state == AccountSession::State::Ready ? m_services.session->accountId() : QString());
        refreshModels();
        refreshBalance();
        if (!m_resumed) {
            // Background tasks of an earlier run continue now that the client has its server and key.
            m_resumed = true;
            if (const int resumed = m_queue->resumePending(); resumed > 0)
                statusBar()->showMessage(tr("Resuming %n background task(s)…", nullptr, resumed), InfoTimeoutMs);
            m_queue->recoverSpooled(); // answers that arrived just before the app stopped
        }
        break;
    case AccountSession::State::NoKey:
    case AccountSession::State::KeychainProblem:
        m_prompt->setBalance(std::nullopt);
        // First run, or a keychain that needs attention: ask once, from the event loop (the window may not be shown).
        if (!m_firstRunHandled) {
            m_firstRunHandled = true;
            QTimer::singleShot(0, this, &MainWindow::showApiKeyDialog);
        }
        if (state == AccountSession::State::KeychainProblem)
            showError(tr("The API key could not be read from the system keychain (details: Settings → API Key…)."));
        break;
    case AccountSession::State::Loading:
        break;
    }
}

void MainWindow::refreshModels()
{
    m_services.catalog->refresh();
}

void MainWindow::refreshBalance()
{
    m_balance->refresh(); // one question at a time; a failure keeps the last known balance
}

void MainWindow::showBalance()
{
    const std::optional<double> balance = m_balance->state().estimatedNow();
    m_prompt->setBalance(balance);
    // Said once when the balance falls below the warning (again after it went back above).
    const bool low = balance && SpendGuard::fromSettings(*m_services.settings).isLow(*balance);
    if (low && !m_warnedLowBalance)
        showError(tr("Low balance: %1 left (Settings → Usage & Credits…).").arg(CostEstimate::creditsText(*balance)));
    m_warnedLowBalance = low;
}

bool MainWindow::spendAllowed(const BoardCost& cost)
{
    const SpendGuard guard = SpendGuard::fromSettings(*m_services.settings);
    const double today =
        m_services.ledger ? m_services.ledger->spentToday(m_balance->accountId(), QDateTime::currentDateTimeUtc()) : 0;
    const std::optional<QString> refusal = guard.refusal(cost.total, cost.known, today);
    if (!refusal)
        return true;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Spending Limit"), *refusal, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("spendingLimitMessage"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    statusBar()->showMessage(*refusal);
    return false;
}

void MainWindow::adviseOnCredits(const ApiError& error)
{
    const std::optional<UsageAdvice> advice = UsageAdvice::forError(error, m_services.client->baseUrl());
    if (!advice || m_creditsAdvice)
        return;
    m_creditsAdvice =
        new QMessageBox(QMessageBox::Warning, tr("Not Enough Credits"), advice->text, QMessageBox::Close, this);
    m_creditsAdvice->setObjectName(QStringLiteral("creditsAdviceMessage"));
    m_creditsAdvice->setAttribute(Qt::WA_DeleteOnClose);
    if (!advice->topUpUrl.isEmpty()) {
        QPushButton* buy = m_creditsAdvice->addButton(tr("&Buy Credits…"), QMessageBox::ActionRole);
        connect(buy, &QPushButton::clicked, this, [url = advice->topUpUrl] { QDesktopServices::openUrl(url); });
    }
    QPushButton* usage = m_creditsAdvice->addButton(tr("&Usage && Credits…"), QMessageBox::ActionRole);
    connect(usage, &QPushButton::clicked, this, &MainWindow::showUsage);
    m_creditsAdvice->open();
}

void MainWindow::fillSwitchAccountMenu()
{
    QMenu* menu = m_ui->menuSwitchAccount;
    menu->clear();
    AccountRegistry* accounts = m_services.session->accounts();
    const std::optional<Account> current = accounts->current();
    auto* group = new QActionGroup(menu);
    for (const Account& account : accounts->accounts()) {
        QAction* action = menu->addAction(account.name);
        action->setObjectName(QStringLiteral("switchTo_") + account.id);
        action->setToolTip(account.baseUrl.toDisplayString());
        action->setCheckable(true);
        action->setChecked(current && current->id == account.id);
        action->setActionGroup(group);
        connect(action, &QAction::triggered, this, [accounts, id = account.id] { accounts->switchTo(id); });
    }
    menu->addSeparator();
    menu->addAction(m_ui->actionAccounts);
}

UsageDialog* MainWindow::usageDialog() const
{
    return m_usage;
}

void MainWindow::showUsage()
{
    if (!m_services.ledger)
        return;
    if (!m_usage) {
        m_usage =
            new UsageDialog(m_services.ledger->filePath(), m_balance, m_services.settings, m_services.catalog, this);
        m_usage->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_usage, &UsageDialog::failed, this, &MainWindow::showError);
        connect(m_usage, &UsageDialog::exported, this, [this](const QString& path, int rows) {
            statusBar()->showMessage(
                tr("%n request(s) exported to %1.", nullptr, rows).arg(QDir::toNativeSeparators(path)), InfoTimeoutMs);
        });
    }
    m_usage->show();
    m_usage->raise();
    m_usage->activateWindow();
}

void MainWindow::onModelsFailed(const ApiError& error)
{
    qCInfo(lcUi) << "model list failed:" << ApiError::kindName(error.kind);
    showError(tr("The models could not be loaded. %1").arg(error.userMessage()));
}

int MainWindow::runningGenerations() const
{
    const QList<QueueEntry>& entries = m_queue->model()->entries();
    return int(std::count_if(entries.cbegin(), entries.cend(), [](const QueueEntry& e) { return !e.isFinished(); }));
}

void MainWindow::generate()
{
    if (!m_prompt->canGenerate())
        return; // the panel shows why (an empty prompt, or what the model cannot take)
    const GenerationParams params = m_prompt->params();
    const bool async = m_prompt->runAsync();
    const QList<qint64> sources = m_prompt->sourceIds();
    if (!m_prompt->isEdit()) {
        enqueue(params, async, sources);
        return;
    }
    // The input files are read, checked and (if the user agrees) downscaled on a worker before anything is sent.
    statusBar()->showMessage(tr("Preparing the input images…"));
    m_editSubmission->prepare(m_prompt->editRequest(), [this, params, async, sources](const EditInputs& inputs) {
        enqueue(params, async, sources, inputs);
    });
}

void MainWindow::importInputs(const QStringList& paths)
{
    for (const QString& path : paths)
        m_inputImporter->importFile(path);
}

void MainWindow::generateAgain(const LibraryRecord& record)
{
    const GenerationParams params = ReuseParams::paramsFromRecord(record);
    const auto model = m_services.catalog->find(params.model);
    if (!model) {
        showError(
            tr("“%1” is not in the model list of this server; the image cannot be generated again.").arg(params.model));
        return;
    }
    enqueue(params, model->asyncOnly || m_prompt->runAsync(), {record.id});
}

void MainWindow::enqueue(const GenerationParams& params, bool async, const QList<qint64>& parentIds,
                         const EditInputs& edit)
{
    if (!spendAllowed(BoardCost::estimate(QList<GenerationParams> {params}, *m_services.catalog)))
        return;
    const bool ready = m_services.session->state() == AccountSession::State::Ready;
    GenerationQueue::Request request =
        queueRequestFor(params, m_services.catalog, ready ? m_services.session->accountId() : QString());
    request.async = request.async || async;
    request.parentIds = parentIds;
    request.edit = edit;
    if (edit.isEdit())
        request.source = QStringLiteral("edit");
    m_queue->enqueue(request);
    if (edit.isEdit())
        statusBar()->showMessage(
            tr("Editing with %1: %n input image(s)…", nullptr, int(edit.images.size())).arg(request.params.model));
    else
        statusBar()->showMessage(
            request.async ? tr("Sending %n image(s) with %1 as a background task…", nullptr, request.params.n)
                                .arg(request.params.model)
                          : tr("Generating %n image(s) with %1…", nullptr, request.params.n).arg(request.params.model));
    updateActivity();
}

void MainWindow::cancelGenerations()
{
    for (const QueueEntry& entry : m_queue->model()->entries()) {
        if (!entry.isFinished())
            m_queue->cancel(entry.id);
    }
}

void MainWindow::onGenerationFinished(const GenerationOutcome& outcome)
{
    updateActivity();
    refreshBalance();
    if (outcome.complete()) {
        statusBar()->showMessage(tr("Saved %n image(s) to the library.", nullptr, int(outcome.saved.size())),
                                 InfoTimeoutMs);
        return;
    }
    if (!outcome.error) {
        showError(tr("The server returned no images."));
        return;
    }
    const ApiError& error = *outcome.error;
    qCInfo(lcUi) << "generation ended with" << ApiError::kindName(error.kind);
    adviseOnCredits(error); // a 402: what to do about it
    if (error.kind == ApiError::Kind::Cancelled) {
        statusBar()->showMessage(tr("Generation cancelled."), InfoTimeoutMs);
        return;
    }
    QString message = error.userMessage();
    if (!outcome.saved.isEmpty())
        message =
            tr("Saved %1 of %2 images.").arg(outcome.saved.size()).arg(outcome.expected) + QLatin1Char(' ') + message;
    if (!error.requestId.isEmpty())
        message += QLatin1Char(' ') + tr("(Request ID: %1)").arg(error.requestId);
    showError(message);
}

void MainWindow::updateActivity()
{
    const int running = runningGenerations();
    m_prompt->setRunningCount(running);
    if (running > 1) {
        m_prompt->setActivityText(tr("%n generation(s) running…", nullptr, running));
        return;
    }
    for (const QueueEntry& entry : m_queue->model()->entries()) {
        if (!entry.isFinished())
            m_prompt->setActivityText(entry.stage.isEmpty() ? tr("Generating…") : entry.stage);
    }
}

void MainWindow::onImagesTrashed(const QList<qint64>& ids)
{
    m_lastTrashed = ids;
    m_undoMessage = tr("Moved %n image(s) to the trash.", nullptr, int(ids.size()));
    statusBar()->showMessage(m_undoMessage, InfoTimeoutMs);
    m_undoTrashButton->show();
}

void MainWindow::showApiKeyDialog()
{
    if (m_keyDialog) {
        m_keyDialog->raise();
        m_keyDialog->activateWindow();
        return;
    }
    auto* dialog = new ApiKeyDialog(m_services.session, QUrl(m_services.settings->baseUrl()), this);
    dialog->setObjectName(QStringLiteral("apiKeyDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_keyDialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog] { onKeyDialogFinished(dialog); });
    dialog->open();
}

void MainWindow::showAccounts()
{
    if (!m_accountsDialog) {
        m_accountsDialog = new AccountsDialog(m_services.session->accounts(), m_services.proxy, this);
        m_accountsDialog->setObjectName(QStringLiteral("accountsDialog"));
        m_accountsDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_accountsDialog->show();
    m_accountsDialog->raise();
    m_accountsDialog->activateWindow();
}

AccountsDialog* MainWindow::accountsDialog() const
{
    return m_accountsDialog;
}

void MainWindow::onKeyDialogFinished(ApiKeyDialog* dialog)
{
    switch (dialog->choice()) {
    case ApiKeyDialog::Choice::Sandbox:
        if (!m_services.enableSandbox || !m_services.enableSandbox())
            showError(tr("The sandbox server could not be started."));
        break;
    case ApiKeyDialog::Choice::KeyReady:
        statusBar()->showMessage(tr("The API key is in the system keychain."), InfoTimeoutMs);
        break;
    case ApiKeyDialog::Choice::None:
        break;
    }
}

void MainWindow::showCompareSetup(const std::optional<BoardSpec>& from)
{
    if (m_services.catalog->imageModels().size() < BoardSpec::MinModels) {
        showError(tr("Comparing needs the model list: it has not loaded yet."));
        return;
    }
    auto* dialog = new CompareSetupDialog(m_services.catalog, m_services.settings, m_prompt->params(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (BoardStore* store = boardStore())
        dialog->setWins(store->winsByModel());
    if (from)
        dialog->setSpec(*from);
    dialog->setInputImages(m_prompt->inputCount(), m_prompt->hasMask());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->isBatch()) {
            startBatch(dialog->batchItems());
        } else if (dialog->usesInputImages()) {
            // The same files go to every cell: checked against the strictest of the board's models.
            const BoardSpec spec = dialog->spec();
            EditInputRequest request = m_prompt->editRequest();
            QList<ModelInfo> models;
            for (const QString& id : spec.models) {
                if (const auto model = m_services.catalog->find(id))
                    models << *model;
            }
            request.model = EditCapability::common(models);
            const QList<qint64> inputIds = m_prompt->sourceIds().mid(0, m_prompt->inputCount());
            m_editSubmission->prepare(
                request, [this, spec, inputIds](const EditInputs& inputs) { startBoard(spec, inputs, inputIds); });
        } else {
            startBoard(dialog->spec());
        }
    });
    dialog->open();
}

void MainWindow::startBoard(const BoardSpec& spec, const EditInputs& edit, const QList<qint64>& inputIds)
{
    if (spec.problem() || !spendAllowed(BoardCost::estimate(spec, *m_services.catalog)))
        return;
    auto* run = new ComparisonRun(m_queue, spec, m_services.catalog, this);
    run->setStore(boardStore());
    run->setEditInputs(edit, inputIds);
    if (m_services.session->state() == AccountSession::State::Ready)
        run->setAccountId(m_services.session->accountId());
    showBoardRun(run);
    run->start();
    statusBar()->showMessage(tr("Sending the prompt to %n model(s)…", nullptr, int(spec.models.size())), InfoTimeoutMs);
    updateActivity();
}

void MainWindow::startBatch(const QList<MatrixBatch::Item>& items)
{
    if (items.isEmpty() || !spendAllowed(MatrixBatch::cost(items, *m_services.catalog)))
        return;
    auto* batch = new MatrixBatch(m_queue, m_services.library, items, m_services.catalog, this);
    if (m_services.session->state() == AccountSession::State::Ready)
        batch->setAccountId(m_services.session->accountId());
    // Progress in the status bar (the queue panel shows each request); the images arrive in the gallery.
    connect(batch, &MatrixBatch::progressed, this, [this, batch] {
        statusBar()->showMessage(tr("Batch: %1 of %2 done · %3 · %4 failed")
                                     .arg(batch->finishedCount())
                                     .arg(batch->total())
                                     .arg(tr("%n image(s)", nullptr, batch->imageCount()))
                                     .arg(batch->failedCount()));
    });
    connect(batch, &MatrixBatch::finished, this, [this, batch] {
        statusBar()->showMessage(
            tr("Batch done: %1 (%2 charged), %3 failed. Each image is tagged with its values, e.g. “%4”.")
                .arg(tr("%n image(s)", nullptr, batch->imageCount()),
                     CostEstimate::creditsText(batch->creditsCharged()))
                .arg(batch->failedCount())
                .arg(batch->items().constFirst().tags.value(0)),
            InfoTimeoutMs * 3);
        batch->deleteLater();
    });
    batch->start();
}

ComparisonBoardView* MainWindow::showBoardRun(ComparisonRun* run)
{
    if (!m_board) {
        m_board = new ComparisonBoardView(m_services.catalog, this);
        m_board->setObjectName(QStringLiteral("comparisonBoard"));
        m_board->setStore([this] { return boardStore(); });
        m_resultsStack->addWidget(m_board);
        connect(m_board, &ComparisonBoardView::closed, this, &MainWindow::showGrid);
        connect(m_board, &ComparisonBoardView::failed, this, &MainWindow::showError);
        connect(m_board, &ComparisonBoardView::runAgainRequested, this,
                [this](const BoardSpec& spec) { showCompareSetup(spec); });
        connect(m_board, &ComparisonBoardView::sheetExported, this, [this](const QString& path) {
            statusBar()->showMessage(tr("Contact sheet saved to %1.").arg(QDir::toNativeSeparators(path)),
                                     InfoTimeoutMs);
        });
    }
    // A board replaced while it still runs goes on (its images land in the library) and is deleted when done.
    if (ComparisonRun* previous = m_board->run()) {
        if (previous->isFinished())
            previous->deleteLater();
        else
            connect(previous, &ComparisonRun::finished, previous, &QObject::deleteLater);
    }
    m_board->setRun(run);
    m_resultsStack->setCurrentWidget(m_board);
    m_ui->resultsHeader->hide();
    return m_board;
}

void MainWindow::showSavedBoards()
{
    if (!m_services.library->isOpen()) {
        showError(tr("The library is not open."));
        return;
    }
    auto* dialog = new SavedBoardsDialog(
        m_services.library->rootDir(), m_services.catalog, [this] { return boardStore(); }, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SavedBoardsDialog::openRequested, this, &MainWindow::openSavedBoard);
    connect(dialog, &SavedBoardsDialog::runAgainRequested, this,
            [this](const BoardSpec& spec) { showCompareSetup(spec); });
    connect(dialog, &SavedBoardsDialog::failed, this, &MainWindow::showError);
    dialog->open();
}

bool MainWindow::openSavedBoard(qint64 boardId)
{
    BoardStore* store = boardStore();
    const auto saved = store ? store->load(boardId)
                             : Result<SavedBoard, ApiError>::failure(
                                 ApiError::make(ApiError::Kind::StorageError, QStringLiteral("no board store")));
    if (!saved) {
        showError(tr("The board could not be opened: %1").arg(saved.error().userMessage()));
        return false;
    }
    auto* run = new ComparisonRun(saved.value(), this);
    showBoardRun(run)->setVerdict(saved.value().winner, saved.value().note);
    return true;
}

BoardStore* MainWindow::boardStore()
{
    if (!m_boards && m_services.library->isOpen()) {
        auto store = std::make_unique<BoardStore>(m_services.library->rootDir());
        if (const auto opened = store->open(); opened)
            m_boards = std::move(store);
        else
            qCWarning(lcUi) << "boards cannot be saved:" << opened.error().detail;
    }
    return m_boards.get();
}

ImageViewer* MainWindow::imageViewer()
{
    if (m_viewer)
        return m_viewer;
    // Made on first use: most starts never open an image, and the window shows sooner without it.
    m_viewer = new ImageViewer(m_services.library, m_gallery, m_services.settings, this);
    m_viewer->setObjectName(QStringLiteral("imageViewer"));
    m_resultsStack->addWidget(m_viewer);
    connect(m_viewer, &ImageViewer::closed, this, &MainWindow::showGrid);
    connect(m_viewer, &ImageViewer::failed, this, &MainWindow::showError);
    connect(m_viewer, &ImageViewer::trashRequested, this, &MainWindow::trashImages);
    connect(m_viewer, &ImageViewer::exportRequested, this, &MainWindow::exportImages);
    connect(m_viewer, &ImageViewer::generateAgainRequested, this, &MainWindow::generateAgain);
    connect(m_viewer, &ImageViewer::reuseSettingsRequested, m_prompt, &PromptPanel::reuseSettings);
    connect(m_viewer, &ImageViewer::useAsReferenceRequested, this, &MainWindow::useAsReference);
    connect(m_viewer, &ImageViewer::copyImageRequested, m_clipboard,
            qOverload<const LibraryRecord&>(&ImageClipboard::copy));
    return m_viewer;
}

void MainWindow::useAsReference(const LibraryRecord& record)
{
    // The grid's thumbnail when it has one: no second decode.
    const int row = m_gallery->rowOfId(record.id);
    const QModelIndex index = m_gallery->index(row);
    const bool ready =
        row >= 0 && index.data(GalleryModel::ThumbnailStateRole).toInt() == int(GalleryModel::ThumbnailState::Ready);
    m_prompt->addReference(record, ready ? index.data(Qt::DecorationRole).value<QImage>() : QImage());
}

void MainWindow::openResult(const QModelIndex& index)
{
    if (!index.isValid() || index.data(GalleryModel::IsHeaderRole).toBool())
        return;
    // The page first: the viewer takes the keyboard focus only when it is visible.
    ImageViewer* viewer = imageViewer();
    m_resultsStack->setCurrentWidget(viewer);
    m_ui->resultsHeader->hide(); // the filters act on the grid
    viewer->showRow(index.row());
}

void MainWindow::showGrid()
{
    const qint64 shown = m_viewer ? m_viewer->currentId() : 0;
    m_resultsStack->setCurrentWidget(m_ui->galleryView);
    m_ui->resultsHeader->show();
    // Back where the viewer ended: that tile is current and in sight.
    if (const int row = m_gallery->rowOfId(shown); row >= 0) {
        const QModelIndex index = m_gallery->index(row);
        m_ui->galleryView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
        m_ui->galleryView->scrollTo(index);
    }
    m_ui->galleryView->setFocus();
}

void MainWindow::trashImages(const QList<qint64>& ids)
{
    Library* library = m_services.library;
    editEach(
        this, ids, [library](qint64 id) { return library->trash(id); },
        [this](const QList<qint64>& trashed, const QString& error) {
            m_gallery->removeIds(trashed); // the viewer follows: it shows the next image
            if (!trashed.isEmpty())
                onImagesTrashed(trashed);
            else if (!error.isEmpty())
                showError(tr("The images could not be moved to the trash. %1").arg(error));
        });
}

void MainWindow::exportImages(const QList<LibraryRecord>& records)
{
    if (records.isEmpty())
        return;
    auto* dialog = new ExportDialog(records, m_services.settings, this);
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showIntegrityDialog()
{
    if (m_integrityDialog) {
        m_integrityDialog->raise();
        m_integrityDialog->activateWindow();
        return;
    }
    auto* dialog = new IntegrityDialog(m_services.library->rootDir(), m_services.library, this);
    dialog->setObjectName(QStringLiteral("integrityDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_integrityDialog = dialog;
    dialog->setTaskStore(m_services.tasks); // closed and reopened with the library around a rebuild
    dialog->setRebuildGuard([this] {
        return runningGenerations() > 0 ? tr("Wait until the running generations have finished.") : QString();
    });
    connect(dialog, &IntegrityDialog::reportChanged, m_integrityNotice, &IntegrityNotice::showReport);
    connect(dialog, &IntegrityDialog::libraryChanged, m_browser, &LibraryBrowser::reload);
    connect(dialog, &IntegrityDialog::libraryRebuilt, m_browser, &LibraryBrowser::reload);
    connect(dialog, &IntegrityDialog::rebuildStarting, this, [this] { m_boards.reset(); }); // reopened when needed
    dialog->open();
}

void MainWindow::resolveDroppedRecords(const QList<qint64>& ids)
{
    // Read in the order dropped; images purged meanwhile are skipped.
    auto pending = std::make_shared<int>(int(ids.size()));
    auto answers = std::make_shared<QHash<qint64, LibraryRecord>>();
    for (const qint64 id : ids) {
        whenFinished(this, m_services.library->record(id),
                     [this, ids, pending, answers](const Result<LibraryRecord, ApiError>& result) {
                         if (result.ok())
                             answers->insert(result.value().id, result.value());
                         if (--*pending > 0)
                             return;
                         QList<LibraryRecord> ordered;
                         for (const qint64 each : ids) {
                             if (answers->contains(each))
                                 ordered << answers->value(each);
                         }
                         if (!ordered.isEmpty())
                             m_prompt->restoreFromRecords(ordered);
                     });
    }
}

void MainWindow::openLibraryFolder()
{
    const QString dir = m_services.library->rootDir();
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(dir)))
        showError(tr("No application could open %1.").arg(dir));
}

void MainWindow::showError(const QString& message)
{
    // Errors stay until the next message: they are often read after coming back to the window.
    statusBar()->showMessage(message);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (const int running = runningGenerations(); running > 0) {
        QMessageBox ask(QMessageBox::Warning, tr("Quit Pixapi Studio?"),
                        tr("%n generation(s) still running. Images the server has already made (and charged for) "
                           "may be lost if you quit now; background tasks continue when you start again.",
                           nullptr, running),
                        QMessageBox::NoButton, this);
        QPushButton* quit = ask.addButton(tr("Quit Anyway"), QMessageBox::DestructiveRole);
        ask.setDefaultButton(ask.addButton(QMessageBox::Cancel));
        ask.exec();
        if (ask.clickedButton() != quit) {
            event->ignore();
            return;
        }
    }
    saveWindowState();
    event->accept();
}

void MainWindow::restoreWindowState()
{
    const QByteArray geometry = m_services.settings->value(Settings::Key::MainWindowGeometry).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry)) {
        // First start: most of the screen, centred; the grid is what people come for.
        const QRect available = screen()->availableGeometry();
        resize(QSize(available.width() * 85 / 100, available.height() * 85 / 100).boundedTo(QSize(1680, 1050)));
        move(available.center() - rect().center());
    }
    restoreState(m_services.settings->value(Settings::Key::MainWindowState).toByteArray());
}

void MainWindow::saveWindowState()
{
    m_services.settings->setValue(Settings::Key::MainWindowGeometry, saveGeometry());
    m_services.settings->setValue(Settings::Key::MainWindowState, saveState());
    m_services.settings->sync();
}

} // namespace Pixapi
