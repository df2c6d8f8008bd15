#pragma once

#include "api/ApiTypes.h"

#include <QCoreApplication>
#include <QString>

namespace Pixapi {

// Sorts models into the picker's display groups. Derived from `family` and aliases, never from a list of ids.
class ModelGrouping
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::ModelGrouping)

public:
    // Declaration order is display order.
    enum class Group { NanoBanana, Gemini, GptImage, Other };

    static Group groupOf(const ModelInfo& model);
    // "Nano Banana", "Gemini", "GPT Image" (product names, not translated) or a translated "Other".
    static QString displayName(Group group);
    static int order(Group group) { return static_cast<int>(group); }
};

} // namespace Pixapi
