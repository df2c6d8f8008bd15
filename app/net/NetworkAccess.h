#pragma once

#include "net/HttpJob.h"
#include "net/HttpTypes.h"

#include <QObject>

class QNetworkAccessManager;
class QNetworkProxy;

namespace Pixapi {

// The one network factory: owns the QNAM and builds every request the same way (headers, request id, timeout,
// same-origin redirects only, https only except loopback, response size cap, the configured proxy).
class NetworkAccess : public QObject
{
    Q_OBJECT

public:
    explicit NetworkAccess(QObject* parent = nullptr);
    ~NetworkAccess() override;

    HttpJob* send(const HttpRequest& request);

    // https:// anywhere; http:// only to loopback (the sandbox, local OpenAI-compatible servers).
    static bool isAllowedUrl(const QUrl& url);
    // 127.0.0.0/8, ::1 or "localhost".
    static bool isLoopbackHost(const QString& host);
    static QByteArray userAgent();

    QNetworkAccessManager* manager() const;

    // Every later request (API calls and image downloads alike) goes through `proxy`: an HttpProxy or Socks5Proxy, or
    // NoProxy for direct connections. Loopback hosts always connect directly, as with the system configuration: the
    // embedded sandbox and local servers are on this computer, not behind the proxy.
    void setProxy(const QNetworkProxy& proxy);
    // Back to the system's proxy configuration (the default).
    void useSystemProxy();

private:
    QNetworkAccessManager* m_manager;
};

} // namespace Pixapi
