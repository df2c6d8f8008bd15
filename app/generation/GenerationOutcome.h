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
    // What the saved images record as their price, added up; nothing when none of them records one.
    std::optional<double> credits() const
    {
        std::optional<double> total;
        for (const LibraryRecord& record : saved) {
            if (record.credits)
                total = total.value_or(0) + *record.credits;
        }
        return total;
    }
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::GenerationOutcome)
