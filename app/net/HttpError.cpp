#include "net/HttpError.h"

namespace Pixapi {

ApiError errorForNetworkFailure(QNetworkReply::NetworkError error, const QString& qtMessage, qint64 bytesReceived)
{
    using K = ApiError::Kind;
    K kind = K::NetworkError;
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
        kind = K::Offline;
        break;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::ProxyTimeoutError:
        kind = K::Timeout;
        break;
    case QNetworkReply::SslHandshakeFailedError:
        kind = K::TlsError;
        break;
    case QNetworkReply::InsecureRedirectError:
    case QNetworkReply::TooManyRedirectsError:
        kind = K::RedirectRefused;
        break;
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::ProtocolFailure:
        // Closed mid-answer: never treat what arrived as complete.
        kind = bytesReceived > 0 ? K::Truncated : K::NetworkError;
        break;
    case QNetworkReply::OperationCanceledError:
        kind = K::Cancelled;
        break;
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
        kind = K::InsecureUrl;
        break;
    default:
        kind = K::NetworkError;
        break;
    }
    return ApiError::make(kind, qtMessage);
}

int parseRetryAfter(const QByteArray& value)
{
    bool ok = false;
    const int seconds = value.trimmed().toInt(&ok);
    return ok && seconds >= 0 ? seconds : -1;
}

} // namespace Pixapi
