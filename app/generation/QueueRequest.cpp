#include "generation/QueueRequest.h"

#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"

namespace Pixapi {

GenerationQueue::Request queueRequestFor(const GenerationParams& params, const ModelCatalog* catalog,
                                         const QString& accountId)
{
    GenerationQueue::Request request;
    request.params = params;
    request.accountId = accountId;
    if (const auto model = catalog ? catalog->find(params.model) : std::nullopt) {
        request.creditsPerImage = CostEstimate::perImageToRecord(params, *model);
        request.async = model->asyncOnly;
    }
    return request;
}

} // namespace Pixapi
