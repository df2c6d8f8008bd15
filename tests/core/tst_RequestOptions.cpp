#include "TestEnv.h"
#include "api/Parsers.h"
#include "catalog/RequestOptions.h"
#include "sandbox/SandboxCatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Pixapi;
using Mode = NormalizedOptions::SizeMode;

Q_DECLARE_METATYPE(Pixapi::NormalizedOptions::SizeMode)

namespace {

// The models exactly as a client reads them from the sandbox's /v1/models, plus a bare {id} entry.
QList<ModelInfo> catalog()
{
    QJsonArray data;
    for (const SandboxModel& model : SandboxCatalog::models())
        data.append(SandboxCatalog::toJson(model));
    data.append(QJsonObject {{QStringLiteral("id"), QStringLiteral("bare-model")}});
    return Parsers::parseModelList(QJsonDocument(QJsonObject {{QStringLiteral("data"), data}}).toJson()).value();
}

ModelInfo model(const QString& id)
{
    const QList<ModelInfo> all = catalog();
    for (const ModelInfo& m : all) {
        if (m.id == id)
            return m;
    }
    qFatal("no model %s", qPrintable(id));
}

} // namespace

class tst_RequestOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    // The mapping table: one UI state × one model → the request fields, or why it is refused before sending.
    void mapping_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<Mode>("mode");
        QTest::addColumn<QString>("size");  // Exact mode
        QTest::addColumn<QString>("ratio"); // AspectRatio mode
        QTest::addColumn<QString>("tier");  // AspectRatio mode
        QTest::addColumn<QString>("quality");
        QTest::addColumn<int>("n");
        QTest::addColumn<QString>("wantSize");
        QTest::addColumn<QString>("wantQuality");
        QTest::addColumn<QString>("refusal"); // a word of the refusal; empty = accepted

        const QString lite = QStringLiteral("gemini-3.1-flash-lite-image");
        const QString flash = QStringLiteral("gemini-2.5-flash-image");
        const QString flash2 = QStringLiteral("gemini-3.1-flash-image-preview");
        const QString pro = QStringLiteral("gemini-3-pro-image-preview");
        const QString gpt15 = QStringLiteral("gpt-image-1.5");
        const QString gpt2 = QStringLiteral("gpt-image-2");
        const QString bare = QStringLiteral("bare-model");
        const QString none;
        const auto row = [](const char* name) -> QTestData& { return QTest::newRow(name); };

        // Flash Lite takes ratio strings only, 1K only, no quality.
        row("lite pixels → nearest ratio")
            << lite << Mode::Exact << "1536x1024" << none << none << none << 1 << "4:3" << none << none;
        row("lite square pixels") << lite << Mode::Exact << "1024x1024" << none << none << none << 1 << "1:1" << none
                                  << none;
        row("lite ratio") << lite << Mode::AspectRatio << none << "16:9" << none << none << 1 << "16:9" << none << none;
        row("lite tier control is off") << lite << Mode::AspectRatio << none << "9:16"
                                        << "2K" << none << 1 << "9:16" << none << none;
        row("lite drops quality") << lite << Mode::AspectRatio << none << "1:1" << none << "high" << 1 << "1:1" << none
                                  << none;
        row("lite auto → default") << lite << Mode::Exact << "auto" << none << none << none << 1 << none << none
                                   << none;
        row("lite n over max") << lite << Mode::Default << none << none << none << none << 5 << none << none
                               << "at most";
        row("lite unlisted ratio") << lite << Mode::AspectRatio << none << "21:9" << none << none << 1 << "1024x432"
                                   << none << "size";
        // 2.5 Flash: 1K pixel sizes and ratios.
        row("flash ratio") << flash << Mode::AspectRatio << none << "3:2" << none << none << 2 << "3:2" << none << none;
        row("flash listed pixels") << flash << Mode::Exact << "1248x832" << none << none << none << 1 << "1248x832"
                                   << none << none;
        row("flash drops quality") << flash << Mode::Exact << "1024x1024" << none << none << "low" << 1 << "1024x1024"
                                   << none << none;
        // 3.1 Flash: WxH or 512/1K/2K/4K tiers.
        row("flash2 tier") << flash2 << Mode::AspectRatio << none << none << "2K" << none << 1 << "2K" << none << none;
        row("flash2 512 square") << flash2 << Mode::AspectRatio << none << "1:1"
                                 << "512" << none << 1 << "512" << none << none;
        row("flash2 ratio at 1K") << flash2 << Mode::AspectRatio << none << "3:2"
                                  << "1K" << none << 1 << "3:2" << none << none;
        row("flash2 listed pixels") << flash2 << Mode::Exact << "512x512" << none << none << none << 1 << "512x512"
                                    << none << none;
        row("flash2 4096 square → 4K") << flash2 << Mode::Exact << "4096x4096" << none << none << none << 1 << "4K"
                                       << none << none;
        row("flash2 tier lower case") << flash2 << Mode::Exact << "2k" << none << none << none << 1 << "2K" << none
                                      << none;
        row("flash2 16:9 at 2K unlisted") << flash2 << Mode::AspectRatio << none << "16:9"
                                          << "2K" << none << 1 << "2048x1152" << none << "size";
        // 3 Pro: listed pixels for ratio + tier, tier strings for squares; no 512.
        row("pro 16:9 4K") << pro << Mode::AspectRatio << none << "16:9"
                           << "4K" << none << 1 << "3840x2160" << none << none;
        row("pro 16:9 2K") << pro << Mode::AspectRatio << none << "16:9"
                           << "2K" << none << 1 << "2048x1152" << none << none;
        row("pro square 4K") << pro << Mode::AspectRatio << none << none << "4K" << none << 1 << "4K" << none << none;
        row("pro has no 512") << pro << Mode::AspectRatio << none << none << "512" << none << 1 << "512x512" << none
                              << "size";
        // GPT Image: WxH or auto, low..auto quality.
        row("gpt15 auto") << gpt15 << Mode::Exact << "auto" << none << none << "high" << 1 << "auto"
                          << "high" << none;
        row("gpt15 ratio → pixels") << gpt15 << Mode::AspectRatio << none << "3:2"
                                    << "1K"
                                    << "medium" << 1 << "1536x1024"
                                    << "medium" << none;
        row("gpt15 ratio no tier") << gpt15 << Mode::AspectRatio << none << "2:3" << none << none << 1 << "1024x1536"
                                   << none << none;
        row("gpt15 unlisted ratio") << gpt15 << Mode::AspectRatio << none << "16:9"
                                    << "1K" << none << 1 << "1024x576" << none << "size";
        row("gpt15 unknown quality") << gpt15 << Mode::Default << none << none << none << "ultra" << 1 << none
                                     << "ultra"
                                     << "quality";
        row("gpt15 custom pixels") << gpt15 << Mode::Exact << "1000x1000" << none << none << none << 1 << "1000x1000"
                                   << none << "size";
        row("gpt2 16:9 4K") << gpt2 << Mode::AspectRatio << none << "16:9"
                            << "4K"
                            << "medium" << 4 << "3840x2160"
                            << "medium" << none;
        row("gpt2 16:9 default tier") << gpt2 << Mode::AspectRatio << none << "16:9" << none << none << 1 << "2048x1152"
                                      << none << none;
        row("gpt2 listed pixels") << gpt2 << Mode::Exact << "1536x1024" << none << none << "auto" << 1 << "1536x1024"
                                  << "auto" << none;
        // Video models are refused outright.
        row("veo") << QStringLiteral("veo") << Mode::Default << none << none << none << none << 1 << none << none
                   << "videos";
        // A bare {id}: free text passes, nothing is refused.
        row("bare free size") << bare << Mode::Exact << "777x333" << none << none << "ultra" << 50 << "777x333"
                              << "ultra" << none;
        row("bare ratio + tier") << bare << Mode::AspectRatio << none << "16:9"
                                 << "2K" << none << 1 << "2048x1152" << none << none;
        row("bare ratio") << bare << Mode::AspectRatio << none << "21:9" << none << none << 1 << "21:9" << none << none;
        row("bare tier") << bare << Mode::AspectRatio << none << none << "4K" << none << 1 << "4K" << none << none;
        row("default mode") << gpt2 << Mode::Default << "1536x1024"
                            << "16:9"
                            << "2K" << none << 1 << none << none << none;
    }

    void mapping()
    {
        QFETCH(QString, model);
        QFETCH(Mode, mode);
        QFETCH(QString, size);
        QFETCH(QString, ratio);
        QFETCH(QString, tier);
        QFETCH(QString, quality);
        QFETCH(int, n);
        QFETCH(QString, wantSize);
        QFETCH(QString, wantQuality);
        QFETCH(QString, refusal);

        const ModelInfo info = ::model(model);
        NormalizedOptions options;
        options.n = n;
        options.sizeMode = mode;
        options.size = size;
        options.aspectRatio = ratio;
        options.resolution = tier;
        options.quality = quality;
        options.responseFormat = QStringLiteral("b64_json");
        const GenerationParams params = RequestOptions::toRequest(options, info);
        QCOMPARE(params.model, info.id);
        QCOMPARE(params.n, n);
        QCOMPARE(params.size, wantSize);
        QCOMPARE(params.quality, wantQuality);
        QCOMPARE(params.responseFormat, info.isImageModel ? QStringLiteral("b64_json") : QString());
        QVERIFY(params.prompt.isEmpty());

        const std::optional<QString> why = RequestOptions::refusal(params, info);
        if (refusal.isEmpty()) {
            QVERIFY2(!why, qPrintable(why.value_or(QString())));
        } else {
            QVERIFY(why);
            QVERIFY2(why->contains(refusal), qPrintable(*why));
        }
    }

    // Whatever a model's controls offer (a listed size, or a listed ratio at the default tier) maps to a request
    // the model takes, and the sandbox (which validates strictly) agrees.
    void everyChoiceIsAccepted()
    {
        const QList<ModelInfo> all = catalog();
        for (const ModelInfo& info : all) {
            if (!info.isImageModel || info.sizes.isEmpty())
                continue;
            const SandboxModel* server = SandboxCatalog::find(info.id);
            QVERIFY(server);
            const ModelControls controls = RequestOptions::controls(info);
            NormalizedOptions options;
            options.sizeMode = Mode::Exact;
            for (const QString& size : controls.size.choices) {
                options.size = size;
                const GenerationParams params = RequestOptions::toRequest(options, info);
                QVERIFY2(!RequestOptions::refusal(params, info), qPrintable(info.id + QLatin1Char(' ') + size));
                QVERIFY(SandboxCatalog::acceptsSize(*server, params.size));
            }
            options.sizeMode = Mode::AspectRatio;
            for (const QString& ratio : controls.aspectRatio.choices) {
                options.aspectRatio = ratio;
                const GenerationParams params = RequestOptions::toRequest(options, info);
                QVERIFY2(!RequestOptions::refusal(params, info), qPrintable(info.id + QLatin1Char(' ') + ratio));
                QVERIFY2(SandboxCatalog::acceptsSize(*server, params.size), qPrintable(params.size));
            }
            for (const QString& quality : controls.quality.choices) {
                options.quality = quality;
                QVERIFY(!RequestOptions::refusal(RequestOptions::toRequest(options, info), info));
            }
        }
    }

    void controlsPerModel()
    {
        const ModelControls lite = RequestOptions::controls(model(QStringLiteral("gemini-3.1-flash-lite-image")));
        QVERIFY(!lite.size.enabled);
        QVERIFY(!lite.size.reason.isEmpty());
        QVERIFY(lite.aspectRatio.enabled);
        QCOMPARE(lite.aspectRatio.choices,
                 (QStringList {QStringLiteral("1:1"), QStringLiteral("4:3"), QStringLiteral("3:4"),
                               QStringLiteral("16:9"), QStringLiteral("9:16")}));
        QVERIFY(!lite.resolution.enabled);
        QVERIFY(lite.resolution.reason.contains(QLatin1String("1K")));
        QVERIFY(!lite.quality.enabled);
        QVERIFY(!lite.quality.reason.isEmpty());
        QCOMPARE(lite.preferredSizeMode, Mode::AspectRatio);
        QCOMPARE(lite.count.choices.size(), 4);

        const ModelControls flash2 = RequestOptions::controls(model(QStringLiteral("gemini-3.1-flash-image-preview")));
        QCOMPARE(flash2.resolution.choices, (QStringList {QStringLiteral("512"), QStringLiteral("1K"),
                                                          QStringLiteral("2K"), QStringLiteral("4K")}));
        QVERIFY(flash2.resolution.enabled);
        QVERIFY(flash2.size.enabled);
        QCOMPARE(flash2.preferredSizeMode, Mode::AspectRatio);

        const ModelControls gpt2 = RequestOptions::controls(model(QStringLiteral("gpt-image-2")));
        QCOMPARE(gpt2.size.choices.constFirst(), QStringLiteral("auto"));
        QVERIFY(!gpt2.size.editable);
        QCOMPARE(gpt2.quality.choices.size(), 4);
        QCOMPARE(gpt2.preferredSizeMode, Mode::Exact);
        QVERIFY(gpt2.aspectRatio.choices.contains(QLatin1String("16:9"))); // derived from 2048x1152 / 3840x2160
        QCOMPARE(gpt2.resolution.choices,
                 (QStringList {QStringLiteral("1K"), QStringLiteral("2K"), QStringLiteral("4K")}));
        QCOMPARE(gpt2.responseFormat.choices, (QStringList {QStringLiteral("url"), QStringLiteral("b64_json")}));

        const ModelControls bare = RequestOptions::controls(model(QStringLiteral("bare-model")));
        for (const ControlState* c : {&bare.count, &bare.size, &bare.aspectRatio, &bare.resolution, &bare.quality}) {
            QVERIFY(c->enabled);
            QVERIFY(c->editable);
        }

        const ModelControls veo = RequestOptions::controls(model(QStringLiteral("veo")));
        for (const ControlState* c :
             {&veo.count, &veo.size, &veo.aspectRatio, &veo.resolution, &veo.quality, &veo.responseFormat}) {
            QVERIFY(!c->enabled);
            QVERIFY(c->reason.contains(QLatin1String("video")));
        }

        ModelInfo single;
        single.id = QStringLiteral("one-at-a-time");
        single.maxN = 1;
        const ModelControls one = RequestOptions::controls(single);
        QVERIFY(!one.count.enabled);
        QCOMPARE(one.count.choices, QStringList {QStringLiteral("1")});
    }

    void refusals()
    {
        ModelInfo asyncImage;
        asyncImage.id = QStringLiteral("slow-image");
        asyncImage.asyncOnly = true;
        GenerationParams params;
        params.model = asyncImage.id;
        QVERIFY(RequestOptions::refusal(params, asyncImage, SubmitMode::Sync)->contains(QLatin1String("task")));
        QVERIFY(!RequestOptions::refusal(params, asyncImage, SubmitMode::Async));

        const ModelInfo gemini = model(QStringLiteral("gemini-2.5-flash-image"));
        params.model = gemini.id;
        params.n = 0;
        QVERIFY(RequestOptions::refusal(params, gemini));
        params.n = 1;
        params.quality = QStringLiteral("high"); // typed by hand (CLI): the model lists no qualities
        QVERIFY(RequestOptions::refusal(params, gemini)->contains(QLatin1String("quality")));
        params.quality.clear();
        params.responseFormat = QStringLiteral("png");
        QVERIFY(RequestOptions::refusal(params, gemini)->contains(QLatin1String("png")));
        params.responseFormat = QStringLiteral("url");
        QVERIFY(!RequestOptions::refusal(params, gemini));
    }
};

QTEST_GUILESS_MAIN(tst_RequestOptions)
#include "tst_RequestOptions.moc"
