#pragma once

#include "api/ApiTypes.h"
#include "support/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace Pixapi {

// What a row leaves out: the command line's --model, -n, --size, --quality and --format.
struct BatchDefaults
{
    QStringList models;
    int n = 1;
    QString size;
    QString quality;
    QString responseFormat;
};

// One request of a batch: a row × one of its models × one combination of its prompt's variables.
struct BatchItem
{
    int line = 0; // where its row starts in the file (1-based)
    QString key;  // what the journal knows it by: the same request in the same batch has the same key
    GenerationParams params;
    QStringList tags;   // the row's tags and one "variable: value" tag per variable
    QString outputName; // file name (without extension) for --out, variables filled in; empty: the library's name
};

// A batch file: CSV with a header row, or JSON Lines (one object per line). The columns / keys:
//   prompt (required; may hold {variables}), model (one or several, '|'-separated, or a JSON array), n, size,
//   quality, tags ('|'-separated or an array), output (a file name, may hold {variables}).
// Every other CSV column is a variable whose values are '|'-separated ("sneaker|boot"); in JSON Lines the variables
// are the object "vars" (a value or an array of values each). Every combination of a row's variable values is sent
// to every model of the row (see PromptMatrix).
class BatchFile
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::BatchFile)

public:
    enum class Format { Csv, JsonLines };

    static constexpr qint64 MaxFileBytes = qint64(16) * 1024 * 1024;
    static constexpr int MaxItems = 10000; // more is a campaign nobody reviewed before paying for it
    static constexpr int MaxImagesPerRequest = 10;

    // By extension (.jsonl, .ndjson: JSON Lines; .csv, .tsv: CSV), else by the first character ('{': JSON Lines).
    static Format formatOf(const QString& fileName, const QByteArray& content);
    // The items in file order, or every problem found ("line N: why"), at most a screenful. Nothing is sent
    // unless the whole file is valid.
    static Result<QList<BatchItem>, QStringList> parse(const QByteArray& content, Format format,
                                                       const BatchDefaults& defaults);
    // A name fit for a file on every platform: path separators, reserved and control characters replaced by '_'.
    static QString safeFileName(const QString& name);
};

} // namespace Pixapi
