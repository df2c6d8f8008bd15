#pragma once

#include "CliConsole.h"
#include "CliOptions.h"

#include <QObject>

namespace Pixapi {

class CliCommand;
class CliSession;
class SignalWatcher;

// Runs one parsed pixapi-cli invocation inside the event loop and ends it with QCoreApplication::exit(code).
// Ctrl+C cancels the running command cleanly; a second Ctrl+C quits at once (between events, so no file is
// left half-written).
class CliRunner : public QObject
{
    Q_OBJECT

public:
    explicit CliRunner(CliOptions options, QObject* parent = nullptr);
    ~CliRunner() override;

    // Starts from the event loop: call before QCoreApplication::exec().
    void start();

private:
    void run();
    void runCommand();
    void onInterrupted();
    void finish(int exitCode);

    CliOptions m_options;
    CliConsole m_console;
    SignalWatcher* m_signals;
    CliSession* m_session = nullptr;
    CliCommand* m_command = nullptr;
    int m_interrupts = 0;
    bool m_finished = false;
};

} // namespace Pixapi
