#pragma once

#include "api/ApiError.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace Pixapi {

// The API a server speaks. OpenAI-compatible servers (OpenAI itself, gateways, local servers) take OpenAI's request
// shape and list chat and embedding models too; they have no async endpoints and no balance (those answer 404).
enum class ServerKind { Pixapi, OpenAICompatible };

// One entry of GET /v1/models. Only `id` is guaranteed; the rest is filled when the server offers it.
struct ModelInfo
{
    QString id;
    QString name;   // display name; falls back to id
    QString family; // "nano-banana", "gemini", "gpt-image", ... (empty when unknown)
    QStringList aliases;
    std::optional<double> creditsPerImage;
    QStringList sizes;        // accepted `size` strings (WxH, tiers such as 2K, or ratios such as 16:9)
    QStringList aspectRatios; // when the model takes ratios in `size`
    QStringList qualities;
    int maxN = 0;               // 0 = unknown
    bool supportsEdits = false; // POST /v1/images/edits (image-to-image with reference images)
    bool supportsMask = false;  // a `mask` with the edit
    // Limits on edit inputs; 0 = not told (the client then applies EditLimits' defaults).
    int maxInputImages = 0;
    qint64 maxInputBytes = 0; // per image file
    int maxInputEdge = 0;     // longest side in pixels
    bool asyncOnly = false;
    bool isImageModel = true; // false for video models (veo, kling, wan)
    // Hints for the picker; empty when the server gives none (or a value outside the documented set).
    QString speed;       // "fast", "standard" or "slow"
    QString qualityHint; // "draft", "standard" or "premium"
    // Resolution tiers the model takes in `size` ("512", "1K", "2K", "4K"); empty when it takes none.
    QStringList resolutions;
    // `credits_table`: row key (a tier such as "1K", or an exact size) → quality → credits per image. A row that does
    // not depend on quality has the single quality key "" (JSON: {"2K": 6} instead of {"2K": {"low": 2, ...}}).
    QMap<QString, QMap<QString, double>> creditsTable;

    QString displayName() const { return name.isEmpty() ? id : name; }
};

// The parameters of a text-to-image request (POST /v1/images/generations).
struct GenerationParams
{
    QString model;
    QString prompt;
    int n = 1;
    QString size;           // empty = server default
    QString quality;        // empty = server default
    QString responseFormat; // "url", "b64_json" or empty (server default, url on Pixapi)
};

// One input image of an edit, as sent: the encoded file (PNG, JPEG or WebP), its name and MIME type.
struct EditImage
{
    QByteArray bytes;
    QString fileName;
    QByteArray mimeType;
};

// The files of an edit (POST /v1/images/edits, multipart): one or more input images and an optional mask. The mask
// is a PNG of the first image's size whose transparent pixels mark where the model may change the image (OpenAI's
// rule, which Pixapi follows). Empty `images`: a plain generation.
struct EditInputs
{
    QList<EditImage> images;
    QByteArray maskPng; // empty: no mask

    bool isEdit() const { return !images.isEmpty(); }
};

// One item of the `data[]` array: either base64 bytes or a URL to download at once (URLs expire), or, when the server
// sent this item broken, why (the answer's other images were still paid for and are still saved).
struct GeneratedImage
{
    QByteArray bytes; // decoded from b64_json; empty when `url` is used
    QUrl url;
    QString revisedPrompt;
    std::optional<ApiError> error; // set: neither bytes nor url
};

struct GenerationResponse
{
    qint64 created = 0; // unix seconds
    QList<GeneratedImage> images;
    QString requestId;             // body request_id or X-Request-ID header
    std::optional<double> credits; // when the server reports a cost
};

struct Balance
{
    double credits = 0;
    QString currency;
};

} // namespace Pixapi
