#include "CliRun.h"

#include "sandbox/SandboxServer.h"

#include <QSignalSpy>

namespace Pixapi {

namespace {
QStringList lines(const QByteArray& bytes)
{
    return QString::fromLocal8Bit(bytes).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}
} // namespace

CliRun CliRun::run(const QStringList& arguments, const QProcessEnvironment& env,
                   const std::function<void(QProcess&)>& whileRunning)
{
    CliRun result;
    QProcess process;
    process.setProcessEnvironment(env);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(PIXAPI_CLI_PATH), arguments);
    if (!process.waitForStarted(TimeoutMs))
        return result;
    if (whileRunning)
        whileRunning(process);
    result.finished = !finished.isEmpty() || finished.wait(TimeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished();
    }
    result.exitCode = process.exitCode();
    result.exitStatus = process.exitStatus();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QProcessEnvironment CliRun::baseEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("PIXAPI_KEY"));
    env.remove(QStringLiteral("PIXAPI_DATA_DIR"));
    env.remove(QStringLiteral("QT_LOGGING_RULES"));
    return env;
}

QProcessEnvironment CliRun::sandboxKeyEnvironment()
{
    QProcessEnvironment env = baseEnvironment();
    env.insert(QStringLiteral("PIXAPI_KEY"), SandboxServer::defaultKey());
    return env;
}

QStringList CliRun::outLines() const
{
    return lines(out);
}

QStringList CliRun::errLines() const
{
    return lines(err);
}

QString CliRun::describe() const
{
    return QStringLiteral("exit %1, stdout: %2, stderr: %3")
        .arg(exitCode)
        .arg(QString::fromLocal8Bit(out), QString::fromLocal8Bit(err));
}

} // namespace Pixapi
