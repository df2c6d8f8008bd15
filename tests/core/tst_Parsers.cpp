#include "TestEnv.h"
#include "api/Parsers.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
        const auto legacy =
            Parsers::parseGenerationResponse(TestEnv::readFixture(QStringLiteral("gen_legacy_url_array.json")));
        QVERIFY(legacy.ok());
        QCOMPARE(legacy.value().images.size(), 2);
        QCOMPARE(legacy.value().images.at(1).url.host(), QStringLiteral("cdn.pixapi.ai"));

        const auto dataUrl =
            Parsers::parseGenerationResponse(TestEnv::readFixture(QStringLiteral("gen_data_url.json")));
        QVERIFY(dataUrl.ok());
        QCOMPARE(dataUrl.value().images.at(0).bytes, TestEnv::readFixture(QStringLiteral("tiny_4x3.png")));
    }

    // One broken item does not cost the others: they were paid for together.
    void generationKeepsReadableItems()
    {
        const QString png = QString::fromLatin1(TestEnv::readFixture(QStringLiteral("tiny_4x3.png")).toBase64());
        const QJsonArray data {QJsonObject {{QStringLiteral("b64_json"), QStringLiteral("%%%not-base64%%%")}},
                               QJsonObject {{QStringLiteral("b64_json"), png}},
                               QJsonObject {{QStringLiteral("url"), QStringLiteral("/relative.png")}},
                               QStringLiteral("not an object"),
                               QJsonObject {{QStringLiteral("url"), QStringLiteral("https://cdn.pixapi.ai/a.png")}}};
        const auto r = Parsers::parseGenerationResponse(
            QJsonDocument(QJsonObject {{QStringLiteral("data"), data}}).toJson(QJsonDocument::Compact));
        QVERIFY(r.ok());
        const QList<GeneratedImage>& images = r.value().images;
        QCOMPARE(images.size(), 5);
        QCOMPARE(images.at(0).error->kind, K::InvalidImage);
        QVERIFY(images.at(0).bytes.isEmpty());
        QVERIFY(!images.at(1).error);
        QCOMPARE(QImage::fromData(images.at(1).bytes).size(), QSize(4, 3));
        QCOMPARE(images.at(2).error->kind, K::MalformedResponse);
        QVERIFY(images.at(2).url.isEmpty());
        QCOMPARE(images.at(3).error->kind, K::MalformedResponse);
        QVERIFY(!images.at(4).error);
        QCOMPARE(images.at(4).url.host(), QStringLiteral("cdn.pixapi.ai"));

        // Nothing readable at all: the answer fails, with the first item's reason.
        const QJsonArray broken {QJsonObject {{QStringLiteral("b64_json"), QStringLiteral("%%%")}},
                                 QJsonObject {{QStringLiteral("url"), QStringLiteral("/relative.png")}}};
        const auto none = Parsers::parseGenerationResponse(
            QJsonDocument(QJsonObject {{QStringLiteral("data"), broken}}).toJson(QJsonDocument::Compact));
        QVERIFY(!none.ok());
        QCOMPARE(none.error().kind, K::InvalidImage);
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
        QVERIFY(
            Parsers::parseGenerationResponse(hugeNumber).ok()); // an absurd timestamp is not a reason to lose the image
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
        QCOMPARE(nano.aliases, QStringList {QStringLiteral("nano-banana")});
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

    void modelsPriceTablesAndHints()
    {
        const auto r = Parsers::parseModelList(TestEnv::readFixture(QStringLiteral("models_price_tables.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().size(), 4);

        // Tier → quality → credits.
        const ModelInfo& gpt = r.value().at(0);
        QCOMPARE(gpt.speed, QStringLiteral("slow"));
        QCOMPARE(gpt.qualityHint, QStringLiteral("premium"));
        QCOMPARE(gpt.creditsTable.size(), 2);
        QCOMPARE(gpt.creditsTable.value(QStringLiteral("2K")).value(QStringLiteral("medium")), 17.0);
        QCOMPARE(gpt.creditsTable.value(QStringLiteral("1K")).size(), 4);
        QVERIFY(gpt.resolutions.isEmpty());

        // Tier → credits: the quality-independent shape, stored under the quality "".
        const ModelInfo& flash = r.value().at(1);
        QCOMPARE(flash.speed, QStringLiteral("fast")); // case-insensitive
        QCOMPARE(flash.qualityHint, QStringLiteral("standard"));
        QCOMPARE(flash.resolutions, (QStringList {QStringLiteral("512"), QStringLiteral("1K"), QStringLiteral("2K"),
                                                  QStringLiteral("4K")}));
        QCOMPARE(flash.creditsTable.size(), 4);
        QCOMPARE(flash.creditsTable.value(QStringLiteral("4K")), (QMap<QString, double> {{QString(), 8.0}}));

        // Bad cells are dropped one by one; rows left empty disappear; unknown hints read as none.
        const ModelInfo& bad = r.value().at(2);
        QVERIFY(bad.speed.isEmpty());
        QVERIFY(bad.qualityHint.isEmpty());
        QVERIFY(bad.resolutions.isEmpty());
        QCOMPARE(bad.creditsTable.keys(), QStringList {QStringLiteral("2K")});
        QCOMPARE(bad.creditsTable.value(QStringLiteral("2K")), (QMap<QString, double> {{QStringLiteral("high"), 5.0}}));

        const ModelInfo& notObject = r.value().at(3);
        QVERIFY(notObject.creditsTable.isEmpty());
        QVERIFY(notObject.speed.isEmpty());

        // A bare OpenAI entry has none of it.
        const auto bare = Parsers::parseModelList(TestEnv::readFixture(QStringLiteral("models_openai_shape.json")));
        QVERIFY(bare.value().at(0).creditsTable.isEmpty());
        QVERIFY(bare.value().at(0).speed.isEmpty());
        QVERIFY(bare.value().at(0).resolutions.isEmpty());
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

    void taskNotFoundHasItsOwnMessage()
    {
        const ApiError task = Parsers::parseErrorResponse(404, R"({"error":{"code":"task_not_found","message":"x"}})");
        const ApiError model =
            Parsers::parseErrorResponse(404, R"({"error":{"code":"model_not_found","message":"x"}})");
        QCOMPARE(task.kind, K::NotFound);
        QVERIFY(task.userMessage().contains(QLatin1String("task")));
        QVERIFY(model.userMessage().contains(QLatin1String("model")));
    }

    void balance()
    {
        const auto ok = Parsers::parseBalance(TestEnv::readFixture(QStringLiteral("balance_ok.json")));
        QVERIFY(ok.ok());
        QCOMPARE(ok.value().credits, 987.5);
        QCOMPARE(Parsers::parseBalance(TestEnv::readFixture(QStringLiteral("balance_wrong_type.json"))).error().kind,
                 K::MalformedResponse);
    }

    void taskSubmitted()
    {
        const auto r = Parsers::parseTask(TestEnv::readFixture(QStringLiteral("task_submitted.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().id, QStringLiteral("task_01KPQ7J7DWB7QZ3WCEK3YVPBRA"));
        QCOMPARE(r.value().status, TaskInfo::Status::Submitted);
        QCOMPARE(r.value().progress, 0);
        QCOMPARE(r.value().createdAt, 1766880000);
        QCOMPARE(r.value().model, QStringLiteral("gemini-3.1-flash-image-preview"));
        QVERIFY(!r.value().isTerminal());
        QVERIFY(!r.value().result && !r.value().error);
    }

    void taskProcessingSynonymAndClampedProgress()
    {
        const auto r = Parsers::parseTask(TestEnv::readFixture(QStringLiteral("task_processing_in_progress.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().status, TaskInfo::Status::Processing);
        QCOMPARE(r.value().statusText, QStringLiteral("IN_PROGRESS"));
        QCOMPARE(r.value().progress, 100);
    }

    void taskCompleted()
    {
        const auto url = Parsers::parseTask(TestEnv::readFixture(QStringLiteral("task_completed_url.json")));
        QVERIFY(url.ok());
        QCOMPARE(url.value().status, TaskInfo::Status::Completed);
        QVERIFY(url.value().result);
        QCOMPARE(url.value().result->created, 1766880042);
        QCOMPARE(url.value().result->images.size(), 1);
        QCOMPARE(url.value().result->images.at(0).url.host(), QStringLiteral("cdn.pixapi.ai"));

        // data[] inline instead of under result: read like a sync answer; progress forced to 100.
        const auto inlined = Parsers::parseTask(TestEnv::readFixture(QStringLiteral("task_completed_inline_b64.json")));
        QVERIFY(inlined.ok());
        QCOMPARE(inlined.value().progress, 100);
        QCOMPARE(inlined.value().result->images.at(0).bytes, TestEnv::readFixture(QStringLiteral("tiny_4x3.png")));
    }

    void taskFailed()
    {
        const auto r = Parsers::parseTask(TestEnv::readFixture(QStringLiteral("task_failed.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().status, TaskInfo::Status::Failed);
        QVERIFY(r.value().isTerminal());
        QVERIFY(r.value().error);
        QCOMPARE(r.value().error->kind, K::Rejected);
        QCOMPARE(r.value().error->code, QStringLiteral("prompt_rejected"));
        QCOMPARE(r.value().error->serverMessage, QStringLiteral("The prompt was blocked by the provider."));
        QCOMPARE(r.value().error->requestId, QStringLiteral("req_42"));

        const auto bare = Parsers::parseTask(TestEnv::readFixture(QStringLiteral("task_failed_without_error.json")));
        QVERIFY(bare.ok());
        QVERIFY(bare.value().error);
        QCOMPARE(bare.value().error->code, QStringLiteral("task_failed"));
    }

    void taskUnknownStatusIsNeverSuccess()
    {
        const auto r = Parsers::parseTask(TestEnv::readFixture(QStringLiteral("task_unknown_status.json")));
        QVERIFY(r.ok());
        QCOMPARE(r.value().status, TaskInfo::Status::Unknown);
        QCOMPARE(r.value().statusText, QStringLiteral("succeeded"));
        QVERIFY(!r.value().isTerminal());
        QVERIFY(!r.value().result); // a result under an unknown status is not taken
        QCOMPARE(r.value().progress, 0);
    }

    void taskErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<K>("kind");
        QTest::newRow("completed without result")
            << TestEnv::readFixture(QStringLiteral("task_completed_without_result.json")) << K::MalformedResponse;
        QTest::newRow("id not a string") << TestEnv::readFixture(QStringLiteral("task_without_id.json"))
                                         << K::MalformedResponse;
        QTest::newRow("HTML") << TestEnv::readFixture(QStringLiteral("gen_not_json.html")) << K::MalformedResponse;
        QTest::newRow("array") << QByteArray("[]") << K::MalformedResponse;
        QTest::newRow("empty") << QByteArray() << K::MalformedResponse;
        QTest::newRow("completed with invalid base64")
            << QByteArray(R"({"id":"task_x","status":"completed","result":{"data":[{"b64_json":"!!"}]}})")
            << K::InvalidImage;
    }

    void taskErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(K, kind);
        const auto r = Parsers::parseTask(body);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, kind);
    }
};

QTEST_GUILESS_MAIN(tst_Parsers)
#include "tst_Parsers.moc"
