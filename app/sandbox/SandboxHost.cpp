#include "sandbox/SandboxHost.h"

#include "sandbox/SandboxServer.h"
#include "support/Logging.h"

#include <QThread>

namespace Pixapi {

SandboxHost::SandboxHost() = default;

SandboxHost::~SandboxHost()
{
    stop();
}

bool SandboxHost::start(quint16 port)
{
    if (m_thread)
        return true;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("pixapi-sandbox"));

    // Built here, then handed to the thread before any socket or timer exists; listen() runs on the thread, so
    // the QTcpServer and every connection belong to it. Deleted on the thread when it finishes.
    m_server = new SandboxServer;
    m_server->moveToThread(m_thread.get());
    QObject::connect(m_thread.get(), &QThread::finished, m_server, &QObject::deleteLater);
    m_thread->start();

    bool listening = false;
    SandboxServer* server = m_server;
    QMetaObject::invokeMethod(
        server, [server, port, &listening] { listening = server->listen(QHostAddress::LocalHost, port); },
        Qt::BlockingQueuedConnection);
    if (!listening) {
        stop();
        return false;
    }
    m_baseUrl = m_server->baseUrl();
    qCInfo(lcSandbox) << "sandbox listening on" << m_baseUrl.toString();
    return true;
}

void SandboxHost::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_server = nullptr; // deleted on its thread by the finished() connection
    m_baseUrl.clear();
}

bool SandboxHost::isRunning() const
{
    return m_thread != nullptr;
}

QUrl SandboxHost::baseUrl() const
{
    return m_baseUrl;
}

SandboxServer* SandboxHost::server() const
{
    return m_server;
}

} // namespace Pixapi
