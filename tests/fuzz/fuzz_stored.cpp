// libFuzzer harness for what the app reads back from its own library index, which may be damaged or come from
// another version: a saved comparison board's setup, its cells' requests and errors (BoardJson, read by BoardStore),
// an async task row's params JSON (TaskRow::readParamsJson, read on every resume), and a prompt matrix as typed
// (PromptMatrix, BoardSpec::fromMatrix). The first byte picks the entry point:
//   0  a board's spec_json     1  a cell's error text     2  a cell's params_json     3  a task's params_json
//   4  a prompt matrix: "<template>\n<name>=<a|b|c>\n…"
// Invariants: every read gives sane values (n >= 1, ids > 0, counts in range), what is read writes back and reads
// back the same, a board's cells match its layout, and a matrix expands to exactly its combination count.
#include "FuzzSupport.h"
#include "compare/BoardJson.h"
#include "compare/BoardSpec.h"
#include "compare/PromptMatrix.h"
#include "generation/TaskStore.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>

namespace {

using namespace Pixapi;

bool sameParams(const GenerationParams& a, const GenerationParams& b)
{
    return a.model == b.model && a.prompt == b.prompt && a.n == b.n && a.size == b.size && a.quality == b.quality
           && a.responseFormat == b.responseFormat;
}

bool sameSpec(const BoardSpec& a, const BoardSpec& b)
{
    return sameParams(a.base, b.base) && a.models == b.models && a.variants == b.variants
           && a.promptVariables == b.promptVariables;
}

void checkSpec(const BoardSpec& spec)
{
    const QList<GenerationParams> cells = spec.cellParams();
    FUZZ_CHECK(cells.size() == spec.cellCount());
    FUZZ_CHECK(spec.columns() >= 1 && spec.layoutColumns() >= 1);
    FUZZ_CHECK(spec.variants.isEmpty() ? spec.layoutColumns() <= 4 : spec.layoutColumns() == spec.variants.size());
    for (const GenerationParams& cell : cells)
        FUZZ_CHECK(cell.n == spec.base.n);
    if (!spec.problem()) { // a board that may run
        FUZZ_CHECK(spec.models.size() >= BoardSpec::MinModels && spec.models.size() <= BoardSpec::MaxModels);
        FUZZ_CHECK(
            spec.variants.isEmpty()
            || (spec.variants.size() >= BoardSpec::MinVariants && spec.variants.size() <= BoardSpec::MaxVariants));
        FUZZ_CHECK(!spec.base.prompt.trimmed().isEmpty());
    }
}

void boardSpec(const QByteArray& input)
{
    const BoardSpec spec = BoardJson::specFromJson(QString::fromUtf8(input));
    FUZZ_CHECK(spec.base.n >= 1);
    checkSpec(spec);
    const BoardSpec again = BoardJson::specFromJson(BoardJson::specToJson(spec));
    FUZZ_CHECK(sameSpec(spec, again));
}

void cellError(const QByteArray& input)
{
    const QString text = QString::fromUtf8(input);
    const ApiError error = BoardJson::errorFromText(text);
    FUZZ_CHECK(!ApiError::kindName(error.kind).isEmpty());
    FUZZ_CHECK(!error.userMessage().isEmpty());
    const ApiError again = BoardJson::errorFromText(BoardJson::errorToJson(error));
    FUZZ_CHECK(again.kind == error.kind && again.httpStatus == error.httpStatus && again.code == error.code
               && again.serverMessage == error.serverMessage && again.requestId == error.requestId
               && again.mayHaveBeenProcessed == error.mayHaveBeenProcessed);
}

void cellParams(const QByteArray& input)
{
    const GenerationParams params = BoardJson::paramsFromJson(QJsonDocument::fromJson(input).object());
    FUZZ_CHECK(params.n >= 1);
    FUZZ_CHECK(sameParams(params, BoardJson::paramsFromJson(BoardJson::paramsToJson(params))));
}

void taskParams(const QByteArray& input)
{
    TaskRow row;
    row.readParamsJson(QString::fromUtf8(input));
    FUZZ_CHECK(row.params.n >= 1);
    FUZZ_CHECK(row.origin.inputImages >= 0 && row.origin.inputImages <= 64);
    FUZZ_CHECK(!row.creditsPerImage || (std::isfinite(*row.creditsPerImage) && *row.creditsPerImage >= 0));
    for (const qint64 id : row.parentIds)
        FUZZ_CHECK(id > 0);
    TaskRow again;
    again.readParamsJson(TaskRow::paramsJson(row.params, row.creditsPerImage, row.parentIds, row.origin));
    FUZZ_CHECK(sameParams(row.params, again.params));
    FUZZ_CHECK(row.creditsPerImage == again.creditsPerImage && row.parentIds == again.parentIds);
    FUZZ_CHECK(row.origin.source == again.origin.source && row.origin.inputImages == again.origin.inputImages);
    FUZZ_CHECK(row.origin.inputImages == 0 || row.origin.masked == again.origin.masked);
}

void promptMatrix(const QByteArray& input)
{
    const QList<QByteArray> lines = input.split('\n');
    const QString prompt = QString::fromUtf8(lines.value(0));
    QHash<QString, QString> valueTexts;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const auto [name, values] = PixapiFuzz::splitOnce(lines.at(i), '=');
        valueTexts.insert(QString::fromUtf8(name), QString::fromUtf8(values));
    }
    const PromptMatrix matrix = PromptMatrix::fromPrompt(prompt, valueTexts);
    const QStringList names = PromptMatrix::variablesIn(prompt);
    FUZZ_CHECK(matrix.variables.size() == names.size());
    for (const PromptVariable& variable : matrix.variables) {
        FUZZ_CHECK(names.contains(variable.name));
        for (const QString& value : variable.values)
            FUZZ_CHECK(!value.isEmpty() && value == value.trimmed() && variable.values.count(value) == 1);
    }
    const int count = matrix.combinationCount();
    FUZZ_CHECK(count >= 0);
    const QList<FilledPrompt> prompts = matrix.expand();
    FUZZ_CHECK(prompts.size() == (count <= PromptMatrix::MaxPrompts ? count : 0));
    for (const FilledPrompt& filled : prompts)
        FUZZ_CHECK(filled.bindings.size() == matrix.variables.size());
    if (!matrix.problem())
        FUZZ_CHECK(count >= 1 && count <= PromptMatrix::MaxPrompts && !prompts.isEmpty());

    GenerationParams base;
    base.prompt = prompt;
    const BoardSpec spec = BoardSpec::fromMatrix(matrix, base, {QStringLiteral("a"), QStringLiteral("b")});
    checkSpec(spec);
    FUZZ_CHECK(spec.promptVariables == matrix.variables);
    if (prompts.size() > 1)
        FUZZ_CHECK(spec.variants.size() == prompts.size());
    const BoardSpec saved = BoardJson::specFromJson(BoardJson::specToJson(spec));
    FUZZ_CHECK(sameSpec(spec, saved));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    PixapiFuzz::init(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const PixapiFuzz::Selected selected = PixapiFuzz::select(data, size, 5);
    switch (selected.entry) {
    case 0:
        boardSpec(selected.input);
        break;
    case 1:
        cellError(selected.input);
        break;
    case 2:
        cellParams(selected.input);
        break;
    case 3:
        taskParams(selected.input);
        break;
    default:
        promptMatrix(selected.input);
        break;
    }
    return 0;
}
