#pragma once

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

#include <functional>

namespace Pixapi {

// One run of the real pixapi-cli binary (PIXAPI_CLI_PATH), for tst_Cli and tst_CliKeychain.
struct CliRun
{
    static constexpr int TimeoutMs = 60'000;

    bool finished = false;
    int exitCode = -1;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;

    // Waits with the event loop running, so a SandboxServer in the test process keeps answering the child.
    // `whileRunning` is called once the child has started (e.g. to interrupt it).
    static CliRun run(const QStringList& arguments, const QProcessEnvironment& env = baseEnvironment(),
                      const std::function<void(QProcess&)>& whileRunning = {});
    // This process's environment without any key, data dir override or logging rules.
    static QProcessEnvironment baseEnvironment();
    // baseEnvironment() with PIXAPI_KEY set to the key a SandboxServer accepts by default.
    static QProcessEnvironment sandboxKeyEnvironment();

    QStringList outLines() const;
    QStringList errLines() const;
    QString describe() const; // for failure messages
};

} // namespace Pixapi
