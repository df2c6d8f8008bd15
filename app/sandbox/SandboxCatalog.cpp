#include "sandbox/SandboxCatalog.h"

#include "sandbox/SandboxRenderer.h"

#include <QJsonArray>

namespace Pixapi {

namespace {

QStringList gptQualities()
{
    return {QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high"), QStringLiteral("auto")};
}

QStringList geminiRatios()
{
    return {QStringLiteral("1:1"), QStringLiteral("2:3"),  QStringLiteral("3:2"), QStringLiteral("3:4"),
            QStringLiteral("4:3"), QStringLiteral("9:16"), QStringLiteral("16:9")};
}

constexpr qint64 kMiB = 1024 * 1024;

// The edit limits the providers state: Gemini takes a few references of up to 7 MB, GPT Image up to 16 of 50 MB.
void editLimits(SandboxModel& model, int images, qint64 bytes)
{
    model.supportsEdits = true;
    model.maxInputImages = images;
    model.maxInputBytes = bytes;
    model.maxInputEdge = 4096;
}

// A price row that does not depend on quality.
QMap<QString, int> flat(int credits)
{
    return {{QString(), credits}};
}

// gpt-image-2 credits per image (contract §6): low / medium / high, and auto billed as high.
QMap<QString, int> gptRow(int low, int medium, int high)
{
    return {{QStringLiteral("low"), low},
            {QStringLiteral("medium"), medium},
            {QStringLiteral("high"), high},
            {QStringLiteral("auto"), high}};
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
    editLimits(flash, 3, 7 * kMiB);
    flash.speed = QStringLiteral("fast");
    flash.qualityHint = QStringLiteral("standard");
    list << flash;

    SandboxModel flash2;
    flash2.id = QStringLiteral("gemini-3.1-flash-image-preview");
    flash2.name = QStringLiteral("Nano Banana 2 (Gemini 3.1 Flash Image)");
    flash2.family = QStringLiteral("nano-banana");
    flash2.aliases = {QStringLiteral("nano-banana-2")};
    flash2.creditsPerImage = 4;
    flash2.sizes = {QStringLiteral("1024x1024"), QStringLiteral("512x512"),   QStringLiteral("1536x1024"),
                    QStringLiteral("1024x1536"), QStringLiteral("2048x2048"), QStringLiteral("512"),
                    QStringLiteral("1K"),        QStringLiteral("2K"),        QStringLiteral("4K")};
    flash2.resolutions = {QStringLiteral("512"), QStringLiteral("1K"), QStringLiteral("2K"), QStringLiteral("4K")};
    flash2.creditsTable = {{QStringLiteral("512"), flat(4)},
                           {QStringLiteral("1K"), flat(4)},
                           {QStringLiteral("2K"), flat(6)},
                           {QStringLiteral("4K"), flat(8)}};
    flash2.speed = QStringLiteral("standard");
    flash2.qualityHint = QStringLiteral("standard");
    flash2.aspectRatios = geminiRatios();
    flash2.maxN = 4;
    editLimits(flash2, 3, 7 * kMiB);
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
    editLimits(pro, 3, 7 * kMiB);
    pro.resolutions = {QStringLiteral("1K"), QStringLiteral("2K"), QStringLiteral("4K")};
    pro.creditsTable = {
        {QStringLiteral("1K"), flat(8)}, {QStringLiteral("2K"), flat(8)}, {QStringLiteral("4K"), flat(16)}};
    pro.speed = QStringLiteral("slow");
    pro.qualityHint = QStringLiteral("premium");
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
    editLimits(lite, 1, 7 * kMiB);
    lite.speed = QStringLiteral("fast");
    lite.qualityHint = QStringLiteral("draft");
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
    editLimits(gpt15, 16, 50 * kMiB);
    gpt15.supportsMask = true;
    gpt15.speed = QStringLiteral("standard");
    gpt15.qualityHint = QStringLiteral("standard");
    list << gpt15;

    SandboxModel gpt2;
    gpt2.id = QStringLiteral("gpt-image-2");
    gpt2.name = QStringLiteral("GPT Image 2");
    gpt2.family = QStringLiteral("gpt-image");
    gpt2.creditsTable = {{QStringLiteral("1K"), gptRow(1, 4, 14)},
                         {QStringLiteral("2K"), gptRow(2, 17, 67)},
                         {QStringLiteral("4K"), gptRow(4, 34, 133)}};
    gpt2.creditsPerImage = 1; // the lowest cell: "from 1"
    gpt2.sizes = {QStringLiteral("auto"),      QStringLiteral("1024x1024"), QStringLiteral("1536x1024"),
                  QStringLiteral("1024x1536"), QStringLiteral("2048x2048"), QStringLiteral("2048x1152"),
                  QStringLiteral("3840x2160")};
    gpt2.qualities = gptQualities();
    gpt2.maxN = 4;
    editLimits(gpt2, 16, 50 * kMiB);
    gpt2.supportsMask = true;
    gpt2.speed = QStringLiteral("slow");
    gpt2.qualityHint = QStringLiteral("premium");
    list << gpt2;

    // Text to image only, so clients meet a model that cannot edit (its edit controls disabled).
    SandboxModel sketch;
    sketch.id = QStringLiteral("sandbox-sketch");
    sketch.name = QStringLiteral("Sandbox Sketch (no edits)");
    sketch.family = QStringLiteral("sandbox");
    sketch.creditsPerImage = 1;
    sketch.sizes = {QStringLiteral("512x512"), QStringLiteral("1024x1024")};
    sketch.aspectRatios = {QStringLiteral("1:1")};
    sketch.maxN = 4;
    sketch.speed = QStringLiteral("fast");
    sketch.qualityHint = QStringLiteral("draft");
    list << sketch;

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

// The price tier of a size by long edge (auto and ratios render at 1K); 512 only where the table has a 512 row.
QString tierOf(const SandboxModel& model, const QString& size)
{
    const QSize pixels = SandboxRenderer::sizeFor(size);
    const int longEdge = qMax(pixels.width(), pixels.height());
    if (longEdge <= 512 && model.creditsTable.contains(QStringLiteral("512")))
        return QStringLiteral("512");
    if (longEdge <= 1536)
        return QStringLiteral("1K");
    return longEdge <= 2048 ? QStringLiteral("2K") : QStringLiteral("4K");
}

QJsonObject tableJson(const QMap<QString, QMap<QString, int>>& table)
{
    QJsonObject json;
    for (auto row = table.constBegin(); row != table.constEnd(); ++row) {
        if (row->contains(QString())) {
            json.insert(row.key(), row->value(QString()));
            continue;
        }
        QJsonObject cells;
        for (auto cell = row->constBegin(); cell != row->constEnd(); ++cell)
            cells.insert(cell.key(), cell.value());
        json.insert(row.key(), cells);
    }
    return json;
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
    if (model.supportsEdits) {
        json.insert(QStringLiteral("max_input_images"), model.maxInputImages);
        json.insert(QStringLiteral("max_input_bytes"), model.maxInputBytes);
        json.insert(QStringLiteral("max_input_edge"), model.maxInputEdge);
    }
    if (!model.creditsTable.isEmpty())
        json.insert(QStringLiteral("credits_table"), tableJson(model.creditsTable));
    if (!model.resolutions.isEmpty())
        json.insert(QStringLiteral("resolutions"), QJsonArray::fromStringList(model.resolutions));
    if (!model.speed.isEmpty())
        json.insert(QStringLiteral("speed"), model.speed);
    if (!model.qualityHint.isEmpty())
        json.insert(QStringLiteral("quality_hint"), model.qualityHint);
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
    if (model.creditsTable.isEmpty())
        return double(model.creditsPerImage) * n;
    const QMap<QString, int> row = model.creditsTable.value(tierOf(model, size));
    const int perImage = row.contains(QString()) ? row.value(QString())
                                                 : row.value(quality.isEmpty() ? QStringLiteral("auto") : quality);
    return double(perImage) * n;
}

} // namespace Pixapi
