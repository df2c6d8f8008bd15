// libFuzzer harness for batch files (pixapi-cli batch). The first byte picks the entry point:
//   0  a CSV file: CsvReader, then BatchFile
//   1  a JSON Lines file: BatchFile
// Invariants: CSV records written back (every field quoted) read back the same; a file that parses gives requests
// that can be sent (a model, a prompt, 1 to 10 images, no more than MaxItems), each with a key of its own and an
// output name that is a plain file name; a file that does not parse says why in at most a screenful of lines.
#include "FuzzSupport.h"
#include "batch/BatchFile.h"
#include "batch/CsvReader.h"

#include <QSet>

#include <cstddef>
#include <cstdint>

namespace {

using namespace Pixapi;

QString quoted(const CsvRecord& record)
{
    QStringList fields;
    for (QString field : record.fields)
        fields << QLatin1Char('"') + field.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return fields.join(QLatin1Char(','));
}

void csvRoundTrip(const QByteArray& input)
{
    const auto records = CsvReader::parse(QString::fromUtf8(input));
    if (!records) {
        FUZZ_CHECK(records.error().startsWith(QLatin1String("line ")));
        return;
    }
    QStringList lines;
    for (const CsvRecord& record : records.value()) {
        FUZZ_CHECK(record.line >= 1 && !record.fields.isEmpty());
        lines << quoted(record);
    }
    const auto again = CsvReader::parse(lines.join(QLatin1Char('\n')));
    FUZZ_CHECK(again.ok() && again.value().size() == records.value().size());
    for (qsizetype i = 0; i < again.value().size(); ++i)
        FUZZ_CHECK(again.value().at(i).fields == records.value().at(i).fields);
}

void batch(const QByteArray& input, BatchFile::Format format)
{
    BatchDefaults defaults;
    defaults.models = {QStringLiteral("gpt-image-2")};
    const auto parsed = BatchFile::parse(input, format, defaults);
    if (!parsed) {
        FUZZ_CHECK(!parsed.error().isEmpty() && parsed.error().size() <= 21);
        return;
    }
    const QList<BatchItem>& items = parsed.value();
    FUZZ_CHECK(!items.isEmpty() && items.size() <= BatchFile::MaxItems);
    QSet<QString> keys;
    for (const BatchItem& item : items) {
        FUZZ_CHECK(item.line >= 1);
        FUZZ_CHECK(!item.params.model.isEmpty() && !item.params.prompt.trimmed().isEmpty());
        FUZZ_CHECK(item.params.n >= 1 && item.params.n <= BatchFile::MaxImagesPerRequest);
        FUZZ_CHECK(!keys.contains(item.key));
        keys.insert(item.key);
        FUZZ_CHECK(BatchFile::safeFileName(item.outputName) == item.outputName);
        FUZZ_CHECK(!item.outputName.contains(QLatin1Char('/')) && !item.outputName.startsWith(QLatin1Char('.')));
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    PixapiFuzz::init(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const PixapiFuzz::Selected selected = PixapiFuzz::select(data, size, 2);
    if (selected.entry == 0) {
        csvRoundTrip(selected.input);
        batch(selected.input, BatchFile::Format::Csv);
    } else {
        batch(selected.input, BatchFile::Format::JsonLines);
    }
    return 0;
}
