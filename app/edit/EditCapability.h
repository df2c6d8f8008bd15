#pragma once

#include "api/ApiTypes.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace Pixapi {

// The limits that an edit's input images must fit. Each one comes from the model when the catalog gives it, otherwise
// from a default. Pixapi documents no limits (contract §3.2). The defaults sit inside what the known backends take:
// OpenAI takes 16 files of up to 50 MB, and Gemini takes about 20 MB of inline data per request and works best with
// few references. 4096 px is as large as any model outputs.
struct EditLimits
{
    static constexpr int DefaultMaxImages = 4;
    static constexpr qint64 DefaultMaxBytes = 20LL * 1024 * 1024; // per file
    static constexpr int DefaultMaxEdge = 4096;                   // longest side, pixels

    int maxImages = DefaultMaxImages;
    qint64 maxBytes = DefaultMaxBytes;
    int maxEdge = DefaultMaxEdge;

    // The model's own limits where it gives them (a value above 0), the defaults elsewhere.
    static EditLimits forModel(const ModelInfo& model);
};

// What a model accepts in an edit, as a person reads it.
struct EditCapability
{
    // The translated reason why the model cannot take this edit, or nothing when it can. The reason can be: the
    // model takes no input images, it takes no mask, or there are more inputs than it takes. No inputs and no mask
    // is a plain generation, which every model can take.
    static std::optional<QString> refusal(const ModelInfo& model, int inputCount, bool hasMask);
    // For a tooltip: "Takes up to 3 input images, no mask".
    static QString summary(const ModelInfo& model);
    // One model that stands for several (a board sending the same inputs to each): it takes edits and a mask only
    // when all of them do, and its limits are the smallest of theirs.
    static ModelInfo common(const QList<ModelInfo>& models);

    Q_DECLARE_TR_FUNCTIONS(Pixapi::EditCapability)
};

} // namespace Pixapi
