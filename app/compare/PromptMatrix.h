#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pixapi {

// A `{name}` placeholder of a prompt and the values it takes.
struct PromptVariable
{
    QString name;
    QStringList values;

    bool operator==(const PromptVariable& other) const = default;
};

// One prompt of a matrix: the text to send and the values it was filled with, in variable order.
struct FilledPrompt
{
    QString text;
    QList<QPair<QString, QString>> bindings; // (variable, value)

    QString label() const; // the values: "sneaker · marble"; empty without variables
};

// A prompt with variables ("a {product} on {background}") and the values of each: every combination is one prompt
// to send, to a board (a column each) or as a batch. `{{` and `}}` write literal braces; anything else in braces
// that is not a name (`{ }`, `{1x}`) stays text as written.
struct PromptMatrix
{
    // More would be a batch nobody meant to pay for (and a list nobody can review before sending).
    static constexpr int MaxPrompts = 64;

    QString prompt; // the template, with its placeholders
    QList<PromptVariable> variables;

    // The placeholder names of a prompt in order of first appearance, each once. A name is a letter followed by
    // letters, digits, '_' or '-'.
    static QStringList variablesIn(const QString& prompt);
    // Values as typed: separated by '|' (not commas: prompt values often have commas), trimmed, empty ones and
    // repeats left out, in order.
    static QStringList splitValues(const QString& text);
    // The prompt's variables in order, each with the values of splitValues(valueTexts[name]).
    static PromptMatrix fromPrompt(const QString& prompt, const QHash<QString, QString>& valueTexts);

    // The product of the value counts: 1 without variables, 0 when a variable has no value (saturates at INT_MAX).
    int combinationCount() const;
    // Every combination, the first variable varying slowest, each placeholder replaced by its value (values are
    // inserted as they are: no braces in them are unescaped or expanded). Without variables: the prompt alone.
    // Nothing when combinationCount() is 0 or above MaxPrompts: the list is never built unbounded. A placeholder
    // the matrix has no variable for stays as written.
    QList<FilledPrompt> expand() const;
    // Why the matrix cannot be sent (translated), or nothing: an empty prompt, a variable without values, too many
    // combinations.
    std::optional<QString> problem() const;

    // The library tag that records which value an image was made with: "product: sneaker".
    static QString tagFor(const QPair<QString, QString>& binding);

    Q_DECLARE_TR_FUNCTIONS(Pixapi::PromptMatrix)
};

} // namespace Pixapi
