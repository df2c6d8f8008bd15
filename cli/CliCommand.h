#pragma once

#include <QObject>

namespace Pixapi {

// pixapi-cli's exit codes.
namespace ExitCode {
constexpr int Ok = 0;
constexpr int Failed = 1;      // API, network, keychain or storage error
constexpr int Usage = 2;       // bad command line
constexpr int Cancelled = 130; // Ctrl+C (128 + SIGINT, the shell convention)
} // namespace ExitCode

// One pixapi-cli command, run once its session (server and key) is ready. Emits finished() exactly once.
class CliCommand : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual void start() = 0;
    // Ctrl+C: stop what can be stopped; finished() still follows.
    virtual void cancel() = 0;

Q_SIGNALS:
    void finished(int exitCode);

protected:
    // Reports the exit code once; later calls (e.g. a cancel racing the answer) are ignored.
    void finish(int exitCode);
    bool isDone() const { return m_done; }

private:
    bool m_done = false;
};

} // namespace Pixapi
