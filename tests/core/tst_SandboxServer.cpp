#include "TestEnv.h"
#include "sandbox/SandboxHost.h"
#include "sandbox/SandboxRenderer.h"
#include "sandbox/SandboxServer.h"

#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Pixapi;

namespace {

constexpr int kWaitMs = 10000;

struct HttpResult
{
    bool finished = false;
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names lower-cased

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QByteArray header(const char* name) const { return headers.value(QByteArray(name).toLower()); }
    QString errorCode() const
    {
        return json().value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
    }
};

QJsonObject genBody(const QString& model, const QString& prompt, const QJsonObject& extra = {})
{
    QJsonObject body = extra;
    body.insert(QStringLiteral("model"), model);
    body.insert(QStringLiteral("prompt"), prompt);
    return body;
}

QByteArray toBytes(const QJsonObject& json)
{
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

QByteArray decodeB64(const QString& text, bool* ok)
{
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    *ok = bool(decoded);
    return decoded.decoded;
}

// Log capture for the "never log keys or bodies" check.
QMutex g_logMutex;
QStringList g_log;
void captureLog(QtMsgType, const QMessageLogContext&, const QString& message)
{
    const QMutexLocker lock(&g_logMutex);
    g_log << message;
}

} // namespace

class tst_SandboxServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void models_listShapeAndFields();
    void auth_rejected_data();
    void auth_rejected();
    void auth_customAcceptedKeys();
    void generate_urlResultServedWithoutAuth();
    void generate_b64PngOfRequestedSize_data();
    void generate_b64PngOfRequestedSize();
    void sizeFor_data();
    void sizeFor();
    void render_isDeterministic();
    void generate_validation_data();
    void generate_validation();
    void generate_insufficientCredits();
    void generate_chargesLedgerPerModel();
    void routes_unknownAndWrongMethod_data();
    void routes_unknownAndWrongMethod();
    void faults_status_data();
    void faults_status();
    void faults_latencyDoesNotBlock();
    void faults_latencyClientGoneFirst();
    void faults_remainingAndPrefix();
    void faults_bodyShapes();
    void faults_nonImageBytes();
    void faults_truncatedBody();
    void faults_hugeBody();
    void faults_redirect();
    void faults_stall();
    void faults_stallReleasedWhenServerDies();
    void requests_recordHeaders();
    void logging_neverLeaksKeyOrBody();
    void host_runsOnItsOwnThread();
    void host_startFailsOnBusyPort();

private:
    QNetworkReply* send(const QByteArray& method, const QUrl& url, const QByteArray& body, const QString& key,
                        int timeoutMs = 0, bool manualRedirect = false);
    HttpResult finish(QNetworkReply* reply);
    HttpResult call(const QByteArray& method, const QString& path, const QByteArray& body = {},
                    const QString& key = SandboxServer::defaultKey());
    HttpResult generate(const QJsonObject& body)
    {
        return call("POST", QStringLiteral("/v1/images/generations"), toBytes(body));
    }
    QUrl url(const QString& path) const;

    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<SandboxServer> m_server;
};

void tst_SandboxServer::initTestCase()
{
    TestEnv::init();
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy);
}

void tst_SandboxServer::init()
{
    m_server = std::make_unique<SandboxServer>();
    QVERIFY(m_server->listen());
    QVERIFY(m_server->port() != 0);
    QCOMPARE(m_server->baseUrl().host(), QStringLiteral("127.0.0.1"));
}

void tst_SandboxServer::cleanup()
{
    m_server.reset();
    m_nam->clearConnectionCache();
}

QUrl tst_SandboxServer::url(const QString& path) const
{
    QUrl u = m_server->baseUrl();
    u.setPath(path);
    return u;
}

QNetworkReply* tst_SandboxServer::send(const QByteArray& method, const QUrl& target, const QByteArray& body,
                                       const QString& key, int timeoutMs, bool manualRedirect)
{
    QNetworkRequest request(target);
    if (!key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + key.toUtf8());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (timeoutMs > 0)
        request.setTransferTimeout(timeoutMs);
    if (manualRedirect)
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    return m_nam->sendCustomRequest(request, method, body);
}

HttpResult tst_SandboxServer::finish(QNetworkReply* reply)
{
    HttpResult result;
    if (!reply->isFinished()) {
        QSignalSpy spy(reply, &QNetworkReply::finished);
        spy.wait(kWaitMs);
    }
    result.finished = reply->isFinished();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.error = reply->error();
    if (reply->isOpen())
        result.body = reply->readAll();
    const auto pairs = reply->rawHeaderPairs();
    for (const auto& pair : pairs)
        result.headers.insert(pair.first.toLower(), pair.second);
    reply->deleteLater();
    return result;
}

HttpResult tst_SandboxServer::call(const QByteArray& method, const QString& path, const QByteArray& body,
                                   const QString& key)
{
    return finish(send(method, url(path), body, key));
}

void tst_SandboxServer::models_listShapeAndFields()
{
    const HttpResult r = call("GET", QStringLiteral("/v1/models"));
    QVERIFY(r.finished);
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("X-Request-ID").startsWith("req_"));
    const QJsonObject json = r.json();
    QCOMPARE(json.value(QLatin1String("object")).toString(), QStringLiteral("list"));

    QHash<QString, QJsonObject> byId;
    const QJsonArray data = json.value(QLatin1String("data")).toArray();
    for (const QJsonValue& entry : data) {
        const QJsonObject model = entry.toObject();
        QCOMPARE(model.value(QLatin1String("object")).toString(), QStringLiteral("model"));
        QCOMPARE(model.value(QLatin1String("owned_by")).toString(), QStringLiteral("pixapi"));
        for (const char* field : {"name", "family"})
            QVERIFY2(!model.value(QLatin1String(field)).toString().isEmpty(), field);
        for (const char* field : {"aliases", "sizes", "aspect_ratios", "qualities"})
            QVERIFY2(model.value(QLatin1String(field)).isArray(), field);
        for (const char* field : {"supports_edits", "supports_mask", "async_only"})
            QVERIFY2(model.value(QLatin1String(field)).isBool(), field);
        QVERIFY(model.value(QLatin1String("max_n")).isDouble());
        byId.insert(model.value(QLatin1String("id")).toString(), model);
    }

    const auto field = [&](const char* id, const char* name) {
        return byId.value(QLatin1String(id)).value(QLatin1String(name));
    };
    const struct
    {
        const char* id;
        const char* alias;
        int credits;
    } images[] = {{"gemini-2.5-flash-image", "nano-banana", 2},
                  {"gemini-3.1-flash-image-preview", "nano-banana-2", 4},
                  {"gemini-3-pro-image-preview", "nano-banana-pro", 8},
                  {"gemini-3.1-flash-lite-image", nullptr, 2},
                  {"gpt-image-1.5", nullptr, 1},
                  {"gpt-image-2", nullptr, 1}};
    for (const auto& image : images) {
        QVERIFY2(byId.contains(QLatin1String(image.id)), image.id);
        QCOMPARE(field(image.id, "credits_per_image").toInt(), image.credits);
        QCOMPARE(field(image.id, "async_only").toBool(), false);
        QVERIFY(field(image.id, "max_n").toInt() >= 1);
        if (image.alias)
            QVERIFY(field(image.id, "aliases").toArray().contains(QLatin1String(image.alias)));
    }
    QCOMPARE(field("gemini-2.5-flash-image", "family").toString(), QStringLiteral("nano-banana"));
    QCOMPARE(field("gpt-image-2", "family").toString(), QStringLiteral("gpt-image"));
    QCOMPARE(field("gemini-3.1-flash-lite-image", "sizes").toArray(),
             QJsonArray({QStringLiteral("1:1"), QStringLiteral("4:3"), QStringLiteral("3:4"), QStringLiteral("16:9"),
                         QStringLiteral("9:16")}));
    const QJsonArray gptQualities {QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high"),
                                   QStringLiteral("auto")};
    QCOMPARE(field("gpt-image-1.5", "qualities").toArray(), gptQualities);
    QCOMPARE(field("gpt-image-2", "qualities").toArray(), gptQualities);
    QCOMPARE(field("gpt-image-2", "credits_table")
                 .toObject()
                 .value(QLatin1String("2K"))
                 .toObject()
                 .value(QLatin1String("medium"))
                 .toInt(),
             17);
    QCOMPARE(field("gpt-image-2", "supports_mask").toBool(), true);

    QVERIFY(byId.contains(QStringLiteral("veo")));
    QCOMPARE(field("veo", "family").toString(), QStringLiteral("video"));
    QCOMPARE(field("veo", "async_only").toBool(), true);
    QVERIFY(!byId.value(QStringLiteral("veo")).contains(QLatin1String("credits_per_image")));
}

void tst_SandboxServer::auth_rejected_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("missing") << QByteArray();
    QTest::newRow("wrong key") << QByteArrayLiteral("Bearer sk_wrong");
    QTest::newRow("empty bearer") << QByteArrayLiteral("Bearer ");
    QTest::newRow("basic scheme") << QByteArrayLiteral("Basic sk_sandbox_local");
}

void tst_SandboxServer::auth_rejected()
{
    QFETCH(QByteArray, authorization);
    for (const char* path : {"/v1/models", "/v1/balance", "/v1/images/generations"}) {
        QNetworkRequest request(url(QLatin1String(path)));
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        const bool post = QByteArrayView(path).endsWith("generations");
        const QByteArray body =
            post ? toBytes(genBody(QStringLiteral("nano-banana"), QStringLiteral("a cat"))) : QByteArray();
        const HttpResult r = finish(m_nam->sendCustomRequest(request, post ? "POST" : "GET", body));
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), QStringLiteral("unauthorized"));
        QCOMPARE(r.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString(),
                 QStringLiteral("Invalid API key."));
        QCOMPARE(
            r.json().value(QLatin1String("error")).toObject().value(QLatin1String("request_id")).toString().toLatin1(),
            r.header("X-Request-ID"));
    }
    QCOMPARE(m_server->balance(), 1000.0);
    QCOMPARE(m_server->creditsCharged(QStringLiteral("gemini-2.5-flash-image")), 0.0);
}

void tst_SandboxServer::auth_customAcceptedKeys()
{
    m_server->setAcceptedKeys({QStringLiteral("sk_one"), QStringLiteral("sk_two")});
    QCOMPARE(call("GET", QStringLiteral("/v1/models")).status, 401); // the default key is no longer accepted
    QCOMPARE(call("GET", QStringLiteral("/v1/models"), {}, QStringLiteral("sk_one")).status, 200);
    QCOMPARE(call("GET", QStringLiteral("/v1/models"), {}, QStringLiteral("sk_two")).status, 200);
}

void tst_SandboxServer::generate_urlResultServedWithoutAuth()
{
    const HttpResult r = generate(genBody(QStringLiteral("nano-banana-2"), QStringLiteral("a red fox"),
                                          {{QStringLiteral("size"), QStringLiteral("512x512")}}));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("Content-Type").startsWith("application/json"));
    const QJsonObject json = r.json();
    QVERIFY(json.value(QLatin1String("created")).toDouble() > 1.7e9);
    const QJsonArray data = json.value(QLatin1String("data")).toArray();
    QCOMPARE(data.size(), 1);
    const QUrl imageUrl(data.at(0).toObject().value(QLatin1String("url")).toString());
    QVERIFY(imageUrl.toString().startsWith(m_server->baseUrl().toString() + QStringLiteral("/files/")));
    QVERIFY(imageUrl.path().endsWith(QLatin1String(".png")));

    m_server->clearRequests();
    const HttpResult file = finish(send("GET", imageUrl, {}, QString()));
    QCOMPARE(file.status, 200);
    QCOMPARE(file.header("Content-Type"), QByteArrayLiteral("image/png"));
    QVERIFY(file.header("X-Request-ID").startsWith("req_"));
    const QImage image = QImage::fromData(file.body, "PNG");
    QCOMPARE(image.size(), QSize(512, 512));
    QCOMPARE(file.body, SandboxRenderer::renderPng(QStringLiteral("gemini-3.1-flash-image-preview"),
                                                   QStringLiteral("a red fox"), QStringLiteral("512x512"), 0));

    const QList<SandboxRequestRecord> records = m_server->requests();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.at(0).path, imageUrl.path());
    QVERIFY(!records.at(0).hadAuthorization);
}

void tst_SandboxServer::generate_b64PngOfRequestedSize_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("size");
    QTest::addColumn<int>("n");
    QTest::addColumn<QSize>("expected");
    QTest::newRow("nano-banana-2 512") << QStringLiteral("gemini-3.1-flash-image-preview") << QStringLiteral("512x512")
                                       << 1 << QSize(512, 512);
    QTest::newRow("lite 16:9") << QStringLiteral("gemini-3.1-flash-lite-image") << QStringLiteral("16:9") << 1
                               << QSize(1024, 576);
    QTest::newRow("lite 3:4") << QStringLiteral("gemini-3.1-flash-lite-image") << QStringLiteral("3:4") << 1
                              << QSize(768, 1024);
    QTest::newRow("gpt-1.5 portrait x2") << QStringLiteral("gpt-image-1.5") << QStringLiteral("1024x1536") << 2
                                         << QSize(1024, 1536);
    QTest::newRow("nano-banana default size") << QStringLiteral("nano-banana") << QString() << 1 << QSize(1024, 1024);
}

void tst_SandboxServer::generate_b64PngOfRequestedSize()
{
    QFETCH(QString, model);
    QFETCH(QString, size);
    QFETCH(int, n);
    QFETCH(QSize, expected);
    QJsonObject extra {{QStringLiteral("response_format"), QStringLiteral("b64_json")}, {QStringLiteral("n"), n}};
    if (!size.isEmpty())
        extra.insert(QStringLiteral("size"), size);
    const HttpResult r = generate(genBody(model, QStringLiteral("lighthouse at dusk"), extra));
    QCOMPARE(r.status, 200);
    const QJsonArray data = r.json().value(QLatin1String("data")).toArray();
    QCOMPARE(data.size(), n);
    QList<QByteArray> pngs;
    for (const QJsonValue& item : data) {
        QVERIFY(!item.toObject().contains(QLatin1String("url")));
        bool ok = false;
        const QByteArray png = decodeB64(item.toObject().value(QLatin1String("b64_json")).toString(), &ok);
        QVERIFY(ok);
        QVERIFY(png.startsWith("\x89PNG\r\n\x1a\n"));
        QCOMPARE(QImage::fromData(png, "PNG").size(), expected);
        QVERIFY(!pngs.contains(png)); // each index is a different picture
        pngs << png;
    }
}

void tst_SandboxServer::sizeFor_data()
{
    QTest::addColumn<QString>("size");
    QTest::addColumn<QSize>("expected");
    QTest::newRow("WxH") << QStringLiteral("1536x1024") << QSize(1536, 1024);
    QTest::newRow("1K") << QStringLiteral("1K") << QSize(1024, 1024);
    QTest::newRow("2K") << QStringLiteral("2K") << QSize(2048, 2048);
    QTest::newRow("4K") << QStringLiteral("4K") << QSize(4096, 4096);
    QTest::newRow("16:9") << QStringLiteral("16:9") << QSize(1024, 576);
    QTest::newRow("9:16") << QStringLiteral("9:16") << QSize(576, 1024);
    QTest::newRow("auto") << QStringLiteral("auto") << QSize(1024, 1024);
    QTest::newRow("capped") << QStringLiteral("99999x8192") << QSize(4096, 4096);
    QTest::newRow("3840x2160") << QStringLiteral("3840x2160") << QSize(3840, 2160);
    QTest::newRow("garbage") << QStringLiteral("big") << QSize(1024, 1024);
    QTest::newRow("zero") << QStringLiteral("0x100") << QSize(1024, 1024);
}

void tst_SandboxServer::sizeFor()
{
    QFETCH(QString, size);
    QFETCH(QSize, expected);
    QCOMPARE(SandboxRenderer::sizeFor(size), expected);
}

void tst_SandboxServer::render_isDeterministic()
{
    const QString model = QStringLiteral("gpt-image-1.5");
    const QString size = QStringLiteral("1024x1024");
    const QByteArray first = SandboxRenderer::renderPng(model, QStringLiteral("a blue whale"), size, 0);
    QCOMPARE(SandboxRenderer::renderPng(model, QStringLiteral("a blue whale"), size, 0), first);
    QVERIFY(SandboxRenderer::renderPng(model, QStringLiteral("a blue whales"), size, 0) != first);
    QVERIFY(SandboxRenderer::renderPng(model, QStringLiteral("a blue whale"), size, 1) != first);
    QVERIFY(SandboxRenderer::renderPng(QStringLiteral("gpt-image-2"), QStringLiteral("a blue whale"), size, 0)
            != first);

    // Over HTTP: same request twice gives the same bytes; an alias renders like its model id.
    const QJsonObject b64 {{QStringLiteral("response_format"), QStringLiteral("b64_json")},
                           {QStringLiteral("size"), QStringLiteral("1024x1024")}};
    const auto fetch = [&](const QString& id, const QString& prompt) {
        return generate(genBody(id, prompt, b64))
            .json()
            .value(QLatin1String("data"))
            .toArray()
            .at(0)
            .toObject()
            .value(QLatin1String("b64_json"))
            .toString();
    };
    const QString a = fetch(QStringLiteral("nano-banana"), QStringLiteral("snowy mountain"));
    QVERIFY(!a.isEmpty());
    QCOMPARE(fetch(QStringLiteral("nano-banana"), QStringLiteral("snowy mountain")), a);
    QCOMPARE(fetch(QStringLiteral("gemini-2.5-flash-image"), QStringLiteral("snowy mountain")), a);
    QVERIFY(fetch(QStringLiteral("nano-banana"), QStringLiteral("snowy mountains")) != a);
}

void tst_SandboxServer::generate_validation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    const QString invalid = QStringLiteral("invalid_request_error");
    const auto body = [](const QJsonObject& json) { return toBytes(json); };
    const QString banana = QStringLiteral("nano-banana");
    const QString cat = QStringLiteral("a cat");
    QTest::newRow("not json") << QByteArrayLiteral("{model:") << 400 << invalid;
    QTest::newRow("json array") << QByteArrayLiteral("[]") << 400 << invalid;
    QTest::newRow("no model") << body({{QStringLiteral("prompt"), cat}}) << 400 << invalid;
    QTest::newRow("unknown model") << body(genBody(QStringLiteral("dall-e-9"), cat)) << 404
                                   << QStringLiteral("model_not_found");
    QTest::newRow("price-row id is not a model") << body(genBody(QStringLiteral("gemini-3-pro-image-preview-4k"), cat))
                                                 << 404 << QStringLiteral("model_not_found");
    QTest::newRow("video model") << body(genBody(QStringLiteral("veo"), cat)) << 400 << invalid;
    QTest::newRow("empty prompt") << body(genBody(banana, QString())) << 400 << invalid;
    QTest::newRow("blank prompt") << body(genBody(banana, QStringLiteral("   "))) << 400 << invalid;
    QTest::newRow("prompt not string") << body({{QStringLiteral("model"), banana}, {QStringLiteral("prompt"), 7}})
                                       << 400 << invalid;
    QTest::newRow("n zero") << body(genBody(banana, cat, {{QStringLiteral("n"), 0}})) << 400 << invalid;
    QTest::newRow("n above max") << body(genBody(banana, cat, {{QStringLiteral("n"), 5}})) << 400 << invalid;
    QTest::newRow("n fractional") << body(genBody(banana, cat, {{QStringLiteral("n"), 1.5}})) << 400 << invalid;
    QTest::newRow("n string") << body(genBody(banana, cat, {{QStringLiteral("n"), QStringLiteral("2")}})) << 400
                              << invalid;
    QTest::newRow("bad size") << body(genBody(banana, cat, {{QStringLiteral("size"), QStringLiteral("333x333")}}))
                              << 400 << invalid;
    QTest::newRow("WxH for ratio-only model") << body(genBody(QStringLiteral("gemini-3.1-flash-lite-image"), cat,
                                                              {{QStringLiteral("size"), QStringLiteral("1024x1024")}}))
                                              << 400 << invalid;
    QTest::newRow("quality on gemini") << body(
        genBody(banana, cat, {{QStringLiteral("quality"), QStringLiteral("high")}}))
                                       << 400 << invalid;
    QTest::newRow("bad quality") << body(
        genBody(QStringLiteral("gpt-image-2"), cat, {{QStringLiteral("quality"), QStringLiteral("ultra")}}))
                                 << 400 << invalid;
    QTest::newRow("bad response_format") << body(
        genBody(banana, cat, {{QStringLiteral("response_format"), QStringLiteral("gif")}}))
                                         << 400 << invalid;
}

void tst_SandboxServer::generate_validation()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, code);
    const HttpResult r = call("POST", QStringLiteral("/v1/images/generations"), body);
    QCOMPARE(r.status, status);
    QCOMPARE(r.errorCode(), code);
    QVERIFY(!r.json().value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString().isEmpty());
    QCOMPARE(r.json().value(QLatin1String("error")).toObject().value(QLatin1String("request_id")).toString().toLatin1(),
             r.header("X-Request-ID"));
    QCOMPARE(m_server->balance(), 1000.0);
    QCOMPARE(m_server->creditsCharged(QStringLiteral("nano-banana")), 0.0);
    QCOMPARE(m_server->creditsCharged(QStringLiteral("gpt-image-2")), 0.0);
}

void tst_SandboxServer::generate_insufficientCredits()
{
    m_server->setBalance(5);
    const HttpResult r = generate(genBody(QStringLiteral("nano-banana-pro"), QStringLiteral("castle")));
    QCOMPARE(r.status, 402);
    QCOMPARE(r.errorCode(), QStringLiteral("insufficient_credits"));
    QCOMPARE(m_server->balance(), 5.0);
    QCOMPARE(m_server->creditsCharged(QStringLiteral("gemini-3-pro-image-preview")), 0.0);

    // n multiplies the price: 3 x 2 = 6 > 5 is refused, 2 x 2 = 4 fits.
    const auto banana = [&](int n) {
        return generate(
            genBody(QStringLiteral("nano-banana"), QStringLiteral("castle"),
                    {{QStringLiteral("n"), n}, {QStringLiteral("response_format"), QStringLiteral("b64_json")}}));
    };
    QCOMPARE(banana(3).status, 402);
    QCOMPARE(banana(2).status, 200);
    QCOMPARE(m_server->balance(), 1.0);
    QCOMPARE(call("GET", QStringLiteral("/v1/balance")).json().value(QLatin1String("credits")).toDouble(), 1.0);
}

void tst_SandboxServer::generate_chargesLedgerPerModel()
{
    const auto ok = [&](const QString& model, const QJsonObject& extra) {
        QJsonObject all = extra;
        all.insert(QStringLiteral("response_format"), QStringLiteral("b64_json"));
        return generate(genBody(model, QStringLiteral("ledger"), all)).status == 200;
    };
    QVERIFY(ok(QStringLiteral("nano-banana"), {{QStringLiteral("n"), 2}}));                              // 2 x 2
    QVERIFY(ok(QStringLiteral("gemini-3-pro-image-preview"), {}));                                       // 8
    QVERIFY(ok(QStringLiteral("gpt-image-1.5"), {{QStringLiteral("quality"), QStringLiteral("high")}})); // 1
    QVERIFY(ok(QStringLiteral("gpt-image-2"), {{QStringLiteral("quality"), QStringLiteral("low")}}));    // 1K low: 1
    QVERIFY(
        ok(QStringLiteral("gpt-image-2"), {{QStringLiteral("quality"), QStringLiteral("medium")},
                                           {QStringLiteral("size"), QStringLiteral("2048x2048")}})); // 2K medium: 17
    QVERIFY(
        ok(QStringLiteral("gpt-image-2"), {{QStringLiteral("size"), QStringLiteral("auto")}})); // auto = high, 1K: 14

    QCOMPARE(m_server->creditsCharged(QStringLiteral("gemini-2.5-flash-image")), 4.0);
    QCOMPARE(m_server->creditsCharged(QStringLiteral("nano-banana")), 4.0); // aliases resolve
    QCOMPARE(m_server->creditsCharged(QStringLiteral("gemini-3-pro-image-preview")), 8.0);
    QCOMPARE(m_server->creditsCharged(QStringLiteral("gpt-image-1.5")), 1.0);
    QCOMPARE(m_server->creditsCharged(QStringLiteral("gpt-image-2")), 32.0);
    QCOMPARE(m_server->creditsCharged(QStringLiteral("gemini-3.1-flash-lite-image")), 0.0);
    QCOMPARE(m_server->balance(), 1000.0 - 45.0);

    const HttpResult balance = call("GET", QStringLiteral("/v1/balance"));
    QCOMPARE(balance.status, 200);
    QCOMPARE(balance.json().value(QLatin1String("credits")).toDouble(), 955.0);
    QCOMPARE(balance.json().value(QLatin1String("currency")).toString(), QStringLiteral("credits"));
}

void tst_SandboxServer::routes_unknownAndWrongMethod_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QByteArray>("allow");
    const QString key = SandboxServer::defaultKey();
    QTest::newRow("root") << QByteArrayLiteral("GET") << QStringLiteral("/") << QString() << 404
                          << QStringLiteral("not_found") << QByteArray();
    QTest::newRow("unknown v1") << QByteArrayLiteral("GET") << QStringLiteral("/v1/usage") << key << 404
                                << QStringLiteral("not_found") << QByteArray();
    QTest::newRow("unknown v1 needs auth first") << QByteArrayLiteral("GET") << QStringLiteral("/v1/usage") << QString()
                                                 << 401 << QStringLiteral("unauthorized") << QByteArray();
    QTest::newRow("GET generations") << QByteArrayLiteral("GET") << QStringLiteral("/v1/images/generations") << key
                                     << 405 << QStringLiteral("method_not_allowed") << QByteArrayLiteral("POST");
    QTest::newRow("POST models") << QByteArrayLiteral("POST") << QStringLiteral("/v1/models") << key << 405
                                 << QStringLiteral("method_not_allowed") << QByteArrayLiteral("GET");
    QTest::newRow("DELETE balance") << QByteArrayLiteral("DELETE") << QStringLiteral("/v1/balance") << key << 405
                                    << QStringLiteral("method_not_allowed") << QByteArrayLiteral("GET");
    QTest::newRow("missing file") << QByteArrayLiteral("GET") << QStringLiteral("/files/nope.png") << QString() << 404
                                  << QStringLiteral("not_found") << QByteArray();
    QTest::newRow("nested file path") << QByteArrayLiteral("GET") << QStringLiteral("/files/a/b.png") << QString()
                                      << 404 << QStringLiteral("not_found") << QByteArray();
}

void tst_SandboxServer::routes_unknownAndWrongMethod()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QString, key);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QByteArray, allow);
    const HttpResult r = call(method, path, method == "POST" ? QByteArrayLiteral("{}") : QByteArray(), key);
    QCOMPARE(r.status, status);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(r.header("Allow"), allow);
    QVERIFY(r.header("X-Request-ID").startsWith("req_"));
}

void tst_SandboxServer::faults_status_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("retryAfter");
    QTest::addColumn<QString>("code");
    QTest::newRow("400") << 400 << -1 << QStringLiteral("invalid_request_error");
    QTest::newRow("401") << 401 << -1 << QStringLiteral("unauthorized");
    QTest::newRow("402") << 402 << -1 << QStringLiteral("insufficient_credits");
    QTest::newRow("403") << 403 << -1 << QStringLiteral("forbidden");
    QTest::newRow("404") << 404 << -1 << QStringLiteral("model_not_found");
    QTest::newRow("413") << 413 << -1 << QStringLiteral("request_too_large");
    QTest::newRow("422") << 422 << -1 << QStringLiteral("prompt_rejected");
    QTest::newRow("429 + Retry-After") << 429 << 7 << QStringLiteral("rate_limited");
    QTest::newRow("429 without Retry-After") << 429 << -1 << QStringLiteral("rate_limited");
    QTest::newRow("500") << 500 << -1 << QStringLiteral("internal_error");
    QTest::newRow("503 + Retry-After") << 503 << 0 << QStringLiteral("model_unavailable");
    QTest::newRow("unknown status becomes 500") << 599999 << -1 << QStringLiteral("internal_error");
}

void tst_SandboxServer::faults_status()
{
    QFETCH(int, status);
    QFETCH(int, retryAfter);
    QFETCH(QString, code);
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::Status;
    fault.status = status;
    fault.retryAfterSeconds = retryAfter;
    fault.pathPrefix = QStringLiteral("/v1/images/generations");
    m_server->addFault(fault);

    const HttpResult r = generate(genBody(QStringLiteral("nano-banana"), QStringLiteral("a cat")));
    QCOMPARE(r.status, status > 599 ? 500 : status);
    QCOMPARE(r.errorCode(), code);
    QCOMPARE(r.header("Retry-After"), retryAfter >= 0 ? QByteArray::number(retryAfter) : QByteArray());
    QCOMPARE(r.json().value(QLatin1String("error")).toObject().value(QLatin1String("request_id")).toString().toLatin1(),
             r.header("X-Request-ID"));
    QCOMPARE(m_server->creditsCharged(QStringLiteral("nano-banana")), 0.0);
}

void tst_SandboxServer::faults_latencyDoesNotBlock()
{
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::Latency;
    fault.latencyMs = 400;
    fault.pathPrefix = QStringLiteral("/v1/models");
    fault.remaining = 1;
    m_server->addFault(fault);

    QElapsedTimer timer;
    timer.start();
    QNetworkReply* slow = send("GET", url(QStringLiteral("/v1/models")), {}, SandboxServer::defaultKey());
    // While the slow answer waits, the server keeps serving others.
    const HttpResult fast = call("GET", QStringLiteral("/v1/balance"));
    QCOMPARE(fast.status, 200);
    QVERIFY(!slow->isFinished());
    const HttpResult delayed = finish(slow);
    QCOMPARE(delayed.status, 200);
    QVERIFY(timer.elapsed() >= 400);
    QVERIFY(delayed.json().value(QLatin1String("data")).isArray());

    // remaining = 1: the next call is immediate.
    timer.restart();
    QCOMPARE(call("GET", QStringLiteral("/v1/models")).status, 200);
    QVERIFY(timer.elapsed() < 400);
}

void tst_SandboxServer::faults_latencyClientGoneFirst()
{
    // The first delayed answer is due after its client left; the second, longer one proves the server survived it.
    SandboxFault first;
    first.kind = SandboxFault::Kind::Latency;
    first.latencyMs = 200;
    first.remaining = 1;
    SandboxFault second = first;
    second.latencyMs = 400;
    m_server->addFault(first);
    m_server->addFault(second);

    QNetworkReply* abandoned = send("GET", url(QStringLiteral("/v1/models")), {}, SandboxServer::defaultKey());
    QTRY_COMPARE(m_server->requests().size(), 1);
    abandoned->abort();
    QCOMPARE(finish(abandoned).error, QNetworkReply::OperationCanceledError);

    const HttpResult later = call("GET", QStringLiteral("/v1/models"));
    QCOMPARE(later.status, 200);
    QCOMPARE(call("GET", QStringLiteral("/v1/balance")).status, 200);
}

void tst_SandboxServer::faults_remainingAndPrefix()
{
    SandboxFault latency;
    latency.kind = SandboxFault::Kind::Latency;
    latency.latencyMs = 50;
    latency.pathPrefix = QStringLiteral("/v1/images");
    latency.remaining = 1;
    SandboxFault error;
    error.kind = SandboxFault::Kind::Status;
    error.status = 503;
    error.pathPrefix = QStringLiteral("/v1/images");
    error.remaining = 2;
    m_server->addFault(latency);
    m_server->addFault(error);

    const QJsonObject body = genBody(QStringLiteral("nano-banana"), QStringLiteral("a cat"),
                                     {{QStringLiteral("response_format"), QStringLiteral("b64_json")}});
    QCOMPARE(call("GET", QStringLiteral("/v1/models")).status, 200); // prefix does not match
    QCOMPARE(generate(body).status, 503);                            // latency, then the status fault
    QCOMPARE(generate(body).status, 503);
    QCOMPARE(generate(body).status, 200); // both used up
    QCOMPARE(m_server->creditsCharged(QStringLiteral("nano-banana")), 2.0);

    SandboxFault always;
    always.kind = SandboxFault::Kind::Status;
    always.status = 500;
    m_server->addFault(always); // "" matches every path, remaining -1 until cleared
    QCOMPARE(call("GET", QStringLiteral("/v1/models")).status, 500);
    QCOMPARE(call("GET", QStringLiteral("/files/x.png"), {}, QString()).status, 500);
    QCOMPARE(call("GET", QStringLiteral("/v1/balance")).status, 500);
    m_server->clearFaults();
    QCOMPARE(call("GET", QStringLiteral("/v1/models")).status, 200);
}

void tst_SandboxServer::faults_bodyShapes()
{
    const auto withFault = [&](SandboxFault::Kind kind) {
        SandboxFault fault;
        fault.kind = kind;
        fault.remaining = 1;
        m_server->addFault(fault);
        return generate(genBody(QStringLiteral("nano-banana"), QStringLiteral("a cat"),
                                {{QStringLiteral("response_format"), QStringLiteral("b64_json")}}));
    };

    const HttpResult malformed = withFault(SandboxFault::Kind::MalformedJson);
    QCOMPARE(malformed.status, 200);
    QJsonParseError parseError;
    QJsonDocument::fromJson(malformed.body, &parseError);
    QVERIFY(parseError.error != QJsonParseError::NoError);

    const HttpResult wrong = withFault(SandboxFault::Kind::WrongTypes);
    QCOMPARE(wrong.status, 200);
    QVERIFY(wrong.json().value(QLatin1String("data")).isString());
    QVERIFY(wrong.json().value(QLatin1String("created")).isString());

    const HttpResult empty = withFault(SandboxFault::Kind::EmptyData);
    QCOMPARE(empty.status, 200);
    QVERIFY(empty.json().value(QLatin1String("data")).isArray());
    QVERIFY(empty.json().value(QLatin1String("data")).toArray().isEmpty());

    const HttpResult badB64 = withFault(SandboxFault::Kind::InvalidBase64);
    QCOMPARE(badB64.status, 200);
    bool ok = true;
    decodeB64(badB64.json()
                  .value(QLatin1String("data"))
                  .toArray()
                  .at(0)
                  .toObject()
                  .value(QLatin1String("b64_json"))
                  .toString(),
              &ok);
    QVERIFY(!ok);

    const HttpResult notImage = withFault(SandboxFault::Kind::NonImageBytes);
    QCOMPARE(notImage.status, 200);
    const QByteArray bytes = decodeB64(notImage.json()
                                           .value(QLatin1String("data"))
                                           .toArray()
                                           .at(0)
                                           .toObject()
                                           .value(QLatin1String("b64_json"))
                                           .toString(),
                                       &ok);
    QVERIFY(ok);
    QVERIFY(!bytes.isEmpty());
    QVERIFY(QImage::fromData(bytes).isNull());

    QCOMPARE(m_server->creditsCharged(QStringLiteral("nano-banana")), 0.0); // fault answers are never charged
}

void tst_SandboxServer::faults_nonImageBytes()
{
    // With response_format=url the junk arrives through the file host.
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::NonImageBytes;
    fault.pathPrefix = QStringLiteral("/v1/");
    fault.remaining = 1;
    m_server->addFault(fault);
    const HttpResult r = generate(genBody(QStringLiteral("nano-banana"), QStringLiteral("a cat")));
    QCOMPARE(r.status, 200);
    const QUrl junkUrl(
        r.json().value(QLatin1String("data")).toArray().at(0).toObject().value(QLatin1String("url")).toString());
    const HttpResult junk = finish(send("GET", junkUrl, {}, QString()));
    QCOMPARE(junk.status, 200);
    QVERIFY(!junk.body.isEmpty());
    QVERIFY(QImage::fromData(junk.body).isNull());

    // A fault on the file host itself replaces a real image.
    const HttpResult real = generate(genBody(QStringLiteral("nano-banana-2"), QStringLiteral("a dog"),
                                             {{QStringLiteral("size"), QStringLiteral("512x512")}}));
    const QUrl realUrl(
        real.json().value(QLatin1String("data")).toArray().at(0).toObject().value(QLatin1String("url")).toString());
    fault.pathPrefix = QStringLiteral("/files/");
    m_server->addFault(fault);
    const HttpResult replaced = finish(send("GET", realUrl, {}, QString()));
    QCOMPARE(replaced.status, 200);
    QCOMPARE(replaced.header("Content-Type"), QByteArrayLiteral("image/png"));
    QVERIFY(QImage::fromData(replaced.body).isNull());
    QVERIFY(!QImage::fromData(finish(send("GET", realUrl, {}, QString())).body).isNull()); // fault used up
}

void tst_SandboxServer::faults_truncatedBody()
{
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::TruncatedBody;
    fault.remaining = 2;
    m_server->addFault(fault);

    const HttpResult json = call("GET", QStringLiteral("/v1/models"));
    QVERIFY(json.finished);
    QVERIFY(json.error != QNetworkReply::NoError);
    const qint64 declared = json.header("Content-Length").toLongLong();
    QVERIFY(declared > 0);
    QVERIFY(json.body.size() < declared);

    // On the file host: half a real PNG.
    m_server->clearFaults();
    const HttpResult real = generate(genBody(QStringLiteral("nano-banana-2"), QStringLiteral("a dog"),
                                             {{QStringLiteral("size"), QStringLiteral("512x512")}}));
    const QUrl realUrl(
        real.json().value(QLatin1String("data")).toArray().at(0).toObject().value(QLatin1String("url")).toString());
    fault.remaining = 1;
    m_server->addFault(fault);
    const HttpResult file = finish(send("GET", realUrl, {}, QString()));
    QVERIFY(file.error != QNetworkReply::NoError);
    QVERIFY(file.body.size() < file.header("Content-Length").toLongLong());
    QCOMPARE(call("GET", QStringLiteral("/v1/models")).status, 200); // the server carries on
}

void tst_SandboxServer::faults_hugeBody()
{
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::HugeBody;
    fault.remaining = 1;
    m_server->addFault(fault);

    QNetworkReply* reply = send("GET", url(QStringLiteral("/v1/models")), {}, SandboxServer::defaultKey());
    qint64 announced = 0;
    qint64 received = 0;
    connect(reply, &QNetworkReply::downloadProgress, this, [&](qint64 bytes, qint64 total) {
        announced = total;
        received = bytes;
        if (bytes >= 1024 * 1024)
            reply->abort(); // what a client with a size cap does
    });
    const HttpResult r = finish(reply);
    QVERIFY(r.finished);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.error, QNetworkReply::OperationCanceledError);
    QCOMPARE(announced, qint64(10) * 1024 * 1024 * 1024);
    QVERIFY(received >= 1024 * 1024);
    QCOMPARE(call("GET", QStringLiteral("/v1/models")).status, 200);
}

void tst_SandboxServer::faults_redirect()
{
    SandboxServer other;
    QVERIFY(other.listen());
    QUrl target = other.baseUrl();
    target.setPath(QStringLiteral("/v1/models"));

    SandboxFault fault;
    fault.kind = SandboxFault::Kind::RedirectTo;
    fault.redirectUrl = target;
    fault.remaining = 1;
    m_server->addFault(fault);
    const HttpResult r =
        finish(send("GET", url(QStringLiteral("/v1/models")), {}, SandboxServer::defaultKey(), 0, true));
    QCOMPARE(r.status, 307);
    QCOMPARE(r.header("Location"), target.toEncoded());
    QVERIFY(r.header("X-Request-ID").startsWith("req_"));
    QVERIFY(other.requests().isEmpty());
}

void tst_SandboxServer::faults_stall()
{
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::Stall;
    fault.pathPrefix = QStringLiteral("/v1/images/generations");
    m_server->addFault(fault);

    QElapsedTimer timer;
    timer.start();
    const HttpResult r = finish(send("POST", url(QStringLiteral("/v1/images/generations")),
                                     toBytes(genBody(QStringLiteral("nano-banana"), QStringLiteral("a cat"))),
                                     SandboxServer::defaultKey(), 300));
    QVERIFY(r.finished);
    QCOMPARE(r.status, 0);
    QVERIFY(r.error == QNetworkReply::OperationCanceledError || r.error == QNetworkReply::TimeoutError);
    QVERIFY(timer.elapsed() >= 250);          // the client's coarse timeout timer, not an answer, ended it
    QCOMPARE(m_server->requests().size(), 1); // it did arrive
    QCOMPARE(call("GET", QStringLiteral("/v1/models")).status, 200);
}

void tst_SandboxServer::faults_stallReleasedWhenServerDies()
{
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::Stall;
    m_server->addFault(fault);
    QNetworkReply* reply = send("GET", url(QStringLiteral("/v1/models")), {}, SandboxServer::defaultKey());
    QTRY_COMPARE(m_server->requests().size(), 1);
    m_server.reset(); // the connection closes with the server
    const HttpResult r = finish(reply);
    QVERIFY(r.finished);
    QCOMPARE(r.status, 0);
    QVERIFY(r.error != QNetworkReply::NoError);
    init(); // cleanup() expects a server
}

void tst_SandboxServer::requests_recordHeaders()
{
    QNetworkRequest request(url(QStringLiteral("/v1/images/generations")));
    request.setRawHeader("Authorization", "Bearer " + SandboxServer::defaultKey().toUtf8());
    request.setRawHeader("User-Agent", "PixapiStudio/0.1 test");
    request.setRawHeader("X-Request-ID", "client-123");
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    const QByteArray body = toBytes(genBody(QStringLiteral("nano-banana"), QStringLiteral("a cat"),
                                            {{QStringLiteral("response_format"), QStringLiteral("b64_json")}}));
    QCOMPARE(finish(m_nam->post(request, body)).status, 200);
    QCOMPARE(call("GET", QStringLiteral("/v1/models"), {}, QString()).status, 401);

    const QList<SandboxRequestRecord> records = m_server->requests();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).method, QStringLiteral("POST"));
    QCOMPARE(records.at(0).path, QStringLiteral("/v1/images/generations"));
    QVERIFY(records.at(0).hadAuthorization);
    QCOMPARE(records.at(0).userAgent, QStringLiteral("PixapiStudio/0.1 test"));
    QCOMPARE(records.at(0).requestIdHeader, QStringLiteral("client-123"));
    QCOMPARE(records.at(0).contentType, QByteArrayLiteral("application/json"));
    QCOMPARE(records.at(0).bodySize, body.size());
    QCOMPARE(records.at(1).method, QStringLiteral("GET"));
    QVERIFY(!records.at(1).hadAuthorization);
    QCOMPARE(records.at(1).bodySize, 0);

    m_server->clearRequests();
    QVERIFY(m_server->requests().isEmpty());
}

void tst_SandboxServer::logging_neverLeaksKeyOrBody()
{
    const QString secretKey = QStringLiteral("sk_secret_must_not_be_logged");
    const QString marker = QStringLiteral("prompt-marker-must-not-be-logged");
    m_server->setAcceptedKeys({secretKey});
    {
        const QMutexLocker lock(&g_logMutex);
        g_log.clear();
    }
    QLoggingCategory::setFilterRules(QStringLiteral("pixapi.sandbox.debug=true"));
    const QtMessageHandler previous = qInstallMessageHandler(captureLog);
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::Status;
    fault.status = 500;
    fault.remaining = 1;
    m_server->addFault(fault);
    const QByteArray body = toBytes(genBody(QStringLiteral("nano-banana"), marker));
    const int faulted = finish(send("POST", url(QStringLiteral("/v1/images/generations")), body, secretKey)).status;
    const int normal = finish(send("POST", url(QStringLiteral("/v1/images/generations")), body, secretKey)).status;
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());

    QCOMPARE(faulted, 500);
    QCOMPARE(normal, 200);
    const QMutexLocker lock(&g_logMutex);
    QVERIFY(!g_log.isEmpty()); // debug logging was on, so the check below means something
    for (const QString& line : std::as_const(g_log)) {
        QVERIFY2(!line.contains(secretKey), qPrintable(line));
        QVERIFY2(!line.contains(marker), qPrintable(line));
    }
}

void tst_SandboxServer::host_runsOnItsOwnThread()
{
    QPointer<SandboxServer> hosted;
    {
        SandboxHost host;
        QVERIFY(!host.isRunning());
        QVERIFY(host.start());
        QVERIFY(host.isRunning());
        QVERIFY(host.start()); // idempotent
        hosted = host.server();
        QVERIFY(hosted);
        QVERIFY(hosted->thread() != QThread::currentThread());
        QCOMPARE(host.baseUrl(), hosted->baseUrl());
        QVERIFY(host.baseUrl().port() > 0);

        // Setters from this thread while the server runs on its own.
        hosted->setBalance(42);
        SandboxFault fault;
        fault.kind = SandboxFault::Kind::Status;
        fault.status = 429;
        fault.retryAfterSeconds = 3;
        fault.remaining = 1;
        fault.pathPrefix = QStringLiteral("/v1/balance");
        hosted->addFault(fault);

        const auto hostedUrl = [&](const QString& path) {
            QUrl u = host.baseUrl();
            u.setPath(path);
            return u;
        };
        const HttpResult limited =
            finish(send("GET", hostedUrl(QStringLiteral("/v1/balance")), {}, SandboxServer::defaultKey()));
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.header("Retry-After"), QByteArrayLiteral("3"));
        const HttpResult balance =
            finish(send("GET", hostedUrl(QStringLiteral("/v1/balance")), {}, SandboxServer::defaultKey()));
        QCOMPARE(balance.json().value(QLatin1String("credits")).toDouble(), 42.0);

        const HttpResult generated =
            finish(send("POST", hostedUrl(QStringLiteral("/v1/images/generations")),
                        toBytes(genBody(QStringLiteral("nano-banana-2"), QStringLiteral("hosted"),
                                        {{QStringLiteral("size"), QStringLiteral("512x512")}})),
                        SandboxServer::defaultKey()));
        QCOMPARE(generated.status, 200);
        const QUrl imageUrl(generated.json()
                                .value(QLatin1String("data"))
                                .toArray()
                                .at(0)
                                .toObject()
                                .value(QLatin1String("url"))
                                .toString());
        QCOMPARE(QImage::fromData(finish(send("GET", imageUrl, {}, QString())).body).size(), QSize(512, 512));
        QCOMPARE(hosted->creditsCharged(QStringLiteral("nano-banana-2")), 4.0);
        QCOMPARE(hosted->balance(), 38.0);
        QCOMPARE(hosted->requests().size(), 4);
    }
    QVERIFY(hosted.isNull()); // destroyed with the host, on its thread
}

void tst_SandboxServer::host_startFailsOnBusyPort()
{
    SandboxHost host;
    QVERIFY(!host.start(m_server->port()));
    QVERIFY(!host.isRunning());
    QVERIFY(!host.server());
    QVERIFY(host.baseUrl().isEmpty());
}

QTEST_GUILESS_MAIN(tst_SandboxServer)
#include "tst_SandboxServer.moc"
