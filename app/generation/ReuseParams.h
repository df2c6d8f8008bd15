#pragma once

#include "api/ApiTypes.h"
#include "library/Library.h"

#include <QJsonObject>
#include <QString>

namespace Pixapi {

// Reads the request an image was made with back out of what the library (or an exported file) stored with it:
// the prompt as the user typed it, the model and the params object ResultSaver writes (n, size, quality,
// response_format). Pure functions, no widgets.
class ReuseParams
{
public:
    // The request as it was sent. Missing or malformed fields fall back to the server default (n = 1, empty
    // strings); the revised prompt and per-image fields (index, task id) are not part of a request.
    static GenerationParams fromStored(const QString& prompt, const QString& model, const QJsonObject& params);

    // "Generate again": ONE new image with the record's prompt, model, size, quality and response format, whatever
    // number of images the original request asked for.
    static GenerationParams paramsFromRecord(const LibraryRecord& record);
};

} // namespace Pixapi
