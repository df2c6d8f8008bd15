#pragma once

#include "api/ApiJob.h"
#include "api/ApiTypes.h"
#include "api/TaskInfo.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <functional>
#include <optional>

namespace Pixapi {

class NetworkAccess;
struct HttpRequest;
struct FormPart;

using ModelsJob = TypedApiJob<QList<ModelInfo>>;
using GenerateJob = TypedApiJob<GenerationResponse>;
using DownloadJob = TypedApiJob<QByteArray>;
using BalanceJob = TypedApiJob<Balance>;
using TaskJob = TypedApiJob<TaskInfo>;

// The REST client for Pixapi and OpenAI-compatible servers (../shared/api/PIXAPI-CONTRACT.md).
// GETs retry transient failures with backoff and jitter. A generation POST is sent again only when the server refused
// it before processing it (429 rate_limited, 503: see isRefusedBeforeProcessing()); never after it may have been
// processed (a timeout, a lost connection, a 500, an unreadable 2xx).
class PixapiClient : public QObject
{
    Q_OBJECT

public:
    explicit PixapiClient(NetworkAccess* network, QObject* parent = nullptr);

    static QUrl defaultBaseUrl(); // https://api.pixapi.ai

    void setBaseUrl(const QUrl& baseUrl); // e.g. https://api.pixapi.ai (with or without /v1)
    QUrl baseUrl() const;
    // OpenAICompatible: listModels() keeps only OpenAI's image models, and generations ask for b64_json (see
    // paramsFor()). Pixapi (the default) sends requests as given.
    void setServerKind(ServerKind kind);
    ServerKind serverKind() const;
    void setApiKey(const QString& key); // held in memory only; comes from ApiKeyStore or PIXAPI_KEY
    bool hasApiKey() const;
    void setGenerationTimeoutMs(int ms);
    void setMaxImageBytes(qint64 bytes);
    void setRetryBaseDelayMs(int ms); // tests shorten the backoff

    ModelsJob* listModels();
    BalanceJob* fetchBalance();
    // POST /v1/images/generations (JSON), or with input images /v1/images/edits (multipart/form-data: the same
    // fields as text parts, the images and the mask as files; see editForm()). Sent again only after a refusal.
    GenerateJob* generate(const GenerationParams& params, const EditInputs& edit = {});
    // POST /v1/async/images/generations or /v1/async/images/edits (same bodies as generate()): answers the task
    // object. Sent again only after a refusal: the server may have created (and will charge) the task even when its
    // answer is lost.
    TaskJob* submitAsync(const GenerationParams& params, const EditInputs& edit = {});
    // GET /v1/tasks/{id}: retried with backoff like every GET.
    TaskJob* fetchTask(const QString& taskId);
    // Downloads an image URL from the response at once (they expire). Never sends the API key.
    DownloadJob* downloadImage(const QUrl& url);

    // The JSON body sent for a generation; public so tests and the CLI's --dry-run can show it.
    static QByteArray generationBody(const GenerationParams& params);
    // The multipart parts of an edit: every field of generationBody() as text, then the images (`image` when there
    // is one, repeated `image[]` when there are several) and the mask (`mask`, a PNG).
    static QList<FormPart> editForm(const GenerationParams& params, const EditInputs& inputs);
    // The parameters as a server of `kind` gets them. OpenAI-compatible: GPT image models get no response_format
    // (OpenAI rejects the field for them; they always answer b64_json); other models get b64_json unless one was
    // chosen, since OpenAI's result URLs expire after an hour.
    static GenerationParams paramsFor(ServerKind kind, GenerationParams params);
    QUrl endpoint(const QString& path) const;

    // The server turned the request away without doing it: 429 rate_limited (not OpenAI's insufficient_quota) or
    // 503. Only these make a POST safe to send again (contract §8).
    static bool isRefusedBeforeProcessing(const ApiError& error);
    // The pause before attempt `attempt + 1`: min(8 s, base·2^attempt) plus up to base/2 of jitter, or the server's
    // Retry-After when longer. Nothing when Retry-After asks for more than 30 s: that is left to the person.
    std::optional<int> retryDelayMs(int attempt, const ApiError& error) const;

private:
    HttpRequest apiRequest(const QString& path) const;
    // `path` without its last segment ("images", "async/images"): generations or edits follow from `edit`.
    HttpRequest generationRequest(const QString& path, const GenerationParams& params, const EditInputs& edit) const;
    static QJsonObject generationFields(const GenerationParams& params);
    // Announces the retry, then calls `again` after delayMs unless the job finished meanwhile (a cancel).
    static void retryLater(ApiJob* job, int delayMs, int httpStatus, std::function<void()> again);
    template <typename Job, typename Parse>
    void runGet(Job* job, const QString& path, Parse parse, int attempt);
    template <typename Job, typename Parse>
    void runPost(Job* job, const HttpRequest& request, Parse parse, int attempt = 0);

    NetworkAccess* m_network;
    QUrl m_baseUrl;
    ServerKind m_serverKind = ServerKind::Pixapi;
    QString m_apiKey;
    int m_generationTimeoutMs = 180'000;
    qint64 m_maxImageBytes = 80ll << 20;
    int m_retryBaseDelayMs = 500;
};

} // namespace Pixapi
