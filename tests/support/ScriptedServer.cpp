#include "ScriptedServer.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

#include <algorithm>
#include <utility>

namespace Pixapi {
namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

// A TCP reset instead of an orderly close: SO_LINGER with a zero timeout makes close() send RST.
void resetConnection(QTcpSocket* socket)
{
#ifdef Q_OS_UNIX
    const struct linger lingerOff
    {
        1, 0
    };
    ::setsockopt(static_cast<int>(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lingerOff, sizeof lingerOff);
#endif
    socket->abort();
}

// The value of a header in a raw header block (case-insensitive name), or nothing.
QByteArray headerValue(const QByteArray& headers, const QByteArray& name)
{
    const QList<QByteArray> lines = headers.split('\n');
    for (const QByteArray& line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

ScriptedResponse ScriptedResponse::http(int status, const QByteArray& contentType, const QByteArray& body,
                                        const QByteArray& extraHeaders)
{
    QByteArray bytes = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        bytes += "Content-Type: " + contentType + "\r\n";
    bytes += "Content-Length: {{length}}\r\nConnection: close\r\n" + extraHeaders + "\r\n" + body;
    return raw(bytes);
}

ScriptedResponse ScriptedResponse::json(const QByteArray& body, int status)
{
    return http(status, "application/json", body);
}

ScriptedResponse ScriptedResponse::raw(const QByteArray& bytes, Then then)
{
    ScriptedResponse response;
    response.bytes = bytes;
    response.then = then;
    return response;
}

ScriptedResponse ScriptedResponse::redirect(int status, const QByteArray& location)
{
    return http(status, "text/plain", "moved", "Location: " + location + "\r\n");
}

ScriptedResponse ScriptedResponse::silence()
{
    return raw({}, Then::KeepOpen);
}

ScriptedResponse ScriptedResponse::slowloris(const QByteArray& bytes, const QByteArray& repeat, int intervalMs)
{
    ScriptedResponse response = raw(bytes);
    response.repeat = repeat;
    response.intervalMs = intervalMs;
    return response;
}

ScriptedResponse ScriptedResponse::trickle(const QByteArray& bytes, int intervalMs, int pieceBytes)
{
    ScriptedResponse response = raw(bytes);
    response.intervalMs = intervalMs;
    response.pieceBytes = pieceBytes;
    response.trickleBytes = true;
    return response;
}

// One accepted connection: reads requests, answers each per its script. Lives as a child of its socket.
class ScriptedServer::Connection : public QObject
{
public:
    Connection(ScriptedServer* server, QTcpSocket* socket)
        : QObject(socket)
        , m_server(server)
        , m_socket(socket)
    {
        m_timer.setSingleShot(false);
        connect(&m_timer, &QTimer::timeout, this, [this] { writeMore(); });
        connect(socket, &QTcpSocket::readyRead, this, [this] { readRequests(); });
        connect(socket, &QTcpSocket::bytesWritten, this, [this] {
            if (m_flooding)
                flood();
        });
        connect(socket, &QTcpSocket::disconnected, this, [this] { closed(); });
        connect(socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
            if (m_socket->state() != QAbstractSocket::ConnectedState)
                closed();
        });
    }

private:
    void readRequests()
    {
        m_in += m_socket->readAll();
        while (!m_answering && !m_closed) {
            const qsizetype end = m_in.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArray head = m_in.left(end);
            const qsizetype lineEnd = head.indexOf("\r\n");
            const QByteArray requestLine = lineEnd < 0 ? head : head.left(lineEnd);
            const QByteArray headers = lineEnd < 0 ? QByteArray() : head.mid(lineEnd + 2);
            qsizetype bodyEnd = end + 4;
            const QByteArray length = headerValue(headers, "Content-Length");
            if (!length.isEmpty()) {
                bodyEnd += length.toLongLong();
            } else if (headerValue(headers, "Transfer-Encoding").toLower().contains("chunked")) {
                const qsizetype last = m_in.indexOf("\r\n0\r\n\r\n", end + 2);
                if (last < 0)
                    return;
                bodyEnd = last + 7;
            }
            if (m_in.size() < bodyEnd)
                return;

            ScriptedRequest request;
            const QList<QByteArray> parts = requestLine.split(' ');
            request.method = parts.value(0);
            request.target = parts.value(1);
            const qsizetype query = request.target.indexOf('?');
            request.path = QString::fromLatin1(query < 0 ? request.target : request.target.left(query));
            request.headers = headers;
            request.body = m_in.mid(end + 4, bodyEnd - end - 4);
            request.hadAuthorization = !headerValue(headers, "Authorization").isEmpty();
            m_in.remove(0, bodyEnd);
            m_server->m_requests.append(request);
            answer(m_server->responseFor(request));
        }
    }

    void answer(const ScriptedResponse& response)
    {
        m_answering = true;
        m_response = response;
        m_out = m_server->substitute(response.bytes);
        m_repeat = m_server->substitute(response.repeat);
        m_repeatPos = 0;
        if (!response.trickleBytes || response.intervalMs <= 0) {
            m_socket->write(m_out);
            m_out.clear();
        }
        if (response.intervalMs > 0) {
            m_timer.start(response.intervalMs);
            return;
        }
        if (!m_repeat.isEmpty()) {
            m_flooding = true;
            flood();
            return;
        }
        answered();
    }

    // Trickling: one piece per tick, first of the answer, then of `repeat` (endlessly).
    void writeMore()
    {
        if (m_closed)
            return;
        const int piece = std::max(1, m_response.pieceBytes);
        if (!m_out.isEmpty()) {
            m_socket->write(m_out.left(piece));
            m_out.remove(0, piece);
            if (!m_out.isEmpty() || !m_repeat.isEmpty())
                return;
        } else if (!m_repeat.isEmpty()) {
            QByteArray chunk;
            while (chunk.size() < piece) {
                chunk += m_repeat.at(m_repeatPos);
                m_repeatPos = (m_repeatPos + 1) % int(m_repeat.size());
            }
            m_socket->write(chunk);
            return;
        }
        m_timer.stop();
        answered();
    }

    // An endless body as fast as the client takes it: keep some 256 KiB queued.
    void flood()
    {
        if (m_closed)
            return;
        if (m_block.isEmpty()) {
            while (m_block.size() < 64 * 1024)
                m_block += m_repeat;
        }
        while (m_socket->bytesToWrite() < 256 * 1024)
            m_socket->write(m_block);
    }

    void answered()
    {
        if (m_response.thenDelayMs > 0 && m_response.then != ScriptedResponse::Then::KeepOpen) {
            m_socket->flush();
            const int delay = std::exchange(m_response.thenDelayMs, 0);
            QTimer::singleShot(delay, this, [this] {
                if (!m_closed)
                    answered();
            });
            return;
        }
        switch (m_response.then) {
        case ScriptedResponse::Then::Close:
            m_socket->disconnectFromHost(); // after the queued bytes are written
            break;
        case ScriptedResponse::Then::Reset: {
            // Let the bytes reach the client first, so it sees them and then the reset.
            m_socket->flush();
            QPointer<QTcpSocket> socket = m_socket;
            QTimer::singleShot(100, this, [socket] {
                if (socket && socket->state() == QAbstractSocket::ConnectedState)
                    resetConnection(socket);
            });
            break;
        }
        case ScriptedResponse::Then::KeepOpen:
            if (!m_response.bytes.isEmpty()) {
                // Answered and still open: a later request on this connection gets its own answer.
                m_answering = false;
                QTimer::singleShot(0, this, [this] { readRequests(); });
            }
            break;
        }
    }

    void closed()
    {
        if (m_closed)
            return;
        m_closed = true;
        m_timer.stop();
        --m_server->m_openConnections;
        m_socket->deleteLater();
    }

    ScriptedServer* m_server;
    QTcpSocket* m_socket;
    QByteArray m_in;
    QByteArray m_out;
    QByteArray m_repeat;
    QByteArray m_block;
    int m_repeatPos = 0;
    ScriptedResponse m_response;
    QTimer m_timer;
    bool m_answering = false;
    bool m_flooding = false;
    bool m_closed = false;
};

ScriptedServer::ScriptedServer(QObject* parent)
    : QTcpServer(parent)
    , m_fallback(ScriptedResponse::json(R"({"error":{"code":"not_found","message":"no scripted route"}})", 404))
{
    connect(this, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = nextPendingConnection()) {
            ++m_openConnections;
            new Connection(this, socket);
        }
    });
}

ScriptedServer::~ScriptedServer()
{
    // The connections refer to this server: silence them before the QObject destructor deletes the sockets.
    const QList<QTcpSocket*> sockets = findChildren<QTcpSocket*>();
    for (QTcpSocket* socket : sockets) {
        socket->disconnect();
        delete socket;
    }
}

bool ScriptedServer::start()
{
    return listen(QHostAddress::LocalHost);
}

QUrl ScriptedServer::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(serverPort()));
}

QUrl ScriptedServer::url(const QString& path) const
{
    return QUrl(baseUrl().toString() + path);
}

void ScriptedServer::on(const QByteArray& method, const QString& pathPrefix, const ScriptedResponse& response)
{
    addRoute({method, pathPrefix, {response}});
}

void ScriptedServer::on(const QByteArray& method, const QString& pathPrefix, const QList<ScriptedResponse>& responses)
{
    addRoute({method, pathPrefix, responses});
}

void ScriptedServer::addRoute(const ScriptedRoute& route)
{
    m_routes.append({route, 0, m_nextOrder++});
}

void ScriptedServer::setFallback(const ScriptedResponse& response)
{
    m_fallback = response;
}

QList<ScriptedRequest> ScriptedServer::requests() const
{
    return m_requests;
}

int ScriptedServer::countRequests(const QByteArray& method, const QString& pathPrefix) const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(), [&](const ScriptedRequest& r) {
        return (method.isEmpty() || r.method == method) && r.path.startsWith(pathPrefix);
    }));
}

int ScriptedServer::openConnections() const
{
    return m_openConnections;
}

ScriptedResponse ScriptedServer::responseFor(const ScriptedRequest& request)
{
    RouteState* best = nullptr;
    for (RouteState& state : m_routes) {
        const ScriptedRoute& route = state.route;
        if ((!route.method.isEmpty() && route.method != request.method) || !request.path.startsWith(route.pathPrefix)
            || route.responses.isEmpty())
            continue;
        if (!best || route.pathPrefix.size() > best->route.pathPrefix.size()
            || (route.pathPrefix.size() == best->route.pathPrefix.size() && state.order > best->order))
            best = &state;
    }
    if (!best)
        return m_fallback;
    const int index = std::min(best->used, int(best->route.responses.size()) - 1);
    ++best->used;
    return best->route.responses.at(index);
}

QByteArray ScriptedServer::substitute(QByteArray bytes) const
{
    bytes.replace("{{base}}", baseUrl().toString().toLatin1());
    bytes.replace("{{port}}", QByteArray::number(serverPort()));
    if (bytes.contains("{{length}}")) {
        const qsizetype end = bytes.indexOf("\r\n\r\n");
        const qsizetype body = end < 0 ? 0 : bytes.size() - end - 4;
        bytes.replace("{{length}}", QByteArray::number(body));
    }
    return bytes;
}

} // namespace Pixapi
