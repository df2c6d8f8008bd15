#include "compare/BoardJson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Pixapi::BoardJson {

QJsonObject paramsToJson(const GenerationParams& params)
{
    return {{QStringLiteral("model"), params.model},
            {QStringLiteral("prompt"), params.prompt},
            {QStringLiteral("n"), params.n},
            {QStringLiteral("size"), params.size},
            {QStringLiteral("quality"), params.quality},
            {QStringLiteral("response_format"), params.responseFormat}};
}

GenerationParams paramsFromJson(const QJsonObject& json)
{
    GenerationParams params;
    params.model = json.value(QLatin1String("model")).toString();
    params.prompt = json.value(QLatin1String("prompt")).toString();
    params.n = qMax(1, json.value(QLatin1String("n")).toInt(1)); // a request asks for one image at least
    params.size = json.value(QLatin1String("size")).toString();
    params.quality = json.value(QLatin1String("quality")).toString();
    params.responseFormat = json.value(QLatin1String("response_format")).toString();
    return params;
}

QString errorToJson(const ApiError& error)
{
    const QJsonObject json {{QStringLiteral("kind"), ApiError::kindName(error.kind)},
                            {QStringLiteral("http_status"), error.httpStatus},
                            {QStringLiteral("code"), error.code},
                            {QStringLiteral("server_message"), error.serverMessage},
                            {QStringLiteral("request_id"), error.requestId},
                            {QStringLiteral("may_have_been_processed"), error.mayHaveBeenProcessed}};
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

ApiError errorFromText(const QString& text)
{
    const QJsonObject json = QJsonDocument::fromJson(text.toUtf8()).object();
    const std::optional<ApiError::Kind> kind = ApiError::kindFromName(json.value(QLatin1String("kind")).toString());
    if (!kind) { // not written by errorToJson: keep the text as the server's words
        ApiError error = ApiError::make(ApiError::Kind::ServerError);
        error.serverMessage = text;
        return error;
    }
    ApiError error = ApiError::make(*kind);
    error.httpStatus = json.value(QLatin1String("http_status")).toInt();
    error.code = json.value(QLatin1String("code")).toString();
    error.serverMessage = json.value(QLatin1String("server_message")).toString();
    error.requestId = json.value(QLatin1String("request_id")).toString();
    error.mayHaveBeenProcessed = json.value(QLatin1String("may_have_been_processed")).toBool();
    return error;
}

QString specToJson(const BoardSpec& spec)
{
    QJsonArray variants;
    for (const BoardVariant& variant : spec.variants)
        variants.append(QJsonObject {{QStringLiteral("size"), variant.size},
                                     {QStringLiteral("quality"), variant.quality},
                                     {QStringLiteral("prompt"), variant.prompt},
                                     {QStringLiteral("prompt_label"), variant.promptLabel}});
    QJsonArray variables;
    for (const PromptVariable& variable : spec.promptVariables)
        variables.append(QJsonObject {{QStringLiteral("name"), variable.name},
                                      {QStringLiteral("values"), QJsonArray::fromStringList(variable.values)}});
    const QJsonObject json {{QStringLiteral("base"), paramsToJson(spec.base)},
                            {QStringLiteral("models"), QJsonArray::fromStringList(spec.models)},
                            {QStringLiteral("variants"), variants},
                            {QStringLiteral("prompt_variables"), variables}};
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

BoardSpec specFromJson(const QString& text)
{
    const QJsonObject json = QJsonDocument::fromJson(text.toUtf8()).object();
    BoardSpec spec;
    spec.base = paramsFromJson(json.value(QLatin1String("base")).toObject());
    for (const QJsonValue& model : json.value(QLatin1String("models")).toArray())
        spec.models << model.toString();
    for (const QJsonValue& value : json.value(QLatin1String("variants")).toArray()) {
        const QJsonObject variant = value.toObject();
        // "prompt" and "prompt_label" came with prompt-matrix boards: older rows have neither (empty: no prompt).
        spec.variants << BoardVariant {
            variant.value(QLatin1String("size")).toString(), variant.value(QLatin1String("quality")).toString(),
            variant.value(QLatin1String("prompt")).toString(), variant.value(QLatin1String("prompt_label")).toString()};
    }
    for (const QJsonValue& value : json.value(QLatin1String("prompt_variables")).toArray()) {
        PromptVariable variable;
        variable.name = value.toObject().value(QLatin1String("name")).toString();
        for (const QJsonValue& text : value.toObject().value(QLatin1String("values")).toArray())
            variable.values << text.toString();
        spec.promptVariables << variable;
    }
    return spec;
}

} // namespace Pixapi::BoardJson
