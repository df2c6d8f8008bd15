#include "catalog/ModelGrouping.h"

namespace Pixapi {

ModelGrouping::Group ModelGrouping::groupOf(const ModelInfo& model)
{
    const QString family = model.family.toLower();
    const auto nanoBananaAlias = [&model] {
        for (const QString& alias : model.aliases) {
            if (alias.startsWith(QLatin1String("nano-banana")))
                return true;
        }
        return false;
    };
    // A Gemini id listed with a nano-banana alias is sold as Nano Banana, whatever family the server names.
    if (family == QLatin1String("nano-banana") || nanoBananaAlias())
        return Group::NanoBanana;
    if (family == QLatin1String("gemini"))
        return Group::Gemini;
    if (family == QLatin1String("gpt-image") || family == QLatin1String("openai"))
        return Group::GptImage;
    return Group::Other;
}

QString ModelGrouping::displayName(Group group)
{
    switch (group) {
    case Group::NanoBanana:
        return QStringLiteral("Nano Banana");
    case Group::Gemini:
        return QStringLiteral("Gemini");
    case Group::GptImage:
        return QStringLiteral("GPT Image");
    case Group::Other:
        break;
    }
    return tr("Other");
}

} // namespace Pixapi
