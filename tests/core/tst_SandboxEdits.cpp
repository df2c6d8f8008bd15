// Sandbox image edits (issue #7 item 4): the multipart parser, POST /v1/images/edits and /v1/async/images/edits over
// real loopback HTTP, renders that prove the inputs were used, credits, refusals and the lastEdit() hook.
#include "TestEnv.h"
#include "sandbox/SandboxCatalog.h"
#include "sandbox/SandboxMultipart.h"
#include "sandbox/SandboxRenderer.h"
#include "sandbox/SandboxServer.h"

#include <QElapsedTimer>
#include <QHttpMultiPart>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Pixapi;

namespace {

constexpr int kWaitMs = 20000;
constexpr QRgb kRed = 0xff0000;
constexpr QRgb kBlue = 0x0000ff;
constexpr QRgb kGreen = 0x00ff00;

struct Reply
{
    int status = 0;
    QByteArray body;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value(QLatin1String("error")).toObject(); }
    QString message() const { return error().value(QLatin1String("message")).toString(); }
    QJsonArray data() const { return json().value(QLatin1String("data")).toArray(); }
};

// A file part: form field name, bytes and what the part claims to be.
struct FilePart
{
    QByteArray name;
    QByteArray bytes;
    QByteArray filename = QByteArrayLiteral("input.png");
    QByteArray contentType = QByteArrayLiteral("image/png");
};

using Fields = QList<QPair<QByteArray, QByteArray>>;

// Opaque everywhere except a transparent square in the middle half: the area to edit.
QImage holeMask(QSize size = {256, 256})
{
    QImage mask(size, QImage::Format_ARGB32);
    mask.fill(Qt::white);
    QPainter painter(&mask);
    painter.setCompositionMode(QPainter::CompositionMode_Source);
    painter.fillRect(QRect(size.width() / 4, size.height() / 4, size.width() / 2, size.height() / 2), Qt::transparent);
    return mask;
}

QRgb rgbAt(const QImage& image, QPoint at)
{
    return image.pixel(at) & 0xffffff;
}

bool isPng(const QByteArray& bytes)
{
    return bytes.startsWith("\x89PNG\r\n\x1a\n") && !QImage::fromData(bytes, "PNG").isNull();
}

// The bytes of a file part by its name in the data-driven rows.
QByteArray fileBytes(const QByteArray& kind)
{
    if (kind == "red")
        return TestEnv::solidPng(kRed);
    if (kind == "red512")
        return TestEnv::solidPng(kRed, {512, 512});
    if (kind == "junk")
        return QByteArrayLiteral("this is not an image");
    if (kind == "big") // over the Nano Banana 7 MiB per-file limit; never decoded
        return QByteArray(8 * 1024 * 1024, 'x');
    if (kind == "hole")
        return TestEnv::encodedImage(holeMask());
    if (kind == "hole512")
        return TestEnv::encodedImage(holeMask({512, 512}));
    if (kind == "jpeg")
        return TestEnv::encodedImage(holeMask(), "JPEG");
    if (kind == "opaque")
        return TestEnv::solidPng(0xffffff);
    return {};
}

// "model=x" strings to fields.
Fields fieldsOf(const QStringList& pairs)
{
    Fields fields;
    for (const QString& pair : pairs) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        fields.append({pair.left(eq).toUtf8(), pair.mid(eq + 1).toUtf8()});
    }
    return fields;
}

// A hand-written multipart body: parts as (headers, body); CRLF line ends.
QByteArray body(const QByteArray& boundary, const QList<QPair<QByteArray, QByteArray>>& parts)
{
    QByteArray out;
    for (const auto& part : parts)
        out += "--" + boundary + "\r\n" + part.first + "\r\n\r\n" + part.second + "\r\n";
    return out + "--" + boundary + "--\r\n";
}

QByteArray disposition(const QByteArray& name)
{
    return "Content-Disposition: form-data; name=\"" + name + "\"";
}

// A readable summary of parsed parts ("name|filename|type|body" joined by ';'), or "error: <message>".
QString summary(const Result<SandboxMultipart::Parts, QString>& parsed)
{
    if (!parsed)
        return QStringLiteral("error: ") + parsed.error();
    QStringList out;
    for (const SandboxMultipartPart& part : parsed.value()) {
        const QByteArray filename = part.hasFilename ? part.filename : QByteArrayLiteral("-");
        out << QString::fromUtf8(part.name + '|' + filename + '|' + part.contentType + '|' + part.body);
    }
    return out.join(QLatin1Char(';'));
}

} // namespace

class tst_SandboxEdits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void multipart_boundary_data();
    void multipart_boundary();
    void multipart_parse_data();
    void multipart_parse();
    void multipart_linearOnHostileInput();

    void models_publishEditLimits();
    void edit_oneImageB64();
    void edit_urlResultAndOutputSize();
    void edit_severalImages();
    void edit_mask();
    void edit_isDeterministic();
    void edit_chargesLikeGeneration();
    void edit_async();
    void edit_faultsAndRoutes();
    void edit_refused_data();
    void edit_refused();
    void edit_malformedBody_data();
    void edit_malformedBody();
    void edit_bodyCap();

private:
    QUrl url(const QString& path) const;
    QNetworkRequest request(const QString& path) const;
    Reply finish(QNetworkReply* reply);
    Reply edit(const Fields& fields, const QList<FilePart>& files,
               const QString& path = QStringLiteral("/v1/images/edits"));
    Reply raw(const QByteArray& contentType, const QByteArray& body,
              const QString& path = QStringLiteral("/v1/images/edits"));
    Reply get(const QString& pathOrUrl);
    QImage firstImage(const Reply& reply);

    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<SandboxServer> m_server;
};

void tst_SandboxEdits::initTestCase()
{
    TestEnv::init();
    m_nam = std::make_unique<QNetworkAccessManager>();
    m_nam->setProxy(QNetworkProxy::NoProxy);
}

void tst_SandboxEdits::init()
{
    m_server = std::make_unique<SandboxServer>();
    QVERIFY(m_server->listen());
}

void tst_SandboxEdits::cleanup()
{
    m_server.reset();
    m_nam->clearConnectionCache();
}

QUrl tst_SandboxEdits::url(const QString& path) const
{
    QUrl u = m_server->baseUrl();
    u.setPath(path);
    return u;
}

QNetworkRequest tst_SandboxEdits::request(const QString& path) const
{
    QNetworkRequest r(path.startsWith(QLatin1String("http")) ? QUrl(path) : url(path));
    r.setRawHeader("Authorization", "Bearer " + SandboxServer::defaultKey().toUtf8());
    return r;
}

Reply tst_SandboxEdits::finish(QNetworkReply* reply)
{
    if (!reply->isFinished()) {
        QSignalSpy spy(reply, &QNetworkReply::finished);
        spy.wait(kWaitMs);
    }
    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    reply->deleteLater();
    return out;
}

Reply tst_SandboxEdits::edit(const Fields& fields, const QList<FilePart>& files, const QString& path)
{
    auto* multi = new QHttpMultiPart(QHttpMultiPart::FormDataType); // quotes its boundary
    for (const auto& field : fields) {
        QHttpPart part;
        part.setHeader(QNetworkRequest::ContentDispositionHeader, QByteArray(disposition(field.first)));
        part.setBody(field.second);
        multi->append(part);
    }
    for (const FilePart& file : files) {
        QHttpPart part;
        part.setHeader(QNetworkRequest::ContentDispositionHeader,
                       QByteArray(disposition(file.name) + "; filename=\"" + file.filename + '"'));
        part.setHeader(QNetworkRequest::ContentTypeHeader, file.contentType);
        part.setBody(file.bytes);
        multi->append(part);
    }
    QNetworkReply* reply = m_nam->post(request(path), multi);
    multi->setParent(reply);
    return finish(reply);
}

Reply tst_SandboxEdits::raw(const QByteArray& contentType, const QByteArray& body, const QString& path)
{
    QNetworkRequest r = request(path);
    if (!contentType.isEmpty())
        r.setRawHeader("Content-Type", contentType);
    return finish(m_nam->post(r, body));
}

Reply tst_SandboxEdits::get(const QString& pathOrUrl)
{
    return finish(m_nam->get(request(pathOrUrl)));
}

QImage tst_SandboxEdits::firstImage(const Reply& reply)
{
    const QJsonObject item = reply.data().at(0).toObject();
    QByteArray bytes;
    if (item.contains(QLatin1String("b64_json")))
        bytes = QByteArray::fromBase64(item.value(QLatin1String("b64_json")).toString().toLatin1());
    else
        bytes = get(item.value(QLatin1String("url")).toString()).body;
    if (!isPng(bytes))
        return {};
    return QImage::fromData(bytes, "PNG");
}

void tst_SandboxEdits::multipart_boundary_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("expected"); // the boundary, or "error: <fragment>"
    QTest::newRow("plain") << QByteArrayLiteral("multipart/form-data; boundary=abc123") << QStringLiteral("abc123");
    QTest::newRow("quoted with space") << QByteArrayLiteral("multipart/form-data; boundary=\"a b:c\"")
                                       << QStringLiteral("a b:c");
    QTest::newRow("case and extra params")
        << QByteArrayLiteral("Multipart/Form-Data;charset=utf-8;  BOUNDARY=x--y ") << QStringLiteral("x--y");
    QTest::newRow("json") << QByteArrayLiteral("application/json")
                          << QStringLiteral("error: must be multipart/form-data (got application/json)");
    QTest::newRow("mixed") << QByteArrayLiteral("multipart/mixed; boundary=abc")
                           << QStringLiteral("error: must be multipart/form-data");
    QTest::newRow("none") << QByteArray() << QStringLiteral("error: must be multipart/form-data (got none)");
    QTest::newRow("no boundary") << QByteArrayLiteral("multipart/form-data")
                                 << QStringLiteral("error: has no boundary parameter");
    QTest::newRow("empty boundary") << QByteArrayLiteral("multipart/form-data; boundary=\"\"")
                                    << QStringLiteral("error: boundary is invalid");
    QTest::newRow("71 characters") << QByteArray("multipart/form-data; boundary=" + QByteArray(71, 'b'))
                                   << QStringLiteral("error: boundary is invalid");
    QTest::newRow("bad character") << QByteArrayLiteral("multipart/form-data; boundary=\"ab{}\"")
                                   << QStringLiteral("error: boundary is invalid");
    QTest::newRow("trailing space") << QByteArrayLiteral("multipart/form-data; boundary=\"ab \"")
                                    << QStringLiteral("error: boundary is invalid");
}

void tst_SandboxEdits::multipart_boundary()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QString, expected);
    const auto boundary = SandboxMultipart::boundaryOf(contentType);
    if (expected.startsWith(QLatin1String("error: "))) {
        QVERIFY(!boundary);
        QVERIFY2(boundary.error().contains(expected.mid(7)), qPrintable(boundary.error()));
    } else {
        QVERIFY2(boundary.ok(), qPrintable(boundary.ok() ? QString() : boundary.error()));
        QCOMPARE(QString::fromLatin1(boundary.value()), expected);
    }
}

void tst_SandboxEdits::multipart_parse_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected"); // summary() of the result

    const QByteArray file = "Content-Disposition: form-data; name=\"image[]\"; filename=\"a;b.png\"\r\n"
                            "Content-Type: image/png";
    QTest::newRow("crlf") << body("XyZ", {{disposition("model"), "nano-banana"}, {file, "PNG\r\n--XyZ-not\r\n--XyZx"}})
                          << QStringLiteral(
                                 "model|-||nano-banana;image[]|a;b.png|image/png|PNG\r\n--XyZ-not\r\n--XyZx");
    QTest::newRow("bare lf") << QByteArrayLiteral("--XyZ\nContent-Disposition: form-data; name=n\n\n2\n--XyZ--\n")
                             << QStringLiteral("n|-||2");
    QTest::newRow("preamble and epilogue")
        << QByteArray("This is the preamble.\r\n--XyZ\r\n" + disposition("prompt")
                      + "\r\n\r\nline one\r\nline two\r\n--XyZ--\r\nThis is the epilogue --XyZ\r\n")
        << QStringLiteral("prompt|-||line one\r\nline two");
    QTest::newRow("empty part and padding") << QByteArray("--XyZ \t\r\n" + disposition("a") + "\r\n\r\n\r\n--XyZ\r\n"
                                                          + disposition("b") + "\r\n\r\n--XyZ--")
                                            << QStringLiteral("a|-||;b|-||");
    QTest::newRow("escaped quote and empty filename")
        << body("XyZ", {{"content-disposition: form-data; name=\"say \\\"hi\\\"\"; filename=\"\"", "x"}})
        << QStringLiteral("say \"hi\"|||x");
    QTest::newRow("close only") << QByteArrayLiteral("--XyZ--") << QString();

    QTest::newRow("garbage") << QByteArrayLiteral("{\"model\":\"nano-banana\"}")
                             << QStringLiteral("error: The body has no multipart boundary line (--boundary).");
    QTest::newRow("no closing boundary")
        << QByteArray("--XyZ\r\n" + disposition("a") + "\r\n\r\nvalue\r\n")
        << QStringLiteral("error: The multipart body ends before its closing boundary (truncated).");
    QTest::newRow("cut inside the closing boundary")
        << body("XyZ", {{disposition("a"), "v"}}).chopped(3)
        << QStringLiteral("error: The multipart body ends before its closing boundary (truncated).");
    QTest::newRow("cut inside headers")
        << QByteArrayLiteral("--XyZ\r\nContent-Disposition: form-da")
        << QStringLiteral("error: The multipart body ends before its closing boundary (truncated).");
    QTest::newRow("part without name")
        << body("XyZ", {{disposition("a"), "1"}, {"Content-Disposition: form-data; filename=\"x.png\"", "2"}})
        << QStringLiteral("error: Part 2 has no name (Content-Disposition: form-data; name=\"...\").");
    QTest::newRow("headers too long") << body(
        "XyZ", {{disposition("a") + "\r\nX-Pad: " + QByteArray(SandboxMultipart::MaxHeaderBlock, 'p'), "1"}})
                                      << QStringLiteral("error: The headers of part 1 are longer than 8192 bytes.");
    QTest::newRow("malformed header") << body("XyZ", {{disposition("a") + "\r\nno colon here", "1"}})
                                      << QStringLiteral("error: Part 1 has a malformed header line.");
}

void tst_SandboxEdits::multipart_parse()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QCOMPARE(summary(SandboxMultipart::parseBody(body, "XyZ")), expected);
}

void tst_SandboxEdits::multipart_linearOnHostileInput()
{
    // Bodies built to make a naive parser rescan: endless near-boundaries, endless headers, many tiny parts.
    const QByteArray boundary(70, 'b');
    QByteArray nearMisses;
    while (nearMisses.size() < 16 * 1024 * 1024)
        nearMisses += "\n--" + boundary + "x\r\n"; // a whole boundary, then not a line end
    const QByteArray endlessHeader = "--" + boundary + "\r\n" + QByteArray(16 * 1024 * 1024, 'h');
    QByteArray manyParts;
    for (int i = 0; i < 2000; ++i)
        manyParts += "--" + boundary + "\r\n" + disposition("a") + "\r\n\r\n\r\n";
    manyParts += "--" + boundary + "--";

    QElapsedTimer timer;
    timer.start();
    QVERIFY(SandboxMultipart::parseBody(nearMisses, boundary).error().contains(QLatin1String("no multipart")));
    QVERIFY(SandboxMultipart::parseBody(endlessHeader, boundary).error().contains(QLatin1String("longer than")));
    QVERIFY(SandboxMultipart::parseBody(manyParts, boundary).error().contains(QLatin1String("more than 1000 parts")));
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

void tst_SandboxEdits::models_publishEditLimits()
{
    const Reply r = get(QStringLiteral("/v1/models"));
    QCOMPARE(r.status, 200);
    QHash<QString, QJsonObject> byId;
    for (const QJsonValue& entry : r.data())
        byId.insert(entry.toObject().value(QLatin1String("id")).toString(), entry.toObject());
    const auto limits = [&byId](const char* id) {
        const QJsonObject model = byId.value(QLatin1String(id));
        return QList<qint64> {model.value(QLatin1String("max_input_images")).toInteger(),
                              model.value(QLatin1String("max_input_bytes")).toInteger(),
                              model.value(QLatin1String("max_input_edge")).toInteger()};
    };
    constexpr qint64 MiB = 1024 * 1024;
    QCOMPARE(limits("gemini-2.5-flash-image"), (QList<qint64> {3, 7 * MiB, 4096}));
    QCOMPARE(limits("gemini-3-pro-image-preview"), (QList<qint64> {3, 7 * MiB, 4096}));
    QCOMPARE(limits("gemini-3.1-flash-lite-image"), (QList<qint64> {1, 7 * MiB, 4096}));
    QCOMPARE(limits("gpt-image-2"), (QList<qint64> {16, 50 * MiB, 4096}));
    for (const SandboxModel& model : SandboxCatalog::models()) {
        const QJsonObject json = byId.value(model.id);
        QCOMPARE(json.value(QLatin1String("supports_edits")).toBool(), model.supportsEdits);
        QCOMPARE(json.contains(QLatin1String("max_input_images")), model.supportsEdits);
        if (model.supportsEdits)
            QVERIFY(model.maxInputImages >= 1 && model.maxInputBytes > 0 && model.maxInputEdge > 0);
    }
    // An image model that cannot edit, so clients can show one disabled.
    QVERIFY(byId.contains(QStringLiteral("sandbox-sketch")));
    QCOMPARE(byId.value(QStringLiteral("sandbox-sketch")).value(QLatin1String("supports_edits")).toBool(), false);
}

void tst_SandboxEdits::edit_oneImageB64()
{
    const Reply r = edit({{"model", "nano-banana"}, {"prompt", "add a hat"}, {"response_format", "b64_json"}},
                         {{"image", TestEnv::solidPng(kRed), "red.png"}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.json().value(QLatin1String("created")).toDouble() > 1.7e9);
    QCOMPARE(r.data().size(), 1);
    const QImage out = firstImage(r);
    QVERIFY(!out.isNull());                  // a real PNG
    QCOMPARE(out.size(), QSize(1024, 1024)); // the model's size closest to a square input
    QCOMPARE(rgbAt(out, {100, 100}), kRed);  // the input's pixels, not a generated picture
    QCOMPARE(rgbAt(out, {900, 500}), kRed);

    const std::optional<SandboxEditRecord> seen = m_server->lastEdit();
    QVERIFY(seen);
    QCOMPARE(seen->path, QStringLiteral("/v1/images/edits"));
    QCOMPARE(seen->model, QStringLiteral("nano-banana"));
    QCOMPARE(seen->prompt, QStringLiteral("add a hat"));
    QCOMPARE(seen->fields.value(QStringLiteral("response_format")), QStringLiteral("b64_json"));
    QCOMPARE(seen->images.size(), 1);
    QCOMPARE(seen->images.at(0).name, QStringLiteral("image"));
    QCOMPARE(seen->images.at(0).filename, QStringLiteral("red.png"));
    QCOMPARE(seen->images.at(0).contentType, QByteArrayLiteral("image/png"));
    QCOMPARE(seen->images.at(0).imageSize, QSize(256, 256));
    QVERIFY(!seen->hasMask);
    QCOMPARE(seen->outputSize, QSize(1024, 1024));
    QVERIFY(seen->error.isEmpty());
}

void tst_SandboxEdits::edit_urlResultAndOutputSize()
{
    // A wide input picks the model's widest size; an explicit size wins; n images come back.
    Reply r = edit({{"model", "gpt-image-2"}, {"prompt", "wider"}}, {{"image", TestEnv::solidPng(kRed, {600, 300})}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.data().at(0).toObject().value(QLatin1String("url")).toString().contains(QLatin1String("/files/")));
    QImage out = firstImage(r);
    QCOMPARE(out.size(), QSize(2048, 1152)); // 16:9 is nearest 2:1; of the two 16:9 sizes the smaller is nearer
    QCOMPARE(rgbAt(out, {200, 200}), kRed);

    r = edit({{"model", "nano-banana-2"}, {"prompt", "p"}, {"size", "1536x1024"}, {"n", "2"}},
             {{"image", TestEnv::solidPng(kRed)}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.data().size(), 2);
    out = firstImage(r);
    QCOMPARE(out.size(), QSize(1536, 1024));
    QCOMPARE(rgbAt(out, {100, 100}), kRed);
    QCOMPARE(m_server->lastEdit()->outputSize, QSize(1536, 1024));
}

void tst_SandboxEdits::edit_severalImages()
{
    const QByteArray webpBlue = TestEnv::encodedImage(TestEnv::solidImage(kBlue), "WEBP");
    QVERIFY(!webpBlue.isEmpty());
    const QByteArray jpegGreen = TestEnv::encodedImage(TestEnv::solidImage(kGreen, {300, 200}), "JPEG");
    for (const QByteArray& name : {QByteArrayLiteral("image[]"), QByteArrayLiteral("image")}) {
        const Reply r = edit({{"model", "gpt-image-1.5"}, {"prompt", "combine"}, {"response_format", "b64_json"}},
                             {{name, TestEnv::solidPng(kRed)},
                              {name, webpBlue, "blue.webp", "image/webp"},
                              {"image[]", jpegGreen, "green.jpg", "image/jpeg"}});
        QCOMPARE(r.status, 200);
        const QImage out = firstImage(r);
        QCOMPARE(out.size(), QSize(1024, 1024));
        QCOMPARE(rgbAt(out, {100, 100}), kRed);
        // Images 2 and 3 are thumbnails at the top right; lossy formats only come close to their colours.
        const QColor second(out.pixel(SandboxRenderer::thumbnailRect(out.size(), 0).center()));
        const QColor third(out.pixel(SandboxRenderer::thumbnailRect(out.size(), 1).center()));
        QVERIFY2(second.blue() > 230 && second.red() < 25 && second.green() < 25, qPrintable(second.name()));
        QVERIFY2(third.green() > 230 && third.red() < 25 && third.blue() < 25, qPrintable(third.name()));

        const std::optional<SandboxEditRecord> seen = m_server->lastEdit();
        QCOMPARE(seen->images.size(), 3);
        QCOMPARE(seen->images.at(0).name, QString::fromLatin1(name));
        QCOMPARE(seen->images.at(1).contentType, QByteArrayLiteral("image/webp"));
        QCOMPARE(seen->images.at(2).filename, QStringLiteral("green.jpg"));
        QCOMPARE(seen->images.at(2).imageSize, QSize(300, 200));
    }
}

void tst_SandboxEdits::edit_mask()
{
    const Reply r = edit({{"model", "gpt-image-1.5"}, {"prompt", "a window"}, {"response_format", "b64_json"}},
                         {{"image", TestEnv::solidPng(kRed)}, {"mask", fileBytes("hole"), "mask.png"}});
    QCOMPARE(r.status, 200);
    const QImage out = firstImage(r);
    QCOMPARE(out.size(), QSize(1024, 1024));
    QCOMPARE(rgbAt(out, {100, 100}), kRed); // outside the hole: the input
    QCOMPARE(rgbAt(out, {100, 700}), kRed);
    for (const QPoint inside : {QPoint(400, 400), QPoint(512, 300), QPoint(700, 600)})
        QVERIFY(rgbAt(out, inside) != kRed); // inside: the generated picture

    const std::optional<SandboxEditRecord> seen = m_server->lastEdit();
    QVERIFY(seen->hasMask);
    QCOMPARE(seen->mask.name, QStringLiteral("mask"));
    QCOMPARE(seen->mask.imageSize, QSize(256, 256));
}

void tst_SandboxEdits::edit_isDeterministic()
{
    const Fields fields {{"model", "gpt-image-1.5"}, {"prompt", "same"}, {"response_format", "b64_json"}};
    const QList<FilePart> files {
        {"image", TestEnv::solidPng(kRed)}, {"image", TestEnv::solidPng(kBlue)}, {"mask", fileBytes("hole")}};
    const Reply a = edit(fields, files);
    const Reply b = edit(fields, files);
    QCOMPARE(a.status, 200);
    QCOMPARE(a.data(), b.data());
    // A different input gives a different picture.
    const Reply c =
        edit(fields,
             {{"image", TestEnv::solidPng(kGreen)}, {"image", TestEnv::solidPng(kBlue)}, {"mask", fileBytes("hole")}});
    QVERIFY(a.data() != c.data());
}

void tst_SandboxEdits::edit_chargesLikeGeneration()
{
    m_server->setBalance(100);
    const Reply r =
        edit({{"model", "gpt-image-2"}, {"prompt", "p"}, {"size", "2048x2048"}, {"quality", "medium"}, {"n", "2"}},
             {{"image", TestEnv::solidPng(kRed)}});
    QCOMPARE(r.status, 200);
    const SandboxModel* model = SandboxCatalog::find(QStringLiteral("gpt-image-2"));
    const double expected = SandboxCatalog::cost(*model, QStringLiteral("2048x2048"), QStringLiteral("medium"), 2);
    QCOMPARE(expected, 34.0);
    QCOMPARE(m_server->creditsCharged(QStringLiteral("gpt-image-2")), expected);
    QCOMPARE(m_server->balance(), 100 - expected);

    // An omitted size bills the size the edit renders at (nano-banana-2: 512x512 for a 256 px square, 4 credits).
    QCOMPARE(edit({{"model", "nano-banana-2"}, {"prompt", "p"}}, {{"image", TestEnv::solidPng(kRed)}}).status, 200);
    QCOMPARE(m_server->lastEdit()->outputSize, QSize(512, 512));
    QCOMPARE(m_server->creditsCharged(QStringLiteral("nano-banana-2")), 4.0);

    m_server->setBalance(1);
    const Reply poor = edit({{"model", "nano-banana-pro"}, {"prompt", "p"}}, {{"image", TestEnv::solidPng(kRed)}});
    QCOMPARE(poor.status, 402);
    QCOMPARE(poor.error().value(QLatin1String("code")).toString(), QStringLiteral("insufficient_credits"));
    QCOMPARE(m_server->balance(), 1.0);
}

void tst_SandboxEdits::edit_async()
{
    m_server->setTaskTimings(0, 50);
    const Reply submitted = edit({{"model", "nano-banana"}, {"prompt", "async edit"}},
                                 {{"image[]", TestEnv::solidPng(kRed)}, {"image[]", TestEnv::solidPng(kBlue)}},
                                 QStringLiteral("/v1/async/images/edits"));
    QCOMPARE(submitted.status, 200);
    const QString id = submitted.json().value(QLatin1String("id")).toString();
    QVERIFY(id.startsWith(QLatin1String("task_")));
    QCOMPARE(submitted.json().value(QLatin1String("status")).toString(), QStringLiteral("submitted"));
    QCOMPARE(m_server->lastEdit()->path, QStringLiteral("/v1/async/images/edits"));
    QCOMPARE(m_server->creditsCharged(QStringLiteral("nano-banana")), 0.0); // charged on completion

    QJsonObject task;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < kWaitMs) {
        task = get(QStringLiteral("/v1/tasks/") + id).json();
        if (task.value(QLatin1String("status")).toString() == QLatin1String("completed"))
            break;
        QTest::qWait(20);
    }
    QCOMPARE(task.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
    Reply result;
    result.body = QJsonDocument(task.value(QLatin1String("result")).toObject()).toJson();
    const QImage out = firstImage(result);
    QCOMPARE(out.size(), QSize(1024, 1024));
    QCOMPARE(rgbAt(out, {100, 100}), kRed);
    const QColor thumb(out.pixel(SandboxRenderer::thumbnailRect(out.size(), 0).center()));
    QVERIFY2(thumb.blue() > 250 && thumb.red() < 5 && thumb.green() < 5, qPrintable(thumb.name()));
    QCOMPARE(m_server->creditsCharged(QStringLiteral("nano-banana")), 2.0);

    // Refusals come at submit time, like the sync endpoint's.
    const Reply refused = edit({{"model", "sandbox-sketch"}, {"prompt", "p"}}, {{"image", TestEnv::solidPng(kRed)}},
                               QStringLiteral("/v1/async/images/edits"));
    QCOMPARE(refused.status, 400);
    QVERIFY(refused.message().contains(QLatin1String("does not support edits")));
}

void tst_SandboxEdits::edit_faultsAndRoutes()
{
    // Per-model faults read the model from the multipart fields.
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::Status;
    fault.status = 503;
    fault.pathPrefix = QStringLiteral("/v1/images/edits");
    fault.model = QStringLiteral("gpt-image-2");
    m_server->addFault(fault);
    QCOMPARE(edit({{"model", "gpt-image-2"}, {"prompt", "p"}}, {{"image", TestEnv::solidPng(kRed)}}).status, 503);
    QCOMPARE(edit({{"model", "gpt-image-1.5"}, {"prompt", "p"}}, {{"image", TestEnv::solidPng(kRed)}}).status, 200);
    m_server->clearFaults();

    // The junk-image fault honours a multipart response_format.
    SandboxFault junk;
    junk.kind = SandboxFault::Kind::NonImageBytes;
    junk.pathPrefix = QStringLiteral("/v1/images/edits");
    junk.remaining = 1;
    m_server->addFault(junk);
    const Reply r = edit({{"model", "gpt-image-1.5"}, {"prompt", "p"}, {"response_format", "b64_json"}},
                         {{"image", TestEnv::solidPng(kRed)}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.data().at(0).toObject().contains(QLatin1String("b64_json")));

    QCOMPARE(get(QStringLiteral("/v1/images/edits")).status, 405);
    QNetworkRequest anonymous(url(QStringLiteral("/v1/images/edits")));
    anonymous.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("multipart/form-data; boundary=a"));
    QCOMPARE(finish(m_nam->post(anonymous, QByteArrayLiteral("x"))).status, 401);
    QCOMPARE(m_server->postCount(), 4);
}

void tst_SandboxEdits::edit_refused_data()
{
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QStringList>("files"); // "field=kind", kinds in fileBytes()
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    const QStringList ok {QStringLiteral("model=gpt-image-1.5"), QStringLiteral("prompt=p")};
    const QStringList nano {QStringLiteral("model=nano-banana"), QStringLiteral("prompt=p")};
    const QStringList red {QStringLiteral("image=red")};
    const auto with = [](QStringList list, const char* extra) { return list << QLatin1String(extra); };

    QTest::newRow("no image") << ok << QStringList() << 400 << QStringLiteral("'image' is required");
    QTest::newRow("only a mask") << ok << QStringList {QStringLiteral("mask=hole")} << 400
                                 << QStringLiteral("'image' is required");
    QTest::newRow("image 2 undecodable") << ok
                                         << QStringList {QStringLiteral("image[]=red"), QStringLiteral("image[]=junk")}
                                         << 400 << QStringLiteral("Image 2 is not a PNG, JPEG or WebP image.");
    QTest::newRow("too many images") << nano << QStringList(4, QStringLiteral("image[]=red")) << 400
                                     << QStringLiteral(
                                            "Too many images: 4 sent, but the model 'gemini-2.5-flash-image' "
                                            "takes at most 3.");
    QTest::newRow("lite takes one") << QStringList {QStringLiteral("model=gemini-3.1-flash-lite-image"),
                                                    QStringLiteral("prompt=p")}
                                    << QStringList(2, QStringLiteral("image=red")) << 400
                                    << QStringLiteral("takes at most 1.");
    QTest::newRow("file too large") << nano << QStringList {QStringLiteral("image=big")} << 400
                                    << QStringLiteral("Image 1 is 8.0 MiB, but the model 'gemini-2.5-flash-image' "
                                                      "takes at most 7.0 MiB per image.");
    QTest::newRow("model without edits") << QStringList {QStringLiteral("model=sandbox-sketch"),
                                                         QStringLiteral("prompt=p")}
                                         << red << 400
                                         << QStringLiteral("The model 'sandbox-sketch' does not support edits.");
    QTest::newRow("video model") << QStringList {QStringLiteral("model=veo"), QStringLiteral("prompt=p")} << red << 400
                                 << QStringLiteral("does not support edits");
    QTest::newRow("unknown model") << QStringList {QStringLiteral("model=nope"), QStringLiteral("prompt=p")} << red
                                   << 404 << QStringLiteral("The model 'nope' does not exist.");
    QTest::newRow("no model") << QStringList {QStringLiteral("prompt=p")} << red << 400
                              << QStringLiteral("'model' is required.");
    QTest::newRow("no prompt") << QStringList {QStringLiteral("model=gpt-image-1.5")} << red << 400
                               << QStringLiteral("'prompt' must be a non-empty string.");
    QTest::newRow("n not a number") << with(ok, "n=two") << red << 400
                                    << QStringLiteral("'n' must be an integer from 1 to 4.");
    QTest::newRow("n too big") << with(ok, "n=5") << red << 400
                               << QStringLiteral("'n' must be an integer from 1 to 4.");
    QTest::newRow("n fraction") << with(ok, "n=1.5") << red << 400 << QStringLiteral("'n' must be an integer");
    QTest::newRow("bad size") << with(ok, "size=999x999") << red << 400 << QStringLiteral("'size' must be one of:");
    QTest::newRow("bad quality") << with(nano, "quality=high") << red << 400
                                 << QStringLiteral("'quality' is not supported for this model.");
    QTest::newRow("bad response_format") << with(ok, "response_format=png") << red << 400
                                         << QStringLiteral("'response_format' must be 'url' or 'b64_json'.");
    QTest::newRow("mask not supported") << nano
                                        << QStringList {QStringLiteral("image=red"), QStringLiteral("mask=hole")} << 400
                                        << QStringLiteral(
                                               "The model 'gemini-2.5-flash-image' does not support a mask.");
    QTest::newRow("two masks") << ok
                               << QStringList {QStringLiteral("image=red"), QStringLiteral("mask=hole"),
                                               QStringLiteral("mask=hole")}
                               << 400 << QStringLiteral("Send at most one 'mask'.");
    QTest::newRow("mask is a jpeg") << ok << QStringList {QStringLiteral("image=red"), QStringLiteral("mask=jpeg")}
                                    << 400 << QStringLiteral("The mask must be a PNG image");
    QTest::newRow("mask is junk") << ok << QStringList {QStringLiteral("image=red"), QStringLiteral("mask=junk")} << 400
                                  << QStringLiteral("The mask must be a PNG image");
    QTest::newRow("mask size differs") << ok
                                       << QStringList {QStringLiteral("image=red"), QStringLiteral("mask=hole512")}
                                       << 400 << QStringLiteral("The mask is 512x512 but the image is 256x256");
    QTest::newRow("mask without alpha") << ok
                                        << QStringList {QStringLiteral("image=red"), QStringLiteral("mask=opaque")}
                                        << 400 << QStringLiteral("The mask has no alpha channel");
}

void tst_SandboxEdits::edit_refused()
{
    QFETCH(QStringList, fields);
    QFETCH(QStringList, files);
    QFETCH(int, status);
    QFETCH(QString, message);

    QList<FilePart> parts;
    for (const QString& file : files) {
        const QStringList nameKind = file.split(QLatin1Char('='));
        parts.append({nameKind.at(0).toUtf8(), fileBytes(nameKind.at(1).toUtf8())});
    }
    const Reply r = edit(fieldsOf(fields), parts);
    QCOMPARE(r.status, status);
    QVERIFY2(r.message().contains(message), qPrintable(r.message()));
    QVERIFY(!r.error().value(QLatin1String("request_id")).toString().isEmpty());
    if (status == 400)
        QCOMPARE(r.error().value(QLatin1String("code")).toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(m_server->balance(), 1000.0);

    // The hook shows what was sent, and why it was refused.
    const std::optional<SandboxEditRecord> seen = m_server->lastEdit();
    QVERIFY(seen);
    QCOMPARE(seen->error, r.message());
    const auto images = std::count_if(files.cbegin(), files.cend(),
                                      [](const QString& file) { return file.startsWith(QLatin1String("image")); });
    QCOMPARE(seen->images.size(), images);
    QCOMPARE(seen->hasMask, files.join(QLatin1Char(',')).contains(QLatin1String("mask=")));
    QVERIFY(!seen->outputSize.isValid());
}

void tst_SandboxEdits::edit_malformedBody_data()
{
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");

    const QByteArray form = QByteArrayLiteral("multipart/form-data; boundary=XyZ");
    const QByteArray good = body("XyZ", {{disposition("model"), "nano-banana"}, {disposition("prompt"), "p"}});
    QTest::newRow("json body") << QByteArrayLiteral("application/json")
                               << QByteArrayLiteral("{\"model\":\"nano-banana\",\"prompt\":\"p\"}")
                               << QStringLiteral("must be multipart/form-data (got application/json)");
    QTest::newRow("form urlencoded") << QByteArrayLiteral("application/x-www-form-urlencoded") << good
                                     << QStringLiteral("must be multipart/form-data");
    QTest::newRow("missing boundary") << QByteArrayLiteral("multipart/form-data") << good
                                      << QStringLiteral("has no boundary parameter");
    QTest::newRow("invalid boundary") << QByteArrayLiteral("multipart/form-data; boundary=\"{}\"") << good
                                      << QStringLiteral("boundary is invalid");
    QTest::newRow("other boundary") << QByteArrayLiteral("multipart/form-data; boundary=Other") << good
                                    << QStringLiteral("no multipart boundary line");
    QTest::newRow("truncated") << form << good.left(good.size() - 12) << QStringLiteral("(truncated)");
    QTest::newRow("garbage") << form << QByteArray("\x00\xff\r\n--\r\n\r\n", 10)
                             << QStringLiteral("no multipart boundary line");
    QTest::newRow("empty") << form << QByteArray() << QStringLiteral("no multipart boundary line");
    QTest::newRow("part without name") << form
                                       << body("XyZ", {{"Content-Disposition: form-data; filename=\"a.png\"", "x"}})
                                       << QStringLiteral("Part 1 has no name");
}

void tst_SandboxEdits::edit_malformedBody()
{
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    const Reply r = raw(contentType, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.error().value(QLatin1String("code")).toString(), QStringLiteral("invalid_request_error"));
    QVERIFY2(r.message().contains(message), qPrintable(r.message()));
    QVERIFY(!m_server->lastEdit()); // nothing readable was carried
    QCOMPARE(raw(contentType, body, QStringLiteral("/v1/async/images/edits")).status, 400);
}

void tst_SandboxEdits::edit_bodyCap()
{
    m_server->setMaxBodyBytes(1024 * 1024);
    const Reply r = edit({{"model", "gpt-image-1.5"}, {"prompt", "p"}}, {{"image", QByteArray(2 * 1024 * 1024, 'x')}});
    QCOMPARE(r.status, 413);
    QCOMPARE(r.error().value(QLatin1String("code")).toString(), QStringLiteral("request_too_large"));
    QVERIFY2(r.message().contains(QLatin1String("takes at most 1.0 MiB")), qPrintable(r.message()));
    QVERIFY(!m_server->lastEdit());
    QCOMPARE(edit({{"model", "gpt-image-1.5"}, {"prompt", "p"}}, {{"image", TestEnv::solidPng(kRed)}}).status, 200);
    // The cap applies to JSON generations too.
    const QByteArray json = "{\"model\":\"nano-banana\",\"prompt\":\"" + QByteArray(2 * 1024 * 1024, 'p') + "\"}";
    QCOMPARE(raw(QByteArrayLiteral("application/json"), json, QStringLiteral("/v1/images/generations")).status, 413);
    QCOMPARE(m_server->balance(), 1000 - 1.0);
}

QTEST_GUILESS_MAIN(tst_SandboxEdits)
#include "tst_SandboxEdits.moc"
