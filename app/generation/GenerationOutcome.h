#pragma once

#include "api/ApiError.h"
#include "library/Library.h"

#include <QList>

#include <optional>

namespace Pixapi {

// What a finished generation produced: the images safely in the library, and the first error if any.
struct GenerationOutcome
{
    QList<LibraryRecord> saved;
    int expected = 0;              // images the server returned (0 when the request failed)
    std::optional<ApiError> error; // the request error, or the first image that could not be saved
    bool complete() const { return !error && expected > 0 && saved.size() == expected; }
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::GenerationOutcome)
