#pragma once

#include "api/ApiTypes.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace Pixapi {

// Everything pixapi-cli was asked to do, validated. Built only by CliOptions::parse().
struct CliOptions
{
    enum class Command { Models, Generate, Balance, Resume, Batch, Usage, Export };

    // What main() should do with the command line.
    struct Parsed;

    Command command = Command::Models;
    QUrl baseUrl;         // empty: the base URL from Settings
    bool sandbox = false; // start an in-process sandbox and use its key (never the keychain)
    bool json = false;
    bool verbose = false;
    bool dryRun = false; // generate: print the request body, send nothing
    bool async = false;  // generate: through the async API (a task recorded in the library, resumable)
    QString account;     // keychain account; empty: the one from Settings
    GenerationParams params;
    QString outDir;         // generate: copy every saved image here
    QString dataDir;        // overrides the application data root (the library lives in <dataDir>/library)
    bool noLibrary = false; // generate, batch: keep images only in outDir (a temporary library is used on the way)

    // batch: the file and its defaults (params holds the default n, size, quality and format)
    QString batchFile;
    QString batchName;   // the journal's and the tag's name; default: the file's name without extension
    QStringList models;  // for rows without a model
    int concurrency = 4; // requests in flight at once
    std::optional<double> maxCredits;
    bool retryUncertain = false; // send again what an earlier run may have been charged for

    // usage, export: the period of the ledger (UTC); invalid: open-ended
    QDateTime since;
    QDateTime until;
    QString exportPath; // export: the CSV file; "-" or empty: stdout

    // `arguments` includes the program name (QCoreApplication::arguments()).
    static Parsed parse(const QStringList& arguments);
};

struct CliOptions::Parsed
{
    enum class Action { Run, ShowHelp, ShowVersion, UsageError };
    Action action = Action::UsageError;
    QString text; // help text, version text or the usage error (one line)
    CliOptions options;
};

} // namespace Pixapi
