#pragma once

#include "sandbox/SandboxLedger.h"

#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QObject>
#include <QSize>
#include <QString>
#include <QUrl>

#include <memory>
#include <optional>

namespace Pixapi {

// A fault the sandbox injects into matching requests (tests and demos).
struct SandboxFault
{
    enum class Kind {
        Latency,       // delay the normal answer by latencyMs
        Status,        // answer `status` with the documented error body (401, 402, 429 + Retry-After, 500, 503, ...)
        MalformedJson, // 200 with a body that is not JSON
        WrongTypes,    // 200 with valid JSON of the wrong shape (data is a string, ...)
        EmptyData,     // 200 with "data": []
        InvalidBase64, // b64_json that does not decode
        NonImageBytes, // valid base64 / file of bytes that are not an image
        TruncatedBody, // Content-Length larger than the bytes sent, then the connection closes
        HugeBody,      // announces and starts streaming a body far over any sane cap
        RedirectTo,    // 307 to redirectUrl (e.g. another loopback server)
        Stall,         // accept the request and never answer (timeouts)
    };
    Kind kind = Kind::Status;
    QString pathPrefix; // applies to requests whose path starts with this ("" = all)
    QString model;      // and, when set, only to requests whose body (JSON or multipart fields) names this model
    int status = 500;   // for Kind::Status
    int retryAfterSeconds = -1;
    int latencyMs = 0;
    QUrl redirectUrl;
    int remaining = -1; // how many requests it applies to; -1 = until cleared

    // A fault of the generations endpoint for one model: the per-model latency and failures of a board or batch.
    static SandboxFault generationOf(const QString& model, Kind kind, int status = 500, int latencyMs = 0);
};

// One request as the sandbox saw it: tests assert on these (e.g. "no Authorization reached the image host").
struct SandboxRequestRecord
{
    QString method;
    QString path;
    bool hadAuthorization = false;
    QString userAgent;
    QString requestIdHeader;
    QByteArray contentType;
    qint64 bodySize = 0;
};

// One file part of an edit request as the sandbox saw it.
struct SandboxEditPartRecord
{
    QString name; // "image", "image[]" or "mask"
    QString filename;
    QByteArray contentType;
    qint64 bytes = 0;
    QSize imageSize; // as sent (before any downscaling); invalid when it was not decoded
};

// The last edit request whose multipart body parsed, accepted or not: what tests assert the client sent.
struct SandboxEditRecord
{
    QString path;  // /v1/images/edits or /v1/async/images/edits
    QString model; // the text fields as sent
    QString prompt;
    QMap<QString, QString> fields; // every text field (model and prompt included)
    QList<SandboxEditPartRecord> images;
    bool hasMask = false;
    SandboxEditPartRecord mask;
    QSize outputSize; // what the edit renders at; invalid when refused
    QString error;    // the refusal's message; empty when accepted
};

// An HTTP server on loopback that implements ../shared/api/PIXAPI-CONTRACT.md: /v1/models, /v1/images/generations,
// /v1/images/edits (multipart, see SandboxEdit), /v1/async/images/generations and /v1/async/images/edits +
// /v1/tasks/{id} (see SandboxTasks for the timeline and the prompt markers
// [sandbox:fail] and [sandbox:limbo]), /v1/balance (sandbox-only), /files/<name>.png for url results. Deterministic PNG
// renders; a per-model credit ledger. Lives on the thread that creates it; the app hosts it on a thread of its own (see
// SandboxHost).
class SandboxServer : public QObject
{
    Q_OBJECT

public:
    explicit SandboxServer(QObject* parent = nullptr);
    ~SandboxServer() override;

    // The key the sandbox accepts unless told otherwise.
    static QString defaultKey();

    bool listen(const QHostAddress& address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port>

    void setAcceptedKeys(const QStringList& keys);
    void setBalance(double credits);
    double balance() const;
    double creditsCharged(const QString& modelId) const; // per-model ledger
    QList<SandboxCharge> charges() const;                // every charge, oldest first

    // How long a new async task stays "queued" and then "processing" (defaults: SandboxTasks, a few seconds).
    void setTaskTimings(int queuedMs, int processingMs);

    void addFault(const SandboxFault& fault);
    void clearFaults();
    QList<SandboxRequestRecord> requests() const;
    // POST requests seen (generations and task submits: what may be charged).
    int postCount() const;
    void clearRequests();
    // The last edit request (see SandboxEditRecord); empty before the first, and when the last one's body was over
    // the cap or not readable multipart.
    std::optional<SandboxEditRecord> lastEdit() const;

    // Generation and edit bodies above this are answered 413 (QHttpServer has read them whole by then).
    static constexpr qint64 DefaultMaxBodyBytes = qint64(64) * 1024 * 1024;
    void setMaxBodyBytes(qint64 bytes);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Pixapi
