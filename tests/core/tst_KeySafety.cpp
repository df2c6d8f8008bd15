// Key safety (issue #8 item 3): the API key never appears in what pixapi-cli prints or logs, in any file it leaves
// behind, or in what a crash leaves; the key is never sent to another origin (redirects) or to image URLs; http:// is
// refused except to this computer; TLS errors are never ignored.
//
// Runs inside tests/support/with-keyring.sh: a private HOME (scanned byte for byte at the end of the CLI session) and a
// private, unlocked gnome-keyring that holds the key as the app would store it.
#include "CliRun.h"
#include "LeakScan.h"
#include "TestEnv.h"
#include "accounts/Account.h"
#include "accounts/AccountRegistry.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"
#include "generation/GenerationJob.h"
#include "library/Library.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"
#include "support/Redactor.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkProxy>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#if QT_CONFIG(ssl)
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#endif

#include <functional>
#include <memory>
#include <optional>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/resource.h>
#endif

using namespace Pixapi;
using K = ApiError::Kind;

namespace {

const QString kModel = QStringLiteral("gemini-2.5-flash-image");

// ---------------------------------------------------------------------------------------------------------------------
// A loopback HTTP/1.1 peer (plain or TLS) that records every request as received and answers what it is told.

struct SeenRequest
{
    QByteArray method;
    QByteArray target; // from the request line: a path, or for a proxy an absolute URL or host:port
    QByteArray head;   // request line and headers, as received
    QByteArray body;
    bool hasAuthorization() const { return head.toLower().contains("\r\nauthorization:"); }
};

QByteArray httpResponse(int status, const QByteArray& body = "{}", const QByteArray& contentType = "application/json",
                        const QByteArray& extraHeaders = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + " Test\r\nContent-Type: " + contentType + "\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n" + extraHeaders + "Connection: close\r\n\r\n" + body;
}

QByteArray redirectResponse(int status, const QUrl& location)
{
    return httpResponse(status, {}, "text/plain", "Location: " + location.toEncoded() + "\r\n");
}

QByteArray pngResponse()
{
    return httpResponse(200, TestEnv::solidPng(qRgb(20, 120, 200), {16, 16}), "image/png");
}

qsizetype contentLength(const QByteArray& head)
{
    for (const QByteArray& line : head.split('\n')) {
        if (line.toLower().startsWith("content-length:"))
            return line.mid(15).trimmed().toLongLong();
    }
    return 0;
}

class RecordingServer : public QObject
{
public:
    using Responder = std::function<QByteArray(const SeenRequest&)>;

    explicit RecordingServer(Responder responder = {})
        : m_responder(std::move(responder))
    { }

    // On every interface (IPv4 and IPv6): requests to 127.0.0.2, [::1] or "localhost" arrive too.
    bool listen(const QHostAddress& address = QHostAddress::Any) { return setUp(new QTcpServer(this), address); }

#if QT_CONFIG(ssl)
    bool listenTls(const QSslCertificate& certificate, const QSslKey& key)
    {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificate(certificate);
        configuration.setPrivateKey(key);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        auto* server = new QSslServer(this);
        server->setSslConfiguration(configuration);
        connect(server, &QSslServer::startedEncryptionHandshake, this, [this] { ++m_connections; });
        m_tls = true;
        return setUp(server, QHostAddress::LocalHost);
    }
#endif

    quint16 port() const
    {
        return m_server ? m_server->serverPort() : 0;
    }
    QUrl url(const QString& path = {}, const QString& host = QStringLiteral("127.0.0.1")) const
    {
        QUrl url;
        url.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
        url.setHost(host);
        url.setPort(port());
        url.setPath(path);
        return url;
    }
    QList<SeenRequest> requests() const
    {
        return m_requests;
    }
    // TCP connections accepted (TLS: handshakes started by a client).
    int connections() const
    {
        return m_connections;
    }
    // Bytes read from clients; for TLS, after decryption: what got past the handshake.
    qint64 bytesReceived() const
    {
        return m_bytes;
    }
    bool anyAuthorization() const
    {
        return std::any_of(m_requests.cbegin(), m_requests.cend(),
                           [](const SeenRequest& r) { return r.hasAuthorization(); });
    }

private:
    bool setUp(QTcpServer* server, const QHostAddress& address)
    {
        m_server = server;
        connect(server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket* socket = m_server->nextPendingConnection())
                accept(socket);
        });
        return server->listen(address);
    }

    void accept(QTcpSocket* socket)
    {
        if (!m_tls)
            ++m_connections;
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            const QByteArray chunk = socket->readAll();
            m_bytes += chunk.size();
            buffer->append(chunk);
            const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            SeenRequest request;
            request.head = buffer->left(headEnd + 4);
            const qsizetype length = contentLength(request.head);
            if (buffer->size() < headEnd + 4 + length)
                return;
            request.body = buffer->mid(headEnd + 4, length);
            const QList<QByteArray> line = request.head.left(request.head.indexOf("\r\n")).split(' ');
            request.method = line.value(0);
            request.target = line.value(1);
            buffer->clear();
            m_requests.append(request);
            socket->write(m_responder ? m_responder(request) : httpResponse(200));
            socket->disconnectFromHost();
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }

    Responder m_responder;
    QTcpServer* m_server = nullptr;
    bool m_tls = false;
    QList<SeenRequest> m_requests;
    int m_connections = 0;
    qint64 m_bytes = 0;
};

// ---------------------------------------------------------------------------------------------------------------------
// Client operations, each run to its single finished().

enum class Op { Models, Balance, TaskPoll, Generate, Edit, SubmitAsync, Download };

const char* opName(Op op)
{
    switch (op) {
    case Op::Models:
        return "GET models";
    case Op::Balance:
        return "GET balance";
    case Op::TaskPoll:
        return "GET task";
    case Op::Generate:
        return "POST generation";
    case Op::Edit:
        return "POST edit (multipart)";
    case Op::SubmitAsync:
        return "POST async submit";
    case Op::Download:
        return "GET image URL";
    }
    return "?";
}

struct Outcome
{
    int emissions = 0;
    bool ok = false;
    std::optional<ApiError> error;
};

template <typename Job>
Outcome await(Job* job)
{
    Outcome outcome;
    QObject context; // disconnects on return, should the job outlive the wait
    QObject::connect(job, &ApiJob::finished, &context, [&outcome, job] {
        ++outcome.emissions;
        outcome.ok = job->result().ok();
        if (!outcome.ok)
            outcome.error = job->result().error();
    });
    [[maybe_unused]] const bool finished = QTest::qWaitFor([&outcome] { return outcome.emissions > 0; }, 20000);
    QTest::qWait(20); // a (wrong) second emission would show up here
    return outcome;
}

GenerationParams generationParams()
{
    GenerationParams params;
    params.model = kModel;
    params.prompt = QStringLiteral("a lighthouse at dusk");
    params.n = 1;
    params.size = QStringLiteral("1024x1024");
    return params;
}

EditInputs editInputs()
{
    EditInputs inputs;
    inputs.images.append({TestEnv::solidPng(qRgb(200, 40, 40), {32, 32}), QStringLiteral("input.png"), "image/png"});
    return inputs;
}

Outcome runOp(PixapiClient& client, Op op, const QUrl& imageUrl)
{
    switch (op) {
    case Op::Models:
        return await(client.listModels());
    case Op::Balance:
        return await(client.fetchBalance());
    case Op::TaskPoll:
        return await(client.fetchTask(QStringLiteral("task-1")));
    case Op::Generate:
        return await(client.generate(generationParams()));
    case Op::Edit:
        return await(client.generate(generationParams(), editInputs()));
    case Op::SubmitAsync:
        return await(client.submitAsync(generationParams()));
    case Op::Download:
        return await(client.downloadImage(imageUrl));
    }
    return {};
}

std::optional<HttpResult> awaitHttp(HttpJob* job)
{
    std::optional<HttpResult> result;
    QObject context;
    QObject::connect(job, &HttpJob::finished, &context, [&result, job] { result = job->result(); });
    [[maybe_unused]] const bool finished = QTest::qWaitFor([&result] { return result.has_value(); }, 20000);
    return result;
}

QString describe(const Outcome& outcome)
{
    if (outcome.ok)
        return QStringLiteral("succeeded");
    if (!outcome.error)
        return QStringLiteral("no result after %1 emission(s)").arg(outcome.emissions);
    return ApiError::kindName(outcome.error->kind) + QStringLiteral(": ") + outcome.error->userMessage()
           + QStringLiteral(" / ") + outcome.error->detail;
}

QString describe(const QList<SeenRequest>& requests)
{
    QStringList lines;
    for (const SeenRequest& r : requests)
        lines << QString::fromLatin1(r.method + ' ' + r.target + (r.hasAuthorization() ? " (with Authorization)" : ""));
    return lines.join(QStringLiteral("; "));
}

// Environment variables that point Qt's system proxy configuration at `proxy` for every host except loopback ones: a
// child process that sends anything off this computer is caught there.
void routeNonLoopbackThrough(QProcessEnvironment& env, const RecordingServer& proxy)
{
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(proxy.port());
    for (const char* name : {"http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"})
        env.insert(QString::fromLatin1(name), url);
    env.insert(QStringLiteral("no_proxy"), QStringLiteral("127.0.0.1,localhost,::1"));
    env.remove(QStringLiteral("NO_PROXY"));
}

} // namespace

class tst_KeySafety : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    // The detector itself: every form of the key is found, so a clean scan means something.
    void scannerFindsEveryFormOfTheKey();

    // 1. A full pixapi-cli session: output, logs and every file left behind.
    void cliSessionNeverRevealsTheKey();
    void cliCrashOutputHasNoKey_data();
    void cliCrashOutputHasNoKey();
    void cliFatalErrorOutputHasNoKey();
    void inProcessFailuresNeverLogTheKey();

    // 3. Redirects and image URLs.
    void redirectToAnotherOriginIsRefused_data();
    void redirectToAnotherOriginIsRefused();
    void sameOriginRedirectIsFollowedAndCapped();
    void imageDownloadsNeverCarryTheKey_data();
    void imageDownloadsNeverCarryTheKey();
    void generatedImageUrlsAreFetchedWithoutTheKey();

    // 4. http:// only to this computer.
    void onlyHttpsOrLoopbackHttpIsAllowed_data();
    void onlyHttpsOrLoopbackHttpIsAllowed();
    void refusedUrlsSendNothing_data();
    void refusedUrlsSendNothing();
    void accountBaseUrlRefusesInsecureUrls_data();
    void accountBaseUrlRefusesInsecureUrls();
    void cliBaseUrlRefusesInsecureUrls_data();
    void cliBaseUrlRefusesInsecureUrls();

    // 5. TLS errors are never ignored.
    void trustedTlsServerIsReached();
    void tlsErrorsAreNeverIgnored_data();
    void tlsErrorsAreNeverIgnored();
    void httpsToHttpRedirectIsRefused_data();
    void httpsToHttpRedirectIsRefused();
    void cliRefusesUntrustedTls();

private:
    void storeKeyInKeychain(const QString& account, const QString& key);
    QProcessEnvironment cliEnvironment(const RecordingServer& proxy) const;
    QList<LeakScan::Form> secretForms() const;
    void verifyNoLeak(const QString& where, const QByteArray& data);
#if QT_CONFIG(ssl)
    bool makeCertificate(const QString& name, const QStringList& reqArguments, bool expired);
    void trust(const QSslCertificate& certificate);
    struct Tls
    {
        QSslCertificate certificate;
        QSslKey key;
    };
    QMap<QString, Tls> m_certificates;
    std::optional<QSslConfiguration> m_savedDefaultSsl;
#endif

    LeakScan::Canary m_key;   // the account's key: accepted by the servers of this test
    LeakScan::Canary m_wrong; // a mistyped key: a secret too
    std::unique_ptr<QTemporaryDir> m_certDir;
    QString m_tlsProblem;
};

void tst_KeySafety::initTestCase()
{
    TestEnv::init();
    qRegisterMetaType<GenerationOutcome>();
    m_key = LeakScan::Canary::make(QStringLiteral("key"));
    m_wrong = LeakScan::Canary::make(QStringLiteral("wrong"));

    // As the app and the CLI do at start: the Redactor wraps whatever handler was there (here, the capture).
    TestEnv::LogCapture::install(/*quiet=*/true);
    Redactor::installMessageHandler();
    QLoggingCategory::setFilterRules(QStringLiteral("*=true")); // every category at every level, Qt's own included

#if QT_CONFIG(ssl)
    m_certDir = std::make_unique<QTemporaryDir>();
    if (!QSslSocket::supportsSsl()) {
        m_tlsProblem = QStringLiteral("this Qt has no TLS backend");
    } else if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty()) {
        m_tlsProblem = QStringLiteral("the openssl command is not installed (it makes the test certificates)");
    } else {
        const QString localhost = QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost");
        const bool made =
            makeCertificate(QStringLiteral("valid"), {QStringLiteral("-addext"), localhost}, false)
            && makeCertificate(QStringLiteral("expired"), {QStringLiteral("-addext"), localhost}, true)
            && makeCertificate(QStringLiteral("wronghost"),
                               {QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:wrong-host.invalid")},
                               false);
        if (!made)
            m_tlsProblem = QStringLiteral("openssl could not make the test certificates");
    }
#else
    m_tlsProblem = QStringLiteral("this Qt was built without TLS");
#endif
}

void tst_KeySafety::init()
{
    TestEnv::LogCapture::take();
}

void tst_KeySafety::cleanup()
{
#if QT_CONFIG(ssl)
    if (m_savedDefaultSsl) {
        QSslConfiguration::setDefaultConfiguration(*m_savedDefaultSsl);
        m_savedDefaultSsl.reset();
    }
#endif
    // Whatever the test did, this process's log (the in-process sandboxes log whole request headers) shows no key.
    const QStringList log = TestEnv::LogCapture::take();
    for (const QString& line : log) {
        verifyNoLeak(QStringLiteral("this process's log"), line.toUtf8());
        if (QTest::currentTestFailed())
            return;
    }
}

void tst_KeySafety::cleanupTestCase()
{
    QLoggingCategory::setFilterRules(QString());
}

QList<LeakScan::Form> tst_KeySafety::secretForms() const
{
    return m_key.forms(QStringLiteral("the API key")) + m_wrong.forms(QStringLiteral("the mistyped key"));
}

void tst_KeySafety::verifyNoLeak(const QString& where, const QByteArray& data)
{
    const QStringList found = LeakScan::find(data, secretForms());
    QVERIFY2(found.isEmpty(), qPrintable(where + QStringLiteral(" holds ") + found.join(QStringLiteral(", "))
                                         + QStringLiteral(":\n") + QString::fromUtf8(data.left(2000))));
}

void tst_KeySafety::storeKeyInKeychain(const QString& account, const QString& key)
{
    ApiKeyStore store;
    KeyJob* job = store.writeKey(account, key);
    QSignalSpy finished(job, &KeyJob::finished);
    QVERIFY(finished.wait(20000));
    const auto result = finished.constFirst().constFirst().value<KeyResult>();
    QVERIFY2(result.ok(), qPrintable(result.detail));
}

QProcessEnvironment tst_KeySafety::cliEnvironment(const RecordingServer& proxy) const
{
    QProcessEnvironment env = CliRun::baseEnvironment();
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*=true")); // every line of every category
    routeNonLoopbackThrough(env, proxy);
    return env;
}

// ---------------------------------------------------------------------------------------------------------------------

void tst_KeySafety::scannerFindsEveryFormOfTheKey()
{
    const QList<LeakScan::Form> forms = m_key.forms(QStringLiteral("key"));
    const QByteArray key = m_key.key.toUtf8();
    // Base64 at each alignment, as in a Basic header or a base64 blob.
    for (int offset = 0; offset < 3; ++offset) {
        const QByteArray blob =
            QByteArray(QByteArray(offset, '#') + "Authorization: Bearer " + key + " tail").toBase64();
        QVERIFY2(!LeakScan::find(blob, forms).isEmpty(), blob.constData());
        QVERIFY(
            !LeakScan::find(QByteArray(offset, '#') + key.toBase64(QByteArray::Base64UrlEncoding), forms).isEmpty());
    }
    QVERIFY(!LeakScan::find("x=" + QUrl::toPercentEncoding(m_key.key) + "&y", forms).isEmpty());
    QVERIFY(!LeakScan::find("x=" + QUrl::toPercentEncoding(m_key.key).toLower(), forms).isEmpty());
    QVERIFY(!LeakScan::find(QJsonDocument(QJsonObject {{QStringLiteral("k"), m_key.key}}).toJson(), forms).isEmpty());
    QVERIFY(!LeakScan::find("{\"k\":\"" + QByteArray(key).replace('/', "\\/") + "\"}", forms).isEmpty());
    const QString text = QStringLiteral("key=") + m_key.key;
    QVERIFY(!LeakScan::find(QByteArray(reinterpret_cast<const char*>(text.utf16()), text.size() * 2), forms).isEmpty());
    // A key cut short still shows its random part.
    QVERIFY(!LeakScan::find(m_key.key.left(40).toUtf8(), forms).isEmpty());
    // Files, hidden ones included.
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral(".hidden/deep")));
    QFile file(dir.filePath(QStringLiteral(".hidden/deep/settings.ini")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[a]\nkey=" + QUrl::toPercentEncoding(m_key.key) + '\n');
    file.close();
    int scanned = 0;
    const QStringList hits = LeakScan::findInFiles(dir.path(), forms, {}, &scanned);
    QVERIFY(!hits.isEmpty());
    QVERIFY(std::all_of(hits.cbegin(), hits.cend(),
                        [&file](const QString& hit) { return hit.startsWith(file.fileName() + QLatin1Char(':')); }));
    QCOMPARE(scanned, 1);
    QVERIFY(LeakScan::findInFiles(dir.path(), forms, {dir.filePath(QStringLiteral(".hidden"))}).isEmpty());
    // And nothing in ordinary text.
    QVERIFY(LeakScan::find("sk-live-LEAKCANARY-key- Authorization: Bearer [redacted]", forms).isEmpty());
}

// A whole session of the real pixapi-cli with every log category on: the key comes from the (private) keychain, the
// server is an in-process sandbox that accepts it. Successes, a mistyped key, a server that echoes the key in its
// error, rate limits, redirects to another origin and an interrupt: nothing printed, logged or written holds the key.
// (A transfer timeout takes 30 s for a GET and 180 s for a generation in the CLI, which has no option to shorten it:
// timeouts are covered in-process by inProcessFailuresNeverLogTheKey.)
void tst_KeySafety::cliSessionNeverRevealsTheKey()
{
    storeKeyInKeychain(QStringLiteral("default"), m_key.key); // Settings' default account, as the app saves it

    SandboxServer server;
    server.setAcceptedKeys({m_key.key});
    server.setTaskTimings(50, 100);
    QVERIFY(server.listen());
    SandboxServer otherOrigin; // where redirects point
    QVERIFY(otherOrigin.listen());
    RecordingServer proxy([](const SeenRequest&) { return httpResponse(502); });
    QVERIFY(proxy.listen(QHostAddress::LocalHost));
    // A server that echoes the Authorization header in its error message, as some do.
    RecordingServer echo([](const SeenRequest& r) {
        QByteArray value;
        for (const QByteArray& line : r.head.split('\n')) {
            if (line.toLower().startsWith("authorization:"))
                value = line.mid(14).trimmed();
        }
        const QJsonObject error {
            {QStringLiteral("message"), QString(QStringLiteral("Invalid API key: ") + QString::fromUtf8(value))},
            {QStringLiteral("code"), QStringLiteral("invalid_api_key")}};
        return httpResponse(401, QJsonDocument(QJsonObject {{QStringLiteral("error"), error}}).toJson());
    });
    QVERIFY(echo.listen(QHostAddress::LocalHost));

    const QString home = qEnvironmentVariable("PIXAPI_TEST_HOME");
    QTemporaryDir work(home + QStringLiteral("/cli-session-XXXXXX"));
    QVERIFY(work.isValid());
    work.setAutoRemove(false); // scanned below with the rest of HOME; the launcher removes HOME
    const QString data = work.filePath(QStringLiteral("data"));
    const QString tmp = work.filePath(QStringLiteral("tmp"));
    QVERIFY(QDir().mkpath(tmp));

    QProcessEnvironment env = cliEnvironment(proxy);
    env.insert(QStringLiteral("TMPDIR"), tmp); // --no-library's scratch library lands where it is scanned
    QProcessEnvironment wrongKeyEnv = env;
    wrongKeyEnv.insert(QStringLiteral("PIXAPI_KEY"), m_wrong.key);

    const QString base = server.baseUrl().toString();
    const QStringList common {QStringLiteral("--verbose"), QStringLiteral("--base-url"), base};
    const auto generate = [&](const QString& prompt, const QStringList& extra) {
        QStringList arguments {QStringLiteral("generate"), QStringLiteral("-m"), kModel, QStringLiteral("-p"), prompt};
        if (!extra.contains(QStringLiteral("--no-library"))) // which keeps no library, so takes no --data-dir
            arguments << QStringLiteral("--data-dir") << data;
        return arguments + common + extra;
    };
    const auto fault = [](SandboxFault::Kind kind, const QString& path, int status = 500, int remaining = -1) {
        SandboxFault f;
        f.kind = kind;
        f.pathPrefix = path;
        f.status = status;
        f.remaining = remaining;
        f.retryAfterSeconds = kind == SandboxFault::Kind::Status && status == 429 ? 0 : -1;
        return f;
    };
    const auto redirect = [&server, &otherOrigin](const QString& path) {
        SandboxFault f;
        f.kind = SandboxFault::Kind::RedirectTo;
        f.pathPrefix = path;
        QUrl target = otherOrigin.baseUrl();
        target.setPath(path);
        f.redirectUrl = target;
        server.addFault(f);
    };
    const auto postsTo = [&server](const QString& path) {
        int n = 0;
        for (const SandboxRequestRecord& r : server.requests())
            n += r.method == QLatin1String("POST") && r.path == path;
        return n;
    };

    struct Step
    {
        QString name;
        CliRun run;
        int expectedExit;         // -1: killed
        QByteArray expectedInErr; // proves the scenario really happened
    };
    QList<Step> steps;
    const auto step = [&](const QString& name, const QStringList& arguments, const QProcessEnvironment& environment,
                          int expectedExit, const QByteArray& expectedInErr = {},
                          const std::function<void(QProcess&)>& whileRunning = {}) {
        steps.append({name, CliRun::run(arguments, environment, whileRunning), expectedExit, expectedInErr});
        server.clearFaults();
    };

    step(QStringLiteral("models (key from the keychain)"), QStringList {QStringLiteral("models")} + common, env, 0,
         "keychain");
    step(QStringLiteral("models --json"), QStringList {QStringLiteral("models"), QStringLiteral("--json")} + common,
         env, 0);
    step(QStringLiteral("balance"), QStringList {QStringLiteral("balance")} + common, env, 0);
    step(
        QStringLiteral("generate"),
        generate(QStringLiteral("a key-shaped cloud"), {QStringLiteral("--out"), work.filePath(QStringLiteral("out"))}),
        env, 0);
    step(QStringLiteral("generate --format url (image downloaded from its URL)"),
         generate(QStringLiteral("a brass key"), {QStringLiteral("--format"), QStringLiteral("url")}), env, 0);
    step(QStringLiteral("generate --async"), generate(QStringLiteral("a keyhole"), {QStringLiteral("--async")}), env, 0,
         "task");
    step(QStringLiteral("generate --no-library"),
         generate(QStringLiteral("a key ring"),
                  {QStringLiteral("--no-library"), QStringLiteral("--out"), work.filePath(QStringLiteral("out2"))}),
         env, 0);
    step(QStringLiteral("401: a mistyped key (PIXAPI_KEY)"), QStringList {QStringLiteral("models")} + common,
         wrongKeyEnv, 1, "API key was refused");
    step(QStringLiteral("401: a server that echoes the key"),
         {QStringLiteral("models"), QStringLiteral("--verbose"), QStringLiteral("--base-url"), echo.url().toString()},
         env, 1, "[redacted]");
    server.addFault(fault(SandboxFault::Kind::Status, QStringLiteral("/v1/models"), 429, 1));
    step(QStringLiteral("429 on a GET, retried"), QStringList {QStringLiteral("models")} + common, env, 0, "retrying");
    server.addFault(fault(SandboxFault::Kind::Status, QStringLiteral("/v1/balance"), 429));
    step(QStringLiteral("429 on a GET, every time"), QStringList {QStringLiteral("balance")} + common, env, 1,
         "Too many requests");
    server.addFault(fault(SandboxFault::Kind::Status, QStringLiteral("/v1/images/generations"), 429, 1));
    step(QStringLiteral("429 on a generation, sent again"), generate(QStringLiteral("a spare key"), {}), env, 0,
         "sending again");
    redirect(QStringLiteral("/v1/models"));
    step(QStringLiteral("GET redirected to another origin"), QStringList {QStringLiteral("models")} + common, env, 1,
         "redirected");
    redirect(QStringLiteral("/v1/images/generations"));
    const int postsBefore = postsTo(QStringLiteral("/v1/images/generations"));
    step(QStringLiteral("POST redirected to another origin"), generate(QStringLiteral("a skeleton key"), {}), env, 1,
         "redirected");
    const int redirectedPosts = postsTo(QStringLiteral("/v1/images/generations")) - postsBefore;
#ifdef Q_OS_UNIX
    server.addFault(fault(SandboxFault::Kind::Stall, QStringLiteral("/v1/images/generations")));
    const int postsBeforeStall = postsTo(QStringLiteral("/v1/images/generations"));
    step(QStringLiteral("interrupted while the server holds the request"), generate(QStringLiteral("a lost key"), {}),
         env, 130, "cancelled", [&](QProcess& process) {
             QTRY_VERIFY_WITH_TIMEOUT(postsTo(QStringLiteral("/v1/images/generations")) > postsBeforeStall,
                                      CliRun::TimeoutMs);
             ::kill(pid_t(process.processId()), SIGINT);
         });
    // Killed (no cleanup runs) while the image is downloaded: the answer stays spooled in the library for the next
    // start, and is scanned below with everything else.
    const auto downloads = [&server] {
        const QList<SandboxRequestRecord> seen = server.requests();
        return std::count_if(seen.cbegin(), seen.cend(),
                             [](const SandboxRequestRecord& r) { return r.path.startsWith(QLatin1String("/files/")); });
    };
    const auto downloadsBefore = downloads();
    server.addFault(fault(SandboxFault::Kind::Stall, QStringLiteral("/files/")));
    step(QStringLiteral("killed while the image downloads"),
         generate(QStringLiteral("a key in a drawer"), {QStringLiteral("--format"), QStringLiteral("url")}), env, -1,
         {}, [&](QProcess& process) {
             QTRY_VERIFY_WITH_TIMEOUT(downloads() > downloadsBefore, CliRun::TimeoutMs);
             QTest::qWait(100);
             ::kill(pid_t(process.processId()), SIGKILL);
         });
#endif

    for (const Step& s : std::as_const(steps)) {
        const bool asExpected = s.expectedExit < 0 ? s.run.finished && s.run.exitStatus == QProcess::CrashExit
                                                   : s.run.finished && s.run.exitStatus == QProcess::NormalExit
                                                         && s.run.exitCode == s.expectedExit;
        QVERIFY2(asExpected, qPrintable(s.name + QStringLiteral(": expected exit %1, got ").arg(s.expectedExit)
                                        + s.run.describe()));
        QVERIFY2(s.run.err.contains(s.expectedInErr),
                 qPrintable(s.name + QStringLiteral(": stderr lacks \"%1\": ").arg(QString::fromUtf8(s.expectedInErr))
                            + QString::fromLocal8Bit(s.run.err)));
        QVERIFY2(s.run.err.contains("pixapi."), qPrintable(s.name + QStringLiteral(": the log categories were off")));
        verifyNoLeak(s.name + QStringLiteral(" (stdout)"), s.run.out);
        verifyNoLeak(s.name + QStringLiteral(" (stderr)"), s.run.err);
        if (QTest::currentTestFailed())
            return;
    }

    // The session used the key (the sandbox accepts only it) and sent it nowhere else.
    const QList<SandboxRequestRecord> seen = server.requests();
    QVERIFY(std::all_of(seen.cbegin(), seen.cend(), [](const SandboxRequestRecord& r) {
        return r.hadAuthorization || r.path.startsWith(QLatin1String("/files/"));
    }));
    QVERIFY2(std::none_of(seen.cbegin(), seen.cend(),
                          [](const SandboxRequestRecord& r) {
                              return r.path.startsWith(QLatin1String("/files/")) && r.hadAuthorization;
                          }),
             "an image URL got the key");
    QVERIFY(std::any_of(seen.cbegin(), seen.cend(),
                        [](const SandboxRequestRecord& r) { return r.path.startsWith(QLatin1String("/files/")); }));
    QCOMPARE(redirectedPosts, 1); // a redirected POST is not sent again
    QVERIFY2(otherOrigin.requests().isEmpty(), "a redirect was followed to another origin");
    QVERIFY2(proxy.requests().isEmpty(),
             qPrintable(QStringLiteral("traffic left this computer: ") + describe(proxy.requests())));
    QCOMPARE(echo.requests().size(), 1);

    // Every file under the private HOME (settings, library, SQLite databases, task store, thumbnails, caches, images in
    // --out, the scratch library's TMPDIR) and XDG_RUNTIME_DIR, as bytes. The keyring's own file is where the key is
    // meant to be (encrypted by gnome-keyring); it is left out.
    int scanned = 0;
    const QString keyrings = QDir(home).filePath(QStringLiteral(".local/share/keyrings"));
    QStringList hits = LeakScan::findInFiles(home, secretForms(), {keyrings}, &scanned);
    hits += LeakScan::findInFiles(qEnvironmentVariable("XDG_RUNTIME_DIR"), secretForms());
    QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1Char('\n'))));
    // The scan covered what the session wrote: the library's database and images, and --out.
    QStringList written;
    QDirIterator it(work.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        written << QDir(work.path()).relativeFilePath(it.next());
    QVERIFY2(written.filter(QStringLiteral(".png")).size() >= 3, qPrintable(written.join(QLatin1Char(' '))));
    QVERIFY2(!written.filter(QRegularExpression(QStringLiteral("\\.(db|sqlite|sqlite3)$"))).isEmpty(),
             qPrintable(written.join(QLatin1Char(' '))));
    QVERIFY(scanned >= written.size());
}

void tst_KeySafety::cliCrashOutputHasNoKey_data()
{
    QTest::addColumn<int>("signal");
#ifdef Q_OS_UNIX
    QTest::newRow("SIGABRT (the end of qFatal and Q_ASSERT)") << int(SIGABRT);
    QTest::newRow("SIGSEGV") << int(SIGSEGV);
#endif
}

// pixapi-cli installs no crash handler: a crash prints nothing of its own. What it leaves is the shell's view (exit
// status, stdout, stderr) and, where the system writes core dumps into the working directory, a core file: the
// process's memory, key included, unless the process opts out of core dumps.
void tst_KeySafety::cliCrashOutputHasNoKey()
{
#ifdef Q_OS_LINUX
    QFETCH(int, signal);
    SandboxServer server;
    server.setAcceptedKeys({m_key.key});
    QVERIFY(server.listen());
    SandboxFault stall;
    stall.kind = SandboxFault::Kind::Stall;
    stall.pathPrefix = QStringLiteral("/v1/images/generations");
    server.addFault(stall);
    RecordingServer proxy([](const SeenRequest&) { return httpResponse(502); });
    QVERIFY(proxy.listen(QHostAddress::LocalHost));
    QTemporaryDir cwd(qEnvironmentVariable("PIXAPI_TEST_HOME") + QStringLiteral("/crash-XXXXXX"));
    QVERIFY(cwd.isValid());

    QProcess process;
    QProcessEnvironment env = cliEnvironment(proxy);
    env.insert(QStringLiteral("PIXAPI_KEY"), m_key.key);
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(cwd.path());
    // As a developer's shell with `ulimit -c unlimited`, where the core lands in the working directory (core_pattern
    // "core" or "core.<pid>"). A piped pattern (systemd-coredump, apport) would file the core away system-wide: there
    // the child gets no core at all and only the output is checked.
    QFile pattern(QStringLiteral("/proc/sys/kernel/core_pattern"));
    const QByteArray corePattern = pattern.open(QIODevice::ReadOnly) ? pattern.readAll().trimmed() : QByteArray();
    const bool coreInWorkingDir = !corePattern.isEmpty() && !corePattern.startsWith('|') && !corePattern.contains('/');
    process.setChildProcessModifier([coreInWorkingDir] {
        rlimit limit {};
        if (::getrlimit(RLIMIT_CORE, &limit) == 0) {
            limit.rlim_cur = coreInWorkingDir ? limit.rlim_max : 0;
            ::setrlimit(RLIMIT_CORE, &limit);
        }
    });
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(PIXAPI_CLI_PATH),
                  {QStringLiteral("generate"), QStringLiteral("--verbose"), QStringLiteral("--base-url"),
                   server.baseUrl().toString(), QStringLiteral("-m"), kModel, QStringLiteral("-p"),
                   QStringLiteral("a crash"), QStringLiteral("--data-dir"), cwd.filePath(QStringLiteral("data"))});
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(server.postCount() == 1, 20000); // the key is in use
    ::kill(pid_t(process.processId()), signal);
    QVERIFY(finished.wait(30000));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
    verifyNoLeak(QStringLiteral("stdout of the crashed CLI"), process.readAllStandardOutput());
    verifyNoLeak(QStringLiteral("stderr of the crashed CLI"), process.readAllStandardError());

    const QStringList cores = QDir(cwd.path()).entryList({QStringLiteral("core*")}, QDir::Files);
    if (cores.isEmpty()) {
        qInfo("no core file in the working directory (core_pattern \"%s\"): only the output was checked",
              corePattern.constData());
        return;
    }
    QStringList leaks;
    for (const QString& core : cores) {
        QFile file(cwd.filePath(core));
        QVERIFY(file.open(QIODevice::ReadOnly));
        for (const QString& form : LeakScan::find(file.readAll(), m_key.forms(QStringLiteral("the API key"))))
            leaks << core + QStringLiteral(": ") + form;
        file.close();
        file.remove();
    }
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QLatin1Char('\n'))));
#else
    QSKIP("core dumps and signals are checked on Linux");
#endif
}

// The qFatal path (the one a failed Q_ASSERT takes too): the message goes through the Redactor's handler, then the
// process aborts. QT_FATAL_WARNINGS turns the first warning fatal; here it is the CLI refusing an image URL on http://
// to another host that the server answered with, the key in its query.
void tst_KeySafety::cliFatalErrorOutputHasNoKey()
{
    RecordingServer api([this](const SeenRequest&) {
        const QString url = QStringLiteral("http://cdn.example.invalid/image.png?token=") + m_key.key;
        const QJsonObject image {{QStringLiteral("url"), url}};
        const QJsonObject body {{QStringLiteral("created"), 1}, {QStringLiteral("data"), QJsonArray {image}}};
        return httpResponse(200, QJsonDocument(body).toJson());
    });
    QVERIFY(api.listen(QHostAddress::LocalHost));
    RecordingServer proxy([](const SeenRequest&) { return httpResponse(502); });
    QVERIFY(proxy.listen(QHostAddress::LocalHost));
    QTemporaryDir data;
    QProcessEnvironment env = cliEnvironment(proxy);
    env.insert(QStringLiteral("PIXAPI_KEY"), m_key.key);
    env.insert(QStringLiteral("QT_FATAL_WARNINGS"), QStringLiteral("1"));
    const CliRun run =
        CliRun::run({QStringLiteral("generate"), QStringLiteral("--verbose"), QStringLiteral("--base-url"),
                     api.url().toString(), QStringLiteral("-m"), kModel, QStringLiteral("-p"), QStringLiteral("x"),
                     QStringLiteral("--data-dir"), data.path()},
                    env);
    QVERIFY2(run.finished, qPrintable(run.describe()));
    QVERIFY2(run.exitStatus == QProcess::CrashExit, qPrintable(run.describe())); // aborted by the fatal warning
    QVERIFY2(run.err.contains("refused"), run.err.constData());
    QVERIFY(api.anyAuthorization()); // the key was in use
    QVERIFY(proxy.requests().isEmpty());
    verifyNoLeak(QStringLiteral("stdout of the aborted CLI"), run.out);
    verifyNoLeak(QStringLiteral("stderr of the aborted CLI"), run.err);
}

// What the CLI cannot show quickly, in this process with every category on: transfer timeouts of a generation and of
// an async submit, a retried 429, an edit upload, URL downloads and a refused key; cleanup() scans the log. Error texts
// (what the UI shows) hold no key either.
void tst_KeySafety::inProcessFailuresNeverLogTheKey()
{
    SandboxServer server;
    server.setAcceptedKeys({m_key.key});
    QVERIFY(server.listen());
    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(server.baseUrl());
    client.setApiKey(m_key.key);
    client.setRetryBaseDelayMs(10);
    client.setGenerationTimeoutMs(300);
    QList<ApiError> errors;
    const auto expectFailure = [&errors](const Outcome& outcome, K kind) {
        QVERIFY2(outcome.error && outcome.error->kind == kind, qPrintable(describe(outcome)));
        errors << *outcome.error;
    };

    SandboxFault stall;
    stall.kind = SandboxFault::Kind::Stall;
    stall.pathPrefix = QStringLiteral("/v1/images/generations");
    server.addFault(stall);
    expectFailure(runOp(client, Op::Generate, {}), K::Timeout);
    server.clearFaults();

    SandboxFault limited;
    limited.kind = SandboxFault::Kind::Status;
    limited.status = 429;
    limited.retryAfterSeconds = 0;
    limited.remaining = 1;
    limited.pathPrefix = QStringLiteral("/v1/models");
    server.addFault(limited);
    const Outcome retried = runOp(client, Op::Models, {});
    QVERIFY2(retried.ok, qPrintable(describe(retried)));
    server.clearFaults();

    const Outcome edited = runOp(client, Op::Edit, {});
    QVERIFY2(edited.ok, qPrintable(describe(edited)));
    GenerationParams withUrl = generationParams();
    withUrl.responseFormat = QStringLiteral("url");
    const Outcome generated = await(client.generate(withUrl));
    QVERIFY(generated.ok);

    client.setApiKey(m_wrong.key);
    expectFailure(runOp(client, Op::Balance, {}), K::Unauthorized);

    for (const ApiError& error : std::as_const(errors)) {
        verifyNoLeak(QStringLiteral("an error's texts"),
                     (error.userMessage() + error.detail + error.serverMessage + error.code).toUtf8());
    }
    const QStringList log = TestEnv::LogCapture::lines();
    QVERIFY(std::any_of(log.cbegin(), log.cend(),
                        [](const QString& line) { return line.contains(QLatin1String("uthorization")); }));
}

// ---------------------------------------------------------------------------------------------------------------------
// Redirects

void tst_KeySafety::redirectToAnotherOriginIsRefused_data()
{
    QTest::addColumn<int>("op");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("target");
    for (const Op op : {Op::Models, Op::Balance, Op::TaskPoll, Op::Generate, Op::Edit, Op::SubmitAsync}) {
        for (const int status : {301, 302, 303, 307, 308}) {
            // Another port; the same server under "localhost" and "[::1]": other origins although the same socket.
            for (const char* target : {"another port", "localhost", "::1"}) {
                QTest::addRow("%s, %d to %s", opName(op), status, target)
                    << int(op) << status << QString::fromLatin1(target);
            }
        }
    }
}

void tst_KeySafety::redirectToAnotherOriginIsRefused()
{
    QFETCH(int, op);
    QFETCH(int, status);
    QFETCH(QString, target);
    RecordingServer other;
    QVERIFY(other.listen());
    RecordingServer* originPtr = nullptr;
    RecordingServer origin([&](const SeenRequest& request) {
        QUrl location = target == QLatin1String("another port") ? other.url() : originPtr->url({}, target);
        location.setPath(QString::fromLatin1(request.target));
        return redirectResponse(status, location);
    });
    originPtr = &origin;
    QVERIFY(origin.listen());

    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(origin.url());
    client.setApiKey(m_key.key);
    client.setRetryBaseDelayMs(10);
    const Outcome outcome = runOp(client, Op(op), {});

    // Sent once, with the key, to the origin only: not followed (not even to the same socket under another name), not
    // retried, a POST not sent again.
    QVERIFY2(!other.anyAuthorization(),
             qPrintable(QStringLiteral("the key reached another origin: ") + describe(other.requests())));
    QVERIFY2(other.requests().isEmpty() && other.connections() == 0, qPrintable(describe(other.requests())));
    QVERIFY2(origin.requests().size() == 1, qPrintable(describe(origin.requests())));
    QVERIFY(origin.requests().constFirst().hasAuthorization());
    QCOMPARE(outcome.emissions, 1);
    QVERIFY2(outcome.error && outcome.error->kind == K::RedirectRefused, qPrintable(describe(outcome)));
    // A message that says what happened.
    QVERIFY2(outcome.error->userMessage().contains(QLatin1String("redirected"), Qt::CaseInsensitive),
             qPrintable(outcome.error->userMessage()));
}

// The control for the rows above: a redirect within the origin is followed (so the refusals are about the origin, not
// broken redirects), and a loop is cut after the hop cap.
void tst_KeySafety::sameOriginRedirectIsFollowedAndCapped()
{
    RecordingServer origin([](const SeenRequest& request) {
        if (request.target.endsWith("moved"))
            return httpResponse(200, R"({"data":[]})");
        return redirectResponse(307, QUrl(QString::fromLatin1(request.target) + QStringLiteral("-moved")));
    });
    QVERIFY(origin.listen());
    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(origin.url());
    client.setApiKey(m_key.key);
    const Outcome followed = runOp(client, Op::Models, {});
    QVERIFY2(!followed.error || followed.error->kind != K::RedirectRefused, qPrintable(describe(followed)));
    QCOMPARE(origin.requests().size(), 2);
    QVERIFY(origin.requests().at(1).target.endsWith("moved"));

    RecordingServer loop([](const SeenRequest& request) {
        return redirectResponse(302, QUrl(QString::fromLatin1(request.target) + QStringLiteral("x")));
    });
    QVERIFY(loop.listen());
    client.setBaseUrl(loop.url());
    client.setRetryBaseDelayMs(10);
    const Outcome looped = runOp(client, Op::Models, {});
    QVERIFY2(looped.error && looped.error->kind == K::RedirectRefused, qPrintable(describe(looped)));
    QCOMPARE(loop.requests().size(), 4); // the request and three hops, then refused (and not retried)
}

void tst_KeySafety::imageDownloadsNeverCarryTheKey_data()
{
    QTest::addColumn<int>("status"); // 0: the image itself
    QTest::addColumn<QString>("target");
    QTest::newRow("image URL on another server") << 0 << QString();
    for (const int status : {301, 302, 303, 307, 308}) {
        QTest::addRow("image URL redirecting (%d) to another server", status) << status << QStringLiteral("another");
        QTest::addRow("image URL redirecting (%d) within its server", status) << status << QStringLiteral("same");
    }
}

// Image URLs (a CDN: another loopback server here) never get the Authorization header, from a client that has a key,
// wherever the CDN redirects.
void tst_KeySafety::imageDownloadsNeverCarryTheKey()
{
    QFETCH(int, status);
    QFETCH(QString, target);
    RecordingServer otherCdn([](const SeenRequest&) { return pngResponse(); });
    QVERIFY(otherCdn.listen());
    RecordingServer* cdnPtr = nullptr;
    RecordingServer cdn([&](const SeenRequest& request) {
        if (status == 0 || request.target.endsWith("moved.png"))
            return pngResponse();
        const QUrl location = target == QLatin1String("same") ? cdnPtr->url(QStringLiteral("/img/moved.png"))
                                                              : otherCdn.url(QStringLiteral("/img/moved.png"));
        return redirectResponse(status, location);
    });
    cdnPtr = &cdn;
    QVERIFY(cdn.listen());

    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(QUrl(QStringLiteral("https://api.example.invalid")));
    client.setApiKey(m_key.key);
    const Outcome outcome = runOp(client, Op::Download, cdn.url(QStringLiteral("/img/a.png")));
    QCOMPARE(outcome.emissions, 1);
    QVERIFY2(!cdn.requests().isEmpty(), qPrintable(describe(outcome)));
    QVERIFY2(!cdn.anyAuthorization(), qPrintable(describe(cdn.requests())));
    QVERIFY2(!otherCdn.anyAuthorization(), qPrintable(describe(otherCdn.requests())));
    if (status == 0 || target == QLatin1String("same")) {
        QVERIFY2(outcome.ok, qPrintable(describe(outcome)));
    } else {
        // Another origin is refused for images too (without a key there is nothing to protect, but one rule is
        // simpler).
        QVERIFY2(outcome.error && outcome.error->kind == K::RedirectRefused, qPrintable(describe(outcome)));
    }
}

// A generation whose images are URLs on another server (a CDN): the API request has the key, the image requests
// (ResultSaver through the client) do not.
void tst_KeySafety::generatedImageUrlsAreFetchedWithoutTheKey()
{
    RecordingServer cdn([](const SeenRequest&) { return pngResponse(); });
    QVERIFY(cdn.listen());
    RecordingServer api([&cdn](const SeenRequest&) {
        const QJsonArray images {
            QJsonObject {{QStringLiteral("url"), cdn.url(QStringLiteral("/a.png")).toString()}},
            QJsonObject {
                {QStringLiteral("url"), cdn.url(QStringLiteral("/b.png"), QStringLiteral("localhost")).toString()}}};
        return httpResponse(
            200,
            QJsonDocument(QJsonObject {{QStringLiteral("created"), 1}, {QStringLiteral("data"), images}}).toJson());
    });
    QVERIFY(api.listen());
    QTemporaryDir dir;
    Library library(dir.path());
    QVERIFY(library.open().ok());
    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(api.url());
    client.setApiKey(m_key.key);
    GenerationParams params = generationParams();
    params.n = 2;
    params.responseFormat = QStringLiteral("url");
    GenerationJob job(&client, &library, params);
    QSignalSpy finished(&job, &GenerationJob::finished);
    job.start();
    QVERIFY(finished.wait(20000));
    QVERIFY2(job.outcome().complete(),
             qPrintable(job.outcome().error ? job.outcome().error->userMessage() : QStringLiteral("incomplete")));
    QCOMPARE(api.requests().size(), 1);
    QVERIFY(api.requests().constFirst().hasAuthorization());
    QCOMPARE(cdn.requests().size(), 2);
    QVERIFY2(!cdn.anyAuthorization(), qPrintable(describe(cdn.requests())));
    QVERIFY(LeakScan::findInFiles(dir.path(), secretForms()).isEmpty());
}

// ---------------------------------------------------------------------------------------------------------------------
// http:// only to this computer

namespace {
QString withPort(QString url, quint16 port)
{
    return url.replace(QStringLiteral("%1"), QString::number(port));
}

// %1 is replaced by the port of a loopback server; `allowed` is NetworkAccess::isAllowedUrl's expected answer.
void addUrlRows()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowed");
    const auto row = [](const char* name, const char* url, bool allowed) {
        QTest::newRow(name) << QString::fromLatin1(url) << allowed;
    };
    row("http to a remote name", "http://example.invalid/v1/models", false);
    row("http to a private address", "http://10.0.0.1/v1/models", false);
    row("http to a LAN address and port", "http://192.168.1.10:%1/v1/models", false);
    row("http to localhost.<domain>", "http://localhost.evil.com:%1/v1/models", false);
    row("http to 127.0.0.1.<domain>", "http://127.0.0.1.evil.com:%1/v1/models", false);
    row("http to 0.0.0.0", "http://0.0.0.0:%1/v1/models", false);
    row("http in upper case to a remote name", "HTTP://EXAMPLE.INVALID/v1/models", false);
    row("ftp to loopback", "ftp://127.0.0.1:%1/v1/models", false);
    row("ws to loopback", "ws://127.0.0.1:%1/v1/models", false);
    row("file", "file:///etc/passwd", false);
    row("javascript", "javascript:alert(1)", false);
    row("data", "data:text/plain,hello", false);
    row("https without a host", "https://", false);
    row("https with an empty host and a path", "https:///v1/models", false);
    row("http without a host", "http://", false);
    row("scheme-relative", "//127.0.0.1:%1/v1/models", false);
    row("no scheme", "127.0.0.1:%1/v1/models", false);
    row("http to 127.0.0.1", "http://127.0.0.1:%1/v1/models", true);
    row("http to 127.0.0.2 (127/8 is loopback)", "http://127.0.0.2:%1/v1/models", true);
    row("http to [::1]", "http://[::1]:%1/v1/models", true);
    row("http to localhost", "http://localhost:%1/v1/models", true);
    row("http to LOCALHOST", "http://LOCALHOST:%1/v1/models", true);
    row("https to a remote name", "https://example.invalid/v1/models", true);
}
} // namespace

void tst_KeySafety::onlyHttpsOrLoopbackHttpIsAllowed_data()
{
    addUrlRows();
}

void tst_KeySafety::onlyHttpsOrLoopbackHttpIsAllowed()
{
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    QCOMPARE(NetworkAccess::isAllowedUrl(QUrl(withPort(url, 8080))), allowed);
}

void tst_KeySafety::refusedUrlsSendNothing_data()
{
    addUrlRows();
}

// A real send with the key through NetworkAccess. Everything not on loopback goes through a recording proxy, so any
// byte that would leave this computer is seen; loopback goes to a recording server on every local address.
void tst_KeySafety::refusedUrlsSendNothing()
{
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    RecordingServer local;
    QVERIFY(local.listen());
    RecordingServer proxy([](const SeenRequest&) { return httpResponse(502); });
    QVERIFY(proxy.listen(QHostAddress::LocalHost));
    NetworkAccess network;
    network.setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.port()));

    HttpRequest request;
    request.url = QUrl(withPort(url, local.port()));
    request.bearerToken = m_key.key;
    request.timeoutMs = 10000;
    if (!allowed) // expected: NetworkAccess says what it refused, without the URL
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^refused insecure or invalid URL")));
    const std::optional<HttpResult> result = awaitHttp(network.send(request));
    QVERIFY(result);
    const bool remote = request.url.host() == QLatin1String("example.invalid");
    if (!allowed) {
        QVERIFY2(proxy.connections() == 0,
                 qPrintable(QStringLiteral("sent off this computer: ") + describe(proxy.requests())));
        QVERIFY2(local.connections() == 0, qPrintable(describe(local.requests())));
        QVERIFY(!result->ok());
        QCOMPARE(result->error().kind, K::InsecureUrl);
        QVERIFY(!result->error().mayHaveBeenProcessed);
        QVERIFY(result->error().userMessage().contains(QLatin1String("https://")));
    } else if (remote) {
        // https to a remote host goes to the proxy as CONNECT: the key would travel only inside TLS.
        QVERIFY2(!result->ok(), "the proxy does not tunnel");
        QVERIFY(result->error().kind != K::InsecureUrl);
        QVERIFY(!proxy.requests().isEmpty());
        for (const SeenRequest& r : proxy.requests()) {
            QCOMPARE(r.method, QByteArray("CONNECT"));
            QVERIFY(!r.hasAuthorization());
        }
        QCOMPARE(local.connections(), 0);
    } else {
        QVERIFY2(result->ok(), result->ok() ? "" : qPrintable(result->error().userMessage() + result->error().detail));
        QCOMPARE(result->value().status, 200);
        QCOMPARE(local.requests().size(), 1);
        QVERIFY(local.requests().constFirst().hasAuthorization()); // loopback may have the key
        QCOMPARE(proxy.connections(), 0);                          // and never goes through the proxy
    }
}

void tst_KeySafety::accountBaseUrlRefusesInsecureUrls_data()
{
    addUrlRows();
}

// Where a base URL is configured (an account): the same rule, with a message that says what is allowed. Nothing is
// stored for a refused URL.
void tst_KeySafety::accountBaseUrlRefusesInsecureUrls()
{
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    const QUrl baseUrl(withPort(url, 8080));
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("settings.ini")));
    NetworkAccess network;
    AccountRegistry registry(&settings, nullptr, &network);
    const std::optional<Account> before = registry.current();
    QVERIFY(before);

    const std::optional<QString> problem = Account::urlProblem(baseUrl);
    QCOMPARE(!problem.has_value(), allowed);
    const auto added = registry.add(QStringLiteral("Other"), baseUrl, Account::Kind::Pixapi);
    QCOMPARE(added.ok(), allowed);
    const auto changed = registry.setBaseUrl(before->id, baseUrl);
    QCOMPARE(changed.ok(), allowed);
    if (allowed)
        return;
    QCOMPARE(added.error(), *problem);
    QCOMPARE(changed.error(), *problem);
    if ((baseUrl.scheme() == QLatin1String("http") || baseUrl.scheme() == QLatin1String("ftp"))
        && !baseUrl.host().isEmpty())
        QVERIFY2(problem->contains(QLatin1String("https://")), qPrintable(*problem));
    QCOMPARE(registry.accounts().size(), 1);
    QCOMPARE(registry.current()->baseUrl, before->baseUrl);
}

void tst_KeySafety::cliBaseUrlRefusesInsecureUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("exitCode"); // 2: refused as a usage error while parsing the command line
    QTest::newRow("http to a remote name") << QStringLiteral("http://example.invalid") << 1;
    QTest::newRow("http to a private address") << QStringLiteral("http://10.0.0.1:8080") << 1;
    QTest::newRow("http to localhost.<domain>") << QStringLiteral("http://localhost.evil.com") << 1;
    QTest::newRow("http to 0.0.0.0") << QStringLiteral("http://0.0.0.0:8080") << 1;
    QTest::newRow("ftp to loopback") << QStringLiteral("ftp://127.0.0.1") << 1;
    QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << 2;
    QTest::newRow("https without a host") << QStringLiteral("https://") << 2;
}

// pixapi-cli --base-url: refused before the key is read, with one line that names the URL and says what is allowed;
// nothing leaves this computer (a proxy for every non-loopback host would see it).
void tst_KeySafety::cliBaseUrlRefusesInsecureUrls()
{
    QFETCH(QString, url);
    QFETCH(int, exitCode);
    RecordingServer proxy([](const SeenRequest&) { return httpResponse(502); });
    QVERIFY(proxy.listen(QHostAddress::LocalHost));
    QProcessEnvironment env = cliEnvironment(proxy);
    env.insert(QStringLiteral("PIXAPI_KEY"), m_key.key);
    const CliRun run = CliRun::run({QStringLiteral("models"), QStringLiteral("--base-url"), url}, env);
    QVERIFY2(proxy.connections() == 0,
             qPrintable(QStringLiteral("sent off this computer: ") + describe(proxy.requests())));
    QVERIFY2(run.finished && run.exitCode == exitCode, qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
    const QStringList errors = run.errLines().filter(QStringLiteral("pixapi-cli: error: "));
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.constFirst().contains(QLatin1String("https://")), qPrintable(errors.constFirst()));
    if (exitCode == 1)
        QVERIFY2(errors.constFirst().contains(QLatin1String("refused base URL ") + url),
                 qPrintable(errors.constFirst()));
    verifyNoLeak(QStringLiteral("stderr"), run.err);
}

// ---------------------------------------------------------------------------------------------------------------------
// TLS

#if QT_CONFIG(ssl)
bool tst_KeySafety::makeCertificate(const QString& name, const QStringList& reqArguments, bool expired)
{
    const QDir dir(m_certDir->path());
    const QString key = dir.filePath(name + QStringLiteral(".key"));
    const QString cert = dir.filePath(name + QStringLiteral(".pem"));
    const auto openssl = [](const QStringList& arguments, const QString& workingDir = {}) {
        QProcess process;
        process.setWorkingDirectory(workingDir);
        process.start(QStringLiteral("openssl"), arguments);
        const bool ok =
            process.waitForFinished(20000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        if (!ok)
            qWarning("openssl %s: %s", qPrintable(arguments.join(QLatin1Char(' '))),
                     process.readAllStandardError().constData());
        return ok;
    };
    const QStringList newKey {QStringLiteral("-newkey"),
                              QStringLiteral("ec"),
                              QStringLiteral("-pkeyopt"),
                              QStringLiteral("ec_paramgen_curve:P-256"),
                              QStringLiteral("-nodes"),
                              QStringLiteral("-keyout"),
                              key,
                              QStringLiteral("-subj"),
                              QStringLiteral("/CN=Pixapi key-safety test")};
    if (!expired) {
        if (!openssl(QStringList {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-days"),
                                  QStringLiteral("2"), QStringLiteral("-out"), cert}
                     + newKey + reqArguments))
            return false;
    } else {
        // `req -x509` cannot backdate; `ca -selfsign` takes explicit dates (a day in 2020).
        const QString caDir = dir.filePath(QStringLiteral("ca"));
        dir.mkpath(QStringLiteral("ca"));
        QFile(caDir + QStringLiteral("/index.txt")).open(QIODevice::WriteOnly);
        QFile serial(caDir + QStringLiteral("/serial"));
        serial.open(QIODevice::WriteOnly);
        serial.write("01\n");
        serial.close();
        QFile config(caDir + QStringLiteral("/ca.cnf"));
        config.open(QIODevice::WriteOnly);
        config.write("[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nserial = serial\nnew_certs_dir = .\n"
                     "default_md = sha256\npolicy = any\ncopy_extensions = copy\nunique_subject = no\n"
                     "[any]\ncommonName = supplied\n");
        config.close();
        const QString request = caDir + QStringLiteral("/request.csr");
        if (!openssl(QStringList {QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-out"), request}
                     + newKey + reqArguments)
            || !openssl({QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"),
                         QStringLiteral("ca.cnf"), QStringLiteral("-selfsign"), QStringLiteral("-keyfile"), key,
                         QStringLiteral("-in"), request, QStringLiteral("-out"), cert, QStringLiteral("-startdate"),
                         QStringLiteral("20200101000000Z"), QStringLiteral("-enddate"),
                         QStringLiteral("20200102000000Z"), QStringLiteral("-notext")},
                        caDir))
            return false;
    }
    QFile keyFile(key);
    QFile certFile(cert);
    if (!keyFile.open(QIODevice::ReadOnly) || !certFile.open(QIODevice::ReadOnly))
        return false;
    Tls tls {QSslCertificate(certFile.readAll(), QSsl::Pem), QSslKey(keyFile.readAll(), QSsl::Ec, QSsl::Pem)};
    if (tls.certificate.isNull() || tls.key.isNull())
        return false;
    m_certificates.insert(name, tls);
    return true;
}

// Makes `certificate` a trusted root for every request created from now on (until cleanup()).
void tst_KeySafety::trust(const QSslCertificate& certificate)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    if (!m_savedDefaultSsl)
        m_savedDefaultSsl = configuration;
    configuration.addCaCertificate(certificate);
    QSslConfiguration::setDefaultConfiguration(configuration);
}
#endif

// The control for the TLS rows: with the test certificate trusted, the same server is reached (with the key), so the
// failures below are the certificates' doing.
void tst_KeySafety::trustedTlsServerIsReached()
{
#if QT_CONFIG(ssl)
    if (!m_tlsProblem.isEmpty())
        QSKIP(qPrintable(m_tlsProblem));
    const Tls& valid = m_certificates[QStringLiteral("valid")];
    trust(valid.certificate);
    RecordingServer server([](const SeenRequest&) { return httpResponse(200, R"({"data":[]})"); });
    QVERIFY(server.listenTls(valid.certificate, valid.key));
    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(server.url());
    client.setApiKey(m_key.key);
    const Outcome outcome = runOp(client, Op::Models, {});
    QVERIFY2(!outcome.error || outcome.error->kind != K::TlsError, qPrintable(describe(outcome)));
    QCOMPARE(server.requests().size(), 1);
    QVERIFY(server.requests().constFirst().hasAuthorization());
#else
    QSKIP("this Qt was built without TLS");
#endif
}

void tst_KeySafety::tlsErrorsAreNeverIgnored_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<bool>("trusted");
    QTest::addColumn<int>("op");
    struct Case
    {
        const char* name;
        const char* certificate;
        bool trusted;
    };
    for (const Case c : {Case {"self-signed, not trusted", "valid", false}, Case {"expired", "expired", true},
                         Case {"for another host name", "wronghost", true}}) {
        for (const Op op : {Op::Models, Op::Balance, Op::Generate, Op::Edit, Op::SubmitAsync, Op::Download}) {
            QTest::addRow("%s: %s", c.name, opName(op)) << QString::fromLatin1(c.certificate) << c.trusted << int(op);
        }
    }
}

// An untrusted, expired or wrong-host certificate fails every request with TlsError before a byte of HTTP (the
// Authorization header included) is sent: the server decrypts nothing.
void tst_KeySafety::tlsErrorsAreNeverIgnored()
{
#if QT_CONFIG(ssl)
    if (!m_tlsProblem.isEmpty())
        QSKIP(qPrintable(m_tlsProblem));
    QFETCH(QString, certificate);
    QFETCH(bool, trusted);
    QFETCH(int, op);
    const Tls& tls = m_certificates[certificate];
    if (trusted)
        trust(tls.certificate); // trusted, so only its dates or its name are wrong
    RecordingServer server([](const SeenRequest&) { return pngResponse(); });
    QVERIFY(server.listenTls(tls.certificate, tls.key));
    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(server.url());
    client.setApiKey(m_key.key);
    client.setRetryBaseDelayMs(10);
    const Outcome outcome = runOp(client, Op(op), server.url(QStringLiteral("/files/image.png")));

    QTRY_VERIFY(server.connections() >= 1); // the client did connect: the certificate stopped it
    QVERIFY2(
        server.bytesReceived() == 0 && server.requests().isEmpty(),
        qPrintable(QStringLiteral("a request got past a failed certificate check: ") + describe(server.requests())));
    QCOMPARE(outcome.emissions, 1);
    QVERIFY2(outcome.error && outcome.error->kind == K::TlsError, qPrintable(describe(outcome)));
    QCOMPARE(outcome.error->userMessage(), ApiError::make(K::TlsError).userMessage());
    QVERIFY(!outcome.error->mayHaveBeenProcessed); // nothing was sent, so nothing was charged
    QVERIFY(!outcome.error->detail.isEmpty());     // Qt's reason, for the details line
    QCOMPARE(server.connections(), 1);             // not retried
#else
    QSKIP("this Qt was built without TLS");
#endif
}

void tst_KeySafety::httpsToHttpRedirectIsRefused_data()
{
    QTest::addColumn<int>("op");
    QTest::addColumn<int>("status");
    for (const Op op : {Op::Models, Op::Generate, Op::Download}) {
        for (const int status : {301, 302, 307, 308})
            QTest::addRow("%s, %d", opName(op), status) << int(op) << status;
    }
}

// A trusted https origin that redirects to http:// on loopback (which is allowed as a base URL): a downgrade to another
// origin, refused; the http server sees nothing.
void tst_KeySafety::httpsToHttpRedirectIsRefused()
{
#if QT_CONFIG(ssl)
    if (!m_tlsProblem.isEmpty())
        QSKIP(qPrintable(m_tlsProblem));
    QFETCH(int, op);
    QFETCH(int, status);
    const Tls& valid = m_certificates[QStringLiteral("valid")];
    trust(valid.certificate);
    RecordingServer plain([](const SeenRequest&) { return pngResponse(); });
    QVERIFY(plain.listen());
    RecordingServer origin([&](const SeenRequest& request) {
        QUrl location = plain.url();
        location.setPath(QString::fromLatin1(request.target));
        return redirectResponse(status, location);
    });
    QVERIFY(origin.listenTls(valid.certificate, valid.key));
    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(origin.url());
    client.setApiKey(m_key.key);
    client.setRetryBaseDelayMs(10);
    const Outcome outcome = runOp(client, Op(op), origin.url(QStringLiteral("/files/image.png")));
    QCOMPARE(outcome.emissions, 1);
    QVERIFY2(outcome.error && outcome.error->kind == K::RedirectRefused, qPrintable(describe(outcome)));
    QCOMPARE(origin.requests().size(), 1);
    QCOMPARE(origin.requests().constFirst().hasAuthorization(), Op(op) != Op::Download);
    QVERIFY2(plain.requests().isEmpty(), qPrintable(describe(plain.requests())));
    QCOMPARE(plain.connections(), 0);
#else
    QSKIP("this Qt was built without TLS");
#endif
}

// pixapi-cli against an https server with a self-signed certificate: one clear error, nothing decrypted by the server.
void tst_KeySafety::cliRefusesUntrustedTls()
{
#if QT_CONFIG(ssl)
    if (!m_tlsProblem.isEmpty())
        QSKIP(qPrintable(m_tlsProblem));
    const Tls& valid = m_certificates[QStringLiteral("valid")];
    RecordingServer server([](const SeenRequest&) { return httpResponse(200, R"({"data":[]})"); });
    QVERIFY(server.listenTls(valid.certificate, valid.key));
    RecordingServer proxy([](const SeenRequest&) { return httpResponse(502); });
    QVERIFY(proxy.listen(QHostAddress::LocalHost));
    QProcessEnvironment env = cliEnvironment(proxy);
    env.insert(QStringLiteral("PIXAPI_KEY"), m_key.key);
    for (const QString& command : {QStringLiteral("models"), QStringLiteral("balance")}) {
        const CliRun run = CliRun::run(
            {command, QStringLiteral("--verbose"), QStringLiteral("--base-url"), server.url().toString()}, env);
        QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
        const QStringList errors = run.errLines().filter(QStringLiteral("pixapi-cli: error: "));
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.constFirst().contains(ApiError::make(K::TlsError).userMessage()),
                 qPrintable(errors.constFirst()));
        QVERIFY2(errors.constFirst().contains(QLatin1String("tls_error")), qPrintable(errors.constFirst()));
        verifyNoLeak(command + QStringLiteral(" (stdout)"), run.out);
        verifyNoLeak(command + QStringLiteral(" (stderr)"), run.err);
        if (QTest::currentTestFailed())
            return;
    }
    QVERIFY(server.connections() >= 2);
    QCOMPARE(server.bytesReceived(), 0);
    QCOMPARE(proxy.connections(), 0);
#else
    QSKIP("this Qt was built without TLS");
#endif
}

QTEST_GUILESS_MAIN(tst_KeySafety)
#include "tst_KeySafety.moc"
