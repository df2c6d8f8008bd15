// libFuzzer harness for what the app reads about models and sizes: a server's model list turned into the controls
// and requests the UI offers (RequestOptions, CostEstimate), `size` strings (SizeSpec), the cached catalog file
// (CatalogCache) and a stored request's params (ReuseParams). The first byte picks the entry point:
//   0  a /v1/models body: every model's controls, requests from each offered choice, their refusals and costs
//   1  size text: "<size>\n<tier>"
//   2  a catalog cache file as found on disk
//   3  a library record's params JSON ("Reuse settings", "Generate again")
// Invariants: a request built from a choice the controls offer is never refused; costs are never negative or NaN;
// sizes parse into positive terms whose names parse back; a cache entry reads back as written.
#include "FuzzSupport.h"
#include "api/Parsers.h"
#include "catalog/CatalogCache.h"
#include "catalog/CostEstimate.h"
#include "catalog/RequestOptions.h"
#include "catalog/SizeSpec.h"
#include "generation/ReuseParams.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {

using namespace Pixapi;

const QStringList kTiers = {QStringLiteral("512"), QStringLiteral("1K"), QStringLiteral("2K"), QStringLiteral("4K")};

void checkCost(const GenerationParams& params, const ModelInfo& model)
{
    const CostEstimate cost = CostEstimate::estimate(params, model);
    FUZZ_CHECK(!std::isnan(cost.total) && cost.total >= 0);
    FUZZ_CHECK(cost.n >= 1);
    if (cost.known)
        FUZZ_CHECK(std::isfinite(cost.perImage) && cost.perImage >= 0 && !cost.text.isEmpty());
}

// A request made of one offered choice (the rest left to the server) must be one the model takes.
void checkAccepted(const NormalizedOptions& options, const ModelInfo& model)
{
    const GenerationParams params = RequestOptions::toRequest(options, model);
    FUZZ_CHECK(params.n >= 1 && params.model == model.id);
    const auto refusal = RequestOptions::refusal(params, model, SubmitMode::Async);
    if (refusal)
        std::fprintf(stderr, "refused: %s\n", qPrintable(*refusal));
    FUZZ_CHECK(!refusal);
    checkCost(params, model);
}

void models(const QByteArray& body)
{
    const auto parsed = Parsers::parseModelList(body);
    if (!parsed)
        return;
    int checked = 0;
    for (const ModelInfo& model : parsed.value()) {
        if (++checked > 8)
            break;
        const ModelControls controls = RequestOptions::controls(model);
        // Free text and odd values: never a crash, n always at least 1.
        for (const QString& size : {QStringLiteral(" 1024X1024 "), QStringLiteral("auto"), QStringLiteral("16:9"),
                                    QStringLiteral("2k"), QStringLiteral("99999999999x1"), QStringLiteral("0:0")}) {
            for (const auto mode : {NormalizedOptions::SizeMode::Exact, NormalizedOptions::SizeMode::AspectRatio}) {
                NormalizedOptions options;
                options.n = -3;
                options.sizeMode = mode;
                options.size = size;
                options.aspectRatio = size;
                options.resolution = size;
                const GenerationParams params = RequestOptions::toRequest(options, model);
                FUZZ_CHECK(params.n >= 1);
                (void)RequestOptions::refusal(params, model);
                checkCost(params, model);
            }
        }
        if (!model.isImageModel)
            continue;
        if (controls.count.enabled) {
            for (const QString& count : controls.count.choices) {
                NormalizedOptions options;
                options.n = count.toInt();
                checkAccepted(options, model);
            }
        }
        if (controls.size.enabled) {
            for (const QString& size : controls.size.choices) {
                NormalizedOptions options;
                options.sizeMode = NormalizedOptions::SizeMode::Exact;
                options.size = size;
                checkAccepted(options, model);
            }
        }
        if (controls.aspectRatio.enabled) {
            for (const QString& ratio : controls.aspectRatio.choices) {
                NormalizedOptions options;
                options.sizeMode = NormalizedOptions::SizeMode::AspectRatio;
                options.aspectRatio = ratio;
                checkAccepted(options, model);
            }
        }
        if (controls.quality.enabled) {
            for (const QString& quality : controls.quality.choices) {
                NormalizedOptions options;
                options.quality = quality;
                checkAccepted(options, model);
            }
        }
        for (const QString& format : controls.responseFormat.choices) {
            NormalizedOptions options;
            options.responseFormat = format;
            checkAccepted(options, model);
        }
    }
}

void sizes(const QByteArray& input)
{
    const auto [sizeText, tierText] = PixapiFuzz::splitOnce(input, '\n');
    const QString text = QString::fromUtf8(sizeText);
    const SizeSpec spec = SizeSpec::parse(text);
    const QString tier = spec.outputTier();
    switch (spec.kind) {
    case SizeSpec::Kind::Pixels:
    case SizeSpec::Kind::Ratio: {
        FUZZ_CHECK(spec.width > 0 && spec.height > 0);
        const QString ratio = spec.ratioName();
        const SizeSpec named = SizeSpec::parse(ratio);
        FUZZ_CHECK(named.kind == SizeSpec::Kind::Ratio);
        FUZZ_CHECK(named.ratioName() == ratio); // a ratio's name is its own name
        FUZZ_CHECK(kTiers.contains(tier));
        break;
    }
    case SizeSpec::Kind::Tier:
        FUZZ_CHECK(kTiers.contains(spec.tier) && tier == spec.tier);
        break;
    case SizeSpec::Kind::Empty:
    case SizeSpec::Kind::Auto:
        FUZZ_CHECK(tier == QLatin1String("1K"));
        break;
    case SizeSpec::Kind::Other:
        FUZZ_CHECK(tier.isEmpty() && spec.width == 0 && spec.height == 0);
        break;
    }
    const QString pixels = SizeSpec::pixelsFor(text, QString::fromUtf8(tierText));
    const SizeSpec picture = SizeSpec::parse(pixels);
    FUZZ_CHECK(picture.kind == SizeSpec::Kind::Pixels);
    const int longEdge = std::max(picture.width, picture.height);
    const int shortEdge = std::min(picture.width, picture.height);
    FUZZ_CHECK(longEdge == 512 || longEdge == 1024 || longEdge == 2048 || longEdge == 4096);
    FUZZ_CHECK(shortEdge >= 16 && shortEdge % 16 == 0 && shortEdge <= longEdge);
}

void cacheFile(const QByteArray& input)
{
    static QTemporaryDir dir;
    const CatalogCache cache(dir.path());
    const QUrl source(QStringLiteral("https://user:secret@api.example/v1/models#x"));
    {
        QFile file(cache.filePath(source));
        FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(input) == input.size());
    }
    if (const auto entry = cache.load(source))
        FUZZ_CHECK(entry->fetchedAt.isValid() && entry->fetchedAt.timeSpec() == Qt::UTC);

    // What store() writes, load() reads back (a body that is not UTF-8 cannot survive the JSON string).
    const QDateTime fetchedAt = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
    FUZZ_CHECK(cache.store(source, input, fetchedAt));
    const auto entry = cache.load(source);
    FUZZ_CHECK(entry && entry->fetchedAt == fetchedAt);
    if (QString::fromUtf8(input).toUtf8() == input)
        FUZZ_CHECK(entry->body == input);
}

void reuse(const QByteArray& input)
{
    const QJsonObject params = QJsonDocument::fromJson(input).object();
    const GenerationParams request = ReuseParams::fromStored(QStringLiteral("p"), QStringLiteral("m"), params);
    FUZZ_CHECK(request.n >= 1 && request.prompt == QLatin1String("p") && request.model == QLatin1String("m"));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    PixapiFuzz::init(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("pixapi.*=false"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const PixapiFuzz::Selected selected = PixapiFuzz::select(data, size, 4);
    switch (selected.entry) {
    case 0:
        models(selected.input);
        break;
    case 1:
        sizes(selected.input);
        break;
    case 2:
        cacheFile(selected.input);
        break;
    default:
        reuse(selected.input);
        break;
    }
    return 0;
}
