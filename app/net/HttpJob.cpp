#include "net/HttpJob.h"

#include "api/Parsers.h"
#include "net/HttpError.h"
#include "support/Logging.h"

#include <QNetworkReply>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace Pixapi {
namespace {

// The total time limit of a request in ms (its deadlineMs, or DeadlineFactor × its transfer timeout), capped to what
// a QTimer takes; -1: none.
int deadlineOf(const HttpRequest& request)
{
    if (request.deadlineMs < 0)
        return -1;
    const qint64 ms = request.deadlineMs > 0 ? qint64(request.deadlineMs)
                                             : qint64(HttpRequest::DeadlineFactor) * std::max(request.timeoutMs, 0);
    return ms > 0 ? int(std::min<qint64>(ms, std::numeric_limits<int>::max())) : -1;
}

// Qt reports error statuses through error() too (400 as ProtocolInvalidOperationError, 401 as
// AuthenticationRequiredError, 404 as ContentNotFoundError, 5xx as server errors, ...): those answers are complete and
// are read as responses. These errors mean that no complete answer arrived, whether or not its headers did.
bool isTransportFailure(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::InsecureRedirectError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ContentReSendError:
    case QNetworkReply::ProtocolFailure:
        return true;
    default:
        return false;
    }
}

// A POST the server redirected: never followed, since following sends it again.
ApiError redirectedPostError()
{
    ApiError error = ApiError::make(ApiError::Kind::RedirectRefused, HttpJob::tr("a POST was redirected"));
    error.code = QStringLiteral("redirected_post");
    return error;
}

// A request id the server chose is quoted to the person and to support: kept only when it is a plain token.
QString plainRequestId(const QByteArray& value)
{
    return Parsers::plainRequestId(QString::fromLatin1(value));
}

} // namespace

HttpJob::HttpJob(QObject* parent)
    : QObject(parent)
{ }

HttpJob::HttpJob(QNetworkReply* reply, HttpRequest request, QString sentRequestId, QObject* parent)
    : QObject(parent)
    , m_reply(reply)
    , m_request(std::move(request))
    , m_sentRequestId(std::move(sentRequestId))
{
    reply->setParent(this);
    connect(reply, &QNetworkReply::metaDataChanged, this, &HttpJob::onMetaData);
    // The size cap is enforced where the bytes are taken (takeAvailable) and announced (onMetaData).
    connect(reply, &QNetworkReply::downloadProgress, this, &HttpJob::downloadProgress);
    connect(reply, &QNetworkReply::readyRead, this, &HttpJob::onReadyRead);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) {
        if (sent > 0)
            m_requestSent = true;
    });
    connect(reply, &QNetworkReply::finished, this, &HttpJob::onFinished);
    if (m_request.method == HttpRequest::Method::Post) {
        // Following a redirect sends the POST again, to another address, and Qt 6.4 does that unreliably (one send
        // too many at the hop cap, 301/302 turned into a GET): a generation is never sent twice, so it stops here.
        connect(reply, &QNetworkReply::redirected, this, [this] {
            if (!m_abortReason)
                m_abortReason = redirectedPostError();
            abortWith(ApiError::Kind::RedirectRefused, {});
        });
    }
    m_deadlineMs = deadlineOf(m_request);
    if (m_deadlineMs > 0) {
        m_deadline = new QTimer(this);
        m_deadline->setSingleShot(true);
        m_deadline->setTimerType(Qt::CoarseTimer);
        connect(m_deadline, &QTimer::timeout, this, &HttpJob::onDeadline);
        m_deadline->start(m_deadlineMs);
    }
}

HttpJob* HttpJob::failed(ApiError error, QObject* parent)
{
    auto* job = new HttpJob(parent);
    QTimer::singleShot(0, job, [job, error = std::move(error)] { job->finish(HttpResult::failure(error)); });
    return job;
}

HttpJob::~HttpJob() = default;

const HttpResult& HttpJob::result() const
{
    Q_ASSERT(m_result);
    return *m_result;
}

void HttpJob::cancel()
{
    if (m_result)
        return;
    if (m_reply)
        abortWith(ApiError::Kind::Cancelled, {});
    else
        finish(HttpResult::failure(ApiError::make(ApiError::Kind::Cancelled)));
}

void HttpJob::abortWith(ApiError::Kind kind, const QString& detail)
{
    if (!m_abortReason)
        m_abortReason = ApiError::make(kind, detail);
    if (m_reply)
        m_reply->abort(); // emits finished(), handled in onFinished()
}

void HttpJob::onDeadline()
{
    // Bytes kept trickling (or the upload crawled) past the total limit: the transfer timeout alone never fires then.
    abortWith(ApiError::Kind::Timeout, tr("no complete answer within %1 ms").arg(m_deadlineMs));
}

void HttpJob::onMetaData()
{
    m_requestSent = true; // headers arrived: the server has seen the request
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > m_request.maxResponseBytes)
        abortWith(ApiError::Kind::ResponseTooLarge, tr("announced %1 bytes").arg(length.toLongLong()));
}

void HttpJob::onReadyRead()
{
    if (!takeAvailable())
        abortWith(ApiError::Kind::ResponseTooLarge, {});
}

bool HttpJob::takeAvailable()
{
    // Taken as it arrives: copying a whole answer of megabytes out of the reply at the end held the UI thread for
    // 20-30 ms (tests/bench); in pieces it is a few microseconds each.
    const qint64 available = m_reply->bytesAvailable();
    if (m_body.size() + available > m_request.maxResponseBytes)
        return false;
    if (m_body.isEmpty()) {
        const qint64 announced = m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (announced > 0)
            m_body.reserve(std::min(announced, m_request.maxResponseBytes));
    }
    const qsizetype before = m_body.size();
    m_body.resize(before + available);
    const qint64 read = m_reply->read(m_body.data() + before, available);
    m_body.resize(before + std::max<qint64>(read, 0));
    return true;
}

void HttpJob::onFinished()
{
    QNetworkReply* reply = m_reply;
    if (!reply || m_result)
        return;
    const bool isPost = m_request.method == HttpRequest::Method::Post;
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);

    auto fail = [&](ApiError error) {
        // A POST whose bytes may have reached the server could have been processed (and charged).
        error.mayHaveBeenProcessed = isPost && (m_requestSent || error.kind == ApiError::Kind::Timeout)
                                     && error.kind != ApiError::Kind::InsecureUrl
                                     && error.kind != ApiError::Kind::Offline;
        if (error.requestId.isEmpty())
            error.requestId = m_sentRequestId;
        qCInfo(lcNet) << "request" << m_sentRequestId << "failed:" << ApiError::kindName(error.kind);
        finish(HttpResult::failure(std::move(error)));
    };

    if (m_abortReason) {
        fail(*m_abortReason);
        return;
    }
    if (reply->isOpen() && !takeAvailable()) { // closed after an abort
        fail(ApiError::make(ApiError::Kind::ResponseTooLarge));
        return;
    }
    const QByteArray body = std::exchange(m_body, {});
    const QNetworkReply::NetworkError qtError = reply->error();
    const bool headersArrived = statusAttr.isValid();
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    const qint64 announced = length.isValid() ? length.toLongLong() : -1;
    if (headersArrived && length.isValid() && announced < 0) {
        fail(ApiError::make(ApiError::Kind::MalformedResponse, tr("invalid Content-Length %1").arg(announced)));
        return;
    }
    if (qtError != QNetworkReply::NoError && (!headersArrived || isTransportFailure(qtError))) {
        ApiError error = errorForNetworkFailure(qtError, reply->errorString(), body.size());
        if (error.kind == ApiError::Kind::Cancelled) {
            // Qt reports its transfer timeout as a cancellation; we never cancelled, so it is a timeout.
            error.kind = ApiError::Kind::Timeout;
        } else if (headersArrived
                   && (qtError == QNetworkReply::RemoteHostClosedError || qtError == QNetworkReply::ProtocolFailure)) {
            // The answer had begun (its headers are here) and the connection ended before it was complete.
            error.kind = ApiError::Kind::Truncated;
        } else if (headersArrived && error.kind == ApiError::Kind::Offline) {
            error.kind = ApiError::Kind::NetworkError; // the server answered: it can be reached
        }
        if (qtError == QNetworkReply::ContentReSendError) {
            // Qt wanted to send the POST again, which its body (NetworkAccess) refuses: it had been sent once. What
            // the server had answered by then tells what happened.
            m_requestSent = true;
            const int status = statusAttr.toInt();
            if (status >= 300 && status < 400)
                error = redirectedPostError();
            else if (headersArrived)
                error.kind = ApiError::Kind::Truncated; // the answer had begun
        }
        if (qtError == QNetworkReply::TooManyRedirectsError)
            error.code = QStringLiteral("too_many_redirects");
        fail(std::move(error));
        return;
    }
    // A body shorter than announced is a truncated answer (compressed bodies excepted). Redirect answers are left out:
    // Qt does not read their bodies.
    const int status = statusAttr.toInt();
    if (length.isValid() && !reply->hasRawHeader("Content-Encoding") && (status < 300 || status >= 400)
        && announced != body.size()) {
        fail(ApiError::make(ApiError::Kind::Truncated, tr("received %1 of %2 bytes").arg(body.size()).arg(announced)));
        return;
    }

    HttpResponse response;
    response.status = statusAttr.toInt();
    response.body = body;
    response.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    const QByteArray serverId = reply->rawHeader("X-Request-ID");
    const QString plainServerId = plainRequestId(serverId);
    response.requestId = plainServerId.isEmpty() ? m_sentRequestId : plainServerId;
    response.retryAfterSeconds = parseRetryAfter(reply->rawHeader("Retry-After"));
    qCDebug(lcNet) << "request" << m_sentRequestId << "status" << response.status << "bytes" << body.size();
    finish(std::move(response));
}

void HttpJob::finish(HttpResult result)
{
    if (m_result)
        return;
    m_result = std::move(result);
    if (m_deadline)
        m_deadline->stop();
    if (m_reply)
        m_reply->disconnect(this);
    Q_EMIT finished();
    deleteLater();
}

} // namespace Pixapi
