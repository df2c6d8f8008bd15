#include "sandbox/SandboxFaultPlayer.h"

#include "sandbox/SandboxEdit.h"
#include "sandbox/SandboxFileStore.h"
#include "support/Logging.h"

#include <QDateTime>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>

namespace Pixapi {

namespace {

const QByteArray kJson = QByteArrayLiteral("application/json");
const QByteArray kPng = QByteArrayLiteral("image/png");
constexpr qint64 kHugeChunk = 64 * 1024;

bool isFilePath(const QString& path)
{
    return path.startsWith(QLatin1String("/files/"));
}

QByteArray nonImage()
{
    return QByteArrayLiteral("This is plain text from the Pixapi sandbox, not an image.\n").repeated(8);
}

QJsonObject imagesBody(const QJsonArray& data)
{
    return {{QStringLiteral("created"), QDateTime::currentSecsSinceEpoch()}, {QStringLiteral("data"), data}};
}

QJsonObject item(const QString& key, const QString& value)
{
    return {{key, value}};
}

// Streams junk whenever the socket's buffer drains, until the client goes away or the cap is reached.
void streamHugeBody(QHttpServerResponder& responder)
{
    QTcpSocket* socket = responder.socket();
    const QByteArray chunk(kHugeChunk, 'A');
    responder.writeBody(chunk);
    auto sent = std::make_shared<qint64>(chunk.size());
    QObject::connect(socket, &QIODevice::bytesWritten, socket, [socket, sent, chunk] {
        if (socket->state() != QAbstractSocket::ConnectedState || socket->bytesToWrite() > 4 * kHugeChunk)
            return;
        if (*sent >= SandboxFaultPlayer::HugeBodyCap) {
            socket->disconnectFromHost();
            return;
        }
        socket->write(chunk);
        *sent += chunk.size();
    });
}

} // namespace

SandboxFaultPlayer::SandboxFaultPlayer(SandboxFileStore& files, QObject* context)
    : m_files(files)
    , m_context(context)
{ }

SandboxFaultPlayer::~SandboxFaultPlayer() = default;

void SandboxFaultPlayer::play(const SandboxFault& fault, const SandboxExchange& exchange, const QUrl& baseUrl,
                              QHttpServerResponder&& responder, const Resume& resume)
{
    qCDebug(lcSandbox) << "fault" << int(fault.kind) << "on" << exchange.method << exchange.path;
    const QByteArray& id = exchange.requestId;
    switch (fault.kind) {
    case SandboxFault::Kind::Latency:
        delay(fault.latencyMs, std::move(responder), resume);
        return;
    case SandboxFault::Kind::Status: {
        SandboxHeaders extra;
        if (fault.retryAfterSeconds >= 0)
            extra.append({QByteArrayLiteral("Retry-After"), QByteArray::number(fault.retryAfterSeconds)});
        SandboxReply::sendError(responder, id, SandboxReply::errorForStatus(fault.status), extra);
        return;
    }
    case SandboxFault::Kind::MalformedJson:
        SandboxReply::send(responder, id, 200, kJson,
                           QByteArrayLiteral("{\"created\": 1766880000, \"data\": [{\"url\": "));
        return;
    case SandboxFault::Kind::WrongTypes:
        SandboxReply::sendJson(responder, id, 200,
                               {{QStringLiteral("created"), QStringLiteral("yesterday")},
                                {QStringLiteral("data"), QStringLiteral("not-a-list")}});
        return;
    case SandboxFault::Kind::EmptyData:
        SandboxReply::sendJson(responder, id, 200, imagesBody({}));
        return;
    case SandboxFault::Kind::InvalidBase64:
        SandboxReply::sendJson(responder, id, 200,
                               imagesBody({item(QStringLiteral("b64_json"), QStringLiteral("@@not*base64!!"))}));
        return;
    case SandboxFault::Kind::NonImageBytes:
        nonImageBytes(exchange, baseUrl, responder);
        return;
    case SandboxFault::Kind::TruncatedBody:
        truncatedBody(exchange, responder);
        return;
    case SandboxFault::Kind::HugeBody:
        SandboxReply::sendHead(responder, id, 200, isFilePath(exchange.path) ? kPng : kJson, HugeBodyAnnounced);
        streamHugeBody(responder);
        return;
    case SandboxFault::Kind::RedirectTo:
        SandboxReply::send(responder, id, 307, {}, {},
                           {{QByteArrayLiteral("Location"), fault.redirectUrl.toEncoded()}});
        return;
    case SandboxFault::Kind::Stall:
        stall(std::move(responder));
        return;
    }
}

void SandboxFaultPlayer::delay(int latencyMs, QHttpServerResponder&& responder, const Resume& resume)
{
    // The responder outlives this call; its socket may not, so resume only if the client is still there.
    const QPointer<QTcpSocket> socket = responder.socket();
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    QTimer::singleShot(qMax(0, latencyMs), Qt::PreciseTimer, m_context, [held, socket, resume] {
        if (socket && socket->state() == QAbstractSocket::ConnectedState)
            resume(std::move(*held));
    });
}

void SandboxFaultPlayer::nonImageBytes(const SandboxExchange& exchange, const QUrl& baseUrl,
                                       QHttpServerResponder& responder)
{
    const QByteArray& id = exchange.requestId;
    if (isFilePath(exchange.path)) {
        SandboxReply::send(responder, id, 200, kPng, nonImage());
        return;
    }
    // Honour the requested format so the junk reaches the client the way real images would.
    const QJsonObject request = SandboxEdit::fieldsOf(exchange.contentType, exchange.body);
    if (request.value(QLatin1String("response_format")).toString() == QLatin1String("b64_json")) {
        const QString encoded = QString::fromLatin1(nonImage().toBase64());
        SandboxReply::sendJson(responder, id, 200, imagesBody({item(QStringLiteral("b64_json"), encoded)}));
        return;
    }
    QUrl url = baseUrl;
    url.setPath(QStringLiteral("/files/") + m_files.add(nonImage()));
    SandboxReply::sendJson(responder, id, 200, imagesBody({item(QStringLiteral("url"), url.toString())}));
}

void SandboxFaultPlayer::truncatedBody(const SandboxExchange& exchange, QHttpServerResponder& responder)
{
    QByteArray payload;
    QByteArray contentType = kJson;
    const std::optional<QByteArray> file =
        isFilePath(exchange.path) ? m_files.find(exchange.path.mid(int(qstrlen("/files/")))) : std::nullopt;
    if (file) {
        payload = *file;
        contentType = kPng;
    } else {
        const QString junk = QString::fromLatin1(QByteArray(4096, 'A').toBase64());
        payload = QJsonDocument(imagesBody({item(QStringLiteral("b64_json"), junk)})).toJson(QJsonDocument::Compact);
    }
    SandboxReply::sendHead(responder, exchange.requestId, 200, contentType, payload.size());
    responder.writeBody(payload.left(payload.size() / 2));
    responder.socket()->disconnectFromHost(); // flushes what was written, then closes: the body stays short
}

void SandboxFaultPlayer::stall(QHttpServerResponder&& responder)
{
    // Forget the ones whose client already gave up; their sockets are gone.
    m_stalled.erase(std::remove_if(m_stalled.begin(), m_stalled.end(), [](const Stalled& s) { return !s.socket; }),
                    m_stalled.end());
    QPointer<QTcpSocket> socket = responder.socket();
    m_stalled.push_back({socket, std::make_unique<QHttpServerResponder>(std::move(responder))});
}

} // namespace Pixapi
