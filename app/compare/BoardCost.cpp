#include "compare/BoardSpec.h"

#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"

// BoardCost apart from BoardSpec: it needs the catalog, the rest of BoardSpec is pure (and fuzzed on its own).
namespace Pixapi {

BoardCost BoardCost::estimate(const BoardSpec& spec, const ModelCatalog& catalog)
{
    return estimate(spec.cellParams(), catalog);
}

BoardCost BoardCost::estimate(const QList<GenerationParams>& cells, const ModelCatalog& catalog)
{
    BoardCost cost;
    cost.known = true;
    for (const GenerationParams& cell : cells) {
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
