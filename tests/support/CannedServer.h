#pragma once

#include <QByteArray>
#include <QTcpServer>
#include <QUrl>

namespace Pixapi {

// Answers every request with one canned JSON body (200): a server whose answers the sandbox cannot play, such as
// OpenAI's bare model list.
class CannedServer : public QTcpServer
{
public:
    explicit CannedServer(QByteArray body);

    QUrl baseUrl() const;

private:
    QByteArray m_body;
};

} // namespace Pixapi
