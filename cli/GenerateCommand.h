#pragma once

#include "CliCommand.h"
#include "CliOptions.h"
#include "ImageDelivery.h"

#include <QDateTime>
#include <QElapsedTimer>

#include <memory>
#include <optional>

namespace Pixapi {

class CliConsole;
class AsyncGenerationJob;
class GenerationJob;
class Library;
class TaskStore;
class UsageLedger;
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
    GenerateCommand(PixapiClient* client, const CliOptions& options, const QString& accountId, CliConsole* console,
                    QObject* parent = nullptr);
    ~GenerateCommand() override;

    void start() override;
    void cancel() override;

private:
    bool startAsync();
    void onImageSaved(const LibraryRecord& record);
    void onFinished(const GenerationOutcome& outcome);

    PixapiClient* m_client;
    CliOptions m_options;
    QString m_accountId;
    CliConsole* m_console;
    // Declared before the library so the library is closed before its temporary root (--no-library) is removed.
    ImageDelivery m_delivery;
    std::unique_ptr<Library> m_library;
    std::unique_ptr<TaskStore> m_tasks;
    std::unique_ptr<UsageLedger> m_ledger; // null when it cannot be opened
    QDateTime m_sentAt;
    QElapsedTimer m_clock;
    GenerationJob* m_job = nullptr;
    AsyncGenerationJob* m_asyncJob = nullptr;
    bool m_cancelRequested = false;
};

} // namespace Pixapi
