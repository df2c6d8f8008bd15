#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

class QHttpServerResponder;

namespace Pixapi {

using SandboxHeaders = QList<QPair<QByteArray, QByteArray>>;

// A documented API error (contract §8): HTTP status, machine code and message.
struct SandboxApiError
{
    int status = 500;
    QByteArray code;
    QString message;
};

// What a handler needs from a request. Copied out of QHttpServerRequest, which dies with its socket, so answers
// can be given later (latency faults).
struct SandboxExchange
{
    QString method;
    QString path;
    QByteArray authorization; // compared with the accepted keys; never logged
    QByteArray body;          // never logged
    QByteArray contentType;   // the request's Content-Type header (JSON or multipart)
    QByteArray requestId;     // ours: sent as X-Request-ID and echoed in error bodies
};

// Writes complete HTTP answers through a QHttpServerResponder. Every answer carries X-Request-ID.
class SandboxReply
{
public:
    static void send(QHttpServerResponder& responder, const QByteArray& requestId, int status,
                     const QByteArray& contentType, const QByteArray& body, const SandboxHeaders& extra = {});
    static void sendJson(QHttpServerResponder& responder, const QByteArray& requestId, int status,
                         const QJsonObject& json, const SandboxHeaders& extra = {});
    static void sendError(QHttpServerResponder& responder, const QByteArray& requestId, const SandboxApiError& error,
                          const SandboxHeaders& extra = {});

    // Status line and headers only; the caller streams the body (truncated and huge-body faults).
    static void sendHead(QHttpServerResponder& responder, const QByteArray& requestId, int status,
                         const QByteArray& contentType, qint64 contentLength);

    // The documented error for a status (contract §8 table), used by status faults.
    static SandboxApiError errorForStatus(int status);
    static QByteArray errorBody(const SandboxApiError& error, const QByteArray& requestId);
    static QByteArray newRequestId();
};

} // namespace Pixapi
