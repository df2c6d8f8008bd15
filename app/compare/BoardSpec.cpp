#include "compare/BoardSpec.h"

#include "compare/PromptMatrix.h"

#include <QSet>

#include <algorithm>
#include <cmath>

namespace Pixapi {

QString BoardVariant::label() const
{
    QStringList parts;
    if (!promptLabel.isEmpty())
        parts << promptLabel;
    if (!size.isEmpty())
        parts << size;
    if (!quality.isEmpty())
        parts << quality;
    return parts.isEmpty() ? BoardSpec::tr("Default") : parts.join(QStringLiteral(" · "));
}

int BoardSpec::layoutColumns() const
{
    constexpr int MaxWrapColumns = 4;
    if (!variants.isEmpty())
        return columns();
    return qBound(1, int(std::ceil(std::sqrt(double(cellCount())))), MaxWrapColumns);
}

QList<GenerationParams> BoardSpec::cellParams() const
{
    QList<GenerationParams> cells;
    cells.reserve(cellCount());
    for (const QString& model : models) {
        GenerationParams params = base;
        params.model = model;
        if (variants.isEmpty()) {
            cells << params;
            continue;
        }
        for (const BoardVariant& variant : variants) {
            GenerationParams cell = params;
            if (variant.hasPrompt())
                cell.prompt = variant.prompt;
            // A column sets only what it has: a size column keeps the board's quality, and the other way round.
            if (!variant.size.isEmpty())
                cell.size = variant.size;
            if (!variant.quality.isEmpty())
                cell.quality = variant.quality;
            cells << cell;
        }
    }
    return cells;
}

std::optional<QString> BoardSpec::problem() const
{
    if (base.prompt.trimmed().isEmpty())
        return tr("Write a prompt first.");
    if (models.size() < MinModels || models.size() > MaxModels)
        return tr("Pick %1 to %2 models to compare.").arg(MinModels).arg(MaxModels);
    if (QSet<QString>(models.cbegin(), models.cend()).size() != models.size())
        return tr("Each model can be on the board once.");
    const bool prompts = hasPromptAxis();
    if (prompts && variants.size() > MaxVariants)
        return tr("A board shows at most %1 prompts; send the %2 as a batch instead.")
            .arg(MaxVariants)
            .arg(variants.size());
    if (prompts && variants.size() < MinVariants)
        return tr("A prompt axis needs %1 to %2 prompts.").arg(MinVariants).arg(MaxVariants);
    if (!variants.isEmpty() && (variants.size() < MinVariants || variants.size() > MaxVariants))
        return tr("A second axis needs %1 to %2 sizes or qualities.").arg(MinVariants).arg(MaxVariants);
    for (qsizetype i = 0; i < variants.size(); ++i) {
        if (variants.indexOf(variants.at(i)) != i)
            return prompts ? tr("Each prompt can be on the board once.")
                           : tr("Each size and quality can be on the board once.");
    }
    return std::nullopt;
}

bool BoardSpec::hasPromptAxis() const
{
    return std::any_of(variants.cbegin(), variants.cend(), [](const BoardVariant& v) { return v.hasPrompt(); });
}

BoardSpec BoardSpec::fromMatrix(const PromptMatrix& matrix, const GenerationParams& base, const QStringList& models)
{
    BoardSpec spec;
    spec.base = base;
    spec.models = models;
    spec.promptVariables = matrix.variables;
    const QList<FilledPrompt> prompts = matrix.expand();
    if (prompts.size() == 1) {
        spec.base.prompt = prompts.first().text;
        return spec;
    }
    // No prompt at all: problem() must refuse it rather than send the template with its placeholders.
    spec.base.prompt = prompts.isEmpty() ? QString() : matrix.prompt;
    for (const FilledPrompt& prompt : prompts) {
        BoardVariant variant;
        variant.prompt = prompt.text;
        variant.promptLabel = prompt.label();
        spec.variants << variant;
    }
    return spec;
}

} // namespace Pixapi
