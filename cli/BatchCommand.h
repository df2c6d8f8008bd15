#pragma once

#include "CliCommand.h"
#include "CliOptions.h"
#include "ImageDelivery.h"
#include "batch/BatchRun.h"

#include <memory>
#include <optional>

namespace Pixapi {

class BatchProgress;
class BatchRecovery;
class CliConsole;
class GenerationQueue;
class Library;
class ModelCatalog;
class PixapiClient;
class TaskStore;
class UsageLedger;
class UsageRecorder;

// `pixapi-cli batch FILE`: reads and checks the whole file (nothing is sent when a row is wrong), fetches the catalog
// and the balance for the preflight (cost, --max-credits, the spending limits of Pixapi Studio), then runs a
// BatchRun. Each image is stored in the library (and tagged with the batch's name) before its path is printed; with
// --out it is copied there under its row's output name. --dry-run stops after the preflight and lists the requests.
// Exit code 0 only when every request of the file is done.
class BatchCommand : public CliCommand
{
    Q_OBJECT

public:
    BatchCommand(PixapiClient* client, const CliOptions& options, const QString& accountId, CliConsole* console,
                 QObject* parent = nullptr);
    ~BatchCommand() override;

    void start() override;
    void cancel() override;

private:
    bool readFile();
    bool openStores();
    void fetchCatalog();
    void onCatalog();
    void onBalance(std::optional<double> balance);
    bool checkPreflight(const BatchRun::Plan& plan, std::optional<double> balance);
    void printPlan(const BatchRun::Plan& plan) const;
    void printDryRun(const BatchRun::Plan& plan) const;
    void run();
    void onItemFinished(int index, BatchJournal::State state, const GenerationOutcome& outcome);
    // Prints each stored image's path, or copies it into --out (under the row's output name) and prints that.
    void deliver(const QList<LibraryRecord>& records, const QString& outputName);
    void onFinished();
    void fail(int exitCode);

    PixapiClient* m_client;
    CliOptions m_options;
    QString m_accountId;
    CliConsole* m_console;
    QList<BatchItem> m_items;
    // Declared before the library so the library is closed before its temporary root (--no-library) is removed.
    ImageDelivery m_delivery;
    std::unique_ptr<Library> m_library;
    std::unique_ptr<TaskStore> m_tasks;
    std::unique_ptr<BatchJournal> m_journal;
    std::unique_ptr<QLockFile> m_lock; // this batch runs in this process only
    std::unique_ptr<UsageLedger> m_ledger;
    BatchRecovery* m_recovery = nullptr;
    ModelCatalog* m_catalog = nullptr;
    GenerationQueue* m_queue = nullptr;
    UsageRecorder* m_recorder = nullptr;
    BatchRun* m_run = nullptr;
    BatchProgress* m_progress = nullptr;
    BatchRun::Plan m_plan;
    bool m_cancelRequested = false;
};

} // namespace Pixapi
