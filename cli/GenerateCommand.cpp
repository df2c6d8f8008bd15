#include "GenerateCommand.h"

#include "CliConsole.h"
#include "generation/AsyncGenerationJob.h"
#include "generation/GenerationJob.h"
#include "generation/TaskStore.h"
#include "library/Library.h"
#include "support/AppPaths.h"
#include "usage/UsageLedger.h"
#include "usage/UsageRecorder.h"

#include <QCoreApplication>

namespace Pixapi {

GenerateCommand::GenerateCommand(PixapiClient* client, const CliOptions& options, const QString& accountId,
                                 CliConsole* console, QObject* parent)
    : CliCommand(parent)
    , m_client(client)
    , m_options(options)
    , m_accountId(accountId)
    , m_console(console)
    , m_delivery(console)
{ }

GenerateCommand::~GenerateCommand()
{
    delete m_job; // before the library it stores into
    delete m_asyncJob;
}

void GenerateCommand::start()
{
    // Everything local is checked before the request, so a bad --out never costs credits.
    const std::optional<QString> root =
        m_delivery.prepare(m_options.outDir, m_options.noLibrary, AppPaths::libraryDir());
    if (!root) {
        finish(ExitCode::Failed);
        return;
    }
    m_library = std::make_unique<Library>(*root);
    if (const auto opened = m_library->open(); !opened) {
        m_console->printApiError(opened.error());
        finish(ExitCode::Failed);
        return;
    }
    m_console->printVerbose(QCoreApplication::translate("pixapi-cli", "library: %1").arg(m_library->rootDir()));
    // The spend of the command line counts like the app's (`pixapi-cli usage`, the daily cap). A ledger that cannot
    // be opened does not stop the request: it is reported, and the images are what matters.
    m_ledger = std::make_unique<UsageLedger>(UsageLedger::defaultPath());
    if (const auto opened = m_ledger->open(); !opened) {
        m_console->printNotice(QCoreApplication::translate("pixapi-cli", "the usage ledger cannot be written: %1")
                                   .arg(CliConsole::describe(opened.error())));
        m_ledger.reset();
    }
    m_sentAt = QDateTime::currentDateTimeUtc();
    m_clock.start();

    if (m_options.async) {
        if (!startAsync())
            finish(ExitCode::Failed);
        return;
    }
    m_job = new GenerationJob(m_client, m_library.get(), m_options.params);
    connect(m_job, &GenerationJob::stageChanged, this,
            [this](const QString& stage) { m_console->printVerbose(stage); });
    connect(m_job, &GenerationJob::imageSaved, this, &GenerateCommand::onImageSaved);
    connect(m_job, &GenerationJob::finished, this, &GenerateCommand::onFinished);
    m_job->start();
}

bool GenerateCommand::startAsync()
{
    m_tasks = std::make_unique<TaskStore>(m_library->rootDir());
    if (const auto opened = m_tasks->open(); !opened) {
        m_console->printApiError(opened.error());
        return false;
    }
    m_asyncJob = new AsyncGenerationJob(m_client, m_library.get(), m_tasks.get(), m_options.params);
    connect(m_asyncJob, &AsyncGenerationJob::stageChanged, this,
            [this](const QString& stage) { m_console->printVerbose(stage); });
    connect(m_asyncJob, &AsyncGenerationJob::taskIdAssigned, this, [this](const QString& taskId) {
        m_console->printVerbose(QCoreApplication::translate("pixapi-cli", "task: %1").arg(taskId));
    });
    connect(m_asyncJob, &AsyncGenerationJob::imageSaved, this, &GenerateCommand::onImageSaved);
    connect(m_asyncJob, &AsyncGenerationJob::finished, this, &GenerateCommand::onFinished);
    m_asyncJob->start();
    return true;
}

void GenerateCommand::cancel()
{
    if ((!m_job && !m_asyncJob) || m_cancelRequested)
        return;
    if (m_asyncJob) {
        m_cancelRequested = true;
        m_console->printNotice(QCoreApplication::translate(
            "pixapi-cli", "stopping; the server cannot cancel a task, so it may still complete and be charged"));
        m_asyncJob->cancel();
        return;
    }
    m_cancelRequested = true;
    m_console->printNotice(QCoreApplication::translate(
        "pixapi-cli", "cancelling; images the server already returned are still saved (Ctrl+C again quits at once)"));
    m_job->cancel();
}

void GenerateCommand::onImageSaved(const LibraryRecord& record)
{
    m_delivery.deliver(record);
}

void GenerateCommand::onFinished(const GenerationOutcome& outcome)
{
    if (m_ledger) {
        GenerationQueue::Request request;
        request.params = m_options.params;
        request.async = m_options.async;
        request.accountId = m_accountId;
        request.source = QStringLiteral("cli");
        m_ledger->append(UsageRecorder::entryFor(request, outcome, m_sentAt, m_clock.elapsed()));
    }
    if (outcome.error && outcome.error->kind == ApiError::Kind::Cancelled) {
        QString message = QCoreApplication::translate("pixapi-cli", "cancelled");
        if (outcome.error->mayHaveBeenProcessed)
            message +=
                QStringLiteral(": ")
                + QCoreApplication::translate(
                    "pixapi-cli", "the request may already have been processed and charged; check your library and "
                                  "balance before trying again");
        m_console->printNotice(message);
        finish(ExitCode::Cancelled);
        return;
    }
    if (outcome.error) {
        m_console->printApiError(*outcome.error);
        if (outcome.expected > 0)
            m_console->printNotice(
                QCoreApplication::translate("pixapi-cli", "%1 of %n image(s) saved", nullptr, outcome.expected)
                    .arg(outcome.saved.size()));
        finish(ExitCode::Failed);
        return;
    }
    if (m_cancelRequested)
        m_console->printNotice(
            QCoreApplication::translate("pixapi-cli", "the server had already answered: every image was saved"));
    finish(outcome.complete() && m_delivery.copyFailures() == 0 ? ExitCode::Ok : ExitCode::Failed);
}

} // namespace Pixapi
