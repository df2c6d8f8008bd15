#include "library/GalleryModel.h"
#include "library/ThumbnailCache.h"
#include "library/ThumbnailLoader.h"

#include "TestEnv.h"

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QImageWriter>
#include <QLocale>
#include <QMimeData>
#include <QPromise>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

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

    // Lazy thumbnails and the memory budget.
    void onlyPaintedRowsAreDecoded();
    void leastRecentlyPaintedAreEvicted();
    void changingTheEdgeKeepsThumbnailsUntilReplaced();
    void prefetchServesTheFirstRowsWithoutTheLoader();
    void prefetchForAnotherEdgeIsIgnored();
    void loaderServesNewestFirstAndDropsTheOldest();
    // Disk cache.
    void diskCacheServesThumbnailsWhenTheSourceIsGone();
    void corruptCacheFileIsReplaced();
    // Grouping.
    void groupsHaveHeadersTitlesAndSizes_data();
    void groupsHaveHeadersTitlesAndSizes();
    void dayGroupingAddsToTopOfTodayOrANewDay();
    void modelGroupingAddsIntoSortedGroups();
    void promptGroupingMovesTheGroupToTheTop();
    void appendContinuesTheLastGroupAndSkipsDuplicates();
    void onlyTheLastGroupMayContinue();
    void removingTheLastImageDropsTheHeader();
    void regroupingKeepsThumbnails();
    void navigationSkipsHeaders();
    void rowOfIdStaysRightAtScale();
    // Roles, flags and drag out.
    void rolesAndUpdateRecord();
    void headerFlagsAndDragMime();

private:
    QString writeImage(const QString& name, QSize size, QColor color, const QByteArray& format = "png",
                       QImageIOHandler::Transformations transform = QImageIOHandler::TransformationNone);
    LibraryRecord recordFor(qint64 id, const QString& path, QSize size, int secondsAgo = 0);
    static QImage decoration(const GalleryModel& model, int row);
    static GalleryModel::ThumbnailState state(const GalleryModel& model, int row);
    static QString sha256Of(const QString& path);
    static QString fakeSha(int n);
    static QStringList rowsAsText(const GalleryModel& model);
    static ThumbnailLoader* loaderOf(const GalleryModel& model);
    LibraryRecord recordAt(qint64 id, const QDateTime& at, const QString& model, const QString& prompt);
    QList<LibraryRecord> mixedSet();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_tile; // a small image every grouping test can point at
};

void tst_GalleryModel::initTestCase()
{
    TestEnv::init();
}

void tst_GalleryModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_tile = writeImage(QStringLiteral("tile.png"), {8, 8}, Qt::darkGreen);
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

    decoration(model, 0);
    decoration(model, 1);
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
    QCOMPARE(ThumbnailLoader::decode(wide, 128).size(), QSize(128, 32));
    QCOMPARE(ThumbnailLoader::decode(small, 128).size(), QSize(40, 30)); // never upscaled

    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setThumbnailEdge(100);
    model.addRecord(recordFor(7, wide, {400, 100}));
    decoration(model, 0); // painting asks for it
    QTRY_COMPARE_WITH_TIMEOUT(state(model, 0), GalleryModel::ThumbnailState::Ready, 10000);
    QCOMPARE(decoration(model, 0).size(), QSize(100, 25));
}

void tst_GalleryModel::exifOrientationIsApplied()
{
    // Stored landscape with an EXIF "rotate 90°" tag: shown portrait, as every viewer would show it.
    const QString path = writeImage(QStringLiteral("rotated.jpg"), {300, 150}, Qt::gray, "jpeg",
                                    QImageIOHandler::TransformationRotate90);
    const QImage thumbnail = ThumbnailLoader::decode(path, 100);
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
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("no thumbnail for .*garbage.png")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("no thumbnail for .*missing.png")));
    decoration(model, 0);
    decoration(model, 1);
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
    // One file shown three times: one decode, and every painted row gets it.
    for (int row = 0; row < 3; ++row)
        decoration(model, row);
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

QString tst_GalleryModel::sha256Of(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
}

QString tst_GalleryModel::fakeSha(int n)
{
    return QString::number(n, 16).rightJustified(64, QLatin1Char('0'));
}

// One line per row: "# title (size)" for a header, the record id for an image.
QStringList tst_GalleryModel::rowsAsText(const GalleryModel& model)
{
    QStringList rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        if (index.data(GalleryModel::IsHeaderRole).toBool())
            rows << QStringLiteral("# %1 (%2)")
                        .arg(index.data(GalleryModel::GroupTitleRole).toString())
                        .arg(index.data(GalleryModel::GroupSizeRole).toInt());
        else
            rows << QString::number(index.data(GalleryModel::RecordIdRole).toLongLong());
    }
    return rows;
}

ThumbnailLoader* tst_GalleryModel::loaderOf(const GalleryModel& model)
{
    return model.findChild<ThumbnailLoader*>();
}

LibraryRecord tst_GalleryModel::recordAt(qint64 id, const QDateTime& at, const QString& model, const QString& prompt)
{
    LibraryRecord record;
    record.id = id;
    record.filePath = m_tile;
    record.prompt = prompt;
    record.model = model;
    record.width = 8;
    record.height = 8;
    record.createdAt = at;
    return record;
}

namespace {
QDateTime todayAt(int hour)
{
    return QDateTime(QDate::currentDate(), QTime(hour, 0));
}
QString longDate(int daysAgo)
{
    return QLocale().toString(QDate::currentDate().addDays(-daysAgo), QLocale::LongFormat);
}
} // namespace

// Two images today, two yesterday, two ten days ago; three models (one differing in case); prompts differing only
// in whitespace belong together.
QList<LibraryRecord> tst_GalleryModel::mixedSet()
{
    const QDateTime noon = todayAt(12);
    const auto r1 = recordAt(1, noon, QStringLiteral("model-b"), QStringLiteral("a red fox"));
    const auto r2 = recordAt(2, noon.addSecs(-3600), QStringLiteral("Model-A"), QStringLiteral(" a  red\tfox "));
    const auto r3 = recordAt(3, noon.addDays(-1), QStringLiteral("model-b"), QStringLiteral("blue whale"));
    const auto r4 = recordAt(4, noon.addDays(-10), QStringLiteral("Model-A"), QStringLiteral("a red fox"));
    const auto r5 =
        recordAt(5, noon.addDays(-1).addSecs(-3600), QStringLiteral("model-c"), QStringLiteral("blue whale"));
    const auto r6 =
        recordAt(6, noon.addDays(-10).addSecs(-3600), QStringLiteral("model-b"), QStringLiteral("city at night"));
    return {r4, r1, r6, r3, r2, r5};
}

void tst_GalleryModel::onlyPaintedRowsAreDecoded()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setThumbnailCacheDir(QString());
    model.setThumbnailEdge(16);
    // Day grouping: row 0 is a header, so the tester's own probes of row 0 decode nothing.
    model.setGrouping(GalleryModel::Grouping::Day);
    QSignalSpy loaded(loaderOf(model), &ThumbnailLoader::loaded);

    QList<LibraryRecord> records;
    for (int i = 1; i <= 1000; ++i) {
        LibraryRecord record = recordAt(i, todayAt(12).addSecs(-i), QStringLiteral("m"), QStringLiteral("p"));
        record.sha256 = fakeSha(i); // a distinct thumbnail per row
        records << record;
    }
    model.setRecords(records);
    QCOMPARE(model.rowCount(), 1001);
    QCOMPARE(model.imageCount(), 1000);

    // A view's layout pass touches every row with every other role: none of that decodes.
    const QList<int> roles {Qt::DisplayRole,
                            Qt::ToolTipRole,
                            Qt::SizeHintRole,
                            Qt::AccessibleTextRole,
                            GalleryModel::RecordIdRole,
                            GalleryModel::FilePathRole,
                            GalleryModel::ThumbnailStateRole,
                            GalleryModel::FavoriteRole,
                            GalleryModel::StarsRole,
                            GalleryModel::RecordRole,
                            GalleryModel::IsHeaderRole,
                            GalleryModel::GroupTitleRole};
    for (int row = 0; row < model.rowCount(); ++row) {
        for (const int role : roles)
            model.data(model.index(row), role);
    }
    QCoreApplication::processEvents();
    QCOMPARE(loaded.count(), 0);
    QCOMPARE(loaderOf(model)->pendingCount(), 0);

    QSet<QString> asked;
    for (int row = 500; row < 510; ++row) {
        asked.insert(ThumbnailLoader::keyOf(model.record(row)));
        QCOMPARE(decoration(model, row).size(), QSize(16, 16)); // the placeholder for now
    }
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 10, 10000);
    QSet<QString> decoded;
    for (const QList<QVariant>& args : std::as_const(loaded))
        decoded.insert(args.at(0).toString());
    QCOMPARE(decoded, asked);
    QCOMPARE(loaderOf(model)->pendingCount(), 0);
    for (int row = 1; row < model.rowCount(); ++row) {
        const bool painted = row >= 500 && row < 510;
        QCOMPARE(state(model, row),
                 painted ? GalleryModel::ThumbnailState::Ready : GalleryModel::ThumbnailState::Pending);
        QVERIFY(!loaderOf(model)->isPending(ThumbnailLoader::keyOf(model.record(row))));
    }
    QCOMPARE(loaded.count(), 10);
}

void tst_GalleryModel::leastRecentlyPaintedAreEvicted()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setThumbnailCacheDir(QString());
    model.setThumbnailEdge(32);
    model.setGrouping(GalleryModel::Grouping::Day);
    QList<LibraryRecord> records;
    for (int i = 1; i <= 6; ++i) {
        LibraryRecord record = recordAt(i, todayAt(12).addSecs(-i), QStringLiteral("m"), QStringLiteral("p"));
        record.sha256 = fakeSha(i);
        records << record;
    }
    model.setRecords(records); // row i shows record i (row 0 is the header)
    auto paintUntilReady = [&](int row) {
        decoration(model, row);
        return QTest::qWaitFor([&] { return state(model, row) == GalleryModel::ThumbnailState::Ready; }, 10000);
    };
    QVERIFY(paintUntilReady(1));
    const qint64 cost = decoration(model, 1).sizeInBytes();
    model.setThumbnailMemoryBudget(3 * cost);

    for (int row = 2; row <= 5; ++row)
        QVERIFY(paintUntilReady(row));
    auto readyRows = [&] {
        QList<int> rows;
        for (int row = 1; row <= 6; ++row) {
            if (state(model, row) == GalleryModel::ThumbnailState::Ready)
                rows << row;
        }
        return rows;
    };
    QCOMPARE(readyRows(), (QList<int> {3, 4, 5}));

    // Painting 3 again makes 4 the least recently painted: bringing 1 back drops 4, not 3.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(decoration(model, 3).size(), QSize(8, 8));
    QVERIFY(paintUntilReady(1));
    QCOMPARE(readyRows(), (QList<int> {1, 3, 5}));
    QCOMPARE(state(model, 4), GalleryModel::ThumbnailState::Pending);
    const bool evictionReported = std::any_of(changed.cbegin(), changed.cend(), [](const QList<QVariant>& args) {
        return args.at(0).value<QModelIndex>().row() == 4;
    });
    QVERIFY(evictionReported);

    // A smaller budget evicts right away, keeping the most recent one.
    model.setThumbnailMemoryBudget(1);
    QCOMPARE(readyRows(), (QList<int> {1}));
}

void tst_GalleryModel::changingTheEdgeKeepsThumbnailsUntilReplaced()
{
    const QString path = writeImage(QStringLiteral("big.png"), {64, 64}, Qt::red);
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setThumbnailCacheDir(QString());
    model.setThumbnailEdge(32);
    model.addRecord(recordFor(1, path, {64, 64}));
    decoration(model, 0);
    QTRY_COMPARE_WITH_TIMEOUT(state(model, 0), GalleryModel::ThumbnailState::Ready, 10000);
    QCOMPARE(decoration(model, 0).size(), QSize(32, 32));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setThumbnailEdge(16);
    QCOMPARE(changed.count(), 1);
    // No placeholder flash while tiles change size: the old one is shown until the new one is there.
    QCOMPARE(state(model, 0), GalleryModel::ThumbnailState::Ready);
    QCOMPARE(decoration(model, 0).size(), QSize(32, 32));
    QTRY_COMPARE_WITH_TIMEOUT(decoration(model, 0).size(), QSize(16, 16), 10000);
    QCOMPARE(state(model, 0), GalleryModel::ThumbnailState::Ready);
}

void tst_GalleryModel::prefetchServesTheFirstRowsWithoutTheLoader()
{
    QList<LibraryRecord> records;
    for (int i = 0; i < 3; ++i) {
        const QString path =
            writeImage(QStringLiteral("pre%1.png").arg(i), {64, 48}, QColor::fromHsv(i * 100, 255, 255));
        records << recordFor(i + 1, path, {64, 48}, i);
    }
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setThumbnailCacheDir(QString());
    model.setThumbnailEdge(32);
    QSignalSpy loaded(loaderOf(model), &ThumbnailLoader::loaded);
    QPromise<Result<QList<LibraryRecord>, ApiError>> page;
    const QFuture<int> decoded = model.prefetchThumbnails(page.future(), 2); // of a page still being read
    page.start();
    page.addResult(Result<QList<LibraryRecord>, ApiError>(records));
    page.finish();
    QTRY_VERIFY_WITH_TIMEOUT(decoded.isFinished(), 10000);
    QCOMPARE(decoded.result(), 2);

    model.setRecords(records);
    const auto ready = [&model](int row) {
        decoration(model, row);
        return state(model, row) == GalleryModel::ThumbnailState::Ready;
    };
    QTRY_VERIFY_WITH_TIMEOUT(ready(0) && ready(1), 10000);
    QCOMPARE(decoration(model, 0).size(), QSize(32, 24));
    QVERIFY(decoration(model, 1).pixelColor(16, 12).green() > 200); // hue 100: each row its own image
    QCOMPARE(loaded.count(), 0);
    // The third was not prefetched: the loader makes it.
    QTRY_VERIFY_WITH_TIMEOUT(ready(2), 10000);
    QCOMPARE(loaded.count(), 1);
}

void tst_GalleryModel::prefetchForAnotherEdgeIsIgnored()
{
    const QString path = writeImage(QStringLiteral("edge.png"), {64, 64}, Qt::red);
    const QList<LibraryRecord> records {recordFor(1, path, {64, 64})};
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setThumbnailCacheDir(QString());
    model.setThumbnailEdge(32);
    model.prefetchThumbnails(QtFuture::makeReadyFuture(Result<QList<LibraryRecord>, ApiError>(records)), 1);
    model.setThumbnailEdge(16); // the layout came out otherwise
    model.setRecords(records);
    decoration(model, 0);
    QTRY_COMPARE_WITH_TIMEOUT(state(model, 0), GalleryModel::ThumbnailState::Ready, 10000);
    QCOMPARE(decoration(model, 0).size(), QSize(16, 16));
}

void tst_GalleryModel::loaderServesNewestFirstAndDropsTheOldest()
{
    ThumbnailLoader loader;
    loader.setCacheDir(QString());
    loader.setMaxEdge(16);
    QSignalSpy loaded(&loader, &ThumbnailLoader::loaded);
    auto request = [&](int n) {
        LibraryRecord record = recordAt(n, QDateTime::currentDateTime(), QStringLiteral("m"), QStringLiteral("p"));
        record.sha256 = fakeSha(n);
        loader.request(record);
        return ThumbnailLoader::keyOf(record);
    };
    QHash<QString, int> numberOf;
    // 1..MaxRunning start at once; the rest wait on the stack, which keeps the newest 256: 45..300.
    for (int n = 1; n <= 300; ++n)
        numberOf.insert(request(n), n);
    QCOMPARE(loader.pendingCount(), ThumbnailLoader::MaxPending);
    QVERIFY(!loader.isPending(ThumbnailLoader::keyOf(recordAt(ThumbnailLoader::MaxRunning + 1, {}, {}, {}))));
    // Asked again: 45, the oldest still waiting, goes to the top.
    request(45);
    QCOMPARE(loader.pendingCount(), ThumbnailLoader::MaxPending);

    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), ThumbnailLoader::MaxRunning + ThumbnailLoader::MaxPending, 20000);
    QList<int> order;
    for (const QList<QVariant>& args : std::as_const(loaded)) {
        QVERIFY(!args.at(2).value<QImage>().isNull());
        order << numberOf.value(args.at(0).toString());
    }
    // The first ones started at once; when they finish among the stacked ones depends on the machine's load.
    QList<int> stacked = order;
    for (int n = 1; n <= ThumbnailLoader::MaxRunning; ++n)
        QVERIFY(stacked.removeOne(n));
    QCOMPARE(QSet<int>(stacked.cbegin(), stacked.cend()).size(), ThumbnailLoader::MaxPending);
    QVERIFY(std::all_of(stacked.cbegin(), stacked.cend(), [](int n) { return n >= 45; }));
    // Newest first: two decodes run side by side, so neighbours may finish swapped; the trend is what counts.
    QVERIFY2(stacked.indexOf(45) < 4, qPrintable(QString::number(stacked.indexOf(45))));
    QList<int> newest = stacked.mid(0, 11);
    newest.removeOne(45);
    QVERIFY(std::all_of(newest.cbegin(), newest.cend(), [](int n) { return n > 280; }));
    QVERIFY(std::all_of(stacked.cend() - 10, stacked.cend(), [](int n) { return n < 70; }));
    QCOMPARE(loader.pendingCount(), 0);
}

void tst_GalleryModel::diskCacheServesThumbnailsWhenTheSourceIsGone()
{
    const QString cacheDir = m_dir->filePath(QStringLiteral("thumbs"));
    const QString opaquePath = writeImage(QStringLiteral("opaque.png"), {200, 100}, Qt::red);
    QImage translucent(100, 100, QImage::Format_ARGB32);
    translucent.fill(QColor(0, 0, 255, 120));
    const QString alphaPath = m_dir->filePath(QStringLiteral("alpha.png"));
    QVERIFY(translucent.save(alphaPath));

    LibraryRecord opaque = recordFor(1, opaquePath, {200, 100}, 10);
    opaque.sha256 = sha256Of(opaquePath);
    LibraryRecord alpha = recordFor(2, alphaPath, {100, 100}, 20);
    alpha.sha256 = sha256Of(alphaPath);

    {
        GalleryModel first;
        QAbstractItemModelTester tester(&first, QAbstractItemModelTester::FailureReportingMode::Fatal);
        first.setThumbnailCacheDir(cacheDir);
        first.setThumbnailEdge(64);
        first.setRecords({opaque, alpha});
        decoration(first, 0);
        decoration(first, 1);
        QTRY_VERIFY_WITH_TIMEOUT(state(first, 0) == GalleryModel::ThumbnailState::Ready
                                     && state(first, 1) == GalleryModel::ThumbnailState::Ready,
                                 10000);
    }
    const QString jpeg = cacheDir + QStringLiteral("/64/") + opaque.sha256.left(2) + QLatin1Char('/') + opaque.sha256
                         + QStringLiteral(".jpg");
    const QString png = cacheDir + QStringLiteral("/64/") + alpha.sha256.left(2) + QLatin1Char('/') + alpha.sha256
                        + QStringLiteral(".png");
    QVERIFY(QFileInfo::exists(jpeg));
    QVERIFY(QFileInfo::exists(png));
    QVERIFY(QFile::remove(opaquePath));
    QVERIFY(QFile::remove(alphaPath));

    GalleryModel second;
    QAbstractItemModelTester tester(&second, QAbstractItemModelTester::FailureReportingMode::Fatal);
    second.setThumbnailCacheDir(cacheDir);
    second.setThumbnailEdge(64);
    second.setRecords({alpha, opaque});
    const int opaqueRow = second.rowOfId(1);
    const int alphaRow = second.rowOfId(2);
    decoration(second, opaqueRow);
    decoration(second, alphaRow);
    QTRY_VERIFY_WITH_TIMEOUT(state(second, opaqueRow) == GalleryModel::ThumbnailState::Ready
                                 && state(second, alphaRow) == GalleryModel::ThumbnailState::Ready,
                             10000);
    const QImage fromJpeg = decoration(second, opaqueRow);
    QCOMPARE(fromJpeg.size(), QSize(64, 32));
    QVERIFY(fromJpeg.pixelColor(32, 16).red() > 240 && fromJpeg.pixelColor(32, 16).blue() < 16);
    const QImage fromPng = decoration(second, alphaRow);
    QCOMPARE(fromPng.size(), QSize(64, 64));
    QCOMPARE(fromPng.pixelColor(5, 5).alpha(), 120);
}

void tst_GalleryModel::corruptCacheFileIsReplaced()
{
    const QString cacheDir = m_dir->filePath(QStringLiteral("thumbs"));
    const QString path = writeImage(QStringLiteral("src.png"), {50, 50}, Qt::blue);
    LibraryRecord record = recordFor(1, path, {50, 50});
    record.sha256 = sha256Of(path);
    const QString cached = ThumbnailCache(cacheDir).filePath(record.sha256, ThumbnailCache::storedEdgeFor(32), false);
    QDir().mkpath(QFileInfo(cached).absolutePath());
    QFile file(cached);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\xff\xd8 truncated and wrong");
    file.close();

    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setThumbnailCacheDir(cacheDir);
    model.setThumbnailEdge(32);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("dropping unreadable cached thumbnail")));
    model.addRecord(record);
    decoration(model, 0);
    QTRY_COMPARE_WITH_TIMEOUT(state(model, 0), GalleryModel::ThumbnailState::Ready, 10000);
    QVERIFY(decoration(model, 0).pixelColor(16, 16).blue() > 240);
    QCOMPARE(decoration(model, 0).size(), QSize(32, 32));
    const QImage rewritten(cached);
    QCOMPARE(rewritten.size(), QSize(50, 50)); // the cache holds the 64 px step (never upscaled)
}

void tst_GalleryModel::groupsHaveHeadersTitlesAndSizes_data()
{
    QTest::addColumn<GalleryModel::Grouping>("grouping");
    QTest::addColumn<QStringList>("rows");
    const QString older = longDate(10);
    QTest::newRow("none") << GalleryModel::Grouping::None
                          << QStringList {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                                          QStringLiteral("5"), QStringLiteral("4"), QStringLiteral("6")};
    QTest::newRow("day") << GalleryModel::Grouping::Day
                         << QStringList {QStringLiteral("# Today (2)"),
                                         QStringLiteral("1"),
                                         QStringLiteral("2"),
                                         QStringLiteral("# Yesterday (2)"),
                                         QStringLiteral("3"),
                                         QStringLiteral("5"),
                                         QStringLiteral("# ") + older + QStringLiteral(" (2)"),
                                         QStringLiteral("4"),
                                         QStringLiteral("6")};
    QTest::newRow("model") << GalleryModel::Grouping::Model
                           << QStringList {QStringLiteral("# Model-A (2)"),
                                           QStringLiteral("2"),
                                           QStringLiteral("4"),
                                           QStringLiteral("# model-b (3)"),
                                           QStringLiteral("1"),
                                           QStringLiteral("3"),
                                           QStringLiteral("6"),
                                           QStringLiteral("# model-c (1)"),
                                           QStringLiteral("5")};
    QTest::newRow("prompt") << GalleryModel::Grouping::Prompt
                            << QStringList {QStringLiteral("# a red fox (3)"),
                                            QStringLiteral("1"),
                                            QStringLiteral("2"),
                                            QStringLiteral("4"),
                                            QStringLiteral("# blue whale (2)"),
                                            QStringLiteral("3"),
                                            QStringLiteral("5"),
                                            QStringLiteral("# city at night (1)"),
                                            QStringLiteral("6")};
}

void tst_GalleryModel::groupsHaveHeadersTitlesAndSizes()
{
    QFETCH(GalleryModel::Grouping, grouping);
    QFETCH(QStringList, rows);

    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setGrouping(grouping);
    QCOMPARE(model.grouping(), grouping);
    model.setRecords(mixedSet());
    QCOMPARE(rowsAsText(model), rows);
    QCOMPARE(model.imageCount(), 6);
    if (grouping != GalleryModel::Grouping::None) {
        QVERIFY(model.isHeader(0));
        QCOMPARE(model.data(model.index(0), Qt::DisplayRole), model.data(model.index(0), GalleryModel::GroupTitleRole));
        QVERIFY(!model.data(model.index(0), GalleryModel::RecordIdRole).isValid());
    }

    // Re-grouping loaded rows gives the same picture as loading them grouped.
    GalleryModel regrouped;
    QAbstractItemModelTester regroupedTester(&regrouped, QAbstractItemModelTester::FailureReportingMode::Fatal);
    regrouped.setRecords(mixedSet());
    regrouped.setGrouping(GalleryModel::Grouping::Prompt);
    regrouped.setGrouping(grouping);
    QCOMPARE(rowsAsText(regrouped), rows);

    const QHash<GalleryModel::Grouping, LibraryQuery::Sort> sorts {
        {GalleryModel::Grouping::None, LibraryQuery::Sort::Newest},
        {GalleryModel::Grouping::Day, LibraryQuery::Sort::Newest},
        {GalleryModel::Grouping::Model, LibraryQuery::Sort::ModelThenNewest},
        {GalleryModel::Grouping::Prompt, LibraryQuery::Sort::PromptThenNewest}};
    QCOMPARE(GalleryModel::sortFor(grouping), sorts.value(grouping));
}

void tst_GalleryModel::dayGroupingAddsToTopOfTodayOrANewDay()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setGrouping(GalleryModel::Grouping::Day);
    QList<LibraryRecord> set = mixedSet();
    set.removeIf([](const LibraryRecord& r) { return r.id == 1 || r.id == 2; }); // nothing today yet
    model.setRecords(set);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    const QDateTime now = QDateTime::currentDateTime();
    model.addRecord(recordAt(10, now, QStringLiteral("m"), QStringLiteral("p")));
    QCOMPARE(rowsAsText(model).mid(0, 3),
             (QStringList {QStringLiteral("# Today (1)"), QStringLiteral("10"), QStringLiteral("# Yesterday (2)")}));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 1);

    // One request whose images are stored out of order: together, in response order, on top of today.
    LibraryRecord second = recordAt(11, now, QStringLiteral("m"), QStringLiteral("p"));
    second.requestId = QStringLiteral("R");
    second.params.insert(QStringLiteral("index"), 1);
    LibraryRecord first = recordAt(12, now, QStringLiteral("m"), QStringLiteral("p"));
    first.requestId = QStringLiteral("R");
    first.params.insert(QStringLiteral("index"), 0);
    model.addRecord(second);
    model.addRecord(first);
    QCOMPARE(rowsAsText(model).mid(0, 4), (QStringList {QStringLiteral("# Today (3)"), QStringLiteral("12"),
                                                        QStringLiteral("11"), QStringLiteral("10")}));

    // A day not shown yet gets its header where the day belongs.
    model.addRecord(recordAt(13, todayAt(12).addDays(-5), QStringLiteral("m"), QStringLiteral("p")));
    QCOMPARE(rowsAsText(model),
             (QStringList {QStringLiteral("# Today (3)"), QStringLiteral("12"), QStringLiteral("11"),
                           QStringLiteral("10"), QStringLiteral("# Yesterday (2)"), QStringLiteral("3"),
                           QStringLiteral("5"), QStringLiteral("# ") + longDate(5) + QStringLiteral(" (1)"),
                           QStringLiteral("13"), QStringLiteral("# ") + longDate(10) + QStringLiteral(" (2)"),
                           QStringLiteral("4"), QStringLiteral("6")}));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.rowOfId(13), 8);
    QCOMPARE(model.rowOfId(6), 11);
}

void tst_GalleryModel::modelGroupingAddsIntoSortedGroups()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setGrouping(GalleryModel::Grouping::Model);
    model.setRecords(mixedSet());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    model.addRecord(recordAt(20, QDateTime::currentDateTime(), QStringLiteral("MODEL-B"), QStringLiteral("p")));
    model.addRecord(recordAt(21, QDateTime::currentDateTime(), QStringLiteral("aaa-model"), QStringLiteral("p")));
    model.addRecord(recordAt(22, QDateTime::currentDateTime(), QStringLiteral("model-z"), QStringLiteral("p")));
    QCOMPARE(
        rowsAsText(model),
        (QStringList {QStringLiteral("# aaa-model (1)"), QStringLiteral("21"), QStringLiteral("# Model-A (2)"),
                      QStringLiteral("2"), QStringLiteral("4"), QStringLiteral("# model-b (4)"), QStringLiteral("20"),
                      QStringLiteral("1"), QStringLiteral("3"), QStringLiteral("6"), QStringLiteral("# model-c (1)"),
                      QStringLiteral("5"), QStringLiteral("# model-z (1)"), QStringLiteral("22")}));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.rowOfId(20), 6);
    QCOMPARE(model.rowOfId(5), 11);
    QCOMPARE(model.imageCount(), 9);
}

void tst_GalleryModel::promptGroupingMovesTheGroupToTheTop()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setGrouping(GalleryModel::Grouping::Prompt);
    model.setRecords(mixedSet());
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    model.addRecord(recordAt(30, QDateTime::currentDateTime(), QStringLiteral("m"), QStringLiteral("city  at night")));
    QCOMPARE(
        rowsAsText(model),
        (QStringList {QStringLiteral("# city at night (2)"), QStringLiteral("30"), QStringLiteral("6"),
                      QStringLiteral("# a red fox (3)"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("4"),
                      QStringLiteral("# blue whale (2)"), QStringLiteral("3"), QStringLiteral("5")}));
    QCOMPARE(moved.count(), 1);
    QCOMPARE(model.rowOfId(6), 2);
    QCOMPARE(model.rowOfId(1), 4);

    // A group already on top stays; a new prompt starts a group on top.
    model.addRecord(recordAt(31, QDateTime::currentDateTime(), QStringLiteral("m"), QStringLiteral("city at night")));
    QCOMPARE(moved.count(), 1);
    model.addRecord(recordAt(32, QDateTime::currentDateTime(), QStringLiteral("m"), QStringLiteral("a new idea")));
    QCOMPARE(rowsAsText(model).mid(0, 5),
             (QStringList {QStringLiteral("# a new idea (1)"), QStringLiteral("32"),
                           QStringLiteral("# city at night (3)"), QStringLiteral("31"), QStringLiteral("30")}));
    QCOMPARE(reset.count(), 0);
}

void tst_GalleryModel::appendContinuesTheLastGroupAndSkipsDuplicates()
{
    const QList<LibraryRecord> set = mixedSet();
    auto byId = [&set](qint64 id) {
        return *std::find_if(set.cbegin(), set.cend(), [id](const LibraryRecord& r) { return r.id == id; });
    };
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setGrouping(GalleryModel::Grouping::Day);
    model.setRecords({byId(1)});
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.appendRecords({byId(2), byId(1), byId(3), byId(3), byId(5)});
    QCOMPARE(rowsAsText(model),
             (QStringList {QStringLiteral("# Today (2)"), QStringLiteral("1"), QStringLiteral("2"),
                           QStringLiteral("# Yesterday (2)"), QStringLiteral("3"), QStringLiteral("5")}));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 2);
    QCOMPARE(inserted.at(0).at(2).toInt(), 5);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1); // the continued group's size
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 0);

    model.appendRecords({byId(5), byId(1)}); // nothing new
    QCOMPARE(inserted.count(), 1);
    model.appendRecords({byId(4)});
    QCOMPARE(rowsAsText(model).mid(6),
             (QStringList {QStringLiteral("# ") + longDate(10) + QStringLiteral(" (1)"), QStringLiteral("4")}));
    QCOMPARE(model.rowOfId(4), 7);

    // Without grouping an append only adds images.
    GalleryModel flat;
    QAbstractItemModelTester flatTester(&flat, QAbstractItemModelTester::FailureReportingMode::Fatal);
    flat.setRecords({byId(1)});
    flat.appendRecords({byId(1), byId(3)});
    QCOMPARE(rowsAsText(flat), (QStringList {QStringLiteral("1"), QStringLiteral("3")}));
}

void tst_GalleryModel::onlyTheLastGroupMayContinue()
{
    const QList<LibraryRecord> set = mixedSet();
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setGrouping(GalleryModel::Grouping::Day);
    model.setRecords(set);
    auto continuing = [&model] {
        QList<int> rows;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.index(row).data(GalleryModel::GroupMayContinueRole).toBool())
                rows << row;
        }
        return rows;
    };
    QVERIFY(continuing().isEmpty());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setMoreToLoad(true);
    int lastHeader = model.rowCount() - 1;
    while (!model.isHeader(lastHeader))
        --lastHeader;
    QCOMPARE(continuing(), QList<int> {lastHeader});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), lastHeader);
    model.setMoreToLoad(true); // no change, no signal
    QCOMPARE(changed.count(), 1);
    model.setMoreToLoad(false);
    QVERIFY(continuing().isEmpty());
    model.setGrouping(GalleryModel::Grouping::None);
    model.setMoreToLoad(true);
    QVERIFY(continuing().isEmpty()); // no headers, nothing to say
}

void tst_GalleryModel::removingTheLastImageDropsTheHeader()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setGrouping(GalleryModel::Grouping::Day);
    model.setRecords(mixedSet());
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    model.removeIds({3, 5, 1, 99});
    QCOMPARE(rowsAsText(model), (QStringList {QStringLiteral("# Today (1)"), QStringLiteral("2"),
                                              QStringLiteral("# ") + longDate(10) + QStringLiteral(" (2)"),
                                              QStringLiteral("4"), QStringLiteral("6")}));
    QCOMPARE(removed.count(), 2); // two runs: image 1, and Yesterday with both its images
    QCOMPARE(model.rowOfId(4), 3);
    QCOMPARE(model.rowOfId(3), -1);
    model.removeIds({2});
    QCOMPARE(rowsAsText(model), (QStringList {QStringLiteral("# ") + longDate(10) + QStringLiteral(" (2)"),
                                              QStringLiteral("4"), QStringLiteral("6")}));
    QCOMPARE(model.imageCount(), 2);
    QCOMPARE(reset.count(), 0);
}

void tst_GalleryModel::regroupingKeepsThumbnails()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setThumbnailCacheDir(QString());
    model.setRecords(mixedSet());
    QSignalSpy loaded(loaderOf(model), &ThumbnailLoader::loaded);
    decoration(model, model.rowOfId(3));
    QTRY_COMPARE_WITH_TIMEOUT(state(model, model.rowOfId(3)), GalleryModel::ThumbnailState::Ready, 10000);
    const int decodes = int(loaded.count());
    model.setGrouping(GalleryModel::Grouping::Model);
    QCOMPARE(state(model, model.rowOfId(3)), GalleryModel::ThumbnailState::Ready);
    QCOMPARE(decoration(model, model.rowOfId(3)).size(), QSize(8, 8));
    QCoreApplication::processEvents();
    QCOMPARE(loaded.count(), decodes);
}

void tst_GalleryModel::navigationSkipsHeaders()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setGrouping(GalleryModel::Grouping::Day);
    model.setRecords(mixedSet()); // H 1 2 H 3 5 H 4 6
    QVERIFY(model.isHeader(0));
    QVERIFY(!model.isHeader(1));
    QVERIFY(!model.isHeader(-1));
    QVERIFY(!model.isHeader(99));
    QCOMPARE(model.nextImageRow(-1), 1);
    QCOMPARE(model.nextImageRow(0), 1);
    QCOMPARE(model.nextImageRow(2), 4);
    QCOMPARE(model.nextImageRow(5), 7);
    QCOMPARE(model.nextImageRow(8), -1);
    QCOMPARE(model.previousImageRow(4), 2);
    QCOMPARE(model.previousImageRow(7), 5);
    QCOMPARE(model.previousImageRow(1), -1);
    QCOMPARE(model.previousImageRow(9), 8);
}

void tst_GalleryModel::rowOfIdStaysRightAtScale()
{
    GalleryModel model;
    model.setGrouping(GalleryModel::Grouping::Day);
    QList<LibraryRecord> records;
    for (int i = 1; i <= 10000; ++i)
        records << recordAt(i, todayAt(12).addSecs(-60 * i), QStringLiteral("m"),
                            QStringLiteral("p")); // spans about a week
    model.setRecords(records);
    auto allFound = [&model] {
        for (qint64 id = 1; id <= 10000; ++id) {
            const int row = model.rowOfId(id);
            if (row < 0 ? id != 42 && id != 4242 : model.record(row).id != id)
                return false;
        }
        return true;
    };
    QElapsedTimer timer;
    timer.start();
    QVERIFY(allFound());
    model.addRecord(
        recordAt(10001, QDateTime::currentDateTime(), QStringLiteral("m"), QStringLiteral("p"))); // shifts every row
    QVERIFY(allFound());
    model.removeIds({42, 4242});
    QVERIFY(allFound());
    QCOMPARE(model.rowOfId(42), -1);
    QCOMPARE(model.record(model.rowOfId(10001)).id, 10001);
    // 30,000 lookups over 10,000 rows: a linear search would take seconds, the index milliseconds.
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
}

void tst_GalleryModel::rolesAndUpdateRecord()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    LibraryRecord record = recordAt(7, QDateTime::currentDateTime(), QStringLiteral("m"), QStringLiteral("p"));
    record.stars = 3;
    record.tags = QStringList {QStringLiteral("cats"), QStringLiteral("night")};
    record.trashedAt = QDateTime::currentDateTimeUtc();
    model.addRecord(record);
    const QModelIndex index = model.index(0);
    QCOMPARE(index.data(GalleryModel::StarsRole).toInt(), 3);
    QCOMPARE(index.data(GalleryModel::TagsRole).toStringList(), record.tags);
    QCOMPARE(index.data(GalleryModel::TrashedRole).toBool(), true);
    QCOMPARE(index.data(GalleryModel::IsHeaderRole).toBool(), false);
    QCOMPARE(index.data(GalleryModel::RecordRole).value<LibraryRecord>().tags, record.tags);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    record.stars = 5;
    record.favorite = true;
    record.trashedAt = {};
    model.updateRecord(record);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), index);
    QCOMPARE(index.data(GalleryModel::StarsRole).toInt(), 5);
    QCOMPARE(index.data(GalleryModel::FavoriteRole).toBool(), true);
    QCOMPARE(index.data(GalleryModel::TrashedRole).toBool(), false);
    LibraryRecord unknown = record;
    unknown.id = 99;
    model.updateRecord(unknown);
    model.setFavorite(99, false);
    QCOMPARE(changed.count(), 1);
    model.setFavorite(7, false);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(model.roleNames().value(GalleryModel::GroupSizeRole), QByteArray("groupSize"));
}

void tst_GalleryModel::headerFlagsAndDragMime()
{
    GalleryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setGrouping(GalleryModel::Grouping::Day);
    model.setRecords(mixedSet()); // H 1 2 H 3 5 H 4 6
    const Qt::ItemFlags header = model.flags(model.index(0));
    QVERIFY(header & Qt::ItemIsEnabled);
    QVERIFY(!(header & Qt::ItemIsSelectable));
    QVERIFY(!(header & Qt::ItemIsDragEnabled));
    const Qt::ItemFlags image = model.flags(model.index(1));
    QVERIFY(image & Qt::ItemIsSelectable);
    QVERIFY(image & Qt::ItemIsDragEnabled);
    QCOMPARE(model.supportedDragActions(), Qt::CopyAction);
    QVERIFY(model.mimeTypes().contains(QStringLiteral("text/uri-list")));
    QVERIFY(model.mimeTypes().contains(GalleryModel::recordIdsMimeType()));
    QCOMPARE(GalleryModel::recordIdsMimeType(), QStringLiteral("application/x-pixapi-record-ids"));

    // Several images (a header and a repeat mixed in): each image once, in row order; no path as text.
    std::unique_ptr<QMimeData> several(
        model.mimeData({model.index(4), model.index(0), model.index(1), model.index(4)}));
    QVERIFY(several);
    QCOMPARE(several->urls(), (QList<QUrl> {QUrl::fromLocalFile(m_tile), QUrl::fromLocalFile(m_tile)}));
    QCOMPARE(GalleryModel::recordIdsFromMime(several.get()), (QList<qint64> {1, 3}));
    QVERIFY(!several->formats().contains(QStringLiteral("text/plain")));

    std::unique_ptr<QMimeData> single(model.mimeData({model.index(model.rowOfId(6))}));
    QCOMPARE(single->urls(), QList<QUrl> {QUrl::fromLocalFile(m_tile)});
    QCOMPARE(single->text(), m_tile);
    QCOMPARE(GalleryModel::recordIdsFromMime(single.get()), QList<qint64> {6});

    QVERIFY(!model.mimeData({model.index(0)}));
    QVERIFY(GalleryModel::recordIdsFromMime(nullptr).isEmpty());
    QMimeData foreign;
    foreign.setData(GalleryModel::recordIdsMimeType(), "abc\n-3\n7\n\n");
    QCOMPARE(GalleryModel::recordIdsFromMime(&foreign), QList<qint64> {7});
}

QTEST_GUILESS_MAIN(tst_GalleryModel)
#include "tst_GalleryModel.moc"
