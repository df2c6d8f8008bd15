#include "sandbox/SandboxCatalog.h"

#include "sandbox/SandboxRenderer.h"

#include <QJsonArray>

#include <array>

namespace Pixapi {

namespace {

const QString kGptImage2 = QStringLiteral("gpt-image-2");

// gpt-image-2 credits per image (contract §6): rows 1K/2K/4K by long edge, columns low/medium/high (auto = high).
constexpr std::array<std::array<int, 3>, 3> kGptImage2Matrix = {{{1, 4, 14}, {2, 17, 67}, {4, 34, 133}}};
const QStringList kTierNames = {QStringLiteral("1K"), QStringLiteral("2K"), QStringLiteral("4K")};

QStringList gptQualities()
{
    return {QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high"), QStringLiteral("auto")};
}

QStringList geminiRatios()
{
    return {QStringLiteral("1:1"), QStringLiteral("2:3"),  QStringLiteral("3:2"), QStringLiteral("3:4"),
            QStringLiteral("4:3"), QStringLiteral("9:16"), QStringLiteral("16:9")};
}

QList<SandboxModel> buildModels()
{
    QList<SandboxModel> list;

    SandboxModel flash;
    flash.id = QStringLiteral("gemini-2.5-flash-image");
    flash.name = QStringLiteral("Nano Banana (Gemini 2.5 Flash Image)");
    flash.family = QStringLiteral("nano-banana");
    flash.aliases = {QStringLiteral("nano-banana")};
    flash.creditsPerImage = 2;
    flash.sizes = {QStringLiteral("1024x1024"), QStringLiteral("1248x832"), QStringLiteral("832x1248"),
                   QStringLiteral("1184x864"),  QStringLiteral("864x1184"), QStringLiteral("1344x768"),
                   QStringLiteral("768x1344")};
    flash.aspectRatios = geminiRatios();
    flash.maxN = 4;
    flash.supportsEdits = true;
    list << flash;

    SandboxModel flash2;
    flash2.id = QStringLiteral("gemini-3.1-flash-image-preview");
    flash2.name = QStringLiteral("Nano Banana 2 (Gemini 3.1 Flash Image)");
    flash2.family = QStringLiteral("nano-banana");
    flash2.aliases = {QStringLiteral("nano-banana-2")};
    flash2.creditsPerImage = 4;
    flash2.sizes = {QStringLiteral("1024x1024"), QStringLiteral("512x512"),   QStringLiteral("1536x1024"),
                    QStringLiteral("1024x1536"), QStringLiteral("2048x2048"), QStringLiteral("1K"),
                    QStringLiteral("2K"),        QStringLiteral("4K")};
    flash2.aspectRatios = geminiRatios();
    flash2.maxN = 4;
    flash2.supportsEdits = true;
    list << flash2;

    SandboxModel pro;
    pro.id = QStringLiteral("gemini-3-pro-image-preview");
    pro.name = QStringLiteral("Nano Banana Pro (Gemini 3 Pro Image)");
    pro.family = QStringLiteral("nano-banana");
    pro.aliases = {QStringLiteral("nano-banana-pro")};
    pro.creditsPerImage = 8;
    pro.sizes = {QStringLiteral("1024x1024"), QStringLiteral("1536x1024"), QStringLiteral("1024x1536"),
                 QStringLiteral("2048x2048"), QStringLiteral("2048x1152"), QStringLiteral("3840x2160"),
                 QStringLiteral("1K"),        QStringLiteral("2K"),        QStringLiteral("4K")};
    pro.aspectRatios = geminiRatios();
    pro.maxN = 4;
    pro.supportsEdits = true;
    list << pro;

    SandboxModel lite;
    lite.id = QStringLiteral("gemini-3.1-flash-lite-image");
    lite.name = QStringLiteral("Nano Banana 2 Lite (Gemini 3.1 Flash Lite Image)");
    lite.family = QStringLiteral("gemini");
    lite.creditsPerImage = 2;
    lite.sizes = {QStringLiteral("1:1"), QStringLiteral("4:3"), QStringLiteral("3:4"), QStringLiteral("16:9"),
                  QStringLiteral("9:16")};
    lite.aspectRatios = lite.sizes;
    lite.maxN = 4;
    lite.supportsEdits = true;
    list << lite;

    SandboxModel gpt15;
    gpt15.id = QStringLiteral("gpt-image-1.5");
    gpt15.name = QStringLiteral("GPT Image 1.5");
    gpt15.family = QStringLiteral("gpt-image");
    gpt15.creditsPerImage = 1;
    gpt15.sizes = {QStringLiteral("auto"), QStringLiteral("1024x1024"), QStringLiteral("1536x1024"),
                   QStringLiteral("1024x1536")};
    gpt15.qualities = gptQualities();
    gpt15.maxN = 4;
    gpt15.supportsEdits = true;
    gpt15.supportsMask = true;
    list << gpt15;

    SandboxModel gpt2;
    gpt2.id = kGptImage2;
    gpt2.name = QStringLiteral("GPT Image 2");
    gpt2.family = QStringLiteral("gpt-image");
    gpt2.creditsPerImage = kGptImage2Matrix[0][0];
    gpt2.sizes = {QStringLiteral("auto"),      QStringLiteral("1024x1024"), QStringLiteral("1536x1024"),
                  QStringLiteral("1024x1536"), QStringLiteral("2048x2048"), QStringLiteral("2048x1152"),
                  QStringLiteral("3840x2160")};
    gpt2.qualities = gptQualities();
    gpt2.maxN = 4;
    gpt2.supportsEdits = true;
    gpt2.supportsMask = true;
    list << gpt2;

    SandboxModel veo;
    veo.id = QStringLiteral("veo");
    veo.name = QStringLiteral("Veo");
    veo.family = QStringLiteral("video");
    veo.sizes = {QStringLiteral("1280x720"), QStringLiteral("720x1280"), QStringLiteral("16:9"),
                 QStringLiteral("9:16")};
    veo.aspectRatios = {QStringLiteral("16:9"), QStringLiteral("9:16")};
    veo.asyncOnly = true;
    veo.isImage = false;
    list << veo;

    return list;
}

// Index of the gpt-image-2 price tier for a size ("auto" is billed as 1K).
int gptTier(const QString& size)
{
    const QSize pixels = SandboxRenderer::sizeFor(size);
    const int longEdge = qMax(pixels.width(), pixels.height());
    if (longEdge <= 1536)
        return 0;
    return longEdge <= 2048 ? 1 : 2;
}

int gptQualityColumn(const QString& quality)
{
    if (quality == QLatin1String("low"))
        return 0;
    return quality == QLatin1String("medium") ? 1 : 2;
}

QJsonObject gptImage2Table()
{
    QJsonObject table;
    for (int tier = 0; tier < 3; ++tier) {
        QJsonObject row;
        const QStringList qualities = gptQualities();
        for (const QString& quality : qualities)
            row.insert(quality, kGptImage2Matrix[tier][gptQualityColumn(quality)]);
        table.insert(kTierNames[tier], row);
    }
    return table;
}

} // namespace

const QList<SandboxModel>& SandboxCatalog::models()
{
    static const QList<SandboxModel> list = buildModels();
    return list;
}

const SandboxModel* SandboxCatalog::find(const QString& idOrAlias)
{
    for (const SandboxModel& model : models()) {
        if (model.id == idOrAlias || model.aliases.contains(idOrAlias))
            return &model;
    }
    return nullptr;
}

QJsonObject SandboxCatalog::toJson(const SandboxModel& model)
{
    QJsonObject json {{QStringLiteral("id"), model.id},
                      {QStringLiteral("object"), QStringLiteral("model")},
                      {QStringLiteral("owned_by"), QStringLiteral("pixapi")},
                      {QStringLiteral("name"), model.name},
                      {QStringLiteral("family"), model.family},
                      {QStringLiteral("aliases"), QJsonArray::fromStringList(model.aliases)},
                      {QStringLiteral("sizes"), QJsonArray::fromStringList(model.sizes)},
                      {QStringLiteral("aspect_ratios"), QJsonArray::fromStringList(model.aspectRatios)},
                      {QStringLiteral("qualities"), QJsonArray::fromStringList(model.qualities)},
                      {QStringLiteral("max_n"), model.maxN},
                      {QStringLiteral("supports_edits"), model.supportsEdits},
                      {QStringLiteral("supports_mask"), model.supportsMask},
                      {QStringLiteral("async_only"), model.asyncOnly}};
    if (model.isImage)
        json.insert(QStringLiteral("credits_per_image"), model.creditsPerImage);
    if (model.id == kGptImage2)
        json.insert(QStringLiteral("credits_table"), gptImage2Table());
    return json;
}

bool SandboxCatalog::acceptsSize(const SandboxModel& model, const QString& size)
{
    return model.sizes.contains(size) || model.aspectRatios.contains(size);
}

QString SandboxCatalog::defaultSize(const SandboxModel& model)
{
    return model.sizes.isEmpty() ? QStringLiteral("1024x1024") : model.sizes.constFirst();
}

QString SandboxCatalog::defaultQuality(const SandboxModel& model)
{
    return model.qualities.isEmpty() ? QString() : QStringLiteral("auto");
}

double SandboxCatalog::cost(const SandboxModel& model, const QString& size, const QString& quality, int n)
{
    if (model.id == kGptImage2)
        return double(kGptImage2Matrix[gptTier(size)][gptQualityColumn(quality)]) * n;
    return double(model.creditsPerImage) * n;
}

} // namespace Pixapi
