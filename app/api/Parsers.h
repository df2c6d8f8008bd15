#pragma once

#include "api/ApiError.h"
#include "api/ApiTypes.h"
#include "api/TaskInfo.h"
#include "support/Result.h"

#include <QByteArray>
#include <QList>

// Pure functions from bytes to typed results: no I/O, no Qt event loop, fuzzed in tests/fuzz.
namespace Pixapi::Parsers {

// GET /v1/models: the OpenAI list shape, with the optional richer fields of the contract (§12). Entries without a
// string id are skipped; a body that is not a list, or a non-empty list without a single usable entry, is
// MalformedResponse.
Result<QList<ModelInfo>, ApiError> parseModelList(const QByteArray& body);

// POST /v1/images/generations: OpenAI shape {created, data:[{url|b64_json}]} and the legacy Pixapi shape
// {code:0, data:{url}}. Invalid base64 is InvalidImage; empty or missing data is MalformedResponse.
Result<GenerationResponse, ApiError> parseGenerationResponse(const QByteArray& body);

// POST /v1/async/images/generations and GET /v1/tasks/{id}: the task object (contract §4.2, §4.3, §12). A string id
// is required, a plain token (letters, digits, ._:~+=-; not "." or "..") since it becomes a URL path segment (else
// MalformedResponse). Unknown or missing status = Unknown (polled, never success). A completed task
// must carry `result` shaped like a sync response (`result.data[]`, or data[] at top level); when it is unreadable the
// parse fails with that error. A failed task carries its `error` ({code|type, message}) in TaskInfo::error.
Result<TaskInfo, ApiError> parseTask(const QByteArray& body);

// GET /v1/balance (sandbox and servers that offer it): {"credits": number}.
Result<Balance, ApiError> parseBalance(const QByteArray& body);

// A non-2xx answer: status plus any of the documented error body shapes (§8) or a non-JSON body.
ApiError parseErrorResponse(int status, const QByteArray& body);

// Strict base64 (optionally a data: URL); empty optional on any invalid character or padding.
std::optional<QByteArray> decodeBase64Image(const QByteArray& text);

// A request id from a server (body or X-Request-ID) as it may be shown and quoted to support: a plain token of up to
// 128 letters, digits and ._:/+=- characters. Anything else (markup, spaces, control characters, a long blob) gives
// an empty string, so the caller falls back to the id it sent.
QString plainRequestId(const QString& text);

} // namespace Pixapi::Parsers
