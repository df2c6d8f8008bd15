#include "batch/CsvReader.h"

namespace Pixapi {

QChar CsvReader::separatorOf(const QString& text)
{
    bool quoted = false;
    for (const QChar c : text) {
        if (c == QLatin1Char('"'))
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == QLatin1Char('\n'))
            break;
        else if (c == QLatin1Char(',') || c == QLatin1Char(';') || c == QLatin1Char('\t'))
            return c;
    }
    return QLatin1Char(',');
}

Result<QList<CsvRecord>, QString> CsvReader::parse(const QString& input)
{
    using Failure = Result<QList<CsvRecord>, QString>;
    const QString text = input.startsWith(QChar(0xFEFF)) ? input.mid(1) : input;
    const QChar separator = separatorOf(text);

    QList<CsvRecord> records;
    CsvRecord record;
    QString field;
    int line = 1;
    bool quoted = false; // inside a quoted field
    bool closed = false; // a quoted field ended; only a separator or a line end may follow
    bool recordHasData = false;
    record.line = 1;

    const auto endField = [&] {
        record.fields.append(field);
        field.clear();
        closed = false;
    };
    const auto endRecord = [&] {
        endField();
        // A blank line is one empty field: skipped.
        if (recordHasData || record.fields.size() > 1 || !record.fields.constFirst().isEmpty())
            records.append(record);
        record = CsvRecord();
        recordHasData = false;
    };

    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field.append(c);
                    ++i;
                } else {
                    quoted = false;
                    closed = true;
                }
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                field.append(c);
            }
            continue;
        }
        if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
            continue; // CRLF: the LF ends the record
        if (c == QLatin1Char('\n')) {
            endRecord();
            ++line;
            record.line = line;
            continue;
        }
        if (c == separator) {
            endField();
            recordHasData = true;
            continue;
        }
        if (closed)
            return Failure::failure(
                tr("line %1: text after a closing quote (write a quote inside a quoted field as \"\")").arg(line));
        if (c == QLatin1Char('"') && field.isEmpty()) {
            quoted = true;
            recordHasData = true;
            continue;
        }
        field.append(c);
    }
    if (quoted)
        return Failure::failure(tr("line %1: a quoted field is never closed").arg(record.line));
    if (!field.isEmpty() || !record.fields.isEmpty() || recordHasData)
        endRecord();
    return records;
}

} // namespace Pixapi
