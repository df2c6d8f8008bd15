#pragma once

#include <QUrl>

#include <memory>

class QThread;

namespace Pixapi {

class SandboxServer;

// Runs a SandboxServer on a thread of its own, so renders never block the caller (the GUI thread).
class SandboxHost
{
public:
    SandboxHost();
    ~SandboxHost(); // stops the server and joins the thread
    Q_DISABLE_COPY_MOVE(SandboxHost)

    // Starts the thread and listens on 127.0.0.1:port (0 = any free port). Blocks until the server listens.
    bool start(quint16 port = 0);
    void stop();
    bool isRunning() const;

    QUrl baseUrl() const;

    // The hosted server (null when not running). It lives on the host thread: from other threads use only its
    // thread-safe members (setters, balance(), requests(), baseUrl(), ...), never delete it.
    SandboxServer* server() const;

private:
    std::unique_ptr<QThread> m_thread;
    SandboxServer* m_server = nullptr;
    QUrl m_baseUrl;
};

} // namespace Pixapi
