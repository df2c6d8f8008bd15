#pragma once

#include "support/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace Pixapi {

// One record of a CSV file and the line it starts on (1-based), for messages.
struct CsvRecord
{
    int line = 0;
    QStringList fields;
};

// RFC 4180 CSV as spreadsheets export it: quoted fields ("" for a quote, line breaks allowed inside), CRLF or LF line
// ends, a UTF-8 byte order mark ignored. The separator is the first of ',', ';' or tab found outside quotes on the
// first line (spreadsheets in many locales export ';'). Blank lines are skipped. Qt has no CSV reader, hence this one.
class CsvReader
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::CsvReader)

public:
    // The records, or "line N: why" for the first malformed one (an unclosed quote, text after a closing quote).
    static Result<QList<CsvRecord>, QString> parse(const QString& text);
    static QChar separatorOf(const QString& text);
};

} // namespace Pixapi
