#include "CliRunner.h"

#include "BalanceCommand.h"
#include "BatchCommand.h"
#include "CliSession.h"
#include "GenerateCommand.h"
#include "LedgerCommands.h"
#include "ModelsCommand.h"
#include "ResumeCommand.h"
#include "SignalWatcher.h"
#include "api/PixapiClient.h"
#include "support/AppPaths.h"

#include <QCoreApplication>
#include <QTimer>

namespace Pixapi {

CliRunner::CliRunner(CliOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_signals(new SignalWatcher(this))
{
    m_console.setVerbose(m_options.verbose);
    connect(m_signals, &SignalWatcher::interrupted, this, &CliRunner::onInterrupted);
}

CliRunner::~CliRunner()
{
    delete m_command; // before the session whose client it uses
}

void CliRunner::start()
{
    QTimer::singleShot(0, this, &CliRunner::run);
}

void CliRunner::run()
{
    if (!m_options.dataDir.isEmpty())
        AppPaths::setDataDirOverride(m_options.dataDir);
    if (m_options.command == CliOptions::Command::Usage || m_options.command == CliOptions::Command::Export) {
        // The local ledger only: no server, no key.
        if (m_options.command == CliOptions::Command::Usage)
            m_command = new UsageCommand(m_options, &m_console);
        else
            m_command = new ExportCommand(m_options, &m_console);
        connect(m_command, &CliCommand::finished, this, &CliRunner::finish);
        m_command->start();
        return;
    }
    if (m_options.dryRun && m_options.command == CliOptions::Command::Generate) {
        // Nothing is sent, so no server or key is needed.
        m_console.printLine(QString::fromUtf8(PixapiClient::generationBody(m_options.params)));
        finish(ExitCode::Ok);
        return;
    }
    m_session = new CliSession(m_options, &m_console, this);
    connect(m_session, &CliSession::ready, this, &CliRunner::runCommand);
    connect(m_session, &CliSession::failed, this, &CliRunner::finish);
    m_session->start();
}

void CliRunner::runCommand()
{
    PixapiClient* client = m_session->client();
    switch (m_options.command) {
    case CliOptions::Command::Models:
        m_command = new ModelsCommand(client, m_options.json, &m_console);
        break;
    case CliOptions::Command::Balance:
        m_command = new BalanceCommand(client, m_options.json, &m_console);
        break;
    case CliOptions::Command::Generate:
        m_command = new GenerateCommand(client, m_options, m_session->accountId(), &m_console);
        break;
    case CliOptions::Command::Resume:
        m_command = new ResumeCommand(client, &m_console);
        break;
    case CliOptions::Command::Batch:
        m_command = new BatchCommand(client, m_options, m_session->accountId(), &m_console);
        break;
    case CliOptions::Command::Usage:
    case CliOptions::Command::Export:
        Q_UNREACHABLE(); // run without a session (see run())
    }
    connect(m_command, &CliCommand::finished, this, &CliRunner::finish);
    m_command->start();
}

void CliRunner::onInterrupted()
{
    if (m_finished)
        return;
    if (++m_interrupts > 1 || !m_command) {
        m_console.printNotice(QCoreApplication::translate("pixapi-cli", "cancelled"));
        finish(ExitCode::Cancelled);
        return;
    }
    m_command->cancel();
}

void CliRunner::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    QCoreApplication::exit(exitCode);
}

} // namespace Pixapi
