#include "compare/BoardSpec.h"

#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"

#include <QSet>

#include <cmath>

namespace Pixapi {

QString BoardVariant::label() const
{
    QStringList parts;
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
            cell.size = variant.size;
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
    if (!variants.isEmpty() && (variants.size() < MinVariants || variants.size() > MaxVariants))
        return tr("A second axis needs %1 to %2 sizes or qualities.").arg(MinVariants).arg(MaxVariants);
    for (qsizetype i = 0; i < variants.size(); ++i) {
        if (variants.indexOf(variants.at(i)) != i)
            return tr("Each size and quality can be on the board once.");
    }
    return std::nullopt;
}

BoardCost BoardCost::estimate(const BoardSpec& spec, const ModelCatalog& catalog)
{
    BoardCost cost;
    cost.known = true;
    for (const GenerationParams& cell : spec.cellParams()) {
        const std::optional<ModelInfo> model = catalog.find(cell.model);
        const CostEstimate estimate = model ? CostEstimate::estimate(cell, *model) : CostEstimate();
        if (estimate.known) {
            cost.total += estimate.total;
        } else {
            cost.known = false;
            if (!cost.unpriced.contains(cell.model))
                cost.unpriced << cell.model;
        }
    }
    return cost;
}

bool BoardCost::needsConfirmation(double threshold) const
{
    return threshold > 0 && (!known || total > threshold);
}

} // namespace Pixapi
