#include "TestEnv.h"
#include "generation/ReuseParams.h"
#include "library/ImageMetadata.h"

#include <QJsonObject>
#include <QTest>

using namespace Pixapi;

// Reading a stored request back for "Reuse settings" and "Generate again".
class tst_ReuseParams : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void storedRequestComesBackAsSent();
    void missingOrMalformedFieldsFallBackToDefaults();
    void generateAgainAsksForOneImage();
    void exportedMetadataGivesTheSameRequest();

private:
    static LibraryRecord sampleRecord();
};

void tst_ReuseParams::initTestCase()
{
    TestEnv::init();
}

LibraryRecord tst_ReuseParams::sampleRecord()
{
    LibraryRecord record;
    record.id = 7;
    record.prompt = QStringLiteral("a lighthouse at dusk");
    record.model = QStringLiteral("gpt-image-2");
    record.params = QJsonObject {{QStringLiteral("n"), 3},
                                 {QStringLiteral("size"), QStringLiteral("1536x1024")},
                                 {QStringLiteral("quality"), QStringLiteral("high")},
                                 {QStringLiteral("response_format"), QStringLiteral("b64_json")},
                                 {QStringLiteral("index"), 2},
                                 {QStringLiteral("revised_prompt"), QStringLiteral("a tall lighthouse, revised")}};
    return record;
}

void tst_ReuseParams::storedRequestComesBackAsSent()
{
    const LibraryRecord record = sampleRecord();
    const GenerationParams params = ReuseParams::fromStored(record.prompt, record.model, record.params);
    QCOMPARE(params.prompt, QStringLiteral("a lighthouse at dusk")); // what the user typed, not the revision
    QCOMPARE(params.model, QStringLiteral("gpt-image-2"));
    QCOMPARE(params.n, 3);
    QCOMPARE(params.size, QStringLiteral("1536x1024"));
    QCOMPARE(params.quality, QStringLiteral("high"));
    QCOMPARE(params.responseFormat, QStringLiteral("b64_json"));
}

void tst_ReuseParams::missingOrMalformedFieldsFallBackToDefaults()
{
    const GenerationParams empty = ReuseParams::fromStored(QStringLiteral("p"), QStringLiteral("m"), {});
    QCOMPARE(empty.n, 1);
    QVERIFY(empty.size.isEmpty());
    QVERIFY(empty.quality.isEmpty());
    QVERIFY(empty.responseFormat.isEmpty());

    const QJsonObject odd {{QStringLiteral("n"), -4},
                           {QStringLiteral("size"), 1024},
                           {QStringLiteral("quality"), QJsonValue::Null},
                           {QStringLiteral("response_format"), QJsonObject {}}};
    const GenerationParams malformed = ReuseParams::fromStored(QStringLiteral("p"), QStringLiteral("m"), odd);
    QCOMPARE(malformed.n, 1);
    QVERIFY(malformed.size.isEmpty());
    QVERIFY(malformed.quality.isEmpty());
    QVERIFY(malformed.responseFormat.isEmpty());

    const GenerationParams textCount = ReuseParams::fromStored(
        QStringLiteral("p"), QStringLiteral("m"), QJsonObject {{QStringLiteral("n"), QStringLiteral("4")}});
    QCOMPARE(textCount.n, 1);
}

void tst_ReuseParams::generateAgainAsksForOneImage()
{
    const GenerationParams params = ReuseParams::paramsFromRecord(sampleRecord());
    QCOMPARE(params.n, 1);
    QCOMPARE(params.prompt, QStringLiteral("a lighthouse at dusk"));
    QCOMPARE(params.model, QStringLiteral("gpt-image-2"));
    QCOMPARE(params.size, QStringLiteral("1536x1024"));
    QCOMPARE(params.quality, QStringLiteral("high"));
    QCOMPARE(params.responseFormat, QStringLiteral("b64_json"));
}

void tst_ReuseParams::exportedMetadataGivesTheSameRequest()
{
    // An exported file carries the record's params: reading them back gives the same request.
    const LibraryRecord record = sampleRecord();
    const ImageMetadata metadata = ImageMetadata::fromRecord(record);
    const GenerationParams fromFile = ReuseParams::fromStored(metadata.prompt, metadata.model, metadata.params);
    const GenerationParams fromLibrary = ReuseParams::fromStored(record.prompt, record.model, record.params);
    QCOMPARE(fromFile.prompt, fromLibrary.prompt);
    QCOMPARE(fromFile.model, fromLibrary.model);
    QCOMPARE(fromFile.n, fromLibrary.n);
    QCOMPARE(fromFile.size, fromLibrary.size);
    QCOMPARE(fromFile.quality, fromLibrary.quality);
    QCOMPARE(fromFile.responseFormat, fromLibrary.responseFormat);
}

QTEST_GUILESS_MAIN(tst_ReuseParams)
#include "tst_ReuseParams.moc"
