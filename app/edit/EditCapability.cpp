#include "edit/EditCapability.h"

#include <algorithm>

namespace Pixapi {

EditLimits EditLimits::forModel(const ModelInfo& model)
{
    EditLimits limits;
    if (model.maxInputImages > 0)
        limits.maxImages = model.maxInputImages;
    if (model.maxInputBytes > 0)
        limits.maxBytes = model.maxInputBytes;
    if (model.maxInputEdge > 0)
        limits.maxEdge = model.maxInputEdge;
    return limits;
}

std::optional<QString> EditCapability::refusal(const ModelInfo& model, int inputCount, bool hasMask)
{
    if (inputCount <= 0) {
        if (hasMask)
            return tr("A mask needs an input image to apply to.");
        return std::nullopt;
    }
    if (!model.supportsEdits)
        return tr("%1 does not take input images.").arg(model.displayName());
    if (hasMask && !model.supportsMask)
        return tr("%1 cannot use a mask; clear the mask or pick another model.").arg(model.displayName());
    const int maxImages = EditLimits::forModel(model).maxImages;
    if (inputCount > maxImages) {
        return tr("%1 takes at most %n input image(s); %2 are chosen.", nullptr, maxImages)
            .arg(model.displayName(), QString::number(inputCount));
    }
    return std::nullopt;
}

QString EditCapability::summary(const ModelInfo& model)
{
    if (!model.supportsEdits)
        return tr("Takes no input images");
    const int maxImages = EditLimits::forModel(model).maxImages;
    return model.supportsMask ? tr("Takes up to %n input image(s), with a mask", nullptr, maxImages)
                              : tr("Takes up to %n input image(s), no mask", nullptr, maxImages);
}

ModelInfo EditCapability::common(const QList<ModelInfo>& models)
{
    ModelInfo common;
    common.name = tr("The board's models");
    common.supportsEdits = !models.isEmpty();
    common.supportsMask = !models.isEmpty();
    EditLimits limits = models.isEmpty() ? EditLimits() : EditLimits::forModel(models.first());
    for (const ModelInfo& model : models) {
        common.supportsEdits = common.supportsEdits && model.supportsEdits;
        common.supportsMask = common.supportsMask && model.supportsMask;
        const EditLimits own = EditLimits::forModel(model);
        limits.maxImages = std::min(limits.maxImages, own.maxImages);
        limits.maxBytes = std::min(limits.maxBytes, own.maxBytes);
        limits.maxEdge = std::min(limits.maxEdge, own.maxEdge);
    }
    common.maxInputImages = limits.maxImages;
    common.maxInputBytes = limits.maxBytes;
    common.maxInputEdge = limits.maxEdge;
    return common;
}

} // namespace Pixapi
