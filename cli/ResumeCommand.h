#pragma once

#include "CliCommand.h"

#include <QList>

#include <memory>

namespace Pixapi {

class AsyncGenerationJob;
class CliConsole;
class Library;
class PixapiClient;
class ResultSaver;
class TaskStore;
struct GenerationOutcome;

// `pixapi-cli resume`: every unfinished async task recorded in the library is polled to its end and its images
// saved (each path printed on stdout). Rows without a task id (the process died during the submit) are reported as
// "may have been charged" and never sent again. Sync answers a crash left in the ResponseSpool are saved too. Exit
// code 0 only when every pending task completed and every spooled answer was saved.
class ResumeCommand : public CliCommand
{
    Q_OBJECT

public:
    ResumeCommand(PixapiClient* client, CliConsole* console, QObject* parent = nullptr);
    ~ResumeCommand() override;

    void start() override;
    void cancel() override;

private:
    void recoverSpooled();
    void onJobFinished(const QString& label, const GenerationOutcome& outcome);

    PixapiClient* m_client;
    CliConsole* m_console;
    std::unique_ptr<Library> m_library;
    std::unique_ptr<TaskStore> m_tasks;
    QList<AsyncGenerationJob*> m_jobs;
    QList<ResultSaver*> m_savers;
    int m_running = 0;
    int m_failures = 0;
    bool m_cancelled = false;
};

} // namespace Pixapi
