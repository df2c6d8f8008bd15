#include "usage/UsageTotals.h"

#include <QHash>

#include <algorithm>

namespace Pixapi {

UsageTotals UsageTotals::of(const QList<UsageEntry>& entries)
{
    UsageTotals totals;
    QHash<QString, int> modelIndex;
    for (const UsageEntry& entry : entries) {
        auto found = modelIndex.constFind(entry.model);
        if (found == modelIndex.constEnd()) {
            found = modelIndex.insert(entry.model, int(totals.perModel.size()));
            totals.perModel.append(Model {entry.model});
        }
        Model& model = totals.perModel[found.value()];
        ++totals.requests;
        ++model.requests;
        if (!entry.succeeded()) {
            ++totals.failures;
            ++model.failures;
        }
        if (entry.mayHaveBeenCharged)
            ++totals.mayHaveBeenCharged;
        totals.images += entry.images;
        model.images += entry.images;
        if (!entry.credits) {
            if (entry.succeeded())
                ++totals.unpriced;
            continue;
        }
        totals.credits += *entry.credits;
        model.credits += *entry.credits;
        if (entry.creditsEstimated)
            totals.estimated += *entry.credits;
    }
    std::sort(totals.perModel.begin(), totals.perModel.end(), [](const Model& a, const Model& b) {
        if (a.credits != b.credits)
            return a.credits > b.credits;
        if (a.requests != b.requests)
            return a.requests > b.requests;
        return a.model < b.model;
    });
    return totals;
}

} // namespace Pixapi
