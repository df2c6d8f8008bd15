#include "net/NetworkAccess.h"

#include "support/Logging.h"

#include <QHostAddress>
#include <QIODevice>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSysInfo>
#include <QUuid>

#include <cstring>

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

// A POST body Qt can send only once. Qt 6.4 re-sends a request whose connection closed before any answer when it can
// rewind the body; for a generation that is a second charge. With reset() refused, Qt reports the failure instead
// (ContentReSendError, "may have been charged") and the person decides.
class SendOnceBody : public QIODevice
{
public:
    SendOnceBody(QByteArray bytes, QObject* parent)
        : QIODevice(parent)
        , m_bytes(std::move(bytes))
    {
        open(QIODevice::ReadOnly);
    }

    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    qint64 size() const override { return m_bytes.size(); }
    qint64 bytesAvailable() const override { return m_bytes.size() - m_read + QIODevice::bytesAvailable(); }
    bool atEnd() const override { return m_read >= m_bytes.size() && QIODevice::bytesAvailable() == 0; }

protected:
    qint64 readData(char* data, qint64 maxSize) override
    {
        const qint64 n = std::min(maxSize, m_bytes.size() - m_read);
        std::memcpy(data, m_bytes.constData() + m_read, size_t(n));
        m_read += n;
        return n;
    }
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    const QByteArray m_bytes;
    qint64 m_read = 0;
};

// multipart/form-data (RFC 7578) as bytes, so it can go out through SendOnceBody: QHttpMultiPart's own device rewinds,
// which lets Qt re-send an edit.
std::pair<QByteArray, QByteArray> multipartOf(const QList<FormPart>& parts)
{
    const QByteArray boundary = "pixapi-" + QUuid::createUuid().toByteArray(QUuid::Id128);
    // Names are written as given: quotes and backslashes must be escaped, line breaks cannot appear.
    const auto quoted = [](QByteArray text) -> QByteArray { // not auto: a QStringBuilder would outlive `text`
        return '"' + text.replace('\\', "\\\\").replace('"', "\\\"").replace('\r', ' ').replace('\n', ' ') + '"';
    };
    QByteArray body;
    for (const FormPart& part : parts) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=" + quoted(part.name);
        if (!part.fileName.isEmpty())
            body += "; filename=" + quoted(part.fileName.toUtf8()) + "\r\nContent-Type: " + part.contentType;
        body += "\r\n\r\n" + part.data + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return {"multipart/form-data; boundary=" + boundary, body};
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
    if (request.method == HttpRequest::Method::Post) {
        auto [contentType, body] = request.formParts.isEmpty()
                                       ? std::pair<QByteArray, QByteArray>(request.contentType, request.body)
                                       : multipartOf(request.formParts);
        req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        req.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
        req.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        auto* device = new SendOnceBody(std::move(body), nullptr);
        reply = m_manager->post(req, device);
        device->setParent(reply); // the body must live as long as the upload
    } else {
        reply = m_manager->get(req);
    }
    qCDebug(lcNet) << (request.method == HttpRequest::Method::Post ? "POST" : "GET") << request.url.path() << "id"
                   << requestId;
    return new HttpJob(reply, request, requestId, this);
}

} // namespace Pixapi
