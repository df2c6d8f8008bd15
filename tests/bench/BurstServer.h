#pragma once

#include <QByteArray>
#include <QList>
#include <QUrl>

#include <memory>

class QThread;

namespace Pixapi::Bench {

// A loopback HTTP server on a thread of its own that answers image generations in bursts, so their answers reach the
// client together: every POST to /v1/images/generations waits until `burst` of them wait (or none more came for
// `settleMs`: Qt opens at most 6 HTTP/1.1 connections to a host, so a burst of 8 arrives as 6, then 2 on the freed
// connections, which are answered at once). Answer i is generationBodies[i % size] with X-Request-ID "burst-<i>".
// GET /v1/models gets the sandbox's catalog, GET /v1/balance a fixed balance, anything else a JSON 404.
class BurstServer
{
public:
    BurstServer(QList<QByteArray> generationBodies, int burst, int settleMs = 150);
    ~BurstServer();
    Q_DISABLE_COPY_MOVE(BurstServer)

    bool start();
    QUrl baseUrl() const;
    // Bench::elapsedMs() when the last byte of answer i was handed to the kernel, indexed by i (thread-safe; -1 for
    // answers not finished yet).
    QList<double> lastByteMs() const;
    // Sizes of the answers' bodies, in the order of generationBodies.
    qint64 bodyBytes(int i) const;

private:
    class Listener;
    std::unique_ptr<QThread> m_thread;
    Listener* m_listener = nullptr;
    QList<QByteArray> m_bodies;
    int m_burst;
    int m_settleMs;
    quint16 m_port = 0;
};

} // namespace Pixapi::Bench
