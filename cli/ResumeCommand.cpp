#include "ResumeCommand.h"

#include "CliConsole.h"
#include "generation/AsyncGenerationJob.h"
#include "generation/ResponseSpool.h"
#include "generation/ResultSaver.h"
#include "generation/TaskStore.h"
#include "library/Library.h"
#include "support/AppPaths.h"

#include <QCoreApplication>

namespace Pixapi {

ResumeCommand::ResumeCommand(PixapiClient* client, CliConsole* console, QObject* parent)
    : CliCommand(parent)
    , m_client(client)
    , m_console(console)
{ }

ResumeCommand::~ResumeCommand()
{
    qDeleteAll(m_jobs); // before the library and store they use
    qDeleteAll(m_savers);
}

void ResumeCommand::start()
{
    m_library = std::make_unique<Library>(AppPaths::libraryDir());
    m_tasks = std::make_unique<TaskStore>(AppPaths::libraryDir());
    for (const auto& opened : {m_library->open(), m_tasks->open()}) {
        if (!opened) {
            m_console->printApiError(opened.error());
            finish(ExitCode::Failed);
            return;
        }
    }
    m_console->printVerbose(QCoreApplication::translate("pixapi-cli", "library: %1").arg(m_library->rootDir()));

    const QList<TaskRow> rows = m_tasks->pending();
    for (const TaskRow& row : rows) {
        if (row.state != TaskRow::State::Running || row.remoteId.isEmpty()) {
            // Never resubmitted: the first POST may have been accepted and charged.
            if (row.state == TaskRow::State::Submitting)
                m_tasks->setState(row.id, TaskRow::State::Orphaned,
                                  QCoreApplication::translate("pixapi-cli", "interrupted during the submit"));
            m_console->printError(
                QCoreApplication::translate("pixapi-cli",
                                            "request %1 (%2) was interrupted before its task id arrived: it may have "
                                            "been charged; check your balance before generating it again")
                    .arg(row.id)
                    .arg(row.params.model));
            ++m_failures;
            continue;
        }
        auto* job = new AsyncGenerationJob(m_client, m_library.get(), m_tasks.get(), row.params);
        m_jobs.append(job);
        ++m_running;
        connect(job, &AsyncGenerationJob::stageChanged, this, [this, job](const QString& stage) {
            m_console->printVerbose(job->taskId() + QStringLiteral(": ") + stage);
        });
        connect(job, &AsyncGenerationJob::imageSaved, this,
                [this](const LibraryRecord& record) { m_console->printLine(record.filePath); });
        connect(job, &AsyncGenerationJob::finished, this,
                [this, job](const GenerationOutcome& outcome) { onJobFinished(job->taskId(), outcome); });
        job->resume(row);
    }
    recoverSpooled();
    if (m_running == 0) {
        if (rows.isEmpty())
            m_console->printVerbose(QCoreApplication::translate("pixapi-cli", "no unfinished tasks"));
        finish(m_failures == 0 ? ExitCode::Ok : ExitCode::Failed);
    }
}

void ResumeCommand::recoverSpooled()
{
    const QList<SpooledResponse> entries = ResponseSpool(m_library->rootDir()).pending();
    for (const SpooledResponse& spooled : entries) {
        auto* saver = new ResultSaver(m_client, m_library.get());
        m_savers.append(saver);
        ++m_running;
        m_console->printVerbose(
            QCoreApplication::translate("pixapi-cli", "saving the images of request %1, received before the stop")
                .arg(spooled.response.requestId));
        connect(saver, &ResultSaver::imageSaved, this,
                [this](const LibraryRecord& record) { m_console->printLine(record.filePath); });
        connect(saver, &ResultSaver::finished, this,
                [this, saver, requestId = spooled.response.requestId] { onJobFinished(requestId, saver->outcome()); });
        saver->recover(spooled);
    }
}

void ResumeCommand::cancel()
{
    m_cancelled = true;
    for (AsyncGenerationJob* job : std::as_const(m_jobs))
        job->cancel();
}

void ResumeCommand::onJobFinished(const QString& label, const GenerationOutcome& outcome)
{
    if (!outcome.complete()) {
        ++m_failures;
        if (outcome.error)
            m_console->printError(label + QStringLiteral(": ") + CliConsole::describe(*outcome.error));
    }
    if (--m_running > 0)
        return;
    finish(m_cancelled ? ExitCode::Cancelled : m_failures == 0 ? ExitCode::Ok : ExitCode::Failed);
}

} // namespace Pixapi
