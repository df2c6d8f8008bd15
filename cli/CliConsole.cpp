#include "CliConsole.h"

#include <QCoreApplication>

#include <cstdio>

#ifdef Q_OS_WIN
#include <io.h>
#define isatty _isatty
#define fileno _fileno
#else
#include <unistd.h>
#endif

namespace Pixapi {

namespace {

constexpr int MaxDetailChars = 300;
// Shorter "keys" (test values) would match ordinary words; real API keys are far longer.
constexpr int MinSecretChars = 8;

// Server messages may span lines or be long; an error stays one readable line.
QString oneLine(QString text)
{
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    text = text.simplified();
    if (text.size() > MaxDetailChars)
        text = text.left(MaxDetailChars) + QChar(0x2026);
    return text;
}

} // namespace

void CliConsole::setSecret(const QString& secret)
{
    m_secret = secret;
}

void CliConsole::setVerbose(bool verbose)
{
    m_verbose = verbose;
}

void CliConsole::printLine(const QString& line) const
{
    write(stdout, line);
}

void CliConsole::printError(const QString& message) const
{
    write(stderr, QStringLiteral("pixapi-cli: ") + QCoreApplication::translate("pixapi-cli", "error: %1").arg(message));
}

void CliConsole::printApiError(const ApiError& error) const
{
    printError(describe(error));
}

void CliConsole::printNotice(const QString& message) const
{
    write(stderr, QStringLiteral("pixapi-cli: ") + message);
}

void CliConsole::printVerbose(const QString& message) const
{
    if (m_verbose)
        printNotice(message);
}

QString CliConsole::describe(const ApiError& error)
{
    QString text = error.userMessage();
    // Local details (a path, a disk error) help with storage problems; transport details may quote pre-signed
    // image URLs, so they are left out.
    QString detail = error.serverMessage;
    if (detail.isEmpty() && (error.kind == ApiError::Kind::StorageError || error.kind == ApiError::Kind::InvalidImage))
        detail = error.detail;
    if (!detail.isEmpty())
        text += QStringLiteral(" (") + oneLine(detail) + QLatin1Char(')');

    QString code = error.code;
    if (code.isEmpty())
        code = error.httpStatus > 0 ? QString::number(error.httpStatus) : ApiError::kindName(error.kind);
    QString tag = QCoreApplication::translate("pixapi-cli", "code %1").arg(code);
    if (!error.requestId.isEmpty())
        tag += QStringLiteral(", ") + QCoreApplication::translate("pixapi-cli", "request id %1").arg(error.requestId);
    return oneLine(text) + QStringLiteral(" [") + tag + QLatin1Char(']');
}

bool CliConsole::stderrIsTerminal()
{
    return isatty(fileno(stderr)) == 1;
}

void CliConsole::setStatus(const QString& status)
{
    if (!m_terminal || status == m_status)
        return;
    m_status = status;
    writeStatus();
}

QString CliConsole::scrubbed(QString text) const
{
    if (m_secret.size() >= MinSecretChars)
        text.replace(m_secret, QStringLiteral("[redacted]"));
    return text;
}

void CliConsole::writeStatus() const
{
    // Carriage return, the line, then "erase to the end of the line" (ANSI): the line is rewritten in place.
    const QByteArray bytes = "\r" + scrubbed(m_status).toLocal8Bit() + "\x1b[K";
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void CliConsole::write(FILE* stream, QString line) const
{
    if (!m_status.isEmpty()) {
        std::fputs("\r\x1b[K", stderr); // the line goes where the status was; the status follows it
        std::fflush(stderr);
    }
    const QByteArray bytes = (scrubbed(std::move(line)) + QLatin1Char('\n')).toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
    if (!m_status.isEmpty())
        writeStatus();
}

} // namespace Pixapi
