#include "sandbox/SandboxGeneration.h"

#include "sandbox/SandboxFileStore.h"
#include "sandbox/SandboxRenderer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <cmath>

namespace Pixapi {

namespace {

using Parsed = Result<SandboxGeneration, SandboxApiError>;

Parsed invalid(const QString& message)
{
    return Parsed::failure({400, QByteArrayLiteral("invalid_request_error"), message});
}

} // namespace

Parsed SandboxGeneration::parse(const QByteArray& body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return invalid(QStringLiteral("The body must be a JSON object."));
    return fromFields(doc.object(), Kind::Generation);
}

Parsed SandboxGeneration::fromFields(const QJsonObject& json, Kind kind)
{
    SandboxGeneration request;
    const QJsonValue model = json.value(QLatin1String("model"));
    if (!model.isString() || model.toString().isEmpty())
        return invalid(QStringLiteral("'model' is required."));
    request.model = SandboxCatalog::find(model.toString());
    if (!request.model) {
        return Parsed::failure({404, QByteArrayLiteral("model_not_found"),
                                QStringLiteral("The model '%1' does not exist.").arg(model.toString())});
    }
    if (kind == Kind::Edit && !request.model->supportsEdits)
        return invalid(QStringLiteral("The model '%1' does not support edits.").arg(request.model->id));
    if (!request.model->isImage || request.model->asyncOnly) {
        return invalid(
            QStringLiteral("The model '%1' is async-only; use /v1/async/videos/generations.").arg(request.model->id));
    }

    const QJsonValue prompt = json.value(QLatin1String("prompt"));
    if (!prompt.isString() || prompt.toString().trimmed().isEmpty())
        return invalid(QStringLiteral("'prompt' must be a non-empty string."));
    request.prompt = prompt.toString();

    const QJsonValue n = json.value(QLatin1String("n"));
    if (!n.isUndefined()) {
        const double value = n.toDouble(-1);
        if (!n.isDouble() || value != std::floor(value) || value < 1 || value > request.model->maxN)
            return invalid(QStringLiteral("'n' must be an integer from 1 to %1.").arg(request.model->maxN));
        request.n = int(value);
    }

    const QJsonValue size = json.value(QLatin1String("size"));
    request.size = SandboxCatalog::defaultSize(*request.model);
    if (!size.isUndefined()) {
        if (!size.isString() || !SandboxCatalog::acceptsSize(*request.model, size.toString())) {
            return invalid(
                QStringLiteral("'size' must be one of: %1.").arg(request.model->sizes.join(QStringLiteral(", "))));
        }
        request.size = size.toString();
    }

    const QJsonValue quality = json.value(QLatin1String("quality"));
    request.quality = SandboxCatalog::defaultQuality(*request.model);
    if (!quality.isUndefined()) {
        if (!quality.isString() || !request.model->qualities.contains(quality.toString()))
            return invalid(QStringLiteral("'quality' is not supported for this model."));
        request.quality = quality.toString();
    }

    const QJsonValue format = json.value(QLatin1String("response_format"));
    if (!format.isUndefined()) {
        const QString value = format.toString();
        if (value != QLatin1String("url") && value != QLatin1String("b64_json"))
            return invalid(QStringLiteral("'response_format' must be 'url' or 'b64_json'."));
        request.base64 = value == QLatin1String("b64_json");
    }
    return request;
}

double SandboxGeneration::cost() const
{
    return SandboxCatalog::cost(*model, size, quality, n);
}

QJsonArray SandboxGeneration::render(SandboxFileStore& files, const QUrl& baseUrl) const
{
    QJsonArray data;
    for (int index = 0; index < n; ++index) {
        const QByteArray png = edit ? SandboxRenderer::renderEditPng(model->id, prompt, size, index, *edit)
                                    : SandboxRenderer::renderPng(model->id, prompt, size, index);
        if (base64) {
            data.append(QJsonObject {{QStringLiteral("b64_json"), QString::fromLatin1(png.toBase64())}});
        } else {
            QUrl url = baseUrl;
            url.setPath(QStringLiteral("/files/") + files.add(png));
            data.append(QJsonObject {{QStringLiteral("url"), url.toString()}});
        }
    }
    return data;
}

} // namespace Pixapi
