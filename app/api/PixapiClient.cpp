#include "api/PixapiClient.h"

#include "api/Parsers.h"
#include "net/NetworkAccess.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"
#include "support/Redactor.h"
#include "support/WhenFinished.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTimer>

namespace Pixapi {
namespace {
constexpr int MaxGetAttempts = 3;
constexpr int MaxPostAttempts = 4; // the first send and three after refusals (the contract's 500, 1000, 2000 ms)
constexpr int MaxBackoffMs = 8000;
constexpr int MaxRetryAfterMs = 30'000;

// The error of an exchange, if any: transport failures as they are, non-2xx answers parsed from their body.
std::optional<ApiError> failureOf(const HttpResult& result)
{
    if (!result.ok())
        return result.error();
    const HttpResponse& response = result.value();
    if (response.status < 300)
        return std::nullopt;
    ApiError error = Parsers::parseErrorResponse(response.status, response.body);
    error.retryAfterSeconds = response.retryAfterSeconds;
    if (error.requestId.isEmpty())
        error.requestId = response.requestId;
    return error;
}

bool isGptImageModel(const QString& id)
{
    return id.startsWith(QLatin1String("gpt-image"), Qt::CaseInsensitive)
           || id.startsWith(QLatin1String("chatgpt-image"), Qt::CaseInsensitive);
}

bool isOpenAIImageModel(const QString& id)
{
    return isGptImageModel(id) || id.startsWith(QLatin1String("dall-e"), Qt::CaseInsensitive);
}

// OpenAI lists bare ids; its image edit limits are documented (contract §9): GPT image models take up to 16 images of
// up to 50 MB and a mask, dall-e-2 one square PNG under 4 MB. Fields the server does send are kept.
QJsonObject withOpenAIEditLimits(QJsonObject entry)
{
    const QString id = entry.value(QLatin1String("id")).toString();
    const bool gpt = isGptImageModel(id);
    if (!gpt && !id.startsWith(QLatin1String("dall-e-2"), Qt::CaseInsensitive))
        return entry;
    const QList<std::pair<QString, QJsonValue>> limits {
        {QStringLiteral("supports_edits"), true},
        {QStringLiteral("supports_mask"), true},
        {QStringLiteral("max_input_images"), gpt ? 16 : 1},
        {QStringLiteral("max_input_bytes"), gpt ? 50'000'000 : 4'000'000},
    };
    for (const auto& [key, value] : limits) {
        if (!entry.contains(key))
            entry.insert(key, value);
    }
    return entry;
}

// OpenAI's GET /v1/models names every model of the account (chat, embeddings, audio, ...): keep the image ones. A
// server that lists none of those (a local server with image models of its own) keeps its whole list. Filtered as
// JSON, so the catalog cache stores (and later re-reads) the same list with every field of the kept entries.
QByteArray openAIImageModelList(const QByteArray& body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const bool bare = doc.isArray(); // some gateways answer a bare array
    const QJsonArray all = bare ? doc.array() : doc.object().value(QLatin1String("data")).toArray();
    QJsonArray images;
    for (const auto& entry : all) {
        if (isOpenAIImageModel(entry.toObject().value(QLatin1String("id")).toString()))
            images.append(withOpenAIEditLimits(entry.toObject()));
    }
    if (images.isEmpty())
        return body;
    if (bare)
        return QJsonDocument(images).toJson(QJsonDocument::Compact);
    QJsonObject object = doc.object();
    object.insert(QStringLiteral("data"), images);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}
} // namespace

PixapiClient::PixapiClient(NetworkAccess* network, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_baseUrl(defaultBaseUrl())
{ }

QUrl PixapiClient::defaultBaseUrl()
{
    return QUrl(QStringLiteral("https://api.pixapi.ai"));
}

void PixapiClient::setBaseUrl(const QUrl& baseUrl)
{
    m_baseUrl = baseUrl;
}

QUrl PixapiClient::baseUrl() const
{
    return m_baseUrl;
}

void PixapiClient::setServerKind(ServerKind kind)
{
    m_serverKind = kind;
}

ServerKind PixapiClient::serverKind() const
{
    return m_serverKind;
}

void PixapiClient::setApiKey(const QString& key)
{
    m_apiKey = key.trimmed();
    Redactor::addSecret(m_apiKey); // masked in every log line from now on
}

bool PixapiClient::hasApiKey() const
{
    return !m_apiKey.isEmpty();
}

void PixapiClient::setGenerationTimeoutMs(int ms)
{
    m_generationTimeoutMs = ms;
}

void PixapiClient::setMaxImageBytes(qint64 bytes)
{
    m_maxImageBytes = bytes;
}

void PixapiClient::setRetryBaseDelayMs(int ms)
{
    m_retryBaseDelayMs = ms;
}

QUrl PixapiClient::endpoint(const QString& path) const
{
    // Accept base URLs with or without the /v1 suffix (OpenAI-compatible servers are configured both ways).
    QUrl url = m_baseUrl;
    QString base = url.path();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    if (base.endsWith(QLatin1String("/v1")))
        base.chop(3);
    url.setPath(base + QStringLiteral("/v1/") + path);
    return url;
}

HttpRequest PixapiClient::apiRequest(const QString& path) const
{
    HttpRequest request;
    request.url = endpoint(path);
    request.bearerToken = m_apiKey;
    request.maxResponseBytes = 8ll << 20;
    request.timeoutMs = 30'000;
    return request;
}

QByteArray PixapiClient::generationBody(const GenerationParams& params)
{
    return QJsonDocument(generationFields(params)).toJson(QJsonDocument::Compact);
}

QList<FormPart> PixapiClient::editForm(const GenerationParams& params, const EditInputs& inputs)
{
    QList<FormPart> parts;
    const QJsonObject fields = generationFields(params);
    for (auto it = fields.begin(); it != fields.end(); ++it)
        parts.append({it.key().toUtf8(), it.value().toVariant().toString().toUtf8(), {}, {}});
    // One image goes as `image`; several as repeated `image[]`, OpenAI's form (Pixapi documents "file or file[]").
    const QByteArray imageField = inputs.images.size() == 1 ? "image" : "image[]";
    for (const EditImage& image : inputs.images)
        parts.append({imageField, image.bytes, image.fileName, image.mimeType});
    if (!inputs.maskPng.isEmpty())
        parts.append({"mask", inputs.maskPng, QStringLiteral("mask.png"), "image/png"});
    return parts;
}

QJsonObject PixapiClient::generationFields(const GenerationParams& params)
{
    QJsonObject body {{QStringLiteral("model"), params.model},
                      {QStringLiteral("prompt"), params.prompt},
                      {QStringLiteral("n"), params.n}};
    if (!params.size.isEmpty())
        body.insert(QStringLiteral("size"), params.size);
    if (!params.quality.isEmpty())
        body.insert(QStringLiteral("quality"), params.quality);
    if (!params.responseFormat.isEmpty())
        body.insert(QStringLiteral("response_format"), params.responseFormat);
    return body;
}

GenerationParams PixapiClient::paramsFor(ServerKind kind, GenerationParams params)
{
    if (kind != ServerKind::OpenAICompatible)
        return params;
    if (isGptImageModel(params.model))
        params.responseFormat.clear();
    else if (params.responseFormat.isEmpty())
        params.responseFormat = QStringLiteral("b64_json");
    return params;
}

bool PixapiClient::isRefusedBeforeProcessing(const ApiError& error)
{
    return (error.httpStatus == 429 && error.kind == ApiError::Kind::RateLimited) || error.httpStatus == 503;
}

std::optional<int> PixapiClient::retryDelayMs(int attempt, const ApiError& error) const
{
    const int jitter = static_cast<int>(QRandomGenerator::global()->bounded(m_retryBaseDelayMs / 2 + 1));
    int delay = std::min(MaxBackoffMs, m_retryBaseDelayMs << attempt) + jitter;
    if (error.retryAfterSeconds > 0) {
        if (error.retryAfterSeconds > MaxRetryAfterMs / 1000)
            return std::nullopt;
        delay = std::max(delay, error.retryAfterSeconds * 1000 + jitter);
    }
    return delay;
}

void PixapiClient::retryLater(ApiJob* job, int delayMs, int httpStatus, std::function<void()> again)
{
    Q_EMIT job->retryScheduled(delayMs, httpStatus);
    job->m_http.clear(); // finished: a cancel while waiting ends the job itself
    QTimer::singleShot(delayMs, job, [job, again = std::move(again)] {
        if (!job->isFinished())
            again();
    });
}

template <typename Job, typename Parse>
void PixapiClient::runGet(Job* job, const QString& path, Parse parse, int attempt)
{
    HttpJob* http = m_network->send(apiRequest(path));
    job->setHttpJob(http);
    connect(http, &HttpJob::finished, job, [this, job, http, path, parse, attempt] {
        const HttpResult& result = http->result();
        std::optional<ApiError> error = failureOf(result);
        if (!error) {
            job->finish(parse(result.value().body));
            return;
        }
        // GETs are idempotent: retry transient failures with capped exponential backoff plus jitter.
        const std::optional<int> delay = retryDelayMs(attempt, *error);
        if (error->isTransient() && attempt + 1 < MaxGetAttempts && delay) {
            qCInfo(lcApi) << "retrying GET" << path << "after" << *delay << "ms:" << ApiError::kindName(error->kind);
            retryLater(job, *delay, error->httpStatus,
                       [this, job, path, parse, attempt] { runGet(job, path, parse, attempt + 1); });
            return;
        }
        job->finish(Job::ResultType::failure(std::move(*error)));
    });
}

ModelsJob* PixapiClient::listModels()
{
    auto* job = new ModelsJob(this);
    // The catalog cache stores the list as received (for OpenAI-compatible servers: cut to the image models), so a
    // later parser can read fields this one ignores.
    const auto parse = [job, kind = m_serverKind](const QByteArray& received) {
        const QByteArray body = kind == ServerKind::OpenAICompatible ? openAIImageModelList(received) : received;
        job->setResponseBody(body);
        return Parsers::parseModelList(body);
    };
    runGet(job, QStringLiteral("models"), parse, 0);
    return job;
}

BalanceJob* PixapiClient::fetchBalance()
{
    auto* job = new BalanceJob(this);
    runGet(job, QStringLiteral("balance"), &Parsers::parseBalance, 0);
    return job;
}

template <typename Job, typename Parse>
void PixapiClient::runPost(Job* job, const HttpRequest& request, Parse parse, int attempt)
{
    HttpJob* http = m_network->send(request);
    job->setHttpJob(http);
    connect(http, &HttpJob::finished, job, [this, job, http, request, parse, attempt] {
        const HttpResult& result = http->result();
        if (auto error = failureOf(result)) {
            // A gateway timeout: the origin may still be generating (and charging) behind the proxy.
            if (error->httpStatus == 504 || error->httpStatus == 524)
                error->mayHaveBeenProcessed = true;
            // Sent again only when the server said it did not do it; anything else may have been processed and
            // charged (contract §5, §8), so it is reported and never repeated behind the person's back.
            const std::optional<int> delay = retryDelayMs(attempt, *error);
            if (isRefusedBeforeProcessing(*error) && attempt + 1 < MaxPostAttempts && delay) {
                qCInfo(lcApi) << "server refused POST" << request.url.path() << "with" << error->httpStatus
                              << "; sending again after" << *delay << "ms";
                retryLater(job, *delay, error->httpStatus,
                           [this, job, request, parse, attempt] { runPost(job, request, parse, attempt + 1); });
                return;
            }
            job->finish(Job::ResultType::failure(std::move(*error)));
            return;
        }
        // Read on a worker: a generation's answer holds megabytes of base64, too much for the UI thread. The answer
        // is in, so a cancel can no longer stop anything (ApiJob::cancel): what the person paid for is delivered.
        job->m_answered = true;
        const HttpResponse response = result.value();
        whenFinished(job, runInBackground([parse, response] { return parse(response); }),
                     [job, status = response.status, requestId = response.requestId](auto parsed) {
                         if (!parsed.ok()) {
                             ApiError error = parsed.error();
                             error.httpStatus = status;
                             error.requestId = requestId;
                             error.mayHaveBeenProcessed = true; // a 2xx we could not read was most likely processed
                             job->finish(Job::ResultType::failure(std::move(error)));
                             return;
                         }
                         job->finish(std::move(parsed).value());
                     });
    });
}

HttpRequest PixapiClient::generationRequest(const QString& path, const GenerationParams& params,
                                            const EditInputs& edit) const
{
    HttpRequest request =
        apiRequest(path + (edit.isEdit() ? QStringLiteral("/edits") : QStringLiteral("/generations")));
    request.method = HttpRequest::Method::Post;
    if (edit.isEdit()) {
        request.formParts = editForm(paramsFor(m_serverKind, params), edit);
    } else {
        request.contentType = "application/json";
        request.body = generationBody(paramsFor(m_serverKind, params));
    }
    return request;
}

GenerateJob* PixapiClient::generate(const GenerationParams& params, const EditInputs& edit)
{
    auto* job = new GenerateJob(this);
    HttpRequest request = generationRequest(QStringLiteral("images"), params, edit);
    request.timeoutMs = m_generationTimeoutMs;
    request.deadlineMs = m_generationTimeoutMs; // the whole exchange, however slowly the bytes trickle in
    request.maxResponseBytes = m_maxImageBytes * std::max(1, params.n) * 4 / 3 + (1 << 20); // base64 overhead
    runPost(job, request, [](const HttpResponse& response) {
        auto parsed = Parsers::parseGenerationResponse(response.body);
        if (parsed.ok() && parsed.value().requestId.isEmpty())
            parsed.value().requestId = response.requestId;
        return parsed;
    });
    return job;
}

TaskJob* PixapiClient::submitAsync(const GenerationParams& params, const EditInputs& edit)
{
    auto* job = new TaskJob(this);
    // A repeated submit would create a second task and a second charge: runPost repeats only refused ones.
    runPost(job, generationRequest(QStringLiteral("async/images"), params, edit),
            [](const HttpResponse& response) { return Parsers::parseTask(response.body); });
    return job;
}

TaskJob* PixapiClient::fetchTask(const QString& taskId)
{
    auto* job = new TaskJob(this);
    // Percent-encoded: a hostile id must not be able to change the path.
    const QString path = QStringLiteral("tasks/") + QString::fromLatin1(QUrl::toPercentEncoding(taskId));
    runGet(job, path, &Parsers::parseTask, 0);
    return job;
}

DownloadJob* PixapiClient::downloadImage(const QUrl& url)
{
    auto* job = new DownloadJob(this);
    HttpRequest request;
    request.url = url;
    request.accept = "image/*";
    request.maxResponseBytes = m_maxImageBytes;
    request.timeoutMs = 60'000; // no key: CDN URLs are pre-signed and must never see the Authorization header
    HttpJob* http = m_network->send(request);
    job->setHttpJob(http);
    connect(http, &HttpJob::finished, job, [job, http] {
        const HttpResult& result = http->result();
        if (auto error = failureOf(result))
            job->finish(DownloadJob::ResultType::failure(std::move(*error)));
        else
            job->finish(result.value().body);
    });
    return job;
}

} // namespace Pixapi
