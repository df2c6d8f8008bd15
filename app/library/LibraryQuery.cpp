#include "library/LibraryQuery.h"

namespace Pixapi {

namespace {

// unicode61 indexes letters and digits only; a word of nothing else would become an empty phrase.
bool hasLetterOrDigit(const QString& word)
{
    const QList<uint> codePoints = word.toUcs4();
    for (const uint codePoint : codePoints) {
        if (QChar::isLetterOrNumber(char32_t(codePoint)))
            return true;
    }
    return false;
}

} // namespace

QString LibraryQuery::matchExpression(const QString& text)
{
    // Control characters separate words too: a NUL would end the expression inside its quotes.
    QString spaced = text;
    for (QChar& ch : spaced) {
        if (ch.category() == QChar::Other_Control)
            ch = QChar::Space;
    }
    QStringList phrases;
    const QStringList words = spaced.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString& word : words) {
        if (!hasLetterOrDigit(word))
            continue;
        QString escaped = word;
        escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        phrases.append(QLatin1Char('"') + escaped + QLatin1Char('"'));
    }
    if (phrases.isEmpty())
        return {};
    phrases.last() += QLatin1Char('*');
    return phrases.join(QLatin1Char(' '));
}

} // namespace Pixapi
