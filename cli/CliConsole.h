#pragma once

#include "api/ApiError.h"

#include <QString>

#include <cstdio>

namespace Pixapi {

// All output of pixapi-cli: results on stdout (one item a line), messages on stderr (one line each).
// Every line is scrubbed of the API key, in case a server echoes it in an error message.
class CliConsole
{
public:
    void setSecret(const QString& secret);
    void setVerbose(bool verbose);
    bool isVerbose() const { return m_verbose; }

    void printLine(const QString& line) const;       // stdout
    void printError(const QString& message) const;   // stderr: "pixapi-cli: error: <message>"
    void printApiError(const ApiError& error) const; // printError(describe(error))
    void printNotice(const QString& message) const;  // stderr: "pixapi-cli: <message>"
    void printVerbose(const QString& message) const; // printNotice, only with --verbose

    // A terminal on stderr: a progress line that other output moves below (see setStatus).
    static bool stderrIsTerminal();
    // Shows `status` as the last line of a terminal, rewritten in place; lines printed meanwhile appear above it.
    // Empty: removes it. Does nothing when stderr is not a terminal.
    void setStatus(const QString& status);

    // "<userMessage> (<server or storage detail>) [code …, request id …]"
    static QString describe(const ApiError& error);

private:
    void write(FILE* stream, QString line) const;

    QString scrubbed(QString text) const;
    void writeStatus() const;

    QString m_secret;
    bool m_verbose = false;
    bool m_terminal = stderrIsTerminal();
    QString m_status;
};

} // namespace Pixapi
