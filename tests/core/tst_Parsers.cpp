#include "TestEnv.h"
#include "api/Parsers.h"

#include <QImage>
#include <QTest>

using namespace Pixapi;
using K = ApiError::Kind;

class tst_Parsers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void generationUrl()
    {
        const auto r = Parsers::parseGenerationResponse(TestEnv::readFixture(QStringLiteral("gen_ok_url.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().created, 1766880000);
        QCOMPARE(r.value().images.size(), 1);
        QCOMPARE(r.value().images.at(0).url, QUrl(QStringLiteral("https://cdn.pixapi.ai/generated/abc.png")));
        QVERIFY(r.value().images.at(0).bytes.isEmpty());
    }

    void generationBase64()
    {
        const auto r = Parsers::parseGenerationResponse(TestEnv::readFixture(QStringLiteral("gen_ok_b64.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().images.size(), 2);
        QCOMPARE(r.value().images.at(0).bytes, TestEnv::readFixture(QStringLiteral("tiny_4x3.png")));
        QCOMPARE(QImage::fromData(r.value().images.at(1).bytes).size(), QSize(4, 3));
        QCOMPARE(r.value().images.at(1).revisedPrompt, QStringLiteral("a red square"));
    }

    void generationLegacyAndDataUrl()
    {
        const auto legacy = Parsers::parseGenerationResponse(TestEnv::readFixture(QStringLiteral("gen_legacy_url_array.json")));
        QVERIFY(legacy.ok());
        QCOMPARE(legacy.value().images.size(), 2);
        QCOMPARE(legacy.value().images.at(1).url.host(), QStringLiteral("cdn.pixapi.ai"));

        const auto dataUrl = Parsers::parseGenerationResponse(TestEnv::readFixture(QStringLiteral("gen_data_url.json")));
        QVERIFY(dataUrl.ok());
        QCOMPARE(dataUrl.value().images.at(0).bytes, TestEnv::readFixture(QStringLiteral("tiny_4x3.png")));
    }

    void generationErrors_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<K>("kind");
        QTest::newRow("invalid base64") << QStringLiteral("gen_invalid_base64.json") << K::InvalidImage;
        QTest::newRow("empty data") << QStringLiteral("gen_empty_data.json") << K::MalformedResponse;
        QTest::newRow("data is a string") << QStringLiteral("gen_data_wrong_type.json") << K::MalformedResponse;
        QTest::newRow("item without image") << QStringLiteral("gen_item_without_image.json") << K::MalformedResponse;
        QTest::newRow("truncated JSON") << QStringLiteral("gen_truncated.json") << K::MalformedResponse;
        QTest::newRow("HTML error page") << QStringLiteral("gen_not_json.html") << K::MalformedResponse;
        QTest::newRow("top-level array") << QStringLiteral("gen_top_level_array.json") << K::MalformedResponse;
        QTest::newRow("relative URL") << QStringLiteral("gen_relative_url.json") << K::MalformedResponse;
        QTest::newRow("image bytes as body") << QStringLiteral("tiny_4x3.png") << K::MalformedResponse;
    }

    void generationErrors()
    {
        QFETCH(QString, fixture);
        QFETCH(K, kind);
        const auto r = Parsers::parseGenerationResponse(TestEnv::readFixture(fixture));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kind);
        QVERIFY(!r.error().userMessage().isEmpty());
    }

    void generationEmptyAndHugeInputs()
    {
        QCOMPARE(Parsers::parseGenerationResponse({}).error().kind, K::MalformedResponse);
        QCOMPARE(Parsers::parseGenerationResponse(QByteArray(2 << 20, '[')).error().kind, K::MalformedResponse);
        const QByteArray hugeNumber = R"({"created": 1e300, "data": [{"url": "https://x.example/a.png"}]})";
        QVERIFY(Parsers::parseGenerationResponse(hugeNumber).ok()); // an absurd timestamp is not a reason to lose the image
        QCOMPARE(Parsers::parseGenerationResponse(hugeNumber).value().created, 0);
    }

    void strictBase64()
    {
        QVERIFY(Parsers::decodeBase64Image("aGVsbG8=").has_value());
        QVERIFY(!Parsers::decodeBase64Image("aGVsbG8=x").has_value());
        QVERIFY(!Parsers::decodeBase64Image("aGV sbG8=!").has_value());
        QVERIFY(!Parsers::decodeBase64Image("").has_value());
        QVERIFY(!Parsers::decodeBase64Image("data:image/png,notbase64").has_value());
        QCOMPARE(*Parsers::decodeBase64Image("data:image/png;base64,aGVsbG8="), QByteArray("hello"));
    }

    void modelsOpenAiShape()
    {
        const auto r = Parsers::parseModelList(TestEnv::readFixture(QStringLiteral("models_openai_shape.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), 2);
        QCOMPARE(r.value().at(0).id, QStringLiteral("gpt-image-1"));
        QCOMPARE(r.value().at(0).displayName(), QStringLiteral("gpt-image-1"));
        QCOMPARE(r.value().at(0).family, QStringLiteral("gpt-image"));
        QVERIFY(!r.value().at(0).creditsPerImage);
    }

    void modelsRichShape()
    {
        const auto r = Parsers::parseModelList(TestEnv::readFixture(QStringLiteral("models_rich.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), 2);
        const ModelInfo& nano = r.value().at(0);
        QCOMPARE(nano.displayName(), QStringLiteral("Nano Banana"));
        QCOMPARE(nano.aliases, QStringList{QStringLiteral("nano-banana")});
        QCOMPARE(*nano.creditsPerImage, 2.0);
        QCOMPARE(nano.maxN, 4);
        QVERIFY(nano.supportsEdits);
        QVERIFY(nano.isImageModel);
        QVERIFY(!r.value().at(1).isImageModel);
        QVERIFY(r.value().at(1).asyncOnly);
    }

    void modelsBadEntries()
    {
        const auto r = Parsers::parseModelList(TestEnv::readFixture(QStringLiteral("models_bad_entries.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), 1); // only the entry with a string id survives
        const ModelInfo& m = r.value().at(0);
        QCOMPARE(m.id, QStringLiteral("ok-model"));
        QVERIFY(!m.creditsPerImage); // "free" is not a number
        QCOMPARE(m.maxN, 0);         // 1e300 is not a sane limit
        QVERIFY(m.sizes.isEmpty());  // a string where a list belongs is ignored
    }

    void modelsShapes()
    {
        QVERIFY(Parsers::parseModelList(TestEnv::readFixture(QStringLiteral("models_bare_array.json"))).ok());
        QCOMPARE(Parsers::parseModelList(TestEnv::readFixture(QStringLiteral("models_no_data.json"))).error().kind,
                 K::MalformedResponse);
        QCOMPARE(Parsers::parseModelList("{").error().kind, K::MalformedResponse);
    }

    void errorBodies_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<K>("kind");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("requestId");
        QTest::newRow("numeric code + type") << 400 << QStringLiteral("error_numeric_code.json") << K::BadRequest
                                             << QStringLiteral("invalid_request_error") << QString();
        QTest::newRow("string code") << 429 << QStringLiteral("error_string_code.json") << K::RateLimited
                                     << QStringLiteral("rate_limited") << QString();
        QTest::newRow("request id") << 503 << QStringLiteral("error_request_id.json") << K::Unavailable
                                    << QStringLiteral("model_unavailable") << QStringLiteral("req_123");
        QTest::newRow("OpenAI quota is credits, not a rate limit")
            << 429 << QStringLiteral("error_openai_quota.json") << K::InsufficientCredits
            << QStringLiteral("insufficient_quota") << QString();
        QTest::newRow("bare message") << 401 << QStringLiteral("error_bare_message.json") << K::Unauthorized
                                      << QStringLiteral("401") << QString();
        QTest::newRow("HTML page") << 502 << QStringLiteral("gen_not_json.html") << K::Unavailable
                                   << QStringLiteral("502") << QString();
    }

    void errorBodies()
    {
        QFETCH(int, status);
        QFETCH(QString, fixture);
        QFETCH(K, kind);
        QFETCH(QString, code);
        QFETCH(QString, requestId);
        const ApiError e = Parsers::parseErrorResponse(status, TestEnv::readFixture(fixture));
        QCOMPARE(e.kind, kind);
        QCOMPARE(e.httpStatus, status);
        QCOMPARE(e.code, code);
        QCOMPARE(e.requestId, requestId);
        QVERIFY(!e.serverMessage.contains(QLatin1String("<html>")));
    }

    void statusTable_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<K>("kind");
        QTest::newRow("400") << 400 << K::BadRequest;
        QTest::newRow("401") << 401 << K::Unauthorized;
        QTest::newRow("402") << 402 << K::InsufficientCredits;
        QTest::newRow("403") << 403 << K::Forbidden;
        QTest::newRow("404") << 404 << K::NotFound;
        QTest::newRow("413") << 413 << K::PayloadTooLarge;
        QTest::newRow("422") << 422 << K::Rejected;
        QTest::newRow("429") << 429 << K::RateLimited;
        QTest::newRow("500") << 500 << K::ServerError;
        QTest::newRow("503") << 503 << K::Unavailable;
        QTest::newRow("418") << 418 << K::HttpError;
    }

    void statusTable()
    {
        QFETCH(int, status);
        QFETCH(K, kind);
        QCOMPARE(Parsers::parseErrorResponse(status, {}).kind, kind);
    }

    void balance()
    {
        const auto ok = Parsers::parseBalance(TestEnv::readFixture(QStringLiteral("balance_ok.json")));
        QVERIFY(ok.ok());
        QCOMPARE(ok.value().credits, 987.5);
        QCOMPARE(Parsers::parseBalance(TestEnv::readFixture(QStringLiteral("balance_wrong_type.json"))).error().kind,
                 K::MalformedResponse);
    }
};

QTEST_GUILESS_MAIN(tst_Parsers)
#include "tst_Parsers.moc"
