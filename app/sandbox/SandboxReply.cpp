#include "sandbox/SandboxReply.h"

#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QMetaEnum>
#include <QUuid>

namespace Pixapi {

namespace {

const QByteArray kJson = QByteArrayLiteral("application/json");

// QHttpServerResponder only knows the statuses of its enum; anything else would throw inside Qt.
QHttpServerResponder::StatusCode statusCode(int status)
{
    if (!QMetaEnum::fromType<QHttpServerResponder::StatusCode>().valueToKey(status))
        status = 500;
    return static_cast<QHttpServerResponder::StatusCode>(status);
}

void writeHead(QHttpServerResponder& responder, const QByteArray& requestId, int status, const QByteArray& contentType,
               qint64 contentLength, const SandboxHeaders& extra)
{
    responder.writeStatusLine(statusCode(status));
    if (!contentType.isEmpty())
        responder.writeHeader(QByteArrayLiteral("Content-Type"), contentType);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(contentLength));
    responder.writeHeader(QByteArrayLiteral("X-Request-ID"), requestId);
    for (const auto& header : extra)
        responder.writeHeader(header.first, header.second);
}

} // namespace

void SandboxReply::send(QHttpServerResponder& responder, const QByteArray& requestId, int status,
                        const QByteArray& contentType, const QByteArray& body, const SandboxHeaders& extra)
{
    writeHead(responder, requestId, status, contentType, body.size(), extra);
    responder.writeBody(body); // also ends the header block when the body is empty
}

void SandboxReply::sendJson(QHttpServerResponder& responder, const QByteArray& requestId, int status,
                            const QJsonObject& json, const SandboxHeaders& extra)
{
    send(responder, requestId, status, kJson, QJsonDocument(json).toJson(QJsonDocument::Compact), extra);
}

void SandboxReply::sendError(QHttpServerResponder& responder, const QByteArray& requestId, const SandboxApiError& error,
                             const SandboxHeaders& extra)
{
    send(responder, requestId, error.status, kJson, errorBody(error, requestId), extra);
}

void SandboxReply::sendHead(QHttpServerResponder& responder, const QByteArray& requestId, int status,
                            const QByteArray& contentType, qint64 contentLength)
{
    writeHead(responder, requestId, status, contentType, contentLength, {});
}

SandboxApiError SandboxReply::errorForStatus(int status)
{
    switch (status) {
    case 400:
        return {status, QByteArrayLiteral("invalid_request_error"), QStringLiteral("The request is invalid.")};
    case 401:
        return {status, QByteArrayLiteral("unauthorized"), QStringLiteral("Invalid API key.")};
    case 402:
        return {status, QByteArrayLiteral("insufficient_credits"),
                QStringLiteral("Not enough credits for this request.")};
    case 403:
        return {status, QByteArrayLiteral("forbidden"), QStringLiteral("This key may not use this resource.")};
    case 404:
        return {status, QByteArrayLiteral("model_not_found"), QStringLiteral("The model does not exist.")};
    case 413:
        return {status, QByteArrayLiteral("request_too_large"), QStringLiteral("The request is too large.")};
    case 422:
        return {status, QByteArrayLiteral("prompt_rejected"), QStringLiteral("The prompt was rejected by policy.")};
    case 429:
        return {status, QByteArrayLiteral("rate_limited"), QStringLiteral("Too many requests. Slow down.")};
    case 503:
        return {status, QByteArrayLiteral("model_unavailable"),
                QStringLiteral("The model is temporarily unavailable.")};
    default:
        break;
    }
    if (status >= 400 && status < 500)
        return {status, QByteArrayLiteral("invalid_request_error"), QStringLiteral("The request failed.")};
    return {status, QByteArrayLiteral("internal_error"), QStringLiteral("Internal server error.")};
}

QByteArray SandboxReply::errorBody(const SandboxApiError& error, const QByteArray& requestId)
{
    const QJsonObject inner {{QStringLiteral("code"), QString::fromLatin1(error.code)},
                             {QStringLiteral("message"), error.message},
                             {QStringLiteral("request_id"), QString::fromLatin1(requestId)}};
    return QJsonDocument(QJsonObject {{QStringLiteral("error"), inner}}).toJson(QJsonDocument::Compact);
}

QByteArray SandboxReply::newRequestId()
{
    return "req_" + QUuid::createUuid().toByteArray(QUuid::Id128);
}

} // namespace Pixapi
