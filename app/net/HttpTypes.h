#pragma once

#include "api/ApiError.h"
#include "support/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>

namespace Pixapi {

// One part of a multipart/form-data body: a text field (no fileName) or a file.
struct FormPart
{
    QByteArray name;
    QByteArray data;
    QString fileName;       // empty: a text field
    QByteArray contentType; // for files: image/png, ...
};

struct HttpRequest
{
    enum class Method { Get, Post };
    Method method = Method::Get;
    QUrl url;
    QByteArray body;
    QByteArray contentType;
    QList<FormPart> formParts;            // not empty: POSTed as multipart/form-data (QHttpMultiPart) instead of `body`
    QString bearerToken;                  // empty: no Authorization header (image downloads never get one)
    qint64 maxResponseBytes = 64ll << 20; // larger answers are aborted and reported as ResponseTooLarge
    int timeoutMs = 120'000;              // transfer timeout: no bytes moving for this long
    // The whole exchange (sending, waiting, receiving) must end within this many ms, however the bytes trickle: a
    // server that sends a byte now and then never trips the transfer timeout (slowloris) and would hold the request
    // forever. 0: automatic, DeadlineFactor × timeoutMs; negative: no deadline. Exceeding it fails with Timeout.
    int deadlineMs = 0;
    QByteArray accept = "application/json";

    static constexpr int DeadlineFactor = 4;
};

// A completed HTTP exchange; any status, including errors, counts as a response here.
struct HttpResponse
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QList<FormPart> formParts;  // not empty: POSTed as multipart/form-data (QHttpMultiPart) instead of `body`
    QString requestId;          // X-Request-ID from the server when present, else the one we sent
    int retryAfterSeconds = -1; // Retry-After (seconds form) when present
};

using HttpResult = Result<HttpResponse, ApiError>;

} // namespace Pixapi
