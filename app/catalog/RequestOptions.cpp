#include "catalog/RequestOptions.h"

#include "catalog/SizeSpec.h"

#include <cmath>

namespace Pixapi {
namespace {

using Kind = SizeSpec::Kind;

const QStringList kTierOrder = {QStringLiteral("512"), QStringLiteral("1K"), QStringLiteral("2K"),
                                QStringLiteral("4K")};
const QStringList kResponseFormats = {QStringLiteral("url"), QStringLiteral("b64_json")};

// What a model's published lists say about `size`.
struct SizeCapabilities
{
    bool known = false;     // the model lists sizes, ratios or tiers: anything else is refused
    QStringList accepted;   // every `size` string it takes, in its own spelling
    QStringList pixelSizes; // "1536x1024", ...
    bool acceptsAuto = false;
    QStringList ratioStrings; // ratios it takes in `size`
    QStringList tierStrings;  // tiers it takes in `size`
    QStringList ratioChoices; // ratioStrings plus the ratios of its pixel sizes
    QStringList tierChoices;  // tierStrings plus the tiers of its pixel sizes (and 1K for ratio outputs)
};

void appendUnique(QStringList* list, const QString& value)
{
    if (!value.isEmpty() && !list->contains(value))
        list->append(value);
}

SizeCapabilities sizeCapabilities(const ModelInfo& model)
{
    SizeCapabilities caps;
    for (const QStringList* list : {&model.sizes, &model.aspectRatios, &model.resolutions}) {
        for (const QString& entry : *list)
            appendUnique(&caps.accepted, entry);
    }
    caps.known = !caps.accepted.isEmpty();
    QStringList tiers;
    for (const QString& entry : std::as_const(caps.accepted)) {
        const SizeSpec spec = SizeSpec::parse(entry);
        switch (spec.kind) {
        case Kind::Pixels:
            caps.pixelSizes << entry;
            appendUnique(&tiers, spec.outputTier());
            break;
        case Kind::Auto:
            caps.acceptsAuto = true;
            break;
        case Kind::Ratio:
            caps.ratioStrings << entry;
            appendUnique(&tiers, spec.outputTier()); // a ratio alone comes out at 1K
            break;
        case Kind::Tier:
            caps.tierStrings << spec.tier;
            appendUnique(&tiers, spec.tier);
            break;
        case Kind::Empty:
        case Kind::Other:
            break;
        }
    }
    caps.ratioChoices = caps.ratioStrings;
    for (const QString& pixels : std::as_const(caps.pixelSizes))
        appendUnique(&caps.ratioChoices, SizeSpec::parse(pixels).ratioName());
    for (const QString& tier : kTierOrder) {
        if (tiers.contains(tier))
            caps.tierChoices << tier;
    }
    return caps;
}

// The model's own spelling of `size` when it takes it (tiers and "auto" compare case-insensitively).
QString acceptedSpelling(const SizeCapabilities& caps, const QString& size)
{
    for (const QString& entry : caps.accepted) {
        if (entry.compare(size.trimmed(), Qt::CaseInsensitive) == 0)
            return entry;
    }
    return {};
}

// The listed ratio closest to the picture's (by log distance), for models that take ratios only.
QString nearestRatio(const QStringList& ratios, const SizeSpec& pixels)
{
    QString best;
    double bestDistance = 0;
    const double wanted = std::log(double(pixels.width) / pixels.height);
    for (const QString& ratio : ratios) {
        const SizeSpec spec = SizeSpec::parse(ratio);
        const double distance = std::abs(std::log(double(spec.width) / spec.height) - wanted);
        if (best.isEmpty() || distance < bestDistance) {
            best = ratio;
            bestDistance = distance;
        }
    }
    return best;
}

QString mapExactSize(const SizeCapabilities& caps, const QString& typed)
{
    const QString size = typed.trimmed();
    if (!caps.known || size.isEmpty())
        return size;
    if (const QString spelled = acceptedSpelling(caps, size); !spelled.isEmpty())
        return spelled;
    const SizeSpec spec = SizeSpec::parse(size);
    if (spec.kind == Kind::Auto)
        return {}; // no "auto" listed: leaving `size` out asks for the model's default
    if (spec.kind == Kind::Pixels && caps.pixelSizes.isEmpty() && !caps.ratioStrings.isEmpty())
        return nearestRatio(caps.ratioStrings, spec);
    if (spec.kind == Kind::Pixels && spec.ratioName() == QLatin1String("1:1")
        && caps.tierStrings.contains(spec.outputTier()))
        return spec.outputTier(); // a square at a tier the model names
    return size;
}

QString mapRatioAndTier(const SizeCapabilities& caps, const ControlState& tierControl, const QString& ratio,
                        const QString& chosenTier)
{
    const QString tier = tierControl.enabled ? SizeSpec::parse(chosenTier).tier : QString();
    if (ratio.isEmpty() && tier.isEmpty())
        return {};
    if (!caps.known) { // nothing listed: pass the user's words on
        if (tier.isEmpty())
            return ratio;
        return ratio.isEmpty() ? tier : SizeSpec::pixelsFor(ratio, tier);
    }
    const QString square = QStringLiteral("1:1");
    const QString wantedRatio = ratio.isEmpty() ? square : SizeSpec::parse(ratio).ratioName();
    // Ratios come out at 1K: the native form when that is the tier asked for.
    if (!ratio.isEmpty() && (tier.isEmpty() || tier == QLatin1String("1K"))) {
        if (const QString spelled = acceptedSpelling(caps, ratio); !spelled.isEmpty())
            return spelled;
    }
    if (wantedRatio == square && caps.tierStrings.contains(tier))
        return tier;
    // A listed picture with that ratio at that tier; without a tier, at 1K if listed, else the first listed.
    const QString wantedTier = tier.isEmpty() ? QStringLiteral("1K") : tier;
    QString anyTier;
    for (const QString& pixels : caps.pixelSizes) {
        const SizeSpec spec = SizeSpec::parse(pixels);
        if (spec.ratioName() != wantedRatio)
            continue;
        if (spec.outputTier() == wantedTier)
            return pixels;
        if (anyTier.isEmpty())
            anyTier = pixels;
    }
    if (tier.isEmpty() && !anyTier.isEmpty())
        return anyTier;
    return SizeSpec::pixelsFor(ratio, wantedTier); // not listed: refusal() says so
}

ControlState disabled(const QString& reason)
{
    ControlState state;
    state.enabled = false;
    state.reason = reason;
    return state;
}

} // namespace

ModelControls RequestOptions::controls(const ModelInfo& model)
{
    ModelControls c;
    const QString name = model.displayName();
    if (!model.isImageModel) {
        const QString reason = tr("%1 makes videos, not images.").arg(name);
        c.count = c.size = c.aspectRatio = c.resolution = c.quality = c.responseFormat = disabled(reason);
        return c;
    }

    if (model.maxN == 1) {
        c.count = disabled(tr("%1 makes one image per request.").arg(name));
        c.count.choices = QStringList {QStringLiteral("1")};
    } else if (model.maxN > 1) {
        for (int i = 1; i <= model.maxN; ++i)
            c.count.choices << QString::number(i);
    } else {
        c.count.editable = true;
    }

    const SizeCapabilities caps = sizeCapabilities(model);
    if (!caps.known) {
        c.size.editable = true;
        c.aspectRatio.editable = true;
        c.aspectRatio.choices = {QStringLiteral("1:1"), QStringLiteral("3:2"), QStringLiteral("2:3"),
                                 QStringLiteral("4:3"), QStringLiteral("3:4"), QStringLiteral("16:9"),
                                 QStringLiteral("9:16")};
        c.resolution.editable = true;
        c.resolution.choices = {QStringLiteral("1K"), QStringLiteral("2K"), QStringLiteral("4K")};
        c.preferredSizeMode = NormalizedOptions::SizeMode::Exact;
    } else {
        c.size.choices = caps.pixelSizes;
        if (caps.acceptsAuto)
            c.size.choices.prepend(QStringLiteral("auto"));
        if (c.size.choices.isEmpty())
            c.size = disabled(tr("%1 takes an aspect ratio, not a size in pixels.").arg(name));
        c.aspectRatio.choices = caps.ratioChoices;
        if (c.aspectRatio.choices.isEmpty())
            c.aspectRatio = disabled(tr("%1 takes sizes in pixels only.").arg(name));
        c.resolution.choices = caps.tierChoices;
        if (caps.tierChoices.size() == 1)
            c.resolution = disabled(tr("%1 makes %2 images only.").arg(name, caps.tierChoices.constFirst()));
        else if (caps.tierChoices.isEmpty())
            c.resolution = disabled(tr("%1 has no resolution tiers.").arg(name));
        c.resolution.choices = caps.tierChoices;
        const bool speaksTiersOrRatios = !caps.ratioStrings.isEmpty() || !caps.tierStrings.isEmpty();
        c.preferredSizeMode = speaksTiersOrRatios || caps.pixelSizes.isEmpty()
                                  ? NormalizedOptions::SizeMode::AspectRatio
                                  : NormalizedOptions::SizeMode::Exact;
    }

    const bool described = caps.known || !model.qualities.isEmpty();
    if (!model.qualities.isEmpty())
        c.quality.choices = model.qualities;
    else if (described)
        c.quality = disabled(tr("%1 has no quality setting.").arg(name));
    else
        c.quality.editable = true;

    c.responseFormat.choices = kResponseFormats;
    return c;
}

GenerationParams RequestOptions::toRequest(const NormalizedOptions& options, const ModelInfo& model)
{
    const ModelControls c = controls(model);
    const SizeCapabilities caps = sizeCapabilities(model);
    GenerationParams params;
    params.model = model.id;
    params.n = qMax(1, options.n);
    switch (options.sizeMode) {
    case NormalizedOptions::SizeMode::Default:
        break;
    case NormalizedOptions::SizeMode::Exact:
        params.size = mapExactSize(caps, options.size);
        break;
    case NormalizedOptions::SizeMode::AspectRatio:
        params.size = mapRatioAndTier(
            caps, c.resolution, c.aspectRatio.enabled ? options.aspectRatio.trimmed() : QString(), options.resolution);
        break;
    }
    if (c.quality.enabled)
        params.quality = options.quality.trimmed();
    if (c.responseFormat.enabled)
        params.responseFormat = options.responseFormat.trimmed();
    return params;
}

std::optional<QString> RequestOptions::refusal(const GenerationParams& params, const ModelInfo& model, SubmitMode mode)
{
    const QString name = model.displayName();
    if (!model.isImageModel)
        return tr("%1 makes videos, not images.").arg(name);
    if (model.asyncOnly && mode == SubmitMode::Sync)
        return tr("%1 runs only as a background task; send the request as a task.").arg(name);
    if (params.n < 1)
        return tr("Ask for at least one image.");
    if (model.maxN > 0 && params.n > model.maxN)
        return tr("%1 makes at most %n image(s) per request.", nullptr, model.maxN).arg(name);

    const SizeCapabilities caps = sizeCapabilities(model);
    if (caps.known && !params.size.isEmpty() && acceptedSpelling(caps, params.size).isEmpty()) {
        return tr("%1 does not take the size “%2”. It takes: %3.")
            .arg(name, params.size, caps.accepted.join(QLatin1String(", ")));
    }
    if (!params.quality.isEmpty()) {
        if (!model.qualities.isEmpty() && !model.qualities.contains(params.quality)) {
            return tr("%1 does not take the quality “%2”. It takes: %3.")
                .arg(name, params.quality, model.qualities.join(QLatin1String(", ")));
        }
        if (model.qualities.isEmpty() && caps.known)
            return tr("%1 has no quality setting; leave the quality empty.").arg(name);
    }
    if (!params.responseFormat.isEmpty() && !kResponseFormats.contains(params.responseFormat))
        return tr("The response format must be “url” or “b64_json”, not “%1”.").arg(params.responseFormat);
    return std::nullopt;
}

} // namespace Pixapi
