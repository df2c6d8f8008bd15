#include "net/HttpJob.h"

#include "net/HttpError.h"
#include "support/Logging.h"

#include <QNetworkReply>
#include <QTimer>

namespace Pixapi {

HttpJob::HttpJob(QObject* parent)
    : QObject(parent)
{
}

HttpJob::HttpJob(QNetworkReply* reply, HttpRequest request, QString sentRequestId, QObject* parent)
    : QObject(parent)
    , m_reply(reply)
    , m_request(std::move(request))
    , m_sentRequestId(std::move(sentRequestId))
{
    reply->setParent(this);
    connect(reply, &QNetworkReply::metaDataChanged, this, &HttpJob::onMetaData);
    connect(reply, &QNetworkReply::downloadProgress, this, &HttpJob::onProgress);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) {
        if (sent > 0)
            m_requestSent = true;
    });
    connect(reply, &QNetworkReply::finished, this, &HttpJob::onFinished);
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

void HttpJob::onMetaData()
{
    m_requestSent = true; // headers arrived: the server has seen the request
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > m_request.maxResponseBytes)
        abortWith(ApiError::Kind::ResponseTooLarge, tr("announced %1 bytes").arg(length.toLongLong()));
}

void HttpJob::onProgress(qint64 received, qint64 total)
{
    if (received > m_request.maxResponseBytes || total > m_request.maxResponseBytes) {
        abortWith(ApiError::Kind::ResponseTooLarge, {});
        return;
    }
    Q_EMIT downloadProgress(received, total);
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
            && error.kind != ApiError::Kind::InsecureUrl && error.kind != ApiError::Kind::Offline;
        if (error.requestId.isEmpty())
            error.requestId = m_sentRequestId;
        qCInfo(lcNet) << "request" << m_sentRequestId << "failed:" << ApiError::kindName(error.kind);
        finish(HttpResult::failure(std::move(error)));
    };

    if (m_abortReason) {
        fail(*m_abortReason);
        return;
    }
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray(); // closed after a timeout abort
    if (reply->error() != QNetworkReply::NoError && !statusAttr.isValid()) {
        ApiError error = errorForNetworkFailure(reply->error(), reply->errorString(), body.size());
        // Qt reports its transfer timeout as a cancellation; we never cancelled, so it is a timeout.
        if (error.kind == ApiError::Kind::Cancelled)
            error.kind = ApiError::Kind::Timeout;
        fail(std::move(error));
        return;
    }
    if (reply->error() == QNetworkReply::RemoteHostClosedError || reply->error() == QNetworkReply::InsecureRedirectError
        || reply->error() == QNetworkReply::TooManyRedirectsError) {
        fail(errorForNetworkFailure(reply->error(), reply->errorString(), body.size()));
        return;
    }
    // A body shorter than announced is a truncated answer, whatever the status (compressed bodies excepted).
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && !reply->hasRawHeader("Content-Encoding") && length.toLongLong() != body.size()) {
        fail(ApiError::make(ApiError::Kind::Truncated,
                            tr("received %1 of %2 bytes").arg(body.size()).arg(length.toLongLong())));
        return;
    }

    HttpResponse response;
    response.status = statusAttr.toInt();
    response.body = body;
    response.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    const QByteArray serverId = reply->rawHeader("X-Request-ID");
    response.requestId = serverId.isEmpty() ? m_sentRequestId : QString::fromLatin1(serverId);
    response.retryAfterSeconds = parseRetryAfter(reply->rawHeader("Retry-After"));
    qCDebug(lcNet) << "request" << m_sentRequestId << "status" << response.status << "bytes" << body.size();
    finish(std::move(response));
}

void HttpJob::finish(HttpResult result)
{
    if (m_result)
        return;
    m_result = std::move(result);
    if (m_reply)
        m_reply->disconnect(this);
    Q_EMIT finished();
    deleteLater();
}

} // namespace Pixapi
