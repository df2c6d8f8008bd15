#include "compare/PromptMatrix.h"

#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <utility>

namespace Pixapi {

namespace {

// A run of literal text (braces already unescaped) or a placeholder.
struct Piece
{
    QString text; // the literal text, or the variable name
    bool variable = false;
};

// Escapes are matched before placeholders at the same position, so "{{name}}" is the literal "{name}".
QList<Piece> parse(const QString& prompt)
{
    static const QRegularExpression token(QStringLiteral(R"(\{\{|\}\}|\{(\p{L}[\p{L}\p{Nd}_-]*)\})"));
    QList<Piece> pieces;
    QString literal;
    qsizetype at = 0;
    for (auto it = token.globalMatch(prompt); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        literal += QStringView(prompt).mid(at, match.capturedStart() - at);
        at = match.capturedEnd();
        if (match.hasCaptured(1)) {
            if (!literal.isEmpty())
                pieces << Piece {std::exchange(literal, QString()), false};
            pieces << Piece {match.captured(1), true};
        } else {
            literal += match.capturedView().at(0); // "{{" → "{", "}}" → "}"
        }
    }
    literal += QStringView(prompt).mid(at);
    if (!literal.isEmpty())
        pieces << Piece {literal, false};
    return pieces;
}

} // namespace

QString FilledPrompt::label() const
{
    QStringList values;
    for (const auto& binding : bindings)
        values << binding.second;
    return values.join(QStringLiteral(" · "));
}

QStringList PromptMatrix::variablesIn(const QString& prompt)
{
    QStringList names;
    for (const Piece& piece : parse(prompt)) {
        if (piece.variable && !names.contains(piece.text))
            names << piece.text;
    }
    return names;
}

QStringList PromptMatrix::splitValues(const QString& text)
{
    QStringList values;
    for (const QStringView part : QStringView(text).split(QLatin1Char('|'))) {
        const QString value = part.trimmed().toString();
        if (!value.isEmpty() && !values.contains(value))
            values << value;
    }
    return values;
}

PromptMatrix PromptMatrix::fromPrompt(const QString& prompt, const QHash<QString, QString>& valueTexts)
{
    PromptMatrix matrix;
    matrix.prompt = prompt;
    for (const QString& name : variablesIn(prompt))
        matrix.variables << PromptVariable {name, splitValues(valueTexts.value(name))};
    return matrix;
}

int PromptMatrix::combinationCount() const
{
    constexpr qint64 Most = std::numeric_limits<int>::max();
    qint64 count = 1;
    for (const PromptVariable& variable : variables) {
        if (variable.values.isEmpty())
            return 0;
        // Saturates rather than overflows: a handful of long value lists multiply fast.
        count = std::min(Most, count * qint64(variable.values.size()));
    }
    return int(count);
}

QList<FilledPrompt> PromptMatrix::expand() const
{
    const int count = combinationCount();
    if (count <= 0 || count > MaxPrompts)
        return {};
    const QList<Piece> pieces = parse(prompt);
    QList<FilledPrompt> prompts;
    prompts.reserve(count);
    QList<qsizetype> choice(variables.size(), 0); // value index per variable, like the digits of a counter
    for (int n = 0; n < count; ++n) {
        FilledPrompt filled;
        QHash<QString, QString> valueOf;
        for (qsizetype v = 0; v < variables.size(); ++v) {
            const QString& value = variables.at(v).values.at(choice.at(v));
            filled.bindings << qMakePair(variables.at(v).name, value);
            if (!valueOf.contains(variables.at(v).name))
                valueOf.insert(variables.at(v).name, value);
        }
        for (const Piece& piece : pieces) {
            if (!piece.variable)
                filled.text += piece.text;
            else if (const auto found = valueOf.constFind(piece.text); found != valueOf.cend())
                filled.text += *found;
            else
                filled.text += QLatin1Char('{') + piece.text + QLatin1Char('}');
        }
        prompts << filled;
        // Next combination: the last variable varies fastest, so the first one varies slowest.
        for (qsizetype v = variables.size() - 1; v >= 0; --v) {
            if (++choice[v] < variables.at(v).values.size())
                break;
            choice[v] = 0;
        }
    }
    return prompts;
}

std::optional<QString> PromptMatrix::problem() const
{
    if (prompt.trimmed().isEmpty())
        return tr("Write a prompt first.");
    for (const PromptVariable& variable : variables) {
        if (variable.values.isEmpty())
            return tr("Give {%1} at least one value (separate values with |).").arg(variable.name);
    }
    if (const int count = combinationCount(); count > MaxPrompts)
        return tr("The matrix makes %1 prompts; at most %2 are sent at once.").arg(count).arg(MaxPrompts);
    return std::nullopt;
}

QString PromptMatrix::tagFor(const QPair<QString, QString>& binding)
{
    return binding.first + QStringLiteral(": ") + binding.second;
}

} // namespace Pixapi
