#pragma once

#include "api/ApiTypes.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pixapi {

// The one set of generation controls the UI shows, whatever the model. RequestOptions maps it to the `size`,
// `quality`, ... strings a given model takes (contract §3.1) and refuses what the model cannot take before sending.
struct NormalizedOptions
{
    enum class SizeMode {
        Default,     // no `size`: the server's default
        Exact,       // `size` as typed or picked: "1536x1024", "auto", or any text for models that list nothing
        AspectRatio, // `aspectRatio` and/or `resolution`, turned into whatever the model takes
    };

    int n = 1;
    SizeMode sizeMode = SizeMode::Default;
    QString size;           // Exact
    QString aspectRatio;    // AspectRatio: "16:9"; empty = square / the model's default
    QString resolution;     // AspectRatio: "512", "1K", "2K", "4K"; empty = the model's default
    QString quality;        // empty = the server's default
    QString responseFormat; // "url", "b64_json" or empty
};

// What one control offers for a model. A disabled control is ignored by toRequest().
struct ControlState
{
    bool enabled = true;
    QString reason;        // translated; says why when disabled
    QStringList choices;   // what the model lists (or suggestions when `editable`)
    bool editable = false; // free text is passed through: the model lists nothing, so nothing is refused
};

struct ModelControls
{
    ControlState count; // choices "1".."max_n"; no choices and editable when max_n is unknown
    ControlState size;  // Exact mode: pixel sizes and "auto"
    ControlState aspectRatio;
    ControlState resolution;
    ControlState quality;
    ControlState responseFormat;
    NormalizedOptions::SizeMode preferredSizeMode = NormalizedOptions::SizeMode::Exact;
};

enum class SubmitMode { Sync, Async };

class RequestOptions
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::RequestOptions)

public:
    static ModelControls controls(const ModelInfo& model);

    // The request fields for `model` (model = its canonical id; the prompt is left for the caller). Picks the
    // model's own spelling: a ratio for ratio-only models, a tier string or a listed pixel size for ratio + tier,
    // the nearest listed ratio for pixels on a ratio-only model. Disabled controls are dropped. What cannot be
    // mapped is passed on as typed, so refusal() names it.
    static GenerationParams toRequest(const NormalizedOptions& options, const ModelInfo& model);

    // A translated reason why `model` cannot take `params`, checked before sending: a non-image model, an
    // async-only model in sync mode, n outside 1..max_n, a size / quality / response format the model does not
    // list. Fields the model publishes nothing about are never refused.
    static std::optional<QString> refusal(const GenerationParams& params, const ModelInfo& model,
                                          SubmitMode mode = SubmitMode::Sync);
};

} // namespace Pixapi
