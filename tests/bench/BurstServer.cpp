#include "BurstServer.h"

#include "BenchProbe.h"

#include "sandbox/SandboxCatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

namespace Pixapi::Bench {

namespace {

QByteArray httpAnswer(int status, const QByteArray& body, const QByteArray& requestId)
{
    return QByteArrayLiteral("HTTP/1.1 ") + QByteArray::number(status) + (status == 200 ? " OK" : " Not Found")
           + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
           + "\r\nX-Request-ID: " + requestId + "\r\nConnection: close\r\n\r\n" + body;
}

QByteArray modelsBody()
{
    QJsonArray data;
    for (const SandboxModel& model : SandboxCatalog::models())
        data.append(SandboxCatalog::toJson(model));
    return QJsonDocument(
               QJsonObject {{QStringLiteral("object"), QStringLiteral("list")}, {QStringLiteral("data"), data}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

class BurstServer::Listener : public QTcpServer
{
public:
    Listener(const QList<QByteArray>& bodies, int burst, int settleMs)
        : m_bodies(bodies)
        , m_burst(burst)
    {
        m_settle->setSingleShot(true);
        m_settle->setInterval(settleMs);
        connect(m_settle, &QTimer::timeout, this, &Listener::release);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        });
    }

    QList<double> lastByteMs() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_lastByteMs;
    }

private:
    void read(QTcpSocket* socket)
    {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
        qint64 length = 0;
        for (const QByteArray& line : lines) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buffer.size() < headEnd + 4 + length)
            return;
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        const QByteArray method = requestLine.value(0);
        const QByteArray path = requestLine.value(1);
        m_buffers.remove(socket);
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        if (method == "POST" && path == "/v1/images/generations") {
            m_held.append(socket);
            if (m_held.size() >= m_burst || m_answered > 0)
                release();
            else
                m_settle->start();
        } else if (path == "/v1/models") {
            send(socket, httpAnswer(200, modelsBody(), "models"), -1);
        } else if (path == "/v1/balance") {
            send(socket, httpAnswer(200, R"({"credits":100000,"currency":"credits"})", "balance"), -1);
        } else {
            send(socket, httpAnswer(404, R"({"error":{"message":"not here","code":"not_found"}})", "none"), -1);
        }
    }

    // Answers every held generation at once; later ones (the connections Qt could not open yet) on arrival.
    void release()
    {
        m_settle->stop();
        for (QTcpSocket* socket : std::exchange(m_held, {})) {
            const int i = m_answered++;
            {
                const QMutexLocker lock(&m_mutex);
                m_lastByteMs.resize(m_answered, -1);
            }
            send(socket, httpAnswer(200, m_bodies.at(i % m_bodies.size()), "burst-" + QByteArray::number(i)), i);
        }
    }

    void send(QTcpSocket* socket, const QByteArray& bytes, int answer)
    {
        connect(socket, &QTcpSocket::bytesWritten, this, [this, socket, answer] {
            if (socket->bytesToWrite() > 0)
                return;
            if (answer >= 0) {
                const QMutexLocker lock(&m_mutex);
                m_lastByteMs[answer] = elapsedMs();
            }
            socket->disconnectFromHost();
            socket->deleteLater();
        });
        socket->write(bytes);
    }

    const QList<QByteArray>& m_bodies;
    const int m_burst;
    QTimer* m_settle = new QTimer(this); // a child: it moves to the server's thread with it
    QHash<QTcpSocket*, QByteArray> m_buffers;
    QList<QTcpSocket*> m_held;
    int m_answered = 0;
    mutable QMutex m_mutex;
    QList<double> m_lastByteMs;
};

BurstServer::BurstServer(QList<QByteArray> generationBodies, int burst, int settleMs)
    : m_bodies(std::move(generationBodies))
    , m_burst(burst)
    , m_settleMs(settleMs)
{ }

BurstServer::~BurstServer()
{
    if (!m_thread)
        return;
    m_listener->deleteLater(); // on its thread, when that finishes
    m_thread->quit();
    m_thread->wait();
}

bool BurstServer::start()
{
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("BurstServer"));
    m_listener = new Listener(m_bodies, m_burst, m_settleMs);
    m_listener->moveToThread(m_thread.get());
    m_thread->start();
    QMetaObject::invokeMethod(
        m_listener,
        [this] {
            if (m_listener->listen(QHostAddress::LocalHost))
                m_port = m_listener->serverPort();
        },
        Qt::BlockingQueuedConnection);
    return m_port != 0;
}

QUrl BurstServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

QList<double> BurstServer::lastByteMs() const
{
    return m_listener->lastByteMs();
}

qint64 BurstServer::bodyBytes(int i) const
{
    return m_bodies.at(i).size();
}

} // namespace Pixapi::Bench
