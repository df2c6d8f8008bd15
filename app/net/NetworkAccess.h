#pragma once

#include "net/HttpJob.h"
#include "net/HttpTypes.h"

#include <QObject>

class QNetworkAccessManager;

namespace Pixapi {

// The one network factory: owns the QNAM and builds every request the same way (headers, request id, timeout,
// same-origin redirects only, https only except loopback, response size cap).
class NetworkAccess : public QObject
{
    Q_OBJECT

public:
    explicit NetworkAccess(QObject* parent = nullptr);
    ~NetworkAccess() override;

    HttpJob* send(const HttpRequest& request);

    // https:// anywhere; http:// only to loopback (the sandbox, local OpenAI-compatible servers).
    static bool isAllowedUrl(const QUrl& url);
    static QByteArray userAgent();

    QNetworkAccessManager* manager() const;

private:
    QNetworkAccessManager* m_manager;
};

} // namespace Pixapi
