#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace Pixapi {

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
    int maxN = 0; // 0 = unknown
    bool supportsEdits = false;
    bool supportsMask = false;
    bool asyncOnly = false;
    bool isImageModel = true; // false for video models (veo, kling, wan)

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

// One item of the `data[]` array: either base64 bytes or a URL to download at once (URLs expire).
struct GeneratedImage
{
    QByteArray bytes; // decoded from b64_json; empty when `url` is used
    QUrl url;
    QString revisedPrompt;
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
