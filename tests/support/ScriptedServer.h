#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QTcpServer>
#include <QUrl>

namespace Pixapi {

// One request as the scripted server received it.
struct ScriptedRequest
{
    QByteArray method;
    QByteArray target;  // the request target as sent: path, percent-encoding and query kept
    QString path;       // `target` without the query, still percent-encoded
    QByteArray headers; // the raw header block
    QByteArray body;
    bool hadAuthorization = false;
};

// How to answer one request. `bytes` go out exactly as given (status line, headers, body), so a script can lie about
// anything: a Content-Length of 10 GB, broken chunked encoding, no HTTP at all. Before sending, "{{base}}" becomes
// the server's http://127.0.0.1:<port>, "{{port}}" its port, and "{{length}}" the size of what follows the first
// blank line (the body), so http() answers stay honest after the substitution.
struct ScriptedResponse
{
    enum class Then {
        Close,    // close the connection after the last byte (FIN)
        Reset,    // abort it with a TCP reset (RST)
        KeepOpen, // say nothing more and keep the connection open (a stall); later requests on it are answered
    };

    QByteArray bytes;
    int intervalMs = 0;        // > 0: trickle, one piece of `pieceBytes` every intervalMs
    int pieceBytes = 1;        // bytes per piece when trickling
    bool trickleBytes = false; // with intervalMs: `bytes` trickle too (a slow server); else they go out at once
    QByteArray repeat;         // after `bytes`, repeat this endlessly: trickled when intervalMs > 0 (slowloris), as
                               // fast as the client reads otherwise (an endless body); the answer never completes
    Then then = Then::Close;   // after the last byte of `bytes` (ignored with `repeat`)
    int thenDelayMs = 0;       // > 0: close or reset only this long after the last byte went out

    // A well-formed answer: status line, Content-Type (when not empty), Content-Length, Connection: close, any extra
    // header lines (each ending in \r\n), the body.
    static ScriptedResponse http(int status, const QByteArray& contentType, const QByteArray& body,
                                 const QByteArray& extraHeaders = {});
    static ScriptedResponse json(const QByteArray& body, int status = 200);
    // `bytes` exactly as given, then `then`.
    static ScriptedResponse raw(const QByteArray& bytes, Then then = Then::Close);
    // A redirect to `location` (placeholders allowed).
    static ScriptedResponse redirect(int status, const QByteArray& location);
    // Reads the request and never answers.
    static ScriptedResponse silence();
    // `bytes` at once, then `repeat` trickled one byte every intervalMs for as long as the client listens (with
    // intervalMs 0: as fast as it reads).
    static ScriptedResponse slowloris(const QByteArray& bytes, const QByteArray& repeat, int intervalMs);
    // `bytes` one piece every intervalMs, then `then`: slow, but it ends.
    static ScriptedResponse trickle(const QByteArray& bytes, int intervalMs, int pieceBytes = 1);
};

// One scripted answer per route.
struct ScriptedRoute
{
    QByteArray method; // empty: any method
    QString pathPrefix;
    QList<ScriptedResponse> responses; // used in turn; the last one is repeated
};

// A raw HTTP/1.1 peer on 127.0.0.1 whose answers are scripted byte by byte: for the malformed, slow and lying servers
// the sandbox cannot play. Requests are matched by method and path prefix (the longest matching prefix wins; among
// equal ones the route added last); requests nothing matches get `fallback` (a JSON 404 unless set). Every request is
// recorded. Connections die with the server.
class ScriptedServer : public QTcpServer
{
public:
    explicit ScriptedServer(QObject* parent = nullptr);
    ~ScriptedServer() override;

    // Listens on 127.0.0.1, any free port.
    bool start();
    QUrl baseUrl() const;
    // A URL on this server: baseUrl() plus `path`.
    QUrl url(const QString& path) const;

    void on(const QByteArray& method, const QString& pathPrefix, const ScriptedResponse& response);
    void on(const QByteArray& method, const QString& pathPrefix, const QList<ScriptedResponse>& responses);
    void addRoute(const ScriptedRoute& route);
    void setFallback(const ScriptedResponse& response);

    QList<ScriptedRequest> requests() const;
    // Requests whose method matches (empty: any) and whose path starts with `pathPrefix`.
    int countRequests(const QByteArray& method, const QString& pathPrefix) const;
    // Connections still open (a client that gave up closes its end; the server notices).
    int openConnections() const;

private:
    class Connection;
    friend class Connection;
    ScriptedResponse responseFor(const ScriptedRequest& request);
    QByteArray substitute(QByteArray bytes) const;

    struct RouteState
    {
        ScriptedRoute route;
        int used = 0;
        int order = 0;
    };
    QList<RouteState> m_routes;
    ScriptedResponse m_fallback;
    QList<ScriptedRequest> m_requests;
    int m_openConnections = 0;
    int m_nextOrder = 0;
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::ScriptedResponse)
Q_DECLARE_METATYPE(Pixapi::ScriptedRoute)
