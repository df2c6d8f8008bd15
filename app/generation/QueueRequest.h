#pragma once

#include "generation/GenerationQueue.h"

namespace Pixapi {

class ModelCatalog;

// The queue request for one generation (the prompt panel, a board, a batch). With a catalog that knows the model: its
// catalog price (recorded when the server reports none) and the async endpoint when the model only has that one.
GenerationQueue::Request queueRequestFor(const GenerationParams& params, const ModelCatalog* catalog,
                                         const QString& accountId);

} // namespace Pixapi
