#include "net/NetworkAccess.h"

#include "support/Logging.h"

#include <QHostAddress>
#include <QHttpMultiPart>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSysInfo>
#include <QUuid>

namespace Pixapi {
namespace {

// The configured proxy for every host except loopback ones (QNetworkAccessManager::setProxy() would send those
// through the proxy too; the application-wide system configuration already exempts them).
class ProxyExceptLoopback : public QNetworkProxyFactory
{
public:
    explicit ProxyExceptLoopback(const QNetworkProxy& proxy)
        : m_proxy(proxy)
    { }

    QList<QNetworkProxy> queryProxy(const QNetworkProxyQuery& query) override
    {
        if (NetworkAccess::isLoopbackHost(query.peerHostName()))
            return {QNetworkProxy(QNetworkProxy::NoProxy)};
        return {m_proxy};
    }

private:
    QNetworkProxy m_proxy;
};

QHttpMultiPart* multipartOf(const QList<FormPart>& parts)
{
    auto* form = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    for (const FormPart& part : parts) {
        QHttpPart http;
        // QHttpPart writes the header value as given: quotes and backslashes in a name must be escaped here.
        const auto quoted = [](QByteArray text) -> QByteArray { // not auto: a QStringBuilder would outlive `text`
            return '"' + text.replace('\\', "\\\\").replace('"', "\\\"").replace('\r', ' ').replace('\n', ' ') + '"';
        };
        QByteArray disposition = "form-data; name=" + quoted(part.name);
        if (!part.fileName.isEmpty()) {
            disposition += "; filename=" + quoted(part.fileName.toUtf8());
            http.setHeader(QNetworkRequest::ContentTypeHeader, part.contentType);
        }
        http.setHeader(QNetworkRequest::ContentDispositionHeader, disposition);
        http.setBody(part.data);
        form->append(http);
    }
    return form;
}

} // namespace

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
    return url.scheme() == QLatin1String("http") && isLoopbackHost(url.host());
}

bool NetworkAccess::isLoopbackHost(const QString& host)
{
    if (host == QLatin1String("localhost"))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

void NetworkAccess::setProxy(const QNetworkProxy& proxy)
{
    m_manager->setProxyFactory(new ProxyExceptLoopback(proxy)); // the manager owns (and replaces) its factory
    qCInfo(lcNet) << "proxy:" << proxy.type() << proxy.hostName() << proxy.port();
}

void NetworkAccess::useSystemProxy()
{
    // No proxy of the manager's own: it asks the application-wide factory, i.e. the system configuration.
    m_manager->setProxyFactory(nullptr);
    qCInfo(lcNet) << "proxy: system configuration";
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
    if (request.method == HttpRequest::Method::Post && !request.formParts.isEmpty()) {
        QHttpMultiPart* form = multipartOf(request.formParts);
        reply = m_manager->post(req, form); // sets the Content-Type with the boundary
        form->setParent(reply);             // the body must live as long as the upload
    } else if (request.method == HttpRequest::Method::Post) {
        req.setHeader(QNetworkRequest::ContentTypeHeader, request.contentType);
        reply = m_manager->post(req, request.body);
    } else {
        reply = m_manager->get(req);
    }
    qCDebug(lcNet) << (request.method == HttpRequest::Method::Post ? "POST" : "GET") << request.url.path() << "id"
                   << requestId;
    return new HttpJob(reply, request, requestId, this);
}

} // namespace Pixapi
