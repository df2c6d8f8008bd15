#include "library/GalleryModel.h"
#include "library/ThumbnailLoader.h"

#include "TestEnv.h"

#include <QAbstractItemModelTester>
#include <QImageWriter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

class tst_GalleryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void newestFirstAndThumbnailsArriveLater();
    void thumbnailsAreScaledAndKeepAspect();
    void exifOrientationIsApplied();
    void unreadableFileShowsFailedPlaceholder();
    void setRecordsSortsNewestFirst();
    void toolTipShowsPromptModelAndSize();
    void imagesOfARequestStayInResponseOrder();

private:
    QString writeImage(const QString& name, QSize size, QColor color, const QByteArray& format = "png",
                       QImageIOHandler::Transformations transform = QImageIOHandler::TransformationNone);
    LibraryRecord recordFor(qint64 id, const QString& path, QSize size, int secondsAgo = 0);
    static QImage decoration(const GalleryModel& model, int row);
    static GalleryModel::ThumbnailState state(const GalleryModel& model, int row);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_GalleryModel::initTestCase()
{
    TestEnv::init();
}

void tst_GalleryModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_GalleryModel::writeImage(const QString& name, QSize size, QColor color, const QByteArray& format,
                                     QImageIOHandler::Transformations transform)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    const QString path = m_dir->filePath(name);
    QImageWriter writer(path, format);
    writer.setTransformation(transform);
    if (!writer.write(image))
        qWarning() << "could not write" << path << writer.errorString();
    return path;
}

LibraryRecord tst_GalleryModel::recordFor(qint64 id, const QString& path, QSize size, int secondsAgo)
{
    LibraryRecord record;
    record.id = id;
    record.filePath = path;
    record.prompt = QStringLiteral("a lighthouse at dusk #%1").arg(id);
    record.model = QStringLiteral("gpt-image-1.5");
    record.width = size.width();
    record.height = size.height();
    record.createdAt = QDateTime::currentDateTimeUtc().addSecs(-secondsAgo);
    return record;
}

QImage tst_GalleryModel::decoration(const GalleryModel& model, int row)
{
    return model.data(model.index(row), Qt::DecorationRole).value<QImage>();
}

GalleryModel::ThumbnailState tst_GalleryModel::state(const GalleryModel& model, int row)
{
    return static_cast<GalleryModel::ThumbnailState>(
        model.data(model.index(row), GalleryModel::ThumbnailStateRole).toInt());
}

void tst_GalleryModel::newestFirstAndThumbnailsArriveLater()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setThumbnailEdge(64);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    const QString first = writeImage(QStringLiteral("first.png"), {200, 200}, Qt::red);
    const QString second = writeImage(QStringLiteral("second.png"), {200, 200}, Qt::blue);
    model.addRecord(recordFor(1, first, {200, 200}));
    // Until the worker is done the view gets a placeholder of the thumbnail size, never a blocking decode.
    QCOMPARE(state(model, 0), GalleryModel::ThumbnailState::Pending);
    QCOMPARE(decoration(model, 0).size(), QSize(64, 64));
    model.addRecord(recordFor(2, second, {200, 200}));

    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(0), GalleryModel::RecordIdRole).toLongLong(), 2);
    QCOMPARE(model.data(model.index(1), GalleryModel::RecordIdRole).toLongLong(), 1);
    QCOMPARE(model.rowOfId(1), 1);
    QCOMPARE(model.rowOfId(99), -1);

    QTRY_COMPARE_WITH_TIMEOUT(state(model, 0), GalleryModel::ThumbnailState::Ready, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(state(model, 1), GalleryModel::ThumbnailState::Ready, 10000);
    QVERIFY(changed.count() >= 2);
    QCOMPARE(decoration(model, 0).pixelColor(10, 10), QColor(Qt::blue));
    QCOMPARE(decoration(model, 1).pixelColor(10, 10), QColor(Qt::red));
    QCOMPARE(model.data(model.index(0), GalleryModel::FilePathRole).toString(), second);
}

void tst_GalleryModel::thumbnailsAreScaledAndKeepAspect()
{
    const QString wide = writeImage(QStringLiteral("wide.png"), {400, 100}, Qt::green);
    const QString small = writeImage(QStringLiteral("small.png"), {40, 30}, Qt::green);
    QCOMPARE(ThumbnailLoader::load(wide, 128).size(), QSize(128, 32));
    QCOMPARE(ThumbnailLoader::load(small, 128).size(), QSize(40, 30)); // never upscaled

    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setThumbnailEdge(100);
    model.addRecord(recordFor(7, wide, {400, 100}));
    QTRY_COMPARE_WITH_TIMEOUT(state(model, 0), GalleryModel::ThumbnailState::Ready, 10000);
    QCOMPARE(decoration(model, 0).size(), QSize(100, 25));
}

void tst_GalleryModel::exifOrientationIsApplied()
{
    // Stored landscape with an EXIF "rotate 90°" tag: shown portrait, as every viewer would show it.
    const QString path = writeImage(QStringLiteral("rotated.jpg"), {300, 150}, Qt::gray, "jpeg",
                                    QImageIOHandler::TransformationRotate90);
    const QImage thumbnail = ThumbnailLoader::load(path, 100);
    QVERIFY(!thumbnail.isNull());
    QCOMPARE(thumbnail.size(), QSize(50, 100));
}

void tst_GalleryModel::unreadableFileShowsFailedPlaceholder()
{
    const QString garbage = m_dir->filePath(QStringLiteral("garbage.png"));
    QFile file(garbage);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a png");
    file.close();

    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setThumbnailEdge(48);
    model.addRecord(recordFor(3, garbage, {10, 10}));
    model.addRecord(recordFor(4, m_dir->filePath(QStringLiteral("missing.png")), {10, 10}));
    QTRY_COMPARE_WITH_TIMEOUT(state(model, 0), GalleryModel::ThumbnailState::Failed, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(state(model, 1), GalleryModel::ThumbnailState::Failed, 10000);
    const QImage shown = decoration(model, 1);
    QCOMPARE(shown.size(), QSize(48, 48));
    QVERIFY(shown != GalleryModel::placeholder(48, GalleryModel::ThumbnailState::Pending));
    QVERIFY(model.data(model.index(0), Qt::ToolTipRole).toString().contains(QStringLiteral("missing.png")));
}

void tst_GalleryModel::setRecordsSortsNewestFirst()
{
    const QString path = writeImage(QStringLiteral("a.png"), {20, 20}, Qt::yellow);
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRecords(
        {recordFor(10, path, {20, 20}, 300), recordFor(11, path, {20, 20}, 10), recordFor(12, path, {20, 20}, 3600)});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.record(0).id, 11);
    QCOMPARE(model.record(1).id, 10);
    QCOMPARE(model.record(2).id, 12);
    // One file shown three times: one decode, and every row gets it.
    QTRY_VERIFY_WITH_TIMEOUT(state(model, 0) == GalleryModel::ThumbnailState::Ready
                                 && state(model, 1) == GalleryModel::ThumbnailState::Ready
                                 && state(model, 2) == GalleryModel::ThumbnailState::Ready,
                             10000);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void tst_GalleryModel::toolTipShowsPromptModelAndSize()
{
    const QString path = writeImage(QStringLiteral("t.png"), {30, 20}, Qt::cyan);
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    LibraryRecord record = recordFor(5, path, {1536, 1024});
    record.prompt = QString(1000, QLatin1Char('x'));
    model.addRecord(record);
    const QString tip = model.data(model.index(0), Qt::ToolTipRole).toString();
    QVERIFY(tip.contains(QStringLiteral("gpt-image-1.5")));
    QVERIFY(tip.contains(QStringLiteral("1536 × 1024")));
    QVERIFY(tip.size() < 600); // long prompts are cut
    QVERIFY(!tip.contains(QStringLiteral("missing")));
    QCOMPARE(model.data(model.index(0), GalleryModel::PromptRole).toString(), record.prompt);
}

void tst_GalleryModel::imagesOfARequestStayInResponseOrder()
{
    const QString path = writeImage(QStringLiteral("g.png"), {16, 16}, Qt::magenta);
    auto imageOf = [&](qint64 id, const QString& request, int index) {
        LibraryRecord record = recordFor(id, path, {16, 16});
        record.requestId = request;
        record.params.insert(QStringLiteral("index"), index);
        return record;
    };
    auto ids = [](const GalleryModel& model) {
        QList<qint64> out;
        for (int row = 0; row < model.rowCount(); ++row)
            out << model.record(row).id;
        return out;
    };
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // The images of request A are stored in parallel and land out of order.
    model.addRecord(imageOf(12, QStringLiteral("A"), 2));
    model.addRecord(imageOf(10, QStringLiteral("A"), 0));
    model.addRecord(imageOf(11, QStringLiteral("A"), 1));
    QCOMPARE(ids(model), (QList<qint64> {10, 11, 12}));
    // A newer request goes on top; a late image of A still joins A, after its siblings.
    model.addRecord(imageOf(20, QStringLiteral("B"), 0));
    model.addRecord(imageOf(13, QStringLiteral("A"), 3));
    QCOMPARE(ids(model), (QList<qint64> {20, 10, 11, 12, 13}));
    // No request id: each image is its own group, newest first.
    model.addRecord(imageOf(30, QString(), 0));
    QCOMPARE(model.record(0).id, 30);
}

QTEST_GUILESS_MAIN(tst_GalleryModel)
#include "tst_GalleryModel.moc"
