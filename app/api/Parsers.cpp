#include "api/Parsers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace Pixapi::Parsers {
namespace {

ApiError malformed(const QString& detail)
{
    return ApiError::make(ApiError::Kind::MalformedResponse, detail);
}

std::optional<QJsonObject> parseObject(const QByteArray& body, QString* why)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        *why = QStringLiteral("invalid JSON at offset %1: %2").arg(error.offset).arg(error.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *why = QStringLiteral("JSON is not an object");
        return std::nullopt;
    }
    return doc.object();
}

// The non-empty strings of an array, trimmed: a listed " 1024x1024" or "high " must be offered and sent as the value
// it names (the UI trims what it sends, and a choice it offers must not be refused; found by fuzz_catalog).
QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue& item : array) {
        if (const QString text = item.toString().trimmed(); !text.isEmpty())
            out << text;
    }
    return out;
}

std::optional<double> finiteNumber(const QJsonValue& value)
{
    if (value.isDouble() && std::isfinite(value.toDouble()) && value.toDouble() >= 0)
        return value.toDouble();
    return std::nullopt;
}

QString familyFromId(const QString& id)
{
    if (id.startsWith(QLatin1String("nano-banana")))
        return QStringLiteral("nano-banana");
    if (id.startsWith(QLatin1String("gemini")))
        return QStringLiteral("gemini");
    if (id.startsWith(QLatin1String("gpt-image")) || id.startsWith(QLatin1String("dall-e")))
        return QStringLiteral("gpt-image");
    return {};
}

// A hint from a small documented set, lower-cased; anything else reads as "no hint".
QString oneOf(const QJsonValue& value, std::initializer_list<QLatin1String> allowed)
{
    const QString text = value.toString().trimmed().toLower();
    for (const QLatin1String& candidate : allowed) {
        if (text == candidate)
            return text;
    }
    return {};
}

// `credits_table`: {"<tier or size>": number | {"<quality>": number}}. Cells that are not finite, non-negative
// numbers are dropped, and so are rows left empty.
QMap<QString, QMap<QString, double>> creditsTable(const QJsonValue& value)
{
    QMap<QString, QMap<QString, double>> table;
    const QJsonObject rows = value.toObject();
    for (auto row = rows.constBegin(); row != rows.constEnd(); ++row) {
        if (row.key().isEmpty())
            continue;
        QMap<QString, double> cells;
        if (const auto flat = finiteNumber(row.value())) {
            cells.insert(QString(), *flat);
        } else {
            const QJsonObject byQuality = row.value().toObject();
            for (auto cell = byQuality.constBegin(); cell != byQuality.constEnd(); ++cell) {
                if (const auto credits = finiteNumber(cell.value()); credits && !cell.key().isEmpty())
                    cells.insert(cell.key(), *credits);
            }
        }
        if (!cells.isEmpty())
            table.insert(row.key(), cells);
    }
    return table;
}

// A positive whole number up to `max`; 0 (unknown) for anything else (missing, a string, negative, huge).
qint64 boundedCount(const QJsonValue& value, qint64 max)
{
    const double number = value.toDouble(0);
    return number >= 1 && number <= static_cast<double>(max) ? static_cast<qint64>(number) : 0;
}

// Machine code of an error object: `type` when a non-empty string, else `code` when one, else `fallback` (contract §8).
// An empty string is no code: it would leave the error without one.
QString errorCode(const QJsonObject& e, const QString& fallback)
{
    for (const QLatin1String key : {QLatin1String("type"), QLatin1String("code")}) {
        if (const QString code = e.value(key).toString(); !code.isEmpty())
            return code;
    }
    return fallback;
}

ModelInfo parseModel(const QJsonObject& o)
{
    ModelInfo m;
    m.id = o.value(QLatin1String("id")).toString();
    m.name = o.value(QLatin1String("name")).toString();
    m.family = o.value(QLatin1String("family")).toString();
    if (m.family.isEmpty())
        m.family = familyFromId(m.id);
    m.aliases = stringList(o.value(QLatin1String("aliases")));
    m.creditsPerImage = finiteNumber(o.value(QLatin1String("credits_per_image")));
    m.sizes = stringList(o.value(QLatin1String("sizes")));
    m.aspectRatios = stringList(o.value(QLatin1String("aspect_ratios")));
    m.qualities = stringList(o.value(QLatin1String("qualities")));
    m.maxN = static_cast<int>(boundedCount(o.value(QLatin1String("max_n")), 128));
    m.supportsEdits = o.value(QLatin1String("supports_edits")).toBool(false);
    m.supportsMask = o.value(QLatin1String("supports_mask")).toBool(false);
    m.asyncOnly = o.value(QLatin1String("async_only")).toBool(false);
    m.maxInputImages = static_cast<int>(boundedCount(o.value(QLatin1String("max_input_images")), 64));
    m.maxInputBytes = boundedCount(o.value(QLatin1String("max_input_bytes")), 1ll << 40);
    m.maxInputEdge = static_cast<int>(boundedCount(o.value(QLatin1String("max_input_edge")), 1 << 20));
    m.speed = oneOf(o.value(QLatin1String("speed")),
                    {QLatin1String("fast"), QLatin1String("standard"), QLatin1String("slow")});
    m.qualityHint = oneOf(o.value(QLatin1String("quality_hint")),
                          {QLatin1String("draft"), QLatin1String("standard"), QLatin1String("premium")});
    m.resolutions = stringList(o.value(QLatin1String("resolutions")));
    m.creditsTable = creditsTable(o.value(QLatin1String("credits_table")));
    const QString type = o.value(QLatin1String("type")).toString();
    m.isImageModel = m.family != QLatin1String("video") && !type.contains(QLatin1String("video"))
                     && m.id != QLatin1String("veo") && m.id != QLatin1String("kling") && m.id != QLatin1String("wan");
    return m;
}

// Up to `maxLength` characters, each a letter, a digit or one of `extra`.
bool isToken(const QString& text, qsizetype maxLength, QLatin1String extra)
{
    if (text.isEmpty() || text.size() > maxLength)
        return false;
    return std::all_of(text.cbegin(), text.cend(), [extra](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
               || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || extra.contains(c);
    });
}

// A task id safe to put in a URL path segment: a token without '/', '?', '#', '%', '\\' or spaces, and not made of
// dots only ("." and ".." are path steps).
bool isPlainTaskId(const QString& id)
{
    return isToken(id, 256, QLatin1String("._:~+=-"))
           && std::any_of(id.cbegin(), id.cend(), [](QChar c) { return c != QLatin1Char('.'); });
}

} // namespace

QString plainRequestId(const QString& text)
{
    const QString id = text.trimmed();
    return isToken(id, 128, QLatin1String("._:/+=-")) ? id : QString();
}

std::optional<QByteArray> decodeBase64Image(const QByteArray& text)
{
    QByteArray payload = text.trimmed();
    if (payload.startsWith("data:")) {
        const qsizetype comma = payload.indexOf(',');
        if (comma < 0 || !payload.left(comma).endsWith(";base64"))
            return std::nullopt;
        payload = payload.mid(comma + 1);
    }
    if (payload.isEmpty())
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(payload, QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok || decoded.decoded.isEmpty())
        return std::nullopt;
    return decoded.decoded;
}

Result<QList<ModelInfo>, ApiError> parseModelList(const QByteArray& body)
{
    QString why;
    QJsonArray data;
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return Result<QList<ModelInfo>, ApiError>::failure(malformed(error.errorString()));
    if (doc.isArray()) {
        data = doc.array(); // some gateways answer a bare array
    } else if (doc.isObject() && doc.object().value(QLatin1String("data")).isArray()) {
        data = doc.object().value(QLatin1String("data")).toArray();
    } else {
        return Result<QList<ModelInfo>, ApiError>::failure(malformed(QStringLiteral("no data[] list")));
    }
    QList<ModelInfo> models;
    for (const QJsonValue& item : std::as_const(data)) {
        if (!item.isObject())
            continue;
        ModelInfo model = parseModel(item.toObject());
        if (!model.id.isEmpty())
            models << std::move(model);
    }
    // Entries but none usable (no string id anywhere): the list was not understood; an empty list is a real answer.
    if (models.isEmpty() && !data.isEmpty())
        return Result<QList<ModelInfo>, ApiError>::failure(malformed(QStringLiteral("no entry of data[] has an id")));
    return models;
}

namespace {

// One data[] item: its bytes or URL, or why it cannot be read.
GeneratedImage parseGeneratedImage(const QJsonValue& item)
{
    GeneratedImage image;
    if (!item.isObject()) {
        image.error = malformed(QStringLiteral("data[] item is not an object"));
        return image;
    }
    const QJsonObject o = item.toObject();
    image.revisedPrompt = o.value(QLatin1String("revised_prompt")).toString();
    const QJsonValue b64 = o.value(QLatin1String("b64_json"));
    const QJsonValue url = o.value(QLatin1String("url"));
    if (b64.isString() && !b64.toString().isEmpty()) {
        if (auto bytes = decodeBase64Image(b64.toString().toLatin1()))
            image.bytes = std::move(*bytes);
        else
            image.error = ApiError::make(ApiError::Kind::InvalidImage, QStringLiteral("invalid base64"));
    } else if (url.isString() && !url.toString().isEmpty()) {
        const QString text = url.toString();
        if (text.startsWith(QLatin1String("data:"))) {
            if (auto bytes = decodeBase64Image(text.toLatin1()))
                image.bytes = std::move(*bytes);
            else
                image.error = ApiError::make(ApiError::Kind::InvalidImage, QStringLiteral("invalid data URL"));
        } else {
            image.url = QUrl(text, QUrl::StrictMode);
            if (!image.url.isValid() || image.url.isRelative()) {
                image.url.clear();
                image.error = malformed(QStringLiteral("invalid image URL"));
            }
        }
    } else {
        image.error = malformed(QStringLiteral("data[] item has neither url nor b64_json"));
    }
    return image;
}

} // namespace

Result<GenerationResponse, ApiError> parseGenerationResponse(const QByteArray& body)
{
    using R = Result<GenerationResponse, ApiError>;
    QString why;
    const auto object = parseObject(body, &why);
    if (!object)
        return R::failure(malformed(why));

    GenerationResponse response;
    const double created = object->value(QLatin1String("created")).toDouble(0);
    // Out-of-range timestamps are ignored (casting them would be undefined); "now" is used instead.
    response.created = created > 0 && created < 1e11 ? static_cast<qint64>(created) : 0;
    response.requestId = plainRequestId(object->value(QLatin1String("request_id")).toString());
    response.credits = finiteNumber(object->value(QLatin1String("credits")));

    QJsonArray items;
    const QJsonValue data = object->value(QLatin1String("data"));
    if (data.isArray()) {
        items = data.toArray();
    } else if (data.isObject()) { // legacy: {"code":0,"data":{"url": "..." | ["...", ...]}}
        const QJsonValue url = data.toObject().value(QLatin1String("url"));
        const QJsonArray urls = url.isArray() ? url.toArray() : QJsonArray {url};
        for (const QJsonValue& u : urls)
            items.append(QJsonObject {{QStringLiteral("url"), u}});
    } else {
        return R::failure(malformed(QStringLiteral("missing data[]")));
    }
    if (items.isEmpty())
        return R::failure(malformed(QStringLiteral("data[] is empty")));

    // A broken item is kept as such: the answer's other images were paid for and are saved. Only an answer with no
    // readable item at all fails as a whole.
    int readable = 0;
    for (const QJsonValue& item : std::as_const(items)) {
        response.images << parseGeneratedImage(item);
        readable += !response.images.constLast().error;
    }
    if (readable == 0)
        return R::failure(*response.images.constFirst().error);
    return response;
}

Result<Balance, ApiError> parseBalance(const QByteArray& body)
{
    QString why;
    const auto object = parseObject(body, &why);
    if (!object)
        return Result<Balance, ApiError>::failure(malformed(why));
    const auto credits = finiteNumber(object->value(QLatin1String("credits")));
    if (!credits)
        return Result<Balance, ApiError>::failure(malformed(QStringLiteral("credits is not a number")));
    return Balance {*credits, object->value(QLatin1String("currency")).toString(QStringLiteral("credits"))};
}

Result<TaskInfo, ApiError> parseTask(const QByteArray& body)
{
    using R = Result<TaskInfo, ApiError>;
    QString why;
    const auto object = parseObject(body, &why);
    if (!object)
        return R::failure(malformed(why));
    TaskInfo task;
    task.id = object->value(QLatin1String("id")).toString();
    if (task.id.isEmpty())
        return R::failure(malformed(QStringLiteral("task without a string id")));
    // The id goes into a URL path (GET /v1/tasks/{id}) and the task store: only a plain token is trusted.
    if (!isPlainTaskId(task.id))
        return R::failure(malformed(QStringLiteral("task id with characters outside [A-Za-z0-9._:~+=-]")));
    task.statusText = object->value(QLatin1String("status")).toString();
    task.status = TaskInfo::statusFromText(task.statusText);
    task.model = object->value(QLatin1String("model")).toString();
    const double created = object->value(QLatin1String("created_at")).toDouble(0);
    task.createdAt = created > 0 && created < 1e11 ? static_cast<qint64>(created) : 0;
    const double progress = object->value(QLatin1String("progress")).toDouble(0);
    task.progress = std::isfinite(progress) ? static_cast<int>(std::clamp(progress, 0.0, 100.0)) : 0;

    if (task.status == TaskInfo::Status::Completed) {
        const QJsonValue result = object->value(QLatin1String("result"));
        const QJsonObject source = result.isObject() ? result.toObject() : *object; // some servers inline data[]
        auto parsed = parseGenerationResponse(QJsonDocument(source).toJson(QJsonDocument::Compact));
        if (!parsed.ok())
            return R::failure(parsed.error());
        task.result = std::move(parsed).value();
        task.progress = 100;
    } else if (task.status == TaskInfo::Status::Failed) {
        const QJsonValue inner = object->value(QLatin1String("error"));
        const QJsonObject e = inner.toObject();
        ApiError error = ApiError::make(ApiError::Kind::ServerError);
        error.serverMessage = inner.isString() ? inner.toString() : e.value(QLatin1String("message")).toString();
        error.serverMessage.truncate(500);
        error.code = errorCode(e, QStringLiteral("task_failed"));
        error.requestId = plainRequestId(e.value(QLatin1String("request_id")).toString());
        if (error.code == QLatin1String("insufficient_credits") || error.code == QLatin1String("insufficient_quota"))
            error.kind = ApiError::Kind::InsufficientCredits;
        else if (error.code == QLatin1String("prompt_rejected") || error.code.contains(QLatin1String("policy")))
            error.kind = ApiError::Kind::Rejected;
        task.error = std::move(error);
    }
    return task;
}

ApiError parseErrorResponse(int status, const QByteArray& body)
{
    ApiError error = ApiError::make(errorKindForStatus(status));
    error.httpStatus = status;
    QString why;
    const auto object = parseObject(body, &why);
    if (object) {
        const QJsonValue inner = object->value(QLatin1String("error"));
        const QJsonObject e = inner.isObject() ? inner.toObject() : *object;
        if (inner.isString())
            error.serverMessage = inner.toString();
        else
            error.serverMessage = e.value(QLatin1String("message")).toString();
        error.code = errorCode(e, QString::number(status));
        error.requestId = plainRequestId(e.value(QLatin1String("request_id")).toString());
    } else {
        error.code = QString::number(status);
    }
    error.serverMessage.truncate(500); // an HTML error page is not a message
    if (!object)
        error.serverMessage.clear();
    // OpenAI reports exhausted credit as 429 insufficient_quota; it is not a rate limit and must not be retried.
    if (error.code == QLatin1String("insufficient_quota") || error.code == QLatin1String("insufficient_credits"))
        error.kind = ApiError::Kind::InsufficientCredits;
    return error;
}

} // namespace Pixapi::Parsers
