#pragma once

#include "net/HttpTypes.h"

#include <QObject>
#include <QPointer>

#include <optional>

class QNetworkReply;
class QTimer;

namespace Pixapi {

// One HTTP exchange. Emits finished() exactly once (also on cancel), then deletes itself. Besides Qt's transfer
// timeout (no bytes for timeoutMs) it enforces the request's total deadline (HttpRequest::deadlineMs).
class HttpJob : public QObject
{
    Q_OBJECT

public:
    HttpJob(QNetworkReply* reply, HttpRequest request, QString sentRequestId, QObject* parent = nullptr);
    // A job that fails at once (e.g. a refused URL) but still reports through finished() from the event loop.
    static HttpJob* failed(ApiError error, QObject* parent);
    ~HttpJob() override;

    const HttpResult& result() const;
    void cancel();

Q_SIGNALS:
    void finished();
    void downloadProgress(qint64 received, qint64 total);

private:
    explicit HttpJob(QObject* parent);
    void onMetaData();
    void onReadyRead();
    // Moves what the reply holds into m_body; false (nothing taken) when that would pass maxResponseBytes.
    bool takeAvailable();
    void onFinished();
    void finish(HttpResult result);
    void abortWith(ApiError::Kind kind, const QString& detail);
    void onDeadline();

    QPointer<QNetworkReply> m_reply;
    QTimer* m_deadline = nullptr;
    int m_deadlineMs = -1;
    HttpRequest m_request;
    QString m_sentRequestId;
    std::optional<ApiError> m_abortReason;
    std::optional<HttpResult> m_result;
    bool m_requestSent = false;
    QByteArray m_body; // what arrived so far (onReadyRead)
};

} // namespace Pixapi
