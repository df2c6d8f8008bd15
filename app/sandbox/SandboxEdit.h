#pragma once

#include "sandbox/SandboxGeneration.h"
#include "sandbox/SandboxReply.h"
#include "sandbox/SandboxServer.h"
#include "support/Result.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>

namespace Pixapi {

// POST /v1/images/edits and /v1/async/images/edits (contract §3.2): a multipart/form-data body whose text fields are
// validated exactly like a generation's JSON (SandboxGeneration::fromFields), plus the files:
//   image, image[]  one or more input images (PNG, JPEG or WebP; both names may repeat and mix), 1..max_input_images,
//                   each at most max_input_bytes; inputs longer than max_input_edge are decoded scaled down to it;
//   mask            optional, models with supports_mask only: a PNG with alpha, the size of the first image.
// Output size: `size` when given; when omitted or "auto", the model's size closest to the first image's aspect ratio
// (then area). An omitted size bills that size; "auto" bills as auto. Credits as for a generation of that size.
class SandboxEdit
{
public:
    // A request's text fields as a JSON object: a JSON body as it is, or a multipart body's non-file parts, with `n`
    // as a number when it reads as one (so its validation and message are the generation's). Empty when unreadable.
    static QJsonObject fieldsOf(const QByteArray& contentType, const QByteArray& body);

    // Validates an edit request into a generation carrying decoded inputs. `seen` receives what the body carried as
    // soon as the multipart parses (and then the refusal's message, if any); it stays empty otherwise.
    static Result<SandboxGeneration, SandboxApiError> parse(const QByteArray& contentType, const QByteArray& body,
                                                            std::optional<SandboxEditRecord>& seen);
};

} // namespace Pixapi
