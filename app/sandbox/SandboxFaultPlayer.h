#pragma once

#include "sandbox/SandboxReply.h"
#include "sandbox/SandboxServer.h"

#include <QPointer>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

class QHttpServerResponder;
class QObject;
class QTcpSocket;

namespace Pixapi {

class SandboxFileStore;

// Plays an injected fault instead of the normal answer. Lives on the server's thread.
class SandboxFaultPlayer
{
public:
    // Gives the normal answer (after a latency fault).
    using Resume = std::function<void(QHttpServerResponder&&)>;

    static constexpr qint64 HugeBodyAnnounced = qint64(10) * 1024 * 1024 * 1024; // 10 GiB Content-Length
    static constexpr qint64 HugeBodyCap = qint64(256) * 1024 * 1024;             // what is really sent before closing

    // `context` owns the latency timers: they die with it.
    SandboxFaultPlayer(SandboxFileStore& files, QObject* context);
    ~SandboxFaultPlayer();
    Q_DISABLE_COPY_MOVE(SandboxFaultPlayer)

    void play(const SandboxFault& fault, const SandboxExchange& exchange, const QUrl& baseUrl,
              QHttpServerResponder&& responder, const Resume& resume);

private:
    void delay(int latencyMs, QHttpServerResponder&& responder, const Resume& resume);
    void nonImageBytes(const SandboxExchange& exchange, const QUrl& baseUrl, QHttpServerResponder& responder);
    void truncatedBody(const SandboxExchange& exchange, QHttpServerResponder& responder);
    void stall(QHttpServerResponder&& responder);

    struct Stalled
    {
        QPointer<QTcpSocket> socket;
        std::unique_ptr<QHttpServerResponder> responder;
    };

    SandboxFileStore& m_files;
    QObject* m_context;
    std::vector<Stalled> m_stalled; // answered never; released (and their sockets closed) with the server
};

} // namespace Pixapi
