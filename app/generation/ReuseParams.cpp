#include "generation/ReuseParams.h"

namespace Pixapi {

GenerationParams ReuseParams::fromStored(const QString& prompt, const QString& model, const QJsonObject& params)
{
    GenerationParams request;
    request.prompt = prompt;
    request.model = model;
    request.n = qMax(1, params.value(QStringLiteral("n")).toInt(1));
    request.size = params.value(QStringLiteral("size")).toString();
    request.quality = params.value(QStringLiteral("quality")).toString();
    request.responseFormat = params.value(QStringLiteral("response_format")).toString();
    return request;
}

GenerationParams ReuseParams::paramsFromRecord(const LibraryRecord& record)
{
    GenerationParams request = fromStored(record.prompt, record.model, record.params);
    request.n = 1;
    return request;
}

} // namespace Pixapi
