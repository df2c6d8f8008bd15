#pragma once

#include "AppServices.h"
#include "accounts/AccountSession.h"
#include "compare/BoardSpec.h"
#include "compare/MatrixBatch.h"

#include <QList>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class QMessageBox;
class QPushButton;
class QStackedWidget;

namespace Ui {
class MainWindow;
}

namespace Pixapi {

class AccountsDialog;
class ApiJob;
class ApiKeyDialog;
class BalanceService;
class BoardStore;
class UsageDialog;
class UsageRecorder;
class ComparisonBoardView;
class ComparisonRun;
class ConnectionIndicator;
class GalleryModel;
class ImageClipboard;
class InputImporter;
class EditSubmission;
class ImageViewer;
class IntegrityDialog;
class IntegrityNotice;
class GenerationQueue;
class LibraryBrowser;
class PromptPanel;
class QueuePanel;
struct ApiError;
struct GenerationOutcome;
struct GenerationParams;
struct LibraryRecord;

// The studio window: the prompt panel on the left, the library on the right as a grid (new images at the top) or,
// after opening an image, the viewer in its place. Every generation goes through the GenerationQueue (sync or as a
// background task); several run at once, within the per-model limit, and are listed in the queue panel under the
// grid. The grid, the viewer and the prompt panel only ask; the window runs exports, copies, reuse and repairs.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(AppServices services, QWidget* parent = nullptr);
    ~MainWindow() override;

    GalleryModel* galleryModel() const { return m_gallery; }
    GenerationQueue* generationQueue() const { return m_queue; }
    // The viewer, made on first use.
    ImageViewer* imageViewer();
    // Generations queued or running.
    int runningGenerations() const;

    void generate();
    void cancelGenerations();
    void refreshModels();
    // Asks the server for the balance (shown next to the cost estimate); servers without a balance endpoint show none.
    void refreshBalance();
    void showApiKeyDialog();
    // Settings → Accounts…: profiles, keys and the network proxy (one window, raised when open).
    void showAccounts();
    AccountsDialog* accountsDialog() const;
    // A new request for one image like the record's, recorded as made from it.
    void generateAgain(const LibraryRecord& record);
    void exportImages(const QList<LibraryRecord>& records);
    void showIntegrityDialog();
    // Compare mode: the setup dialog, then the board in place of the grid.
    // `from`: an earlier board to start from (Run Again…).
    void showCompareSetup(const std::optional<BoardSpec>& from = std::nullopt);
    void startBoard(const BoardSpec& spec, const EditInputs& edit = {}, const QList<qint64>& inputIds = {});
    // A prompt matrix sent as a batch: every request queued at once, images tagged with their values.
    void startBatch(const QList<MatrixBatch::Item>& items);
    // Settings → Usage & Credits…: the balance, the spend, the limits (one window, raised when open).
    void showUsage();
    UsageDialog* usageDialog() const;
    // Models → Saved Boards…: the list of boards in the library, to reopen or run again.
    void showSavedBoards();
    // Shows a saved board again: its cells, images, winner and note. False (with a message) when it cannot be read.
    bool openSavedBoard(qint64 boardId);
    ComparisonBoardView* boardView() const { return m_board; }
    // Made on first use; the run shown before is retired (deleted once it has finished).
    ComparisonBoardView* showBoardRun(ComparisonRun* run);
    // The boards in the library index, opened on first use; null when it cannot be opened.
    BoardStore* boardStore();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void onSessionStateChanged(AccountSession::State state);
    void onGenerationFinished(const GenerationOutcome& outcome);
    void onModelsFailed(const ApiError& error);
    void showBalance();
    void fillSwitchAccountMenu();
    // Whether the spending limits let a run of this estimated cost go; says why not.
    bool spendAllowed(const BoardCost& cost);
    void adviseOnCredits(const ApiError& error);
    void onKeyDialogFinished(ApiKeyDialog* dialog);
    void updateActivity();
    void enqueue(const GenerationParams& params, bool async, const QList<qint64>& parentIds,
                 const EditInputs& edit = {});
    void importInputs(const QStringList& paths);
    void onImagesTrashed(const QList<qint64>& ids);
    void trashImages(const QList<qint64>& ids);
    void openResult(const QModelIndex& index);
    void showGrid();
    void resolveDroppedRecords(const QList<qint64>& ids);
    void useAsReference(const LibraryRecord& record);
    void openLibraryFolder();
    void showError(const QString& message);
    void restoreWindowState();
    void saveWindowState();

    std::unique_ptr<Ui::MainWindow> m_ui;
    AppServices m_services;
    PromptPanel* m_prompt = nullptr; // made after the grid has asked for its first page
    GalleryModel* m_gallery;
    ConnectionIndicator* m_indicator;
    GenerationQueue* m_queue;
    QueuePanel* m_queuePanel;
    LibraryBrowser* m_browser = nullptr; // needs the grid's model: made after setupUi
    ImageViewer* m_viewer = nullptr;
    ComparisonBoardView* m_board = nullptr; // made on first use
    std::unique_ptr<BoardStore> m_boards;   // opened on first use, closed around an index rebuild
    QStackedWidget* m_resultsStack;         // the grid or the viewer
    IntegrityNotice* m_integrityNotice;
    ImageClipboard* m_clipboard;
    InputImporter* m_inputImporter;
    EditSubmission* m_editSubmission;
    QPointer<IntegrityDialog> m_integrityDialog;
    QPushButton* m_undoTrashButton;
    QString m_undoMessage; // the status message the Undo button belongs to
    QList<qint64> m_lastTrashed;
    QPointer<ApiKeyDialog> m_keyDialog;
    QPointer<AccountsDialog> m_accountsDialog;
    BalanceService* m_balance;
    UsageRecorder* m_recorder = nullptr; // with a ledger only
    QPointer<UsageDialog> m_usage;
    QPointer<QMessageBox> m_creditsAdvice; // one at a time, however many requests got a 402
    bool m_warnedLowBalance = false;
    bool m_firstRunHandled = false;
    bool m_resumed = false; // unfinished background tasks are picked up once, after the first connection
};

} // namespace Pixapi
