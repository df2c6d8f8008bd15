#include "api/ApiError.h"

namespace Pixapi {

ApiError ApiError::make(Kind kind, QString detail)
{
    ApiError error;
    error.kind = kind;
    error.detail = std::move(detail);
    return error;
}

ApiError::Kind errorKindForStatus(int status)
{
    switch (status) {
    case 400:
        return ApiError::Kind::BadRequest;
    case 401:
        return ApiError::Kind::Unauthorized;
    case 402:
        return ApiError::Kind::InsufficientCredits;
    case 403:
        return ApiError::Kind::Forbidden;
    case 404:
        return ApiError::Kind::NotFound;
    case 413:
        return ApiError::Kind::PayloadTooLarge;
    case 422:
        return ApiError::Kind::Rejected;
    case 429:
        return ApiError::Kind::RateLimited;
    case 502:
    case 503:
    case 504:
    case 520: // 520–524: Cloudflare's gateway errors (the origin failed, is down, unreachable or too slow)
    case 521:
    case 522:
    case 523:
    case 524:
        return ApiError::Kind::Unavailable;
    default:
        return status >= 500 ? ApiError::Kind::ServerError : ApiError::Kind::HttpError;
    }
}

bool ApiError::isTransient() const
{
    switch (kind) {
    case Kind::RateLimited:
    case Kind::ServerError:
    case Kind::Unavailable:
    case Kind::Timeout:
    case Kind::Offline:
    case Kind::NetworkError:
    case Kind::Truncated:
        return true;
    default:
        return false;
    }
}

QString ApiError::userMessage() const
{
    QString text;
    switch (kind) {
    case Kind::BadRequest:
        text = tr("The server did not accept the request.");
        break;
    case Kind::Unauthorized:
        text = tr("The API key was refused. Check the key in Settings.");
        break;
    case Kind::InsufficientCredits:
        text = tr("Not enough credits. Top up your Pixapi balance, then try again.");
        break;
    case Kind::Forbidden:
        text = tr("This key is not allowed to do that.");
        break;
    case Kind::NotFound:
        // A task id the server forgot (expired, or a sandbox that was restarted) is not a wrong model.
        // Image downloads land here too (an expired or wrong result URL): the text must not blame the model only.
        text = code == QLatin1String("task_not_found")
                   ? tr("The server no longer knows this task; its result cannot be fetched.")
                   : tr("The server could not find the requested model, endpoint or image.");
        break;
    case Kind::PayloadTooLarge:
        text = tr("The request is too large for the server.");
        break;
    case Kind::Rejected:
        text = tr("The prompt was rejected by the content policy.");
        break;
    case Kind::RateLimited:
        // A wait of minutes or more in seconds ("3600 seconds") reads badly; beyond two minutes it is just "later".
        if (retryAfterSeconds > 120)
            text = tr("Too many requests. The server asks to wait a while; try again later.");
        else if (retryAfterSeconds > 0)
            text = tr("Too many requests. Try again in %n second(s).", nullptr, retryAfterSeconds);
        else
            text = tr("Too many requests. Wait a moment, then try again.");
        break;
    case Kind::ServerError:
        // "task_failed": a task that ended "failed" without saying why.
        text = code == QLatin1String("task_failed") ? tr("The server reported that the generation failed.")
                                                    : tr("The server had an internal error.");
        break;
    case Kind::Unavailable:
        text = tr("The model or server is unavailable right now. Try again later.");
        break;
    case Kind::HttpError:
        text = tr("The server answered with HTTP status %1.").arg(httpStatus);
        break;
    case Kind::Timeout:
        text = tr("The server did not answer in time.");
        break;
    case Kind::Offline:
        text = tr("The server cannot be reached. Check your connection.");
        break;
    case Kind::NetworkError:
        text = tr("A network error interrupted the request.");
        break;
    case Kind::TlsError:
        text = tr("The secure connection could not be verified.");
        break;
    case Kind::InsecureUrl:
        text = tr("Refused an insecure address: only https:// is allowed (http:// only to this computer).");
        break;
    case Kind::RedirectRefused:
        if (code == QLatin1String("too_many_redirects"))
            text = tr("The server kept redirecting the request, so it was stopped.");
        else if (code == QLatin1String("redirected_post"))
            text = tr("The server redirected the generation request; it was stopped so that it is not sent twice. "
                      "Check the server address in Settings.");
        else
            text = tr("The server redirected to another host; the request was stopped to protect your key.");
        break;
    case Kind::ResponseTooLarge:
        text = tr("The server's answer was larger than allowed and was discarded.");
        break;
    case Kind::Truncated:
        text = tr("The server's answer was cut off before it was complete.");
        break;
    case Kind::MalformedResponse:
        text = tr("The server's answer could not be understood.");
        break;
    case Kind::InvalidImage:
        text = tr("The server sent data that is not a valid image.");
        break;
    case Kind::Cancelled:
        text = tr("Cancelled.");
        break;
    case Kind::StorageError:
        text = tr("The image could not be saved to the library.");
        break;
    case Kind::Interrupted:
        text = tr("The app closed before the server's answer came.");
        break;
    }
    if (mayHaveBeenProcessed && kind != Kind::Cancelled)
        text += QLatin1Char(' ')
                + tr("The request may have been processed and charged; check your gallery and "
                     "balance before trying again.");
    return text;
}

QString ApiError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::BadRequest:
        return QStringLiteral("bad_request");
    case Kind::Unauthorized:
        return QStringLiteral("unauthorized");
    case Kind::InsufficientCredits:
        return QStringLiteral("insufficient_credits");
    case Kind::Forbidden:
        return QStringLiteral("forbidden");
    case Kind::NotFound:
        return QStringLiteral("not_found");
    case Kind::PayloadTooLarge:
        return QStringLiteral("payload_too_large");
    case Kind::Rejected:
        return QStringLiteral("rejected");
    case Kind::RateLimited:
        return QStringLiteral("rate_limited");
    case Kind::ServerError:
        return QStringLiteral("server_error");
    case Kind::Unavailable:
        return QStringLiteral("unavailable");
    case Kind::HttpError:
        return QStringLiteral("http_error");
    case Kind::Timeout:
        return QStringLiteral("timeout");
    case Kind::Offline:
        return QStringLiteral("offline");
    case Kind::NetworkError:
        return QStringLiteral("network_error");
    case Kind::TlsError:
        return QStringLiteral("tls_error");
    case Kind::InsecureUrl:
        return QStringLiteral("insecure_url");
    case Kind::RedirectRefused:
        return QStringLiteral("redirect_refused");
    case Kind::ResponseTooLarge:
        return QStringLiteral("response_too_large");
    case Kind::Truncated:
        return QStringLiteral("truncated");
    case Kind::MalformedResponse:
        return QStringLiteral("malformed_response");
    case Kind::InvalidImage:
        return QStringLiteral("invalid_image");
    case Kind::Cancelled:
        return QStringLiteral("cancelled");
    case Kind::StorageError:
        return QStringLiteral("storage_error");
    case Kind::Interrupted:
        return QStringLiteral("interrupted");
    }
    return {};
}

std::optional<ApiError::Kind> ApiError::kindFromName(const QString& name)
{
    for (int value = 0; value <= int(Kind::Interrupted); ++value) {
        if (kindName(Kind(value)) == name)
            return Kind(value);
    }
    return std::nullopt;
}

} // namespace Pixapi
