#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace Pixapi {

// Every failure the client can report, typed, so the UI and CLI can react (and never guess from strings).
struct ApiError
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::ApiError)

public:
    enum class Kind {
        BadRequest,          // 400
        Unauthorized,        // 401
        InsufficientCredits, // 402 (or OpenAI's 429 insufficient_quota)
        Forbidden,           // 403
        NotFound,            // 404
        PayloadTooLarge,     // 413
        Rejected,            // 422 prompt_rejected and friends
        RateLimited,         // 429
        ServerError,         // 500 and other 5xx
        Unavailable,         // 502/503/504 (and Cloudflare's 520–524)
        HttpError,           // any other non-2xx status
        Timeout,             // no answer within the transfer timeout
        Offline,             // DNS, refused, unreachable
        NetworkError,        // other transport failures
        TlsError,            // certificate or handshake failure; never ignored
        InsecureUrl,         // http:// to a non-loopback host, or an unsupported scheme
        RedirectRefused,     // redirect to another origin; too many redirects (code "too_many_redirects"); any
                             // redirect of a POST (code "redirected_post")
        ResponseTooLarge,    // over the size cap
        Truncated,           // fewer bytes than announced, or the connection closed early
        MalformedResponse,   // not JSON, wrong types, missing fields
        InvalidImage,        // bad base64 or bytes that are not an image
        Cancelled,           // the user cancelled
        StorageError,        // the image could not be written to the library
        Interrupted,         // the app closed before the answer came (a saved board's cell, read back)
    };

    Kind kind = Kind::NetworkError;
    int httpStatus = 0;         // 0 when no HTTP response was received
    QString code;               // server error code as text ("insufficient_credits", "429", ...)
    QString serverMessage;      // the server's message, shown as detail (never contains the key)
    QString requestId;          // from the body or X-Request-ID; quote it to support
    int retryAfterSeconds = -1; // from Retry-After when present
    QString detail;             // technical detail for the "details" line (e.g. the Qt error string)
    // True when a POST may have reached the server and been charged; such a request is never retried silently.
    bool mayHaveBeenProcessed = false;

    static ApiError make(Kind kind, QString detail = {});

    // A short sentence for a person: what happened and what to do.
    QString userMessage() const;
    // True for failures worth retrying automatically for idempotent requests (GET).
    bool isTransient() const;
    static QString kindName(Kind kind);
    // The reverse of kindName(); nothing for an unknown name.
    static std::optional<Kind> kindFromName(const QString& name);
};

// Maps an HTTP status (>= 400) to the error kind. The body may refine it (see parseErrorBody).
ApiError::Kind errorKindForStatus(int status);

} // namespace Pixapi
