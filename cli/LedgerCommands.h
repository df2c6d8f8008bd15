#pragma once

#include "CliCommand.h"
#include "CliOptions.h"

namespace Pixapi {

class CliConsole;
struct UsageQuery;

// `pixapi-cli usage`: what the usage ledger adds up to over a period, per model (a table, or JSON with --json).
// Reads only the local ledger: no server, no key.
class UsageCommand : public CliCommand
{
    Q_OBJECT

public:
    UsageCommand(const CliOptions& options, CliConsole* console, QObject* parent = nullptr);

    void start() override;
    void cancel() override;

private:
    CliOptions m_options;
    CliConsole* m_console;
};

// `pixapi-cli export`: the usage ledger's rows over a period as CSV, into a file (written atomically) or on stdout.
class ExportCommand : public CliCommand
{
    Q_OBJECT

public:
    ExportCommand(const CliOptions& options, CliConsole* console, QObject* parent = nullptr);

    void start() override;
    void cancel() override;

private:
    CliOptions m_options;
    CliConsole* m_console;
};

// The ledger rows the period options select.
UsageQuery ledgerQuery(const CliOptions& options);

} // namespace Pixapi
