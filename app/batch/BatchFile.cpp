#include "batch/BatchFile.h"

#include "batch/CsvReader.h"
#include "compare/PromptMatrix.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringDecoder>

#include <optional>

namespace Pixapi {

namespace {

constexpr int MaxReportedProblems = 20;

const QString kPrompt = QStringLiteral("prompt");
const QString kModel = QStringLiteral("model");
const QString kCount = QStringLiteral("n");
const QString kSize = QStringLiteral("size");
const QString kQuality = QStringLiteral("quality");
const QString kTags = QStringLiteral("tags");
const QString kOutput = QStringLiteral("output");
const QString kVars = QStringLiteral("vars");

// A row as written, before defaults and expansion; the same for both formats.
struct Row
{
    int line = 0;
    QString prompt;
    QStringList models;
    std::optional<int> n;
    QString size;
    QString quality;
    QStringList tags;
    QString output;
    QList<PromptVariable> variables; // every variable the row gives values for
};

// Collects the problems of a file, capped: a broken file of 10,000 rows must not print 10,000 lines.
class Problems
{
public:
    void add(int line, const QString& why)
    {
        ++m_count;
        if (m_list.size() < MaxReportedProblems)
            m_list << BatchFile::tr("line %1: %2").arg(line).arg(why);
    }
    void add(const QString& why)
    {
        ++m_count;
        if (m_list.size() < MaxReportedProblems)
            m_list << why;
    }
    bool isEmpty() const { return m_count == 0; }
    QStringList list() const
    {
        QStringList all = m_list;
        if (m_count > m_list.size())
            all << BatchFile::tr("… and %n more problem(s)", nullptr, m_count - int(m_list.size()));
        return all;
    }

private:
    QStringList m_list;
    int m_count = 0;
};

QStringList splitList(const QString& text)
{
    return PromptMatrix::splitValues(text);
}

std::optional<int> countFrom(const QString& text, bool* valid)
{
    *valid = true;
    if (text.trimmed().isEmpty())
        return std::nullopt;
    const int n = text.trimmed().toInt(valid);
    return *valid ? std::optional<int>(n) : std::nullopt;
}

// ---- CSV ---------------------------------------------------------------------------------------------------------

QList<Row> csvRows(const QString& text, Problems& problems)
{
    const auto parsed = CsvReader::parse(text);
    if (!parsed) {
        problems.add(parsed.error());
        return {};
    }
    const QList<CsvRecord>& records = parsed.value();
    if (records.isEmpty()) {
        problems.add(BatchFile::tr("the file has no header row (prompt, model, n, size, quality, tags, output)"));
        return {};
    }
    QStringList header;
    for (const QString& name : records.constFirst().fields)
        header << name.trimmed().toLower();
    if (!header.contains(kPrompt)) {
        problems.add(records.constFirst().line, BatchFile::tr("the header has no \"prompt\" column"));
        return {};
    }
    for (int i = 0; i < header.size(); ++i) {
        if (header.at(i).isEmpty())
            problems.add(records.constFirst().line, BatchFile::tr("column %1 of the header has no name").arg(i + 1));
        else if (header.indexOf(header.at(i)) != i)
            problems.add(records.constFirst().line, BatchFile::tr("column \"%1\" appears twice").arg(header.at(i)));
    }
    if (!problems.isEmpty())
        return {};

    static const QStringList known {kPrompt, kModel, kCount, kSize, kQuality, kTags, kOutput};
    QList<Row> rows;
    for (qsizetype r = 1; r < records.size(); ++r) {
        const CsvRecord& record = records.at(r);
        if (record.fields.size() > header.size()) {
            problems.add(record.line, BatchFile::tr("%1 fields, but the header names %2 columns")
                                          .arg(record.fields.size())
                                          .arg(header.size()));
            continue;
        }
        Row row;
        row.line = record.line;
        for (qsizetype c = 0; c < record.fields.size(); ++c) {
            const QString& name = header.at(c);
            const QString& value = record.fields.at(c);
            if (name == kPrompt) {
                row.prompt = value.trimmed();
            } else if (name == kModel) {
                row.models = splitList(value);
            } else if (name == kCount) {
                bool valid = false;
                row.n = countFrom(value, &valid);
                if (!valid)
                    problems.add(record.line, BatchFile::tr("n is \"%1\", not a whole number").arg(value));
            } else if (name == kSize) {
                row.size = value.trimmed();
            } else if (name == kQuality) {
                row.quality = value.trimmed();
            } else if (name == kTags) {
                row.tags = splitList(value);
            } else if (name == kOutput) {
                row.output = value.trimmed();
            } else if (!known.contains(name) && !value.trimmed().isEmpty()) {
                row.variables << PromptVariable {name, splitList(value)};
            }
        }
        rows << row;
    }
    return rows;
}

// ---- JSON Lines --------------------------------------------------------------------------------------------------

// A string or an array of strings, as a list; nothing (and a problem) for anything else.
std::optional<QStringList> stringsOf(const QJsonValue& value, bool splitString)
{
    if (value.isString())
        return splitString ? splitList(value.toString()) : QStringList {value.toString().trimmed()};
    if (!value.isArray())
        return std::nullopt;
    QStringList list;
    for (const QJsonValue& item : value.toArray()) {
        if (!item.isString() && !item.isDouble())
            return std::nullopt;
        const QString text = item.isString() ? item.toString().trimmed() : QString::number(item.toDouble(), 'g', 15);
        if (!text.isEmpty() && !list.contains(text))
            list << text;
    }
    return list;
}

std::optional<QString> textOf(const QJsonValue& value)
{
    if (value.isString())
        return value.toString().trimmed();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15); // "size": 1024 is meant as "1024"
    return std::nullopt;
}

QList<Row> jsonRows(const QString& text, Problems& problems)
{
    QList<Row> rows;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int line = int(i) + 1;
        const QString trimmed = lines.at(i).trimmed();
        if (trimmed.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(trimmed.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError) {
            problems.add(line, BatchFile::tr("not JSON (%1)").arg(error.errorString()));
            continue;
        }
        if (!document.isObject()) {
            problems.add(line, BatchFile::tr("not a JSON object"));
            continue;
        }
        const QJsonObject object = document.object();
        Row row;
        row.line = line;
        const auto wrongType = [&](const QString& key, const QString& expected) {
            problems.add(line, BatchFile::tr("\"%1\" must be %2").arg(key, expected));
        };
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString key = it.key();
            const QJsonValue value = it.value();
            if (key == kPrompt) {
                if (!value.isString())
                    wrongType(key, BatchFile::tr("a string"));
                row.prompt = value.toString().trimmed();
            } else if (key == kModel) {
                const auto models = stringsOf(value, true);
                if (!models)
                    wrongType(key, BatchFile::tr("a string or an array of strings"));
                row.models = models.value_or(QStringList());
            } else if (key == kCount) {
                const double n = value.toDouble(-1);
                if (!value.isDouble() || n != double(int(n)))
                    wrongType(key, BatchFile::tr("a whole number"));
                else
                    row.n = int(n);
            } else if (key == kSize || key == kQuality || key == kOutput) {
                const auto text = textOf(value);
                if (!text)
                    wrongType(key, BatchFile::tr("a string"));
                (key == kSize ? row.size : key == kQuality ? row.quality : row.output) = text.value_or(QString());
            } else if (key == kTags) {
                const auto tags = stringsOf(value, true);
                if (!tags)
                    wrongType(key, BatchFile::tr("a string or an array of strings"));
                row.tags = tags.value_or(QStringList());
            } else if (key == kVars) {
                if (!value.isObject()) {
                    wrongType(key, BatchFile::tr("an object of variable values"));
                    continue;
                }
                const QJsonObject vars = value.toObject();
                for (auto var = vars.constBegin(); var != vars.constEnd(); ++var) {
                    const auto values = stringsOf(var.value(), false);
                    if (!values)
                        problems.add(
                            line,
                            BatchFile::tr("variable \"%1\" must be a string or an array of strings").arg(var.key()));
                    else
                        row.variables << PromptVariable {var.key(), *values};
                }
            } else {
                problems.add(line, BatchFile::tr("unknown key \"%1\" (variables go in \"vars\")").arg(key));
            }
        }
        rows << row;
    }
    return rows;
}

// ---- expansion ---------------------------------------------------------------------------------------------------

QString itemKey(const GenerationParams& params, const QString& output)
{
    const QJsonArray identity {params.model,   params.prompt,         params.n, params.size,
                               params.quality, params.responseFormat, output};
    const QByteArray canonical = QJsonDocument(identity).toJson(QJsonDocument::Compact);
    return QString::fromLatin1(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex().left(32));
}

// The output name with the prompt's values filled in; a problem when it names a variable the prompt has not.
std::optional<QString> filledOutput(const QString& output, const FilledPrompt& prompt)
{
    QString name = output;
    for (const auto& [variable, value] : prompt.bindings)
        name.replace(QLatin1Char('{') + variable + QLatin1Char('}'), value);
    if (!PromptMatrix::variablesIn(name).isEmpty())
        return std::nullopt;
    return BatchFile::safeFileName(name);
}

void expand(const Row& row, const BatchDefaults& defaults, QList<BatchItem>& items, QHash<QString, int>& keyUses,
            Problems& problems)
{
    if (row.prompt.isEmpty()) {
        problems.add(row.line, BatchFile::tr("the prompt is empty"));
        return;
    }
    const QStringList models = row.models.isEmpty() ? defaults.models : row.models;
    if (models.isEmpty()) {
        problems.add(row.line, BatchFile::tr("no model: add a \"model\" column or give --model"));
        return;
    }
    const int n = row.n.value_or(defaults.n);
    if (n < 1 || n > BatchFile::MaxImagesPerRequest) {
        problems.add(row.line, BatchFile::tr("n must be from 1 to %1").arg(BatchFile::MaxImagesPerRequest));
        return;
    }

    PromptMatrix matrix;
    matrix.prompt = row.prompt;
    const QStringList used = PromptMatrix::variablesIn(row.prompt);
    for (const QString& name : used) {
        const auto given = std::find_if(row.variables.cbegin(), row.variables.cend(),
                                        [&name](const PromptVariable& v) { return v.name == name; });
        matrix.variables << PromptVariable {name, given == row.variables.cend() ? QStringList() : given->values};
    }
    for (const PromptVariable& variable : row.variables) {
        if (!used.contains(variable.name))
            problems.add(row.line, BatchFile::tr("\"%1\" has values but the prompt has no {%1}").arg(variable.name));
    }
    if (const auto problem = matrix.problem()) {
        problems.add(row.line, *problem);
        return;
    }

    const QList<FilledPrompt> prompts = matrix.expand();
    for (const QString& model : models) {
        for (const FilledPrompt& prompt : prompts) {
            BatchItem item;
            item.line = row.line;
            item.params.model = model;
            item.params.prompt = prompt.text;
            item.params.n = n;
            item.params.size = row.size.isEmpty() ? defaults.size : row.size;
            item.params.quality = row.quality.isEmpty() ? defaults.quality : row.quality;
            item.params.responseFormat = defaults.responseFormat;
            item.tags = row.tags;
            for (const auto& binding : prompt.bindings)
                item.tags << PromptMatrix::tagFor(binding);
            const auto output = filledOutput(row.output, prompt);
            if (!output) {
                problems.add(row.line, BatchFile::tr("the output name uses a variable the prompt does not have"));
                return;
            }
            item.outputName = *output;
            // The same request twice in one batch is meant twice: the second gets a key of its own.
            const QString key = itemKey(item.params, item.outputName);
            const int uses = ++keyUses[key];
            item.key = uses == 1 ? key : key + QLatin1Char('-') + QString::number(uses);
            items << item;
            if (items.size() > BatchFile::MaxItems)
                return; // a row of thousands of models must not be expanded whole before the cap is checked
        }
    }
}

} // namespace

BatchFile::Format BatchFile::formatOf(const QString& fileName, const QByteArray& content)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson"))
        return Format::JsonLines;
    if (suffix == QLatin1String("csv") || suffix == QLatin1String("tsv"))
        return Format::Csv;
    return content.trimmed().startsWith('{') ? Format::JsonLines : Format::Csv;
}

Result<QList<BatchItem>, QStringList> BatchFile::parse(const QByteArray& content, Format format,
                                                       const BatchDefaults& defaults)
{
    using Failure = Result<QList<BatchItem>, QStringList>;
    if (content.size() > MaxFileBytes)
        return Failure::failure({tr("the file is larger than %1 MiB").arg(MaxFileBytes / (1024 * 1024))});
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(content);
    if (decoder.hasError())
        return Failure::failure({tr("the file is not UTF-8 text")});

    Problems problems;
    const QList<Row> rows = format == Format::Csv ? csvRows(text, problems) : jsonRows(text, problems);
    QList<BatchItem> items;
    QHash<QString, int> keyUses;
    for (const Row& row : rows) {
        expand(row, defaults, items, keyUses, problems);
        if (items.size() > MaxItems) {
            problems.add(row.line,
                         tr("the batch grows past %1 requests here; split it into several files").arg(MaxItems));
            break;
        }
    }
    if (problems.isEmpty() && items.isEmpty())
        problems.add(tr("the file has no rows"));
    if (!problems.isEmpty())
        return Failure::failure(problems.list());
    return items;
}

QString BatchFile::safeFileName(const QString& name)
{
    static const QRegularExpression reserved(QStringLiteral("[/\\\\:*?\"<>|\\x00-\\x1f\\x7f]"));
    QString safe = name.trimmed();
    safe.replace(reserved, QStringLiteral("_"));
    while (safe.startsWith(QLatin1Char('.')))
        safe.remove(0, 1); // no hidden files, no ".."
    return safe.left(120).trimmed();
}

} // namespace Pixapi
