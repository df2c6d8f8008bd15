#include "TestEnv.h"
#include "library/ImageMetadata.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

namespace {

ImageMetadata sample()
{
    ImageMetadata metadata;
    // Unicode, a blank line, double spaces and a colon: all of them break Qt's plain text-key round trip.
    metadata.prompt = QStringLiteral("Ein Leuchtturm  bei Dämmerung: 灯台\n\nline two");
    metadata.model = QStringLiteral("nano-banana");
    metadata.params = QJsonObject {{QStringLiteral("size"), QStringLiteral("64x48")},
                                   {QStringLiteral("n"), 2},
                                   {QStringLiteral("revised_prompt"), QStringLiteral("a lighthouse, revised")}};
    metadata.requestId = QStringLiteral("req-42");
    metadata.createdAt = QDateTime(QDate(2024, 3, 5), QTime(10, 11, 12, 345), Qt::UTC);
    return metadata;
}

QByteArray encodeWith(const ImageMetadata& metadata, const char* format)
{
    QImage image(16, 12, QImage::Format_RGB32);
    image.fill(Qt::darkCyan);
    metadata.embed(image);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!QImageWriter(&buffer, format).write(image))
        qFatal("cannot encode the test image");
    return bytes;
}

// An image as an API returns it: no text at all. Noise, so the pixels would show any re-encoding.
QByteArray plainEncoded(const char* format)
{
    QImage image(20, 14, QImage::Format_RGB32);
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            image.setPixel(x, y, qRgb((x * 37) % 256, (y * 91) % 256, (x * y * 13) % 256));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!QImageWriter(&buffer, format).write(image))
        qFatal("cannot encode the test image");
    return bytes;
}

QStringList textKeys(const QByteArray& bytes)
{
    QByteArray data = bytes;
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    return reader.textKeys();
}

void compare(const ImageMetadata& actual, const ImageMetadata& expected)
{
    QCOMPARE(actual.prompt, expected.prompt);
    QCOMPARE(actual.model, expected.model);
    QCOMPARE(actual.params, expected.params);
    QCOMPARE(actual.requestId, expected.requestId);
    QCOMPARE(actual.createdAt, expected.createdAt);
}

} // namespace

class tst_ImageMetadata : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("format");
        QTest::newRow("png") << QByteArray("png");
        QTest::newRow("jpeg") << QByteArray("jpeg");
    }
    void roundTrip()
    {
        QFETCH(QByteArray, format);
        const QByteArray bytes = encodeWith(sample(), format.constData());
        const auto read = ImageMetadata::fromBytes(bytes);
        QVERIFY(read);
        compare(*read, sample());

        // The same through a file, and with the human-readable keys other tools show.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("x.") + QString::fromLatin1(format));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.close();
        const auto fromFile = ImageMetadata::read(path);
        QVERIFY(fromFile);
        compare(*fromFile, sample());
        QImageReader reader(path);
        QCOMPARE(reader.text(QStringLiteral("Description")), sample().prompt.simplified());
        QCOMPARE(reader.text(QStringLiteral("Software")), QStringLiteral("Pixapi Studio"));
    }

    void stripPrompt()
    {
        const ImageMetadata stripped = sample().withoutPrompt();
        const QByteArray bytes = encodeWith(stripped, "png");
        QVERIFY(!bytes.contains("Leuchtturm"));
        QVERIFY(!bytes.contains("Description"));
        const auto read = ImageMetadata::fromBytes(bytes);
        QVERIFY(read);
        QVERIFY(read->prompt.isEmpty());
        QVERIFY(!read->params.contains(QStringLiteral("revised_prompt")));
        QCOMPARE(read->model, sample().model);
        QCOMPARE(read->params.value(QStringLiteral("size")).toString(), QStringLiteral("64x48"));
    }

    void nothingEmbedded()
    {
        QImage image(8, 8, QImage::Format_RGB32);
        image.fill(Qt::red);
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(image.save(&buffer, "png"));
        QVERIFY(!ImageMetadata::fromBytes(bytes));
        QVERIFY(!ImageMetadata::fromBytes(QByteArray("not an image")));
        QVERIFY(!ImageMetadata::read(QStringLiteral("/nonexistent/file.png")));

        // A damaged payload is no metadata, not garbage settings.
        image.setText(ImageMetadata::payloadKey(), QStringLiteral("!!!not base64!!!"));
        bytes.clear();
        QBuffer damaged(&bytes);
        damaged.open(QIODevice::WriteOnly);
        QVERIFY(image.save(&damaged, "png"));
        QVERIFY(!ImageMetadata::fromBytes(bytes));
    }

    void embedsIntoEncodedBytes_data()
    {
        QTest::addColumn<QByteArray>("format");
        QTest::newRow("png") << QByteArray("png");
        QTest::newRow("jpeg") << QByteArray("jpeg");
    }

    void embedsIntoEncodedBytes()
    {
        QFETCH(QByteArray, format);
        const QByteArray original = plainEncoded(format.constData());
        QVERIFY(!ImageMetadata::fromBytes(original));

        const QByteArray embedded = sample().embedInEncoded(original);
        QVERIFY(embedded.size() > original.size());
        // The same pixels: the encoded image data is untouched (a JPEG is not decoded and compressed again).
        const QImage before = QImage::fromData(original);
        const QImage after = QImage::fromData(embedded);
        QVERIFY(!after.isNull());
        QCOMPARE(after, before);
        QCOMPARE(embedded.right(original.size() - 40), original.right(original.size() - 40));
        QCOMPARE(embedded.left(8), original.left(8)); // PNG signature; JPEG SOI and its JFIF APP0 stay first
        // Qt reports it under our key (JPEG: the comment "PixapiMetadata: ..." split at ": "), so read() finds it.
        QCOMPARE(textKeys(embedded), QStringList {ImageMetadata::payloadKey()});
        const auto read = ImageMetadata::fromBytes(embedded);
        QVERIFY(read);
        compare(*read, sample());

        // Never a second payload, whoever wrote the first.
        ImageMetadata other;
        other.prompt = QStringLiteral("something else");
        QCOMPARE(other.embedInEncoded(embedded), embedded);
        const QByteArray exported = encodeWith(sample(), format.constData());
        QCOMPARE(other.embedInEncoded(exported), exported);
    }

    void embedLeavesOtherBytesAlone()
    {
        const ImageMetadata metadata = sample();
        const QByteArray junk("not an image at all");
        QCOMPARE(metadata.embedInEncoded(junk), junk);
        QCOMPARE(metadata.embedInEncoded(QByteArray()), QByteArray());
        const QByteArray webp = plainEncoded("webp"); // WebP is documented to carry nothing
        QCOMPARE(metadata.embedInEncoded(webp), webp);
        const QByteArray cut = plainEncoded("png").left(20); // signature, but no whole IHDR
        QCOMPARE(metadata.embedInEncoded(cut), cut);

        // A damaged payload still counts as one: a second chunk would leave readers to pick either.
        QImage image(8, 8, QImage::Format_RGB32);
        image.fill(Qt::red);
        image.setText(ImageMetadata::payloadKey(), QStringLiteral("!!!not base64!!!"));
        QByteArray damaged;
        QBuffer buffer(&damaged);
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(image.save(&buffer, "png"));
        QCOMPARE(metadata.embedInEncoded(damaged), damaged);

        // A JPEG comment holds at most 65533 bytes: a longer payload is not written rather than cut.
        ImageMetadata huge;
        huge.prompt = QString(60000, QLatin1Char('x'));
        const QByteArray jpeg = plainEncoded("jpeg");
        QCOMPARE(huge.embedInEncoded(jpeg), jpeg);
        const auto fromPng = ImageMetadata::fromBytes(huge.embedInEncoded(plainEncoded("png")));
        QVERIFY(fromPng);
        QCOMPARE(fromPng->prompt, huge.prompt);
    }

    void formats()
    {
        QVERIFY(ImageMetadata::formatCarriesText("png"));
        QVERIFY(ImageMetadata::formatCarriesText("jpeg"));
        QVERIFY(ImageMetadata::formatCarriesText("JPG"));
        QVERIFY(!ImageMetadata::formatCarriesText("webp"));
    }
};

QTEST_GUILESS_MAIN(tst_ImageMetadata)
#include "tst_ImageMetadata.moc"
