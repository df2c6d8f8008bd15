#include "TestEnv.h"
#include "api/Parsers.h"
#include "catalog/CatalogCache.h"
#include "catalog/RequestOptions.h"
#include "compare/BoardJson.h"
#include "compare/BoardStore.h"
#include "edit/EditMask.h"
#include "generation/TaskStore.h"
#include "library/ImageMetadata.h"
#include "library/ImageStore.h"
#include "sandbox/SandboxRenderer.h"
#include "support/PngSanity.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Pixapi;

// One row per input the fuzzers (tests/fuzz) found, or that was found by reading what they feed a parser: each
// reproduces a crash, undefined behaviour (caught when the suite runs under scripts/test-sanitizers.sh) or a broken
// invariant, and shows the fix holds. (No failOnWarning: libpng and libjpeg warn about these inputs, as they should.)
class tst_FuzzRegressions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }
    void pngChunkClaimingGigabytesIsRefusedBeforeLibpng();
    void jpegPayloadAfterStrayBytesIsNotEmbeddedTwice();
    void jpegSegmentWithBogusLengthIsLeftAlone();
    void maskStrokeWithHugeCoordinatesPaintsNothingUndefined();
    void catalogCacheWithHugeFetchTimeIsIgnored();
    void emptyErrorCodesFallBack();
    void listedSizesWithSpacesAreOfferedAndAccepted();
    void sandboxRatioWithHugeTermsDoesNotOverflow();
    void savedBoardWinnerOutsideItsCellsIsDropped();
    void storedRequestsAskForOneImageAtLeast();
};

// fuzz_image (OOM): a 169-byte PNG whose tEXt chunk claims 2 GB. libpng 1.6.39 allocates and zeroes the claimed size
// before noticing the data is not there, so every reader of untrusted PNG bytes checks the chunk lengths first.
void tst_FuzzRegressions::pngChunkClaimingGigabytesIsRefusedBeforeLibpng()
{
    const QByteArray png = TestEnv::readFixture(QStringLiteral("png_text_chunk_claims_2gb.png"));
    QCOMPARE(png.size(), 169);
    QVERIFY(!PngSanity::chunksFit(png));
    QVERIFY(PngSanity::chunksFit(TestEnv::solidPng(qRgb(1, 2, 3), {4, 4})));
    QVERIFY(PngSanity::chunksFit(QByteArray("not a png")));

    QElapsedTimer clock;
    clock.start();
    const auto inspected = ImageStore::inspect(png);
    QVERIFY(!inspected);
    QCOMPARE(inspected.error().kind, ApiError::Kind::InvalidImage);
    QVERIFY(!ImageMetadata::fromBytes(png));
    QVERIFY(!ImageMetadata::read(TestEnv::fixturePath(QStringLiteral("png_text_chunk_claims_2gb.png"))));
    QVERIFY(!EditMask::checkPng(png, {5, 5}));
    QVERIFY2(clock.elapsed() < 2000, "refused without allocating (zeroing 2 GB takes longer)");
}

namespace {

QByteArray smallJpeg()
{
    return TestEnv::encodedImage(TestEnv::solidImage(qRgb(200, 30, 30), {8, 8}), "JPEG");
}

ImageMetadata metadataOf(const QString& prompt)
{
    ImageMetadata metadata;
    metadata.prompt = prompt;
    metadata.model = QStringLiteral("gpt-image-2");
    return metadata;
}

} // namespace

// fuzz_image ("never a second payload"): a stray byte between APP0 and our comment hid the comment from the check,
// so a second payload went in front of it; libjpeg skips stray bytes, and readers saw the old settings.
void tst_FuzzRegressions::jpegPayloadAfterStrayBytesIsNotEmbeddedTwice()
{
    const QByteArray jpeg = smallJpeg();
    QVERIFY(jpeg.startsWith("\xff\xd8\xff\xe0"));
    const QByteArray withOld = metadataOf(QStringLiteral("old")).embedInEncoded(jpeg);
    QVERIFY(withOld != jpeg);
    const qsizetype afterApp0 = 4 + ((quint8(jpeg.at(4)) << 8) | quint8(jpeg.at(5)));
    QByteArray damaged = withOld;
    damaged.insert(afterApp0, '\0'); // the stray byte, right before our comment
    QCOMPARE(metadataOf(QStringLiteral("new")).embedInEncoded(damaged), damaged);
    const auto read = ImageMetadata::fromBytes(damaged);
    QVERIFY(read);
    QCOMPARE(read->prompt, QStringLiteral("old"));
}

// fuzz_image: an APPn segment whose length field is below 2 (it counts itself) was stepped over as 3 bytes and the
// comment went into the middle of the damaged header; such a header is now left alone.
void tst_FuzzRegressions::jpegSegmentWithBogusLengthIsLeftAlone()
{
    const QByteArray damaged = QByteArray::fromHex("ffd8ffe00001000000000000000100600060");
    QCOMPARE(metadataOf(QStringLiteral("x")).embedInEncoded(damaged), damaged);
}

// fuzz_edit (UBSan: "-nan is outside the range of representable values of type 'int'"): finite but huge coordinates
// overflow to inf - inf = NaN inside spansOf(), and NaN was converted to int.
void tst_FuzzRegressions::maskStrokeWithHugeCoordinatesPaintsNothingUndefined()
{
    EditMask mask(QSize(8, 8));
    mask.paintStroke({1e308, 0.5}, {-1e308, 0.5}, 1, EditMask::Tool::Brush);
    mask.paintStroke({1e308, 1e308}, {-1e308, -1e308}, 1e308, EditMask::Tool::Brush);
    qint64 painted = 0;
    for (int y = 0; y < 8; ++y) {
        const uchar* row = mask.image().constScanLine(y);
        painted += std::count(row, row + 8, uchar(255));
    }
    QCOMPARE(mask.paintedPixels(), painted);
    mask.paintDot({4, 4}, 1, EditMask::Tool::Brush); // still paints normally
    QVERIFY(!mask.isEmpty());
}

// fuzz_catalog (UBSan: "1e+300 is outside the range of representable values of type 'long long'"): the cache file's
// fetched_at was converted to qint64 before it was checked (corpus_catalog/cache_huge_time.json).
void tst_FuzzRegressions::catalogCacheWithHugeFetchTimeIsIgnored()
{
    QTemporaryDir dir;
    const CatalogCache cache(dir.path());
    const QUrl source(QStringLiteral("https://api.example/v1/models"));
    for (const QByteArray& time : {QByteArray("1e300"), QByteArray("-1e300"), QByteArray("9.3e18")}) {
        QFile file(cache.filePath(source));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(R"({"version":1,"source":"https://api.example/v1/models","fetched_at":)" + time
                   + R"(,"body":"{}"})");
        file.close();
        QVERIFY2(!cache.load(source), time.constData());
    }
    QVERIFY(cache.store(source, "{}", QDateTime::fromMSecsSinceEpoch(1700000000000, Qt::UTC)));
    QVERIFY(cache.load(source));
}

// fuzz_parsers: {"code": ""} left the error (and a failed task) without a machine code.
void tst_FuzzRegressions::emptyErrorCodesFallBack()
{
    QCOMPARE(Parsers::parseErrorResponse(503, R"({"error":{"type":"","code":"","message":"m"}})").code,
             QStringLiteral("503"));
    QCOMPARE(Parsers::parseErrorResponse(400, R"({"error":{"type":"","code":"bad_size"}})").code,
             QStringLiteral("bad_size"));
    const auto task = Parsers::parseTask(R"({"id":"task_1","status":"failed","error":{"code":""}})");
    QVERIFY(task);
    QVERIFY(task.value().error);
    QCOMPARE(task.value().error->code, QStringLiteral("task_failed"));
}

// fuzz_catalog ("a request made of an offered choice is never refused"): a model listing " 1024x1024" or "high " got
// that choice offered, and the request made of it refused because the UI trims what it sends.
void tst_FuzzRegressions::listedSizesWithSpacesAreOfferedAndAccepted()
{
    const auto models = Parsers::parseModelList(
        R"([{"id":"m","sizes":[" 1024x1024","auto "],"qualities":["high "],"aspect_ratios":[" 3:2"]}])");
    QVERIFY(models);
    const ModelInfo& model = models.value().constFirst();
    QCOMPARE(model.sizes, QStringList({QStringLiteral("1024x1024"), QStringLiteral("auto")}));
    QCOMPARE(model.qualities, QStringList {QStringLiteral("high")});
    NormalizedOptions options;
    options.sizeMode = NormalizedOptions::SizeMode::Exact;
    options.size = RequestOptions::controls(model).size.choices.constLast();
    options.quality = RequestOptions::controls(model).quality.choices.constFirst();
    const GenerationParams params = RequestOptions::toRequest(options, model);
    QCOMPARE(params.size, QStringLiteral("1024x1024"));
    QVERIFY(!RequestOptions::refusal(params, model));
}

// Read from what fuzz_sandbox feeds SandboxRenderer::sizeFor (UBSan: "signed integer overflow: 1024 *
// 9223372036854775806"; corpus_sandbox/size_huge_ratio.txt).
void tst_FuzzRegressions::sandboxRatioWithHugeTermsDoesNotOverflow()
{
    QCOMPARE(SandboxRenderer::sizeFor(QStringLiteral("9223372036854775807:9223372036854775806")), QSize(1024, 1024));
    QCOMPARE(SandboxRenderer::sizeFor(QStringLiteral("1:9223372036854775807")), QSize(1, 1024));
    QCOMPARE(SandboxRenderer::sizeFor(QStringLiteral("16:9")), QSize(1024, 576));
    QCOMPARE(SandboxRenderer::sizeFor(QStringLiteral("2:3")), QSize(682, 1024));
}

// Read from the fuzz_stored work: a saved board's winner_cell outside its cells (a damaged index) reached
// SavedBoardsDialog, which checked only the upper bound (cells.at(-1)).
void tst_FuzzRegressions::savedBoardWinnerOutsideItsCellsIsDropped()
{
    QTemporaryDir dir;
    BoardStore store(dir.path());
    QVERIFY(store.open());
    BoardSpec spec;
    spec.base.prompt = QStringLiteral("a fox");
    spec.models = QStringList {QStringLiteral("a"), QStringLiteral("b")};
    const auto id = store.create(spec);
    QVERIFY(id);
    for (const int winner : {-1, 2, 1000}) {
        QVERIFY(store.setVerdict(id.value(), winner, QStringLiteral("note")));
        const auto saved = store.load(id.value());
        QVERIFY(saved);
        QVERIFY(!saved.value().winner);
    }
    QVERIFY(store.setVerdict(id.value(), 1, QString()));
    const auto picked = store.load(id.value());
    QVERIFY(picked && picked.value().winner);
    QCOMPARE(*picked.value().winner, 1);
}

// fuzz_stored: a damaged params_json gave n <= 0 (charged as negative images when a resumed task has no answer),
// parent ids <= 0 and negative prices.
void tst_FuzzRegressions::storedRequestsAskForOneImageAtLeast()
{
    TaskRow row;
    row.readParamsJson(
        QStringLiteral(R"({"n":-5,"parent_ids":[0,-3,7,"x"],"credits_per_image":-1,"input_images":99})"));
    QCOMPARE(row.params.n, 1);
    QCOMPARE(row.parentIds, QList<qint64> {7});
    QVERIFY(!row.creditsPerImage);
    QCOMPARE(row.origin.inputImages, 64);
    QCOMPARE(BoardJson::paramsFromJson(QJsonObject {{QStringLiteral("n"), 0}}).n, 1);
    QCOMPARE(BoardJson::specFromJson(QStringLiteral(R"({"base":{"n":-2}})")).base.n, 1);
}

QTEST_GUILESS_MAIN(tst_FuzzRegressions)
#include "tst_FuzzRegressions.moc"
