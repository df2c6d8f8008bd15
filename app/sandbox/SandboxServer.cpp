#include "sandbox/SandboxServer.h"

#include "sandbox/SandboxCatalog.h"
#include "sandbox/SandboxEdit.h"
#include "sandbox/SandboxFaultPlayer.h"
#include "sandbox/SandboxFileStore.h"
#include "sandbox/SandboxGeneration.h"
#include "sandbox/SandboxLedger.h"
#include "sandbox/SandboxReply.h"
#include "sandbox/SandboxTasks.h"
#include "support/Logging.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QMutex>

#include <algorithm>
#include <optional>

namespace Pixapi {

namespace {

enum class Endpoint { Models, Generations, AsyncGenerations, Edits, AsyncEdits, Task, Balance, File, Unrouted };

const QString kModelsPath = QStringLiteral("/v1/models");
const QString kGenerationsPath = QStringLiteral("/v1/images/generations");
const QString kAsyncGenerationsPath = QStringLiteral("/v1/async/images/generations");
const QString kEditsPath = QStringLiteral("/v1/images/edits");
const QString kAsyncEditsPath = QStringLiteral("/v1/async/images/edits");
const QString kTasksPrefix = QStringLiteral("/v1/tasks/");
const QString kBalancePath = QStringLiteral("/v1/balance");
const QString kFilesPrefix = QStringLiteral("/files/");

QString methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return QStringLiteral("GET");
    case QHttpServerRequest::Method::Put:
        return QStringLiteral("PUT");
    case QHttpServerRequest::Method::Delete:
        return QStringLiteral("DELETE");
    case QHttpServerRequest::Method::Post:
        return QStringLiteral("POST");
    case QHttpServerRequest::Method::Head:
        return QStringLiteral("HEAD");
    case QHttpServerRequest::Method::Options:
        return QStringLiteral("OPTIONS");
    case QHttpServerRequest::Method::Patch:
        return QStringLiteral("PATCH");
    case QHttpServerRequest::Method::Connect:
        return QStringLiteral("CONNECT");
    case QHttpServerRequest::Method::Trace:
        return QStringLiteral("TRACE");
    default:
        return QStringLiteral("UNKNOWN");
    }
}

std::optional<QByteArray> headerValue(const QHttpServerRequest& request, const QByteArray& name)
{
    const auto headers = request.headers();
    for (const auto& header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return std::nullopt;
}

// The method a known path answers to, or nothing for paths the sandbox does not serve.
std::optional<QByteArray> allowedMethod(const QString& path)
{
    if (path == kModelsPath || path == kBalancePath)
        return QByteArrayLiteral("GET");
    if (path == kGenerationsPath || path == kAsyncGenerationsPath || path == kEditsPath || path == kAsyncEditsPath)
        return QByteArrayLiteral("POST");
    if (path.startsWith(kTasksPrefix) && path.indexOf(QLatin1Char('/'), kTasksPrefix.size()) < 0)
        return QByteArrayLiteral("GET");
    if (path.startsWith(kFilesPrefix) && path.indexOf(QLatin1Char('/'), kFilesPrefix.size()) < 0)
        return QByteArrayLiteral("GET");
    return std::nullopt;
}

} // namespace

struct SandboxServer::Private
{
    explicit Private(SandboxServer* owner)
        : q(owner)
        , http(new QHttpServer(owner))
        , faultPlayer(files, owner)
    { }

    void registerRoutes();
    void receive(Endpoint endpoint, const QHttpServerRequest& request, QHttpServerResponder&& responder);
    void answer(Endpoint endpoint, const SandboxExchange& exchange, QHttpServerResponder&& responder, bool latencyDone);
    std::optional<SandboxFault> takeFault(const SandboxExchange& exchange, bool skipLatency);
    bool authorized(const QByteArray& authorization) const;

    void models(const SandboxExchange& exchange, QHttpServerResponder& responder) const;
    Result<SandboxGeneration, SandboxApiError> imageRequest(Endpoint endpoint, const SandboxExchange& exchange);
    void generate(Endpoint endpoint, const SandboxExchange& exchange, QHttpServerResponder& responder);
    void submitTask(Endpoint endpoint, const SandboxExchange& exchange, QHttpServerResponder& responder);
    void task(const SandboxExchange& exchange, QHttpServerResponder& responder);
    void balance(const SandboxExchange& exchange, QHttpServerResponder& responder) const;
    void file(const SandboxExchange& exchange, QHttpServerResponder& responder) const;
    void unrouted(const SandboxExchange& exchange, QHttpServerResponder& responder) const;

    SandboxServer* q;
    QHttpServer* http; // owned by q, so SandboxHost's moveToThread takes it along
    SandboxFileStore files;
    SandboxLedger ledger;
    SandboxTasks tasks;
    SandboxFaultPlayer faultPlayer;

    mutable QMutex mutex; // guards everything below: tests drive a hosted server from another thread
    QStringList acceptedKeys {SandboxServer::defaultKey()};
    QList<SandboxFault> faults;
    QList<SandboxRequestRecord> records;
    quint16 port = 0;
    QUrl baseUrl;
    qint64 maxBodyBytes = SandboxServer::DefaultMaxBodyBytes;
    std::optional<SandboxEditRecord> lastEdit;
};

void SandboxServer::Private::registerRoutes()
{
    using Method = QHttpServerRequest::Method;
    const auto on = [this](Endpoint endpoint) {
        return [this, endpoint](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
            receive(endpoint, request, std::move(responder));
        };
    };
    http->route(kModelsPath, Method::Get, on(Endpoint::Models));
    http->route(kGenerationsPath, Method::Post, on(Endpoint::Generations));
    http->route(kAsyncGenerationsPath, Method::Post, on(Endpoint::AsyncGenerations));
    http->route(kEditsPath, Method::Post, on(Endpoint::Edits));
    http->route(kAsyncEditsPath, Method::Post, on(Endpoint::AsyncEdits));
    http->route(kTasksPrefix + QStringLiteral("<arg>"), Method::Get,
                [this](const QString&, const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                    receive(Endpoint::Task, request, std::move(responder));
                });
    http->route(kBalancePath, Method::Get, on(Endpoint::Balance));
    http->route(kFilesPrefix + QStringLiteral("<arg>"), Method::Get,
                [this](const QString&, const QHttpServerRequest& request, QHttpServerResponder&& responder) {
                    receive(Endpoint::File, request, std::move(responder));
                });
    // Unknown paths and wrong methods land here; answered with JSON 404/405 (after faults and auth).
    http->setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        receive(Endpoint::Unrouted, request, std::move(responder));
    });
}

void SandboxServer::Private::receive(Endpoint endpoint, const QHttpServerRequest& request,
                                     QHttpServerResponder&& responder)
{
    const std::optional<QByteArray> authorization = headerValue(request, QByteArrayLiteral("Authorization"));
    SandboxExchange exchange;
    exchange.method = methodName(request.method());
    exchange.path = request.url().path();
    exchange.authorization = authorization.value_or(QByteArray());
    exchange.body = request.body();
    exchange.contentType = headerValue(request, QByteArrayLiteral("Content-Type")).value_or(QByteArray());
    exchange.requestId = SandboxReply::newRequestId();

    SandboxRequestRecord record;
    record.method = exchange.method;
    record.path = exchange.path;
    record.hadAuthorization = authorization.has_value();
    record.userAgent = QString::fromUtf8(headerValue(request, QByteArrayLiteral("User-Agent")).value_or(QByteArray()));
    record.requestIdHeader =
        QString::fromUtf8(headerValue(request, QByteArrayLiteral("X-Request-ID")).value_or(QByteArray()));
    record.contentType = exchange.contentType;
    record.bodySize = exchange.body.size();
    {
        const QMutexLocker lock(&mutex);
        records.append(record);
    }
    qCDebug(lcSandbox) << exchange.method << exchange.path << exchange.requestId;
    answer(endpoint, exchange, std::move(responder), false);
}

void SandboxServer::Private::answer(Endpoint endpoint, const SandboxExchange& exchange,
                                    QHttpServerResponder&& responder, bool latencyDone)
{
    if (const std::optional<SandboxFault> fault = takeFault(exchange, latencyDone)) {
        // After a latency fault the request goes through again, so latency can combine with another fault.
        faultPlayer.play(*fault, exchange, q->baseUrl(), std::move(responder),
                         [this, endpoint, exchange](QHttpServerResponder&& delayed) {
                             answer(endpoint, exchange, std::move(delayed), true);
                         });
        return;
    }

    if (exchange.path.startsWith(QLatin1String("/v1/")) && !authorized(exchange.authorization)) {
        SandboxReply::sendError(responder, exchange.requestId, SandboxReply::errorForStatus(401));
        return;
    }
    switch (endpoint) {
    case Endpoint::Models:
        models(exchange, responder);
        return;
    case Endpoint::Generations:
    case Endpoint::Edits:
        generate(endpoint, exchange, responder);
        return;
    case Endpoint::AsyncGenerations:
    case Endpoint::AsyncEdits:
        submitTask(endpoint, exchange, responder);
        return;
    case Endpoint::Task:
        task(exchange, responder);
        return;
    case Endpoint::Balance:
        balance(exchange, responder);
        return;
    case Endpoint::File:
        file(exchange, responder);
        return;
    case Endpoint::Unrouted:
        unrouted(exchange, responder);
        return;
    }
}

std::optional<SandboxFault> SandboxServer::Private::takeFault(const SandboxExchange& exchange, bool skipLatency)
{
    std::optional<QString> model; // read from the body only when a fault asks for it
    const QMutexLocker lock(&mutex);
    for (auto it = faults.begin(); it != faults.end(); ++it) {
        if (!exchange.path.startsWith(it->pathPrefix) || (skipLatency && it->kind == SandboxFault::Kind::Latency))
            continue;
        if (!it->model.isEmpty()) {
            if (!model)
                model =
                    SandboxEdit::fieldsOf(exchange.contentType, exchange.body).value(QLatin1String("model")).toString();
            if (*model != it->model)
                continue;
        }
        const SandboxFault fault = *it;
        if (it->remaining > 0 && --it->remaining == 0)
            faults.erase(it);
        return fault;
    }
    return std::nullopt;
}

bool SandboxServer::Private::authorized(const QByteArray& authorization) const
{
    static const QByteArray scheme = QByteArrayLiteral("bearer ");
    if (!authorization.toLower().startsWith(scheme))
        return false;
    const QString key = QString::fromUtf8(authorization.mid(scheme.size()).trimmed());
    const QMutexLocker lock(&mutex);
    return !key.isEmpty() && acceptedKeys.contains(key);
}

void SandboxServer::Private::models(const SandboxExchange& exchange, QHttpServerResponder& responder) const
{
    QJsonArray data;
    for (const SandboxModel& model : SandboxCatalog::models())
        data.append(SandboxCatalog::toJson(model));
    SandboxReply::sendJson(responder, exchange.requestId, 200,
                           {{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}});
}

Result<SandboxGeneration, SandboxApiError> SandboxServer::Private::imageRequest(Endpoint endpoint,
                                                                                const SandboxExchange& exchange)
{
    const bool edit = endpoint == Endpoint::Edits || endpoint == Endpoint::AsyncEdits;
    qint64 cap = 0;
    {
        const QMutexLocker lock(&mutex);
        cap = maxBodyBytes;
        if (edit)
            lastEdit.reset();
    }
    // QHttpServer 6.4 has read the whole body by now; the cap bounds what is parsed and decoded (answered 413).
    if (exchange.body.size() > cap) {
        const auto mib = [](qint64 bytes) { return QString::number(double(bytes) / (1024 * 1024), 'f', 1); };
        return Result<SandboxGeneration, SandboxApiError>::failure(
            {413, QByteArrayLiteral("request_too_large"),
             QStringLiteral("The request body is %1 MiB; the sandbox takes at most %2 MiB.")
                 .arg(mib(exchange.body.size()), mib(cap))});
    }
    if (!edit)
        return SandboxGeneration::parse(exchange.body);
    std::optional<SandboxEditRecord> seen;
    auto parsed = SandboxEdit::parse(exchange.contentType, exchange.body, seen);
    if (seen)
        seen->path = exchange.path;
    const QMutexLocker lock(&mutex);
    lastEdit = std::move(seen);
    return parsed;
}

void SandboxServer::Private::generate(Endpoint endpoint, const SandboxExchange& exchange,
                                      QHttpServerResponder& responder)
{
    const auto parsed = imageRequest(endpoint, exchange);
    if (!parsed) {
        SandboxReply::sendError(responder, exchange.requestId, parsed.error());
        return;
    }
    const SandboxGeneration& request = parsed.value();
    // Balance check and charge in one step (contract §7: estimate first, then call the provider).
    if (!ledger.charge(request.model->id, request.cost(), request.prompt)) {
        SandboxReply::sendError(responder, exchange.requestId, SandboxReply::errorForStatus(402));
        return;
    }

    const QJsonArray data = request.render(files, q->baseUrl());
    SandboxReply::sendJson(
        responder, exchange.requestId, 200,
        {{QStringLiteral("created"), QDateTime::currentSecsSinceEpoch()}, {QStringLiteral("data"), data}});
}

void SandboxServer::Private::submitTask(Endpoint endpoint, const SandboxExchange& exchange,
                                        QHttpServerResponder& responder)
{
    // Same body and validation as the sync endpoint; the balance is estimated now and charged on completion (§7).
    const auto parsed = imageRequest(endpoint, exchange);
    if (!parsed) {
        SandboxReply::sendError(responder, exchange.requestId, parsed.error());
        return;
    }
    if (parsed.value().cost() > ledger.balance()) {
        SandboxReply::sendError(responder, exchange.requestId, SandboxReply::errorForStatus(402));
        return;
    }
    SandboxReply::sendJson(responder, exchange.requestId, 200, tasks.create(parsed.value()));
}

void SandboxServer::Private::task(const SandboxExchange& exchange, QHttpServerResponder& responder)
{
    const QString id = exchange.path.mid(kTasksPrefix.size());
    const std::optional<QJsonObject> json = tasks.observe(id, ledger, files, q->baseUrl());
    if (!json) {
        SandboxReply::sendError(responder, exchange.requestId,
                                {404, QByteArrayLiteral("task_not_found"), QStringLiteral("No such task.")});
        return;
    }
    SandboxReply::sendJson(responder, exchange.requestId, 200, *json);
}

void SandboxServer::Private::balance(const SandboxExchange& exchange, QHttpServerResponder& responder) const
{
    SandboxReply::sendJson(
        responder, exchange.requestId, 200,
        {{QStringLiteral("credits"), ledger.balance()}, {QStringLiteral("currency"), QStringLiteral("credits")}});
}

void SandboxServer::Private::file(const SandboxExchange& exchange, QHttpServerResponder& responder) const
{
    const std::optional<QByteArray> png = files.find(exchange.path.mid(kFilesPrefix.size()));
    if (!png) {
        SandboxReply::sendError(responder, exchange.requestId,
                                {404, QByteArrayLiteral("not_found"), QStringLiteral("No such file.")});
        return;
    }
    SandboxReply::send(responder, exchange.requestId, 200, QByteArrayLiteral("image/png"), *png,
                       {{QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("public, max-age=3600")}});
}

void SandboxServer::Private::unrouted(const SandboxExchange& exchange, QHttpServerResponder& responder) const
{
    if (const std::optional<QByteArray> allow = allowedMethod(exchange.path)) {
        SandboxReply::sendError(responder, exchange.requestId,
                                {405, QByteArrayLiteral("method_not_allowed"),
                                 QStringLiteral("Use %1 for this path.").arg(QString::fromLatin1(*allow))},
                                {{QByteArrayLiteral("Allow"), *allow}});
        return;
    }
    SandboxReply::sendError(responder, exchange.requestId,
                            {404, QByteArrayLiteral("not_found"), QStringLiteral("No such endpoint.")});
}

SandboxServer::SandboxServer(QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    d->registerRoutes();
}

SandboxServer::~SandboxServer() = default;

QString SandboxServer::defaultKey()
{
    return QStringLiteral("sk_sandbox_local");
}

bool SandboxServer::listen(const QHostAddress& address, quint16 port)
{
    const quint16 bound = d->http->listen(address, port);
    if (bound == 0) {
        qCWarning(lcSandbox) << "sandbox could not listen on" << address << port;
        return false;
    }
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    const bool anyAddress = address == QHostAddress::Any || address == QHostAddress::AnyIPv4;
    url.setHost(anyAddress ? QStringLiteral("127.0.0.1") : address.toString());
    url.setPort(bound);
    const QMutexLocker lock(&d->mutex);
    d->port = bound;
    d->baseUrl = url;
    return true;
}

quint16 SandboxServer::port() const
{
    const QMutexLocker lock(&d->mutex);
    return d->port;
}

QUrl SandboxServer::baseUrl() const
{
    const QMutexLocker lock(&d->mutex);
    return d->baseUrl;
}

void SandboxServer::setAcceptedKeys(const QStringList& keys)
{
    const QMutexLocker lock(&d->mutex);
    d->acceptedKeys = keys;
}

void SandboxServer::setBalance(double credits)
{
    d->ledger.setBalance(credits);
}

double SandboxServer::balance() const
{
    return d->ledger.balance();
}

double SandboxServer::creditsCharged(const QString& modelId) const
{
    const SandboxModel* model = SandboxCatalog::find(modelId);
    return d->ledger.charged(model ? model->id : modelId);
}

QList<SandboxCharge> SandboxServer::charges() const
{
    return d->ledger.charges();
}

void SandboxServer::setTaskTimings(int queuedMs, int processingMs)
{
    d->tasks.setTimings(queuedMs, processingMs);
}

void SandboxServer::addFault(const SandboxFault& fault)
{
    if (fault.remaining == 0)
        return;
    const QMutexLocker lock(&d->mutex);
    d->faults.append(fault);
}

void SandboxServer::clearFaults()
{
    const QMutexLocker lock(&d->mutex);
    d->faults.clear();
}

QList<SandboxRequestRecord> SandboxServer::requests() const
{
    const QMutexLocker lock(&d->mutex);
    return d->records;
}

SandboxFault SandboxFault::generationOf(const QString& model, Kind kind, int status, int latencyMs)
{
    SandboxFault fault;
    fault.kind = kind;
    fault.pathPrefix = QStringLiteral("/v1/images/generations");
    fault.model = model;
    fault.status = status;
    fault.latencyMs = latencyMs;
    return fault;
}

int SandboxServer::postCount() const
{
    const QList<SandboxRequestRecord> records = requests();
    return int(std::count_if(records.cbegin(), records.cend(),
                             [](const SandboxRequestRecord& r) { return r.method == QLatin1String("POST"); }));
}

void SandboxServer::clearRequests()
{
    const QMutexLocker lock(&d->mutex);
    d->records.clear();
}

std::optional<SandboxEditRecord> SandboxServer::lastEdit() const
{
    const QMutexLocker lock(&d->mutex);
    return d->lastEdit;
}

void SandboxServer::setMaxBodyBytes(qint64 bytes)
{
    const QMutexLocker lock(&d->mutex);
    d->maxBodyBytes = bytes;
}

} // namespace Pixapi
