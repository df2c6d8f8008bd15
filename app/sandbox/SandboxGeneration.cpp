#include "sandbox/SandboxGeneration.h"

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
    const QJsonObject json = doc.object();

    SandboxGeneration request;
    const QJsonValue model = json.value(QLatin1String("model"));
    if (!model.isString() || model.toString().isEmpty())
        return invalid(QStringLiteral("'model' is required."));
    request.model = SandboxCatalog::find(model.toString());
    if (!request.model) {
        return Parsed::failure({404, QByteArrayLiteral("model_not_found"),
                                QStringLiteral("The model '%1' does not exist.").arg(model.toString())});
    }
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

} // namespace Pixapi
