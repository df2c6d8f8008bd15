#include "gallery/GalleryDelegate.h"
#include "gallery/GalleryView.h"
#include "library/GalleryModel.h"

#include "TestEnv.h"

#include <QElapsedTimer>
#include <QMimeData>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

// The grid on its own: how tiles and header rows are laid out, and how it copes with 10,000 rows (figures are
// printed, not asserted: the machine decides them).
class tst_GalleryView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tilesFillTheWidth();
    void headersTakeALineOfTheirOwn();
    void nearEndIsSignalledOnceLaidOut();
    void tilesDragOutAsFiles();
    void thumbnailOfAnotherSizeFillsTheTile();
    void tenThousandRows();

private:
    // `count` records spread over `days` days, newest first, sharing a few real image files.
    QList<LibraryRecord> records(int count, int days) const;
    static bool laidOut(const GalleryView& view);

    QTemporaryDir m_dir;
    QStringList m_files;
};

void tst_GalleryView::initTestCase()
{
    TestEnv::init();
    QVERIFY(m_dir.isValid());
    for (int i = 0; i < 8; ++i) {
        QImage image(64, 64, QImage::Format_RGB32);
        image.fill(QColor::fromHsv(i * 45, 200, 220));
        const QString path = m_dir.filePath(QStringLiteral("%1.png").arg(i));
        QVERIFY(image.save(path));
        m_files << path;
    }
}

QList<LibraryRecord> tst_GalleryView::records(int count, int days) const
{
    QList<LibraryRecord> list;
    const QDateTime now = QDateTime::currentDateTime();
    for (int i = 0; i < count; ++i) {
        LibraryRecord record;
        record.id = i + 1;
        record.filePath = m_files.at(i % m_files.size());
        record.prompt = QStringLiteral("prompt %1").arg(i % 37);
        record.model = QStringLiteral("model-%1").arg(i % 3);
        record.requestId = QStringLiteral("req-%1").arg(i);
        record.createdAt = now.addSecs(-qint64(i) * days * 86400 / qMax(1, count)).toUTC();
        record.stars = i % 6;
        record.favorite = i % 7 == 0;
        list << record;
    }
    return list;
}

bool tst_GalleryView::laidOut(const GalleryView& view)
{
    const int rows = view.model()->rowCount();
    return rows > 0 && view.visualRect(view.model()->index(rows - 1, 0)).isValid();
}

void tst_GalleryView::tilesFillTheWidth()
{
    GalleryModel model;
    model.setRecords(records(20, 1));
    GalleryView view;
    view.setModel(&model);
    view.resize(1000, 700);
    view.setTileSize(200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(laidOut(view));
    const int tile = view.tileSize();
    QVERIFY(qAbs(tile - 200) < 200 / 3);
    // The first line: square tiles, the last one ending near the right edge.
    const QRect first = view.visualRect(model.index(0));
    QCOMPARE(first.size(), QSize(tile, tile));
    int lastOnLine = 0;
    while (view.visualRect(model.index(lastOnLine + 1)).top() == first.top())
        ++lastOnLine;
    const int rightGap = view.viewport()->width() - view.visualRect(model.index(lastOnLine)).right();
    QVERIFY2(rightGap <= first.left() + 2 * view.spacing() + lastOnLine + 1,
             qPrintable(QStringLiteral("gap %1").arg(rightGap)));
    QVERIFY(rightGap > 0);

    // Bigger tiles: fewer columns.
    view.setTileSize(400);
    QTRY_VERIFY(laidOut(view));
    QVERIFY(view.tileSize() > tile);
    QCOMPARE(view.visualRect(model.index(0)).size(), QSize(view.tileSize(), view.tileSize()));
}

void tst_GalleryView::headersTakeALineOfTheirOwn()
{
    GalleryModel model;
    model.setGrouping(GalleryModel::Grouping::Day);
    model.setRecords(records(30, 3)); // three days, ten images each
    GalleryView view;
    view.setModel(&model);
    view.resize(900, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(laidOut(view));
    QVERIFY(model.isHeader(0));
    int headers = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (!model.isHeader(row))
            continue;
        ++headers;
        const QRect header = view.visualRect(model.index(row));
        QCOMPARE(header.height(), GalleryDelegate::headerHeight());
        QCOMPARE(header.width(), view.delegate()->headerWidth());
        QVERIFY(header.right() < view.viewport()->width());
        if (row > 0)
            QVERIFY(view.visualRect(model.index(row - 1)).bottom() < header.top());
        QVERIFY(view.visualRect(model.index(row + 1)).top() > header.bottom());
        QCOMPARE(view.visualRect(model.index(row + 1)).left(), header.left());
    }
    QVERIFY(headers >= 3);
    // The view leaves headers out of a selection.
    view.selectAll();
    QCOMPARE(view.selectionModel()->selectedIndexes().size(), 30);
}

void tst_GalleryView::nearEndIsSignalledOnceLaidOut()
{
    GalleryModel model;
    model.setRecords(records(200, 1));
    GalleryView view;
    QSignalSpy nearEnd(&view, &GalleryView::nearEnd);
    view.setModel(&model);
    view.resize(800, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(laidOut(view));
    QCoreApplication::processEvents();
    QCOMPARE(nearEnd.size(), 0); // at the top of 200 tiles
    view.scrollToBottom();
    QTRY_VERIFY(nearEnd.size() > 0);
}

void tst_GalleryView::tilesDragOutAsFiles()
{
    GalleryModel model;
    model.setRecords(records(3, 1));
    GalleryView view;
    view.setModel(&model);
    QVERIFY(view.dragEnabled());
    QCOMPARE(view.dragDropMode(), QAbstractItemView::DragOnly);
    QCOMPARE(view.defaultDropAction(), Qt::CopyAction);
    view.selectAll();
    const std::unique_ptr<QMimeData> mime(model.mimeData(view.selectionModel()->selectedIndexes()));
    QVERIFY(mime);
    QCOMPARE(mime->urls().size(), 3);
    QVERIFY(mime->urls().first().isLocalFile());
}

void tst_GalleryView::thumbnailOfAnotherSizeFillsTheTile()
{
    GalleryModel model;
    model.setThumbnailCacheDir(QString());
    model.setThumbnailEdge(32); // as before a resize: the tiles are bigger now, the new thumbnails not made yet
    model.setRecords(records(1, 1));
    GalleryView view;
    view.setModel(&model);
    view.resize(400, 300);
    view.setTileSize(120);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_VERIFY(laidOut(view));
    QTRY_COMPARE(model.data(model.index(0), GalleryModel::ThumbnailStateRole).toInt(),
                 int(GalleryModel::ThumbnailState::Ready));
    QCOMPARE(model.data(model.index(0), Qt::DecorationRole).value<QImage>().width(), 32);

    // The stand-in is painted at the tile's size (as its replacement will be), not small in the middle.
    const QRect tile = view.visualRect(model.index(0));
    const QImage shot = view.viewport()->grab().toImage();
    const QColor expected = QColor::fromHsv(0, 200, 220).toRgb();
    for (const QPoint& at : {tile.topLeft() + QPoint(12, 12), tile.bottomRight() - QPoint(12, 12), tile.center()}) {
        const QColor painted = shot.pixelColor(at * shot.devicePixelRatio());
        QVERIFY2(qAbs(painted.red() - expected.red()) + qAbs(painted.green() - expected.green())
                         + qAbs(painted.blue() - expected.blue())
                     < 30,
                 qPrintable(painted.name()));
    }
}

void tst_GalleryView::tenThousandRows()
{
    constexpr int Rows = 10000;
    const QList<LibraryRecord> list = records(Rows, 60);
    GalleryModel model;
    model.setGrouping(GalleryModel::Grouping::Day);
    GalleryView view;
    view.setModel(&model);
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QElapsedTimer timer;
    timer.start();
    model.setRecords(list);
    const qint64 setRecords = timer.elapsed();
    view.viewport()->repaint(); // the first screen, as the user sees it
    const qint64 firstPaint = timer.elapsed();
    QTRY_VERIFY_WITH_TIMEOUT(laidOut(view), 30000);
    const qint64 laidOutAt = timer.elapsed();

    timer.restart();
    view.scrollToBottom();
    view.viewport()->repaint();
    const qint64 toEnd = timer.elapsed();
    // Scrolling through in page steps: the cost of each repaint.
    timer.restart();
    int steps = 0;
    for (int value = 0; value < view.verticalScrollBar()->maximum() && steps < 200; ++steps) {
        value += view.verticalScrollBar()->pageStep() * 5;
        view.verticalScrollBar()->setValue(value);
        view.viewport()->repaint();
    }
    const qint64 scrolling = timer.elapsed();
    qInfo("10,000 rows (%d with headers): setRecords %lld ms, with the first paint %lld ms, laid out after %lld ms, "
          "scroll to the end + paint %lld ms, %d scroll steps %lld ms (%.1f ms each)",
          model.rowCount(), setRecords, firstPaint, laidOutAt, toEnd, steps, scrolling,
          steps ? double(scrolling) / steps : 0.0);
    QCOMPARE(model.imageCount(), Rows);
    QVERIFY(view.verticalScrollBar()->maximum() > Rows / 10 * view.tileSize());
    // A thumbnail arriving repaints; it does not lay the 10,000 rows out again.
    QVERIFY(laidOut(view));
    // The last row is on screen after scrolling to the end (the centre may be a gap: the day groups, and so the
    // rows of the last one, depend on the time of day the test runs).
    const QModelIndex shown = model.index(model.rowCount() - 1, 0);
    QVERIFY(view.viewport()->rect().intersects(view.visualRect(shown)));
    Q_EMIT model.dataChanged(shown, shown, {GalleryModel::ThumbnailStateRole});
    QVERIFY(laidOut(view));
}

QTEST_MAIN(tst_GalleryView)
#include "tst_GalleryView.moc"
