#pragma once

#include "CliCommand.h"
#include "CliOptions.h"
#include "OutputDirectory.h"

#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace Pixapi {

class CliConsole;
class AsyncGenerationJob;
class GenerationJob;
class Library;
class TaskStore;
class PixapiClient;
struct GenerationOutcome;
struct LibraryRecord;

// `pixapi-cli generate`: one GenerationJob, so every image is stored in the library (committed file + index row)
// before anything else happens to it; then each is copied into --out and its path printed, one line per image.
// Exit code 0 only when every image the server returned was saved (and copied, with --out). With --async the request
// goes through an AsyncGenerationJob whose task is recorded in the library's TaskStore before it is sent.
class GenerateCommand : public CliCommand
{
    Q_OBJECT

public:
    GenerateCommand(PixapiClient* client, const CliOptions& options, CliConsole* console, QObject* parent = nullptr);
    ~GenerateCommand() override;

    void start() override;
    void cancel() override;

private:
    std::optional<QString> prepareLibrary(); // the library root, or nothing after reporting why not
    bool startAsync();
    void onImageSaved(const LibraryRecord& record);
    void onFinished(const GenerationOutcome& outcome);

    PixapiClient* m_client;
    CliOptions m_options;
    CliConsole* m_console;
    std::optional<OutputDirectory> m_out;
    // Declared before the library so the library is closed before its temporary root is removed.
    std::unique_ptr<QTemporaryDir> m_scratch; // --no-library: where images wait until they are in --out
    std::unique_ptr<Library> m_library;
    std::unique_ptr<TaskStore> m_tasks;
    GenerationJob* m_job = nullptr;
    AsyncGenerationJob* m_asyncJob = nullptr;
    int m_copyFailures = 0;
    bool m_cancelRequested = false;
};

} // namespace Pixapi
