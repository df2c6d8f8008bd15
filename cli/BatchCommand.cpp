#include "BatchCommand.h"

#include "BatchProgress.h"
#include "CliConsole.h"
#include "api/PixapiClient.h"
#include "batch/BatchRecovery.h"
#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"
#include "generation/GenerationQueue.h"
#include "generation/TaskStore.h"
#include "library/Library.h"
#include "settings/Settings.h"
#include "support/AppPaths.h"
#include "usage/SpendGuard.h"
#include "usage/UsageLedger.h"
#include "usage/UsageRecorder.h"

#include <QCoreApplication>
#include <QFile>

namespace Pixapi {

BatchCommand::BatchCommand(PixapiClient* client, const CliOptions& options, const QString& accountId,
                           CliConsole* console, QObject* parent)
    : CliCommand(parent)
    , m_client(client)
    , m_options(options)
    , m_accountId(accountId)
    , m_console(console)
    , m_delivery(console)
{ }

BatchCommand::~BatchCommand()
{
    delete m_recovery; // its savers store into the library
    delete m_progress;
    delete m_run;
    delete m_recorder;
    delete m_queue; // before the library and stores it uses
}

void BatchCommand::start()
{
    // Everything local is checked before anything is asked of the server, so a wrong row never costs credits.
    if (!readFile() || !openStores())
        return; // reported and finished
    // What a killed run had received but not stored is stored first: those requests are done, not uncertain.
    m_recovery = new BatchRecovery(m_client, m_library.get(), m_journal.get(), m_options.batchName, m_items, this);
    connect(m_recovery, &BatchRecovery::answerRecovered, this, [this](int index, const GenerationOutcome& outcome) {
        m_console->printNotice(QCoreApplication::translate("pixapi-cli",
                                                           "%n image(s) received before an interruption are now saved",
                                                           nullptr, int(outcome.saved.size())));
        deliver(outcome.saved, index >= 0 ? m_items.at(index).outputName : QString());
    });
    connect(m_recovery, &BatchRecovery::finished, this, &BatchCommand::fetchCatalog);
    m_recovery->start();
}

void BatchCommand::fetchCatalog()
{
    m_catalog = new ModelCatalog(m_client, this);
    connect(m_catalog, &ModelCatalog::modelsChanged, this, &BatchCommand::onCatalog, Qt::SingleShotConnection);
    connect(m_catalog, &ModelCatalog::refreshFailed, this, [this](const ApiError& error) {
        if (isDone())
            return;
        m_console->printError(
            QCoreApplication::translate(
                "pixapi-cli", "cannot read the model catalog, so the cost cannot be checked; nothing was sent: %1")
                .arg(CliConsole::describe(error)));
        fail(ExitCode::Failed);
    });
    m_catalog->refresh();
}

bool BatchCommand::readFile()
{
    QFile file(m_options.batchFile);
    if (!file.open(QIODevice::ReadOnly)) {
        m_console->printError(QCoreApplication::translate("pixapi-cli", "cannot read %1: %2")
                                  .arg(m_options.batchFile, file.errorString()));
        finish(ExitCode::Failed);
        return false;
    }
    if (file.size() > BatchFile::MaxFileBytes) {
        m_console->printError(
            QCoreApplication::translate("pixapi-cli", "%1 is larger than %2 MiB; split it into several batches")
                .arg(m_options.batchFile)
                .arg(BatchFile::MaxFileBytes / (1024 * 1024)));
        finish(ExitCode::Usage);
        return false;
    }
    const QByteArray content = file.readAll();
    BatchDefaults defaults;
    defaults.models = m_options.models;
    defaults.n = m_options.params.n;
    defaults.size = m_options.params.size;
    defaults.quality = m_options.params.quality;
    defaults.responseFormat = m_options.params.responseFormat;
    const auto parsed = BatchFile::parse(content, BatchFile::formatOf(m_options.batchFile, content), defaults);
    if (!parsed) {
        for (const QString& problem : parsed.error())
            m_console->printError(m_options.batchFile + QStringLiteral(": ") + problem);
        m_console->printNotice(QCoreApplication::translate("pixapi-cli", "nothing was sent"));
        finish(ExitCode::Usage);
        return false;
    }
    m_items = parsed.value();
    return true;
}

bool BatchCommand::openStores()
{
    const std::optional<QString> root =
        m_delivery.prepare(m_options.outDir, m_options.noLibrary, AppPaths::libraryDir());
    if (!root) {
        finish(ExitCode::Failed);
        return false;
    }
    m_library = std::make_unique<Library>(*root);
    m_tasks = std::make_unique<TaskStore>(*root);
    // The journal stays in the real library even with --no-library: the next run must know what was paid for.
    m_journal = std::make_unique<BatchJournal>(AppPaths::libraryDir());
    m_ledger = std::make_unique<UsageLedger>(UsageLedger::defaultPath());
    for (const auto& opened : {m_library->open(), m_tasks->open(), m_journal->open(), m_ledger->open()}) {
        if (!opened) {
            m_console->printApiError(opened.error());
            finish(ExitCode::Failed);
            return false;
        }
    }
    auto locked = m_journal->lock(m_options.batchName);
    if (!locked) {
        m_console->printError(
            locked.error() > 0
                ? QCoreApplication::translate(
                      "pixapi-cli", "the batch \"%1\" is already running (process %2); wait for it, or stop it")
                      .arg(m_options.batchName)
                      .arg(locked.error())
                : QCoreApplication::translate("pixapi-cli", "cannot lock the batch \"%1\" in %2")
                      .arg(m_options.batchName, AppPaths::libraryDir()));
        finish(ExitCode::Failed);
        return false;
    }
    m_lock = std::move(locked).value();
    m_console->printVerbose(QCoreApplication::translate("pixapi-cli", "library: %1").arg(m_library->rootDir()));
    return true;
}

void BatchCommand::onCatalog()
{
    if (isDone())
        return;
    m_queue = new GenerationQueue(m_client, m_library.get(), m_tasks.get());
    m_recorder = new UsageRecorder(m_queue, m_ledger.get());
    m_run = new BatchRun(m_queue, m_library.get(), m_journal.get(), m_catalog, m_options.batchName, m_items);
    m_run->setConcurrency(m_options.concurrency);
    m_run->setCreditCap(m_options.maxCredits);
    m_run->setAccountId(m_accountId);
    const auto prepared = m_run->prepare(m_options.retryUncertain && !m_options.dryRun);
    if (!prepared) {
        m_console->printApiError(prepared.error());
        fail(ExitCode::Failed);
        return;
    }
    m_plan = prepared.value();
    printPlan(m_plan);
    if (!m_plan.unknownModels.isEmpty()) {
        m_console->printError(
            QCoreApplication::translate("pixapi-cli",
                                        "the server has no model %1 (see \"pixapi-cli models\"); nothing was sent")
                .arg(m_plan.unknownModels.join(QStringLiteral(", "))));
        fail(ExitCode::Failed);
        return;
    }
    if (m_options.dryRun) {
        printDryRun(m_plan);
        finish(ExitCode::Ok);
        return;
    }
    if (m_plan.toSend.isEmpty()) {
        onFinished();
        return;
    }
    // The balance is the last check: a server without /v1/balance (OpenAI-compatible) skips it.
    BalanceJob* job = m_client->fetchBalance();
    connect(job, &ApiJob::finished, this, [this, job] {
        if (isDone())
            return;
        const auto& result = job->result();
        if (!result.ok())
            m_console->printVerbose(QCoreApplication::translate("pixapi-cli", "balance not checked: %1")
                                        .arg(CliConsole::describe(result.error())));
        onBalance(result.ok() ? std::optional<double>(result.value().credits) : std::nullopt);
    });
}

void BatchCommand::onBalance(std::optional<double> balance)
{
    if (!checkPreflight(m_plan, balance)) {
        m_console->printNotice(QCoreApplication::translate("pixapi-cli", "nothing was sent"));
        fail(ExitCode::Failed);
        return;
    }
    run();
}

bool BatchCommand::checkPreflight(const BatchRun::Plan& plan, std::optional<double> balance)
{
    const BoardCost& cost = plan.cost;
    if (m_options.maxCredits) {
        if (!cost.known) {
            m_console->printError(QCoreApplication::translate(
                                      "pixapi-cli", "the price of %1 is unknown, so --max-credits cannot be checked")
                                      .arg(cost.unpriced.join(QStringLiteral(", "))));
            return false;
        }
        if (cost.total > *m_options.maxCredits + 1e-9) {
            m_console->printError(
                QCoreApplication::translate("pixapi-cli", "the batch would cost about %1, more than --max-credits %2")
                    .arg(CostEstimate::creditsText(cost.total), QString::number(*m_options.maxCredits, 'g', 12)));
            return false;
        }
    }
    if (balance && cost.total > *balance + 1e-9) {
        m_console->printError(
            QCoreApplication::translate("pixapi-cli", "the batch would cost about %1 and the balance is %2")
                .arg(CostEstimate::creditsText(cost.total), CostEstimate::creditsText(*balance)));
        return false;
    }
    // The spending limits set in Pixapi Studio apply to its command line too.
    const Settings settings;
    const SpendGuard guard = SpendGuard::fromSettings(settings);
    const double spentToday = m_ledger->spentToday(m_accountId, QDateTime::currentDateTimeUtc());
    if (const auto refusal = guard.refusal(cost.total, cost.known, spentToday)) {
        m_console->printError(*refusal);
        return false;
    }
    return true;
}

void BatchCommand::printPlan(const BatchRun::Plan& plan) const
{
    QString line = QCoreApplication::translate("pixapi-cli", "batch \"%1\": %n request(s) in the file", nullptr,
                                               int(m_items.size()))
                       .arg(m_options.batchName);
    line += QStringLiteral("; ")
            + QCoreApplication::translate("pixapi-cli", "%n to send", nullptr, int(plan.toSend.size()));
    if (!plan.toSend.isEmpty())
        line +=
            QStringLiteral(" (") + QCoreApplication::translate("pixapi-cli", "%n image(s)", nullptr, plan.images)
            + QStringLiteral(", ")
            + (plan.cost.known ? QCoreApplication::translate("pixapi-cli", "about %1")
                                     .arg(CostEstimate::creditsText(plan.cost.total))
                               : QCoreApplication::translate("pixapi-cli", "%1 and the price of %2, which is unknown")
                                     .arg(CostEstimate::creditsText(plan.cost.total),
                                          plan.cost.unpriced.join(QStringLiteral(", "))))
            + QLatin1Char(')');
    if (plan.alreadyDone > 0)
        line += QStringLiteral("; ")
                + QCoreApplication::translate("pixapi-cli", "%n already done", nullptr, plan.alreadyDone);
    if (plan.failedBefore > 0)
        line += QStringLiteral("; ")
                + QCoreApplication::translate("pixapi-cli", "%n failed before, sent again", nullptr, plan.failedBefore);
    m_console->printNotice(line);
    if (plan.interrupted > 0)
        m_console->printNotice(QCoreApplication::translate(
            "pixapi-cli", "%n request(s) were on their way when an earlier run stopped", nullptr, plan.interrupted));
    if (plan.uncertain > 0)
        m_console->printNotice(QCoreApplication::translate(
            "pixapi-cli",
            "%n request(s) may have been charged without an image reaching the library; they "
            "are not sent again (check your balance and library, then use --retry-uncertain)",
            nullptr, plan.uncertain));
}

void BatchCommand::printDryRun(const BatchRun::Plan& plan) const
{
    for (const int index : plan.toSend) {
        const BatchItem& item = m_items.at(index);
        const auto model = m_catalog->find(item.params.model);
        const CostEstimate cost = model ? CostEstimate::estimate(item.params, *model) : CostEstimate();
        const QString dash = QStringLiteral("-");
        m_console->printLine(QStringList {QString::number(item.line), item.params.model, QString::number(item.params.n),
                                          item.params.size.isEmpty() ? dash : item.params.size,
                                          item.params.quality.isEmpty() ? dash : item.params.quality,
                                          cost.known ? QString::number(cost.total, 'g', 12) : QStringLiteral("?"),
                                          item.outputName.isEmpty() ? dash : item.outputName, item.params.prompt}
                                 .join(QLatin1Char('\t')));
    }
}

void BatchCommand::run()
{
    m_progress = new BatchProgress(m_run, m_console);
    connect(m_run, &BatchRun::itemFinished, this, &BatchCommand::onItemFinished);
    connect(m_run, &BatchRun::finished, this, &BatchCommand::onFinished);
    m_run->start();
}

void BatchCommand::onItemFinished(int index, BatchJournal::State state, const GenerationOutcome& outcome)
{
    const BatchItem& item = m_items.at(index);
    if (outcome.error && state != BatchJournal::State::Done)
        m_console->printError(QCoreApplication::translate("pixapi-cli", "line %1, %2: %3")
                                  .arg(item.line)
                                  .arg(item.params.model, CliConsole::describe(*outcome.error)));
    deliver(outcome.saved, item.outputName);
}

void BatchCommand::deliver(const QList<LibraryRecord>& records, const QString& outputName)
{
    for (int i = 0; i < records.size(); ++i) {
        QString name = outputName;
        if (!name.isEmpty() && records.size() > 1)
            name += QLatin1Char('-') + QString::number(i + 1);
        m_delivery.deliver(records.at(i), name);
    }
}

void BatchCommand::onFinished()
{
    delete std::exchange(m_progress, nullptr); // the progress bar leaves the terminal before the summary
    const int done = m_plan.alreadyDone + (m_run ? m_run->done() : 0);
    const int total = int(m_items.size());
    QString summary =
        QCoreApplication::translate("pixapi-cli", "batch \"%1\": %2 of %n request(s) done", nullptr, total)
            .arg(m_options.batchName)
            .arg(done);
    if (m_run && m_run->total() > 0)
        summary += QStringLiteral("; ")
                   + QCoreApplication::translate("pixapi-cli", "this run: %n image(s)", nullptr, m_run->images())
                   + QStringLiteral(", ") + CostEstimate::creditsText(m_run->credits());
    if (m_run && m_run->failed() > 0)
        summary += QStringLiteral("; ")
                   + QCoreApplication::translate("pixapi-cli",
                                                 "%n failed without a charge (run the same command to send them again)",
                                                 nullptr, m_run->failed());
    const int uncertain = m_plan.uncertain + (m_run ? m_run->uncertain() : 0);
    if (uncertain > 0)
        summary +=
            QStringLiteral("; ")
            + QCoreApplication::translate("pixapi-cli", "%n may have been charged (see above)", nullptr, uncertain);
    m_console->printNotice(summary);

    const BatchRun::StopReason reason = m_run ? m_run->stopReason() : BatchRun::StopReason::None;
    if (reason == BatchRun::StopReason::CreditCap)
        m_console->printError(QCoreApplication::translate("pixapi-cli",
                                                          "stopped at --max-credits %1: %n request(s) not sent",
                                                          nullptr, m_run->notSent())
                                  .arg(QString::number(*m_options.maxCredits, 'g', 12)));
    else if (reason == BatchRun::StopReason::StorageError)
        m_console->printError(
            QCoreApplication::translate("pixapi-cli", "stopped: the batch journal cannot be written (see --verbose)"));
    else if (reason == BatchRun::StopReason::Stopped && m_run->notSent() > 0)
        m_console->printNotice(QCoreApplication::translate(
            "pixapi-cli", "%n request(s) not sent; run the same command to continue", nullptr, m_run->notSent()));

    if (m_cancelRequested)
        finish(ExitCode::Cancelled);
    else
        finish(done == total && m_delivery.copyFailures() == 0 ? ExitCode::Ok : ExitCode::Failed);
}

void BatchCommand::cancel()
{
    if (!m_run || m_cancelRequested) {
        if (!m_run) {
            m_console->printNotice(QCoreApplication::translate("pixapi-cli", "cancelled; nothing was sent"));
            finish(ExitCode::Cancelled);
        }
        return;
    }
    m_cancelRequested = true;
    m_console->printNotice(
        QCoreApplication::translate("pixapi-cli",
                                    "stopping: no new requests; the %n on their way finish and are saved (Ctrl+C again "
                                    "quits at once, and they may still be charged)",
                                    nullptr, m_run->running()));
    m_run->stop();
}

void BatchCommand::fail(int exitCode)
{
    if (!isDone())
        finish(exitCode);
}

} // namespace Pixapi
