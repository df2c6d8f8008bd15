#include "net/NetworkAccess.h"

#include "support/Logging.h"

#include <QHostAddress>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxyFactory>
#include <QNetworkReply>
#include <QSysInfo>
#include <QUuid>

namespace Pixapi {

NetworkAccess::NetworkAccess(QObject* parent)
    : QObject(parent)
    , m_manager(new QNetworkAccessManager(this))
{
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    m_manager->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
    m_manager->setAutoDeleteReplies(false); // HttpJob owns its reply
    // TLS errors are never ignored: no sslErrors handler calls ignoreSslErrors().
}

NetworkAccess::~NetworkAccess() = default;

QNetworkAccessManager* NetworkAccess::manager() const
{
    return m_manager;
}

bool NetworkAccess::isAllowedUrl(const QUrl& url)
{
    if (!url.isValid() || url.host().isEmpty())
        return false;
    if (url.scheme() == QLatin1String("https"))
        return true;
    if (url.scheme() != QLatin1String("http"))
        return false;
    if (url.host() == QLatin1String("localhost"))
        return true;
    const QHostAddress address(url.host());
    return !address.isNull() && address.isLoopback();
}

QByteArray NetworkAccess::userAgent()
{
    return QByteArrayLiteral("PixapiStudio/" PIXAPI_VERSION " (Qt ") + qVersion() + "; "
        + QSysInfo::prettyProductName().toUtf8() + ')';
}

HttpJob* NetworkAccess::send(const HttpRequest& request)
{
    if (!isAllowedUrl(request.url)) {
        qCWarning(lcNet) << "refused insecure or invalid URL scheme" << request.url.scheme();
        return HttpJob::failed(ApiError::make(ApiError::Kind::InsecureUrl, request.url.scheme()), this);
    }
    const QString requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QNetworkRequest req(request.url);
    req.setHeader(QNetworkRequest::UserAgentHeader, userAgent());
    req.setRawHeader("Accept", request.accept);
    req.setRawHeader("Accept-Language", QLocale::system().bcp47Name().toLatin1());
    req.setRawHeader("X-Request-ID", requestId.toLatin1());
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setMaximumRedirectsAllowed(3);
    req.setTransferTimeout(request.timeoutMs);
    if (!request.bearerToken.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + request.bearerToken.toUtf8());

    QNetworkReply* reply = nullptr;
    if (request.method == HttpRequest::Method::Post) {
        req.setHeader(QNetworkRequest::ContentTypeHeader, request.contentType);
        reply = m_manager->post(req, request.body);
    } else {
        reply = m_manager->get(req);
    }
    qCDebug(lcNet) << (request.method == HttpRequest::Method::Post ? "POST" : "GET") << request.url.path()
                   << "id" << requestId;
    return new HttpJob(reply, request, requestId, this);
}

} // namespace Pixapi
