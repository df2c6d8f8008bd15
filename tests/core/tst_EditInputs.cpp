#include "TestEnv.h"
#include "edit/EditCapability.h"
#include "edit/EditInputPrep.h"
#include "edit/EditMask.h"

#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImageReader>
#include <QImageWriter>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QtEndian>

#include <memory>

using namespace Pixapi;

namespace {

// Random pixels: they compress badly, so the files are heavy for their size, like photographs.
QImage noise(int width, int height, quint32 seed = 1)
{
    QImage image(width, height, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < height; ++y) {
        auto* row = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < width; ++x)
            row[x] = random.generate() | 0xff000000u;
    }
    return image;
}

// A gradient: small files.
QImage gradient(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, qRgb(x * 255 / width, y * 255 / height, 128));
    }
    return image;
}

// Noise whose left quarter is fully transparent.
QImage transparentNoise(int width, int height)
{
    QImage image = noise(width, height, 7).convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width / 4; ++x)
            image.setPixel(x, y, qRgba(0, 0, 0, 0));
    }
    return image;
}

QImage decoded(const QByteArray& bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    return reader.read();
}

QByteArray formatOf(const QByteArray& bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return QImageReader(&buffer).format();
}

bool canWriteWebp()
{
    return QImageWriter::supportedImageFormats().contains("webp")
           && QImageReader::supportedImageFormats().contains("webp");
}

ModelInfo editModel(int maxImages = 0, qint64 maxBytes = 0, int maxEdge = 0)
{
    ModelInfo model;
    model.id = QStringLiteral("nano-banana");
    model.name = QStringLiteral("Nano Banana");
    model.supportsEdits = true;
    model.supportsMask = true;
    model.maxInputImages = maxImages;
    model.maxInputBytes = maxBytes;
    model.maxInputEdge = maxEdge;
    return model;
}

quint32 crc32(const QByteArray& data)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : data) {
        crc ^= static_cast<quint8>(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray bigEndian(quint32 value)
{
    QByteArray bytes(4, '\0');
    qToBigEndian(value, bytes.data());
    return bytes;
}

QByteArray pngChunk(const QByteArray& type, const QByteArray& data)
{
    return bigEndian(static_cast<quint32>(data.size())) + type + data + bigEndian(crc32(type + data));
}

// A valid PNG header announcing width × height RGBA pixels, followed by a scrap of image data: decoding it would
// need width × height × 4 bytes.
QByteArray forgedPngHeader(quint32 width, quint32 height)
{
    QByteArray header = bigEndian(width) + bigEndian(height);
    header += QByteArray::fromHex("0806000000"); // 8 bits, RGBA, deflate, no filter, no interlace
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", header)
           + pngChunk("IDAT", QByteArray::fromHex("789c636000000002000100")) + pngChunk("IEND", {});
}

QString refusalText(const Result<EditInputs, EditRefusal>& result)
{
    return result.ok() ? QStringLiteral("(accepted)") : result.error().message;
}

} // namespace

class tst_EditInputs : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;

    QString write(const QString& name, const QByteArray& bytes)
    {
        const QString path = m_dir->filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QString write(const char* name, const QByteArray& bytes) { return write(QString::fromUtf8(name), bytes); }

    EditInputRequest request(const QList<EditSource>& sources, const ModelInfo& model = editModel())
    {
        EditInputRequest r;
        r.sources = sources;
        r.model = model;
        return r;
    }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }
    void cleanup() { m_dir.reset(); }

    void smallFilesPassThroughUnchanged_data()
    {
        QTest::addColumn<QByteArray>("format");
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("mimeType");
        QTest::addColumn<QString>("uploadName");
        QTest::newRow("png") << QByteArray("PNG") << "photo.png" << QByteArray("image/png") << "photo.png";
        QTest::newRow("jpeg") << QByteArray("JPEG") << "photo.jpeg" << QByteArray("image/jpeg") << "photo.jpeg";
        QTest::newRow("webp") << QByteArray("WEBP") << "photo.webp" << QByteArray("image/webp") << "photo.webp";
        QTest::newRow("jpeg named .png") << QByteArray("JPEG") << "misnamed.png" << QByteArray("image/jpeg")
                                         << "misnamed.jpg";
        QTest::newRow("png without suffix") << QByteArray("PNG") << "scan" << QByteArray("image/png") << "scan.png";
    }

    void smallFilesPassThroughUnchanged()
    {
        QFETCH(QByteArray, format);
        QFETCH(QString, fileName);
        QFETCH(QByteArray, mimeType);
        QFETCH(QString, uploadName);
        if (format == "WEBP" && !canWriteWebp())
            QSKIP("no WebP image plugin");
        const QByteArray bytes = TestEnv::encodedImage(noise(300, 200), format.constData());
        const QByteArray second = TestEnv::encodedImage(gradient(64, 64), "PNG");
        const auto result = EditInputPrep::prepare(
            request({EditSource::fromFile(write(fileName, bytes)), EditSource::fromFile(write("b.png", second))}));
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        const EditInputs& inputs = result.value();
        QVERIFY(inputs.isEdit());
        QCOMPARE(inputs.images.size(), 2);
        QVERIFY(inputs.images.at(0).bytes == bytes); // the file itself, not a re-encoding
        QCOMPARE(inputs.images.at(0).mimeType, mimeType);
        QCOMPARE(inputs.images.at(0).fileName, uploadName);
        QVERIFY(inputs.images.at(1).bytes == second);
        QCOMPARE(inputs.images.at(1).fileName, QStringLiteral("b.png"));
        QVERIFY(inputs.maskPng.isEmpty());
    }

    void tooManyImagesRefused()
    {
        QList<EditSource> five;
        for (int i = 0; i < 5; ++i)
            five << EditSource::fromFile(m_dir->filePath(QStringLiteral("missing%1.png").arg(i)));
        // Counted before any file is read: the files do not exist.
        const auto result = EditInputPrep::prepare(request(five, editModel(3)));
        QVERIFY(!result.ok());
        const QString message = result.error().message;
        QVERIFY2(message.startsWith(QStringLiteral("Nano Banana takes at most 3 input image")), qPrintable(message));
        QVERIFY2(message.endsWith(QStringLiteral("; 5 are chosen.")), qPrintable(message));
        QCOMPARE(result.error().sourceIndex, -1);
        QVERIFY(!result.error().canDownscale);

        // Without a limit from the model, the default applies.
        const QByteArray png = TestEnv::encodedImage(gradient(32, 32), "PNG");
        QList<EditSource> sources;
        for (int i = 0; i < EditLimits::DefaultMaxImages; ++i)
            sources << EditSource::fromFile(write(QStringLiteral("in%1.png").arg(i), png));
        QVERIFY(EditInputPrep::prepare(request(sources)).ok());
        sources << EditSource::fromFile(write(QStringLiteral("extra.png"), png));
        QVERIFY(!EditInputPrep::prepare(request(sources)).ok());
    }

    void heavyFileRefusedWithDownscaleOffer()
    {
        const QByteArray heavy = TestEnv::encodedImage(noise(200, 200), "PNG");
        QVERIFY(heavy.size() > 100000);
        const QString small = write("small.png", TestEnv::encodedImage(gradient(32, 32), "PNG"));
        const auto result = EditInputPrep::prepare(request(
            {EditSource::fromFile(small), EditSource::fromFile(write("heavy.png", heavy))}, editModel(0, 50000)));
        QVERIFY(!result.ok());
        QVERIFY(result.error().canDownscale);
        QCOMPARE(result.error().sourceIndex, 1);
        QVERIFY2(result.error().message.startsWith(QStringLiteral("heavy.png is ")),
                 qPrintable(result.error().message));
        QVERIFY(result.error().message.contains(QStringLiteral("Nano Banana takes files up to")));
    }

    void largeImageRefusedWithDownscaleOffer()
    {
        const QString wide = write("wide.png", TestEnv::encodedImage(gradient(512, 300), "PNG"));
        const auto result = EditInputPrep::prepare(request({EditSource::fromFile(wide)}, editModel(0, 0, 256)));
        QVERIFY(!result.ok());
        QVERIFY(result.error().canDownscale);
        QCOMPARE(result.error().sourceIndex, 0);
        QCOMPARE(result.error().message,
                 QStringLiteral("wide.png is 512 × 300 pixels; Nano Banana takes images up to 256 pixels on the "
                                "longest side."));
        // The default edge limit when the model gives none.
        const QString huge =
            write("huge.png", TestEnv::encodedImage(gradient(EditLimits::DefaultMaxEdge + 1, 8), "PNG"));
        const auto defaulted = EditInputPrep::prepare(request({EditSource::fromFile(huge)}));
        QVERIFY(!defaulted.ok());
        QVERIFY(defaulted.error().canDownscale);
    }

    void downscaleFitsTheLimitsAndScalesTheMask()
    {
        const QString photo = write("photo.png", TestEnv::encodedImage(noise(800, 600), "PNG"));
        const QByteArray smallBytes = TestEnv::encodedImage(gradient(100, 100), "PNG");
        const QString small = write("small.png", smallBytes);
        EditInputRequest r =
            request({EditSource::fromFile(photo), EditSource::fromFile(small)}, editModel(0, 150000, 400));
        r.mask = EditMask(QSize(800, 600));
        r.mask.paintStroke(QPointF(200, -1000), QPointF(200, 2000), 200, EditMask::Tool::Brush); // the left half
        QCOMPARE(r.mask.coverage(), 0.5);

        QVERIFY(!EditInputPrep::prepare(r).ok());
        r.downscale = true;
        const auto result = EditInputPrep::prepare(r);
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        const EditImage& first = result.value().images.at(0);
        QVERIFY(first.bytes.size() <= 150000);
        QCOMPARE(first.mimeType, QByteArray("image/jpeg")); // no transparency: JPEG
        QCOMPARE(formatOf(first.bytes), QByteArray("jpeg"));
        QCOMPARE(first.fileName, QStringLiteral("photo.jpg"));
        const QImage sent = decoded(first.bytes);
        QVERIFY(std::max(sent.width(), sent.height()) <= 400);
        QVERIFY(std::abs(sent.width() * 600.0 / sent.height() - 800.0) < 4.0); // the aspect ratio stays
        QVERIFY(result.value().images.at(1).bytes == smallBytes);              // within the limits: untouched

        const QByteArray maskPng = result.value().maskPng;
        const Result<QSize, QString> check = EditMask::checkPng(maskPng, sent.size());
        QVERIFY2(check.ok(), qPrintable(check.ok() ? QString() : check.error()));
        const QImage mask = decoded(maskPng).convertToFormat(QImage::Format_ARGB32);
        QCOMPARE(mask.size(), sent.size());
        QCOMPARE(qAlpha(mask.pixel(sent.width() / 4, sent.height() / 2)), 0);
        QCOMPARE(qAlpha(mask.pixel(sent.width() * 3 / 4, sent.height() / 2)), 255);
        QCOMPARE(qAlpha(mask.pixel(0, 0)), 0);
        QCOMPARE(qAlpha(mask.pixel(sent.width() - 1, sent.height() - 1)), 255);
    }

    void downscaleStepsDownForTheByteLimit()
    {
        const QString path = write("noise.png", TestEnv::encodedImage(noise(600, 600), "PNG"));
        EditInputRequest r = request({EditSource::fromFile(path)}, editModel(0, 40000));
        r.downscale = true;
        const auto result = EditInputPrep::prepare(r);
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        const EditImage& image = result.value().images.at(0);
        QVERIFY(image.bytes.size() <= 40000);
        QCOMPARE(image.fileName, QStringLiteral("noise.jpg"));
        const QImage sent = decoded(image.bytes);
        QVERIFY(sent.width() < 600);
        QCOMPARE(sent.width(), sent.height());
        QVERIFY(sent.width() >= EditInputPrep::MinDownscaleEdge);
    }

    void downscaleNeverUpscales()
    {
        // Over the byte limit only, and small: re-encoded at its own size, never larger.
        const QString path = write("tiny.png", TestEnv::encodedImage(noise(120, 90), "PNG"));
        EditInputRequest r = request({EditSource::fromFile(path)}, editModel(0, 30000, 4096));
        r.downscale = true;
        const auto result = EditInputPrep::prepare(r);
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        const QImage sent = decoded(result.value().images.at(0).bytes);
        QVERIFY(sent.width() <= 120 && sent.height() <= 90);

        // A limit no image can meet is refused, and downscaling cannot help.
        r.model = editModel(0, 200);
        const auto impossible = EditInputPrep::prepare(r);
        QVERIFY(!impossible.ok());
        QVERIFY(!impossible.error().canDownscale);
        QVERIFY2(impossible.error().message.startsWith(QStringLiteral("tiny.png cannot be made small enough")),
                 qPrintable(impossible.error().message));
    }

    void transparencyKeepsPng_data()
    {
        QTest::addColumn<bool>("transparent");
        QTest::newRow("transparent pixels: PNG") << true;
        QTest::newRow("opaque alpha channel: JPEG") << false;
    }

    void transparencyKeepsPng()
    {
        QFETCH(bool, transparent);
        const QImage image =
            transparent ? transparentNoise(600, 400) : noise(600, 400).convertToFormat(QImage::Format_ARGB32);
        const QString path = write("layer.png", TestEnv::encodedImage(image, "PNG"));
        EditInputRequest r = request({EditSource::fromFile(path)}, editModel(0, 0, 300));
        r.downscale = true;
        const auto result = EditInputPrep::prepare(r);
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        const EditImage& sentImage = result.value().images.at(0);
        const QImage sent = decoded(sentImage.bytes);
        QCOMPARE(sent.size(), QSize(300, 200));
        if (transparent) {
            QCOMPARE(sentImage.mimeType, QByteArray("image/png"));
            QCOMPARE(sentImage.fileName, QStringLiteral("layer.png"));
            QVERIFY(sent.hasAlphaChannel());
            QCOMPARE(qAlpha(sent.pixel(10, 100)), 0);
            QCOMPARE(qAlpha(sent.pixel(250, 100)), 255);
        } else {
            QCOMPARE(sentImage.mimeType, QByteArray("image/jpeg"));
            QCOMPARE(sentImage.fileName, QStringLiteral("layer.jpg"));
        }
    }

    void unusableSourcesNamed_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("createFile");
        const QByteArray png = TestEnv::encodedImage(noise(64, 64), "PNG");
        QTest::newRow("text") << "notes.png" << QByteArray("just some notes\n") << "is not an image the server takes"
                              << true;
        QTest::newRow("empty") << "empty.png" << QByteArray() << "is empty" << true;
        QTest::newRow("truncated PNG") << "cut.png" << png.left(png.size() / 2) << "is damaged or incomplete" << true;
        QTest::newRow("header only") << "stub.png" << png.left(20) << "is damaged or incomplete" << true;
        QTest::newRow("BMP") << "picture.bmp" << TestEnv::encodedImage(gradient(16, 16), "BMP")
                             << "is not an image the server takes" << true;
        QTest::newRow("missing") << "gone.png" << QByteArray() << "cannot be read" << false;
    }

    void unusableSourcesNamed()
    {
        QFETCH(QString, fileName);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        QFETCH(bool, createFile);
        const QString good = write("good.png", TestEnv::encodedImage(gradient(32, 32), "PNG"));
        const QString path = createFile ? write(fileName, bytes) : m_dir->filePath(fileName);
        for (const bool downscale : {false, true}) {
            EditInputRequest r = request({EditSource::fromFile(good), EditSource::fromFile(path)});
            r.downscale = downscale;
            const auto result = EditInputPrep::prepare(r);
            QVERIFY(!result.ok());
            QVERIFY2(result.error().message.startsWith(fileName + QLatin1Char(' ')),
                     qPrintable(result.error().message));
            QVERIFY2(result.error().message.contains(reason), qPrintable(result.error().message));
            QCOMPARE(result.error().sourceIndex, 1);
            QVERIFY(!result.error().canDownscale);
        }
    }

    void inMemorySources()
    {
        const QByteArray png = TestEnv::encodedImage(gradient(50, 40), "PNG");
        const QByteArray jpeg = TestEnv::encodedImage(noise(50, 40), "JPEG");
        const auto result = EditInputPrep::prepare(request(
            {EditSource::fromBytes(png), EditSource::fromBytes(jpeg, QStringLiteral("Screenshot 2024-05-01"))}));
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        QVERIFY(result.value().images.at(0).bytes == png);
        QCOMPARE(result.value().images.at(0).mimeType, QByteArray("image/png"));
        QCOMPARE(result.value().images.at(0).fileName, QStringLiteral("image.png"));
        QVERIFY(result.value().images.at(1).bytes == jpeg);
        QCOMPARE(result.value().images.at(1).mimeType, QByteArray("image/jpeg"));
        QCOMPARE(result.value().images.at(1).fileName, QStringLiteral("Screenshot 2024-05-01.jpg"));

        const auto garbage = EditInputPrep::prepare(request({EditSource::fromBytes("<html>not an image</html>")}));
        QVERIFY(!garbage.ok());
        QCOMPARE(garbage.error().message,
                 QStringLiteral("Pasted image is not an image the server takes (PNG, JPEG or WebP)."));
    }

    void forgedHugeHeaderRefusedWithoutDecoding()
    {
        const QByteArray forged = forgedPngHeader(50000, 50000);
        { // the forged file really announces that size
            QBuffer buffer;
            buffer.setData(forged);
            buffer.open(QIODevice::ReadOnly);
            QCOMPARE(QImageReader(&buffer).size(), QSize(50000, 50000));
        }
        const QString path = write("bomb.png", forged);
        for (const bool downscale : {false, true}) {
            // Limits the image would pass: only the decode guard stands between it and a 10 GB allocation.
            EditInputRequest r = request({EditSource::fromFile(path)}, editModel(0, 0, 100000));
            r.downscale = downscale;
            QElapsedTimer timer;
            timer.start();
            const auto result = EditInputPrep::prepare(r);
            QVERIFY(timer.elapsed() < 2000);
            QVERIFY(!result.ok());
            QCOMPARE(result.error().message, QStringLiteral("bomb.png is too large to open (50000 × 50000 pixels)."));
            QVERIFY(!result.error().canDownscale);
        }
    }

    void maskFileChecked()
    {
        const QString path = write("base.png", TestEnv::encodedImage(gradient(300, 200), "PNG"));
        EditMask painted(QSize(300, 200));
        painted.paintDot(QPointF(150, 100), 40, EditMask::Tool::Brush);

        EditInputRequest r = request({EditSource::fromFile(path)});
        r.maskPng = painted.toPng();
        auto result = EditInputPrep::prepare(r);
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        QVERIFY(result.value().maskPng == r.maskPng); // checked and sent as it is

        r.maskPng = EditMask(QSize(64, 64)).toPng();
        result = EditInputPrep::prepare(r);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message, QStringLiteral("The mask is 64 × 64 pixels but the image is 300 × 200."));
        QCOMPARE(result.error().sourceIndex, -1);

        r.maskPng = TestEnv::encodedImage(gradient(300, 200), "PNG"); // opaque: no alpha channel
        result = EditInputPrep::prepare(r);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QStringLiteral("no transparency")),
                 qPrintable(result.error().message));

        r.maskPng.clear();
        r.mask = EditMask(QSize(200, 300));
        r.mask.paintDot(QPointF(10, 10), 5, EditMask::Tool::Brush);
        result = EditInputPrep::prepare(r);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message, QStringLiteral("The mask is 200 × 300 pixels but the image is 300 × 200."));

        r.mask = painted;
        result = EditInputPrep::prepare(r);
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        QCOMPARE(EditMask::fromPng(result.value().maskPng, QSize(300, 200)).value().image(), painted.image());
    }

    void maskFileScaledWithTheImage()
    {
        const QString path = write("big.png", TestEnv::encodedImage(gradient(800, 400), "PNG"));
        EditMask painted(QSize(800, 400));
        painted.paintStroke(QPointF(600, -100), QPointF(600, 500), 200, EditMask::Tool::Brush); // the right half
        EditInputRequest r = request({EditSource::fromFile(path)}, editModel(0, 0, 200));
        r.maskPng = painted.toPng();
        r.downscale = true;
        const auto result = EditInputPrep::prepare(r);
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        const Result<EditMask, QString> mask = EditMask::fromPng(result.value().maskPng, QSize(200, 100));
        QVERIFY2(mask.ok(), qPrintable(mask.ok() ? QString() : mask.error()));
        QCOMPARE(mask.value().coverage(), 0.5);
        QCOMPARE(qGray(mask.value().image().pixel(150, 50)), 255);
        QCOMPARE(qGray(mask.value().image().pixel(50, 50)), 0);
    }

    void maskNeedsAModelThatTakesOne()
    {
        const QString path = write("base.png", TestEnv::encodedImage(gradient(100, 100), "PNG"));
        ModelInfo model = editModel();
        model.supportsMask = false;
        EditInputRequest r = request({EditSource::fromFile(path)}, model);
        r.mask = EditMask(QSize(100, 100));
        // Nothing painted counts as no mask.
        auto result = EditInputPrep::prepare(r);
        QVERIFY2(result.ok(), qPrintable(refusalText(result)));
        QVERIFY(result.value().maskPng.isEmpty());

        r.mask.paintDot(QPointF(50, 50), 10, EditMask::Tool::Brush);
        result = EditInputPrep::prepare(r);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message,
                 QStringLiteral("Nano Banana cannot use a mask; clear the mask or pick another model."));

        model.supportsEdits = false;
        r.model = model;
        r.mask = EditMask();
        result = EditInputPrep::prepare(r);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message, QStringLiteral("Nano Banana does not take input images."));
    }

    void futureVariantGivesTheSameResult()
    {
        const QString path = write("photo.png", TestEnv::encodedImage(noise(500, 300), "PNG"));
        EditInputRequest r = request({EditSource::fromFile(path)}, editModel(0, 60000, 250));
        r.mask = EditMask(QSize(500, 300));
        r.mask.paintDot(QPointF(250, 150), 60, EditMask::Tool::Brush);
        r.downscale = true;
        QFuture<Result<EditInputs, EditRefusal>> future = EditInputPrep::prepareAsync(r);
        future.waitForFinished();
        QCOMPARE(future.resultCount(), 1);
        const auto async = future.result();
        const auto sync = EditInputPrep::prepare(r);
        QVERIFY2(async.ok(), qPrintable(refusalText(async)));
        QVERIFY(async.value().images.at(0).bytes == sync.value().images.at(0).bytes);
        QVERIFY(async.value().maskPng == sync.value().maskPng);
        QCOMPARE(decoded(async.value().images.at(0).bytes).size(), QSize(250, 150));

        QThreadPool pool;
        r.downscale = false;
        QFuture<Result<EditInputs, EditRefusal>> refused = EditInputPrep::prepareAsync(r, &pool);
        refused.waitForFinished();
        QVERIFY(!refused.result().ok());
        QVERIFY(refused.result().error().canDownscale);
    }

    void capabilityRefusals_data()
    {
        QTest::addColumn<bool>("edits");
        QTest::addColumn<bool>("mask");
        QTest::addColumn<int>("maxImages");
        QTest::addColumn<int>("inputs");
        QTest::addColumn<bool>("hasMask");
        QTest::addColumn<QString>("expected"); // empty: accepted; otherwise the start of the reason

        const QString none;
        QTest::newRow("no edits") << false << false << 0 << 1 << false << "Nano Banana does not take input images.";
        QTest::newRow("no edits, plain generation") << false << false << 0 << 0 << false << none;
        QTest::newRow("mask unsupported") << true << false << 3 << 1 << true
                                          << "Nano Banana cannot use a mask; clear the mask or pick another model.";
        QTest::newRow("mask supported") << true << true << 3 << 1 << true << none;
        QTest::newRow("at the limit") << true << false << 3 << 3 << false << none;
        QTest::newRow("over the limit") << true << false << 3 << 5 << false << "Nano Banana takes at most 3 input";
        QTest::newRow("one only") << true << false << 1 << 2 << false << "Nano Banana takes at most 1 input";
        QTest::newRow("default limit") << true << false << 0 << EditLimits::DefaultMaxImages << false << none;
        QTest::newRow("over the default")
            << true << false << 0 << EditLimits::DefaultMaxImages + 1 << false << "Nano Banana takes at most 4 input";
        QTest::newRow("mask without image") << true << true << 0 << 0 << true << "A mask needs an input image";
    }

    void capabilityRefusals()
    {
        QFETCH(bool, edits);
        QFETCH(bool, mask);
        QFETCH(int, maxImages);
        QFETCH(int, inputs);
        QFETCH(bool, hasMask);
        QFETCH(QString, expected);
        ModelInfo model = editModel(maxImages);
        model.supportsEdits = edits;
        model.supportsMask = mask;
        const std::optional<QString> refusal = EditCapability::refusal(model, inputs, hasMask);
        if (expected.isEmpty()) {
            QVERIFY2(!refusal, qPrintable(refusal.value_or(QString())));
        } else {
            QVERIFY(refusal);
            QVERIFY2(refusal->startsWith(expected), qPrintable(*refusal));
        }
    }

    void capabilityNamesTheModel()
    {
        ModelInfo model;
        model.id = QStringLiteral("nano-banana-lite");
        QCOMPARE(EditCapability::refusal(model, 1, false).value_or(QString()),
                 QStringLiteral("nano-banana-lite does not take input images."));
        model.name = QStringLiteral("Nano Banana Lite");
        QCOMPARE(EditCapability::refusal(model, 1, false).value_or(QString()),
                 QStringLiteral("Nano Banana Lite does not take input images."));
        model.name = QStringLiteral("Odd %2 name");
        model.supportsEdits = true;
        model.maxInputImages = 1;
        const QString reason = EditCapability::refusal(model, 2, false).value_or(QString());
        QVERIFY2(reason.startsWith(QStringLiteral("Odd %2 name takes")), qPrintable(reason));
    }

    void capabilitySummary()
    {
        ModelInfo model = editModel(3);
        model.supportsMask = false;
        QString summary = EditCapability::summary(model);
        QVERIFY2(summary.startsWith(QStringLiteral("Takes up to 3 input image")), qPrintable(summary));
        QVERIFY(summary.endsWith(QStringLiteral(", no mask")));
        model.supportsMask = true;
        summary = EditCapability::summary(model);
        QVERIFY(summary.endsWith(QStringLiteral(", with a mask")));
        model.supportsEdits = false;
        QCOMPARE(EditCapability::summary(model), QStringLiteral("Takes no input images"));
        QVERIFY(EditCapability::summary(editModel()).startsWith(QStringLiteral("Takes up to 4 input image")));
    }

    void limitsFromTheModelOrDefaults()
    {
        const EditLimits defaults = EditLimits::forModel(ModelInfo());
        QCOMPARE(defaults.maxImages, EditLimits::DefaultMaxImages);
        QCOMPARE(defaults.maxBytes, EditLimits::DefaultMaxBytes);
        QCOMPARE(defaults.maxEdge, EditLimits::DefaultMaxEdge);
        const EditLimits told = EditLimits::forModel(editModel(2, 1000, 512));
        QCOMPARE(told.maxImages, 2);
        QCOMPARE(told.maxBytes, 1000);
        QCOMPARE(told.maxEdge, 512);
    }
};

QTEST_GUILESS_MAIN(tst_EditInputs)
#include "tst_EditInputs.moc"
