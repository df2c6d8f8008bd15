#include "library/GalleryModel.h"
#include "library/Library.h"
#include "settings/Settings.h"
#include "viewer/ImageCanvas.h"
#include "viewer/ImageViewer.h"

#include "TestApp.h"
#include "TestEnv.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSplitter>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

#include <memory>

using namespace Pixapi;

// The image viewer over a real library in a temporary directory: three images on two days (so the Day grouping puts
// a header between them), one made from another.
class tst_ImageViewer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void showsTheMetadataOfTheRow();
    void fullDecodeReplacesThePreview();
    void fitThenActualSizeZoomsToOne();
    void wheelZoomKeepsThePointUnderTheCursor();
    void arrowKeysStepOverGroupHeaders();
    void arrowKeysPanWhileZoomed();
    void splitterStateIsRemembered();
    void digitKeySetsTheStars();
    void tagsAreAddedThroughTheLibrary();
    void copyPromptPutsItOnTheClipboard();
    void lineageShowsTheParentAndOpensIt();
    void missingFileShowsAMessage();
    void failedEditIsReportedOnce();
    void removedImageHandsOverToItsNeighbour();
    void escapeCloses();

private:
    LibraryRecord store(const QString& prompt, int minutesAgo, QJsonObject params = {}, QList<qint64> parents = {});
    LibraryRecord readRecord(qint64 id);
    void showAndWait(qint64 id);
    template <typename T>
    T* child(const QString& name)
    {
        auto* found = m_viewer->findChild<T*>(name);
        if (!found)
            qFatal("no child %s", qPrintable(name));
        return found;
    }

    std::unique_ptr<TestApp> m_app;
    std::unique_ptr<GalleryModel> m_model;
    std::unique_ptr<ImageViewer> m_viewer;
    LibraryRecord m_fox;   // two days ago, parent of the whale
    LibraryRecord m_whale; // today, made from the fox
    LibraryRecord m_frog;  // today, newest
};

void tst_ImageViewer::initTestCase()
{
    TestEnv::init();
}

void tst_ImageViewer::init()
{
    m_app = std::make_unique<TestApp>();
    QVERIFY(m_app->dir.isValid());
    QVERIFY(m_app->library.open().ok());
    m_fox = store(QStringLiteral("a red fox in snow"), 2 * 24 * 60,
                  QJsonObject {{QStringLiteral("n"), 2},
                               {QStringLiteral("index"), 1},
                               {QStringLiteral("size"), QStringLiteral("1536x1024")},
                               {QStringLiteral("quality"), QStringLiteral("high")},
                               {QStringLiteral("revised_prompt"), QStringLiteral("A red fox standing in deep snow")}});
    m_whale = store(QStringLiteral("a blue whale"), 10, {}, {m_fox.id});
    m_frog = store(QStringLiteral("a green frog"), 5);
    QVERIFY(m_fox.id != 0 && m_whale.id != 0 && m_frog.id != 0);

    m_model = std::make_unique<GalleryModel>();
    m_model->setThumbnailCacheDir(QString());
    m_model->setGrouping(GalleryModel::Grouping::Day);
    m_model->setRecords({m_fox, m_whale, m_frog});
    // Today: frog, whale; then a header for two days ago: fox.
    QVERIFY(m_model->isHeader(0));
    QCOMPARE(m_model->record(1).id, m_frog.id);
    QCOMPARE(m_model->record(2).id, m_whale.id);
    QVERIFY(m_model->isHeader(3));
    QCOMPARE(m_model->record(4).id, m_fox.id);

    m_viewer = std::make_unique<ImageViewer>(&m_app->library, m_model.get(), &m_app->settings);
    m_viewer->resize(1000, 700);
    m_viewer->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_viewer.get()));
    m_viewer->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_viewer.get()));
}

void tst_ImageViewer::cleanup()
{
    m_viewer.reset();
    m_model.reset();
    m_app.reset();
}

LibraryRecord tst_ImageViewer::store(const QString& prompt, int minutesAgo, QJsonObject params, QList<qint64> parents)
{
    // Larger than the view, so Fit is below 100 %; a pattern so the PNG is not trivially small.
    QImage pixels(1536, 1024, QImage::Format_RGB32);
    pixels.fill(QColor(0x40, 0x60, 0x80));
    QPainter painter(&pixels);
    for (int x = 0; x < pixels.width(); x += 64)
        painter.fillRect(x, 0, 32, pixels.height(), QColor(0x80, 0x40 + x % 128, 0x20));
    painter.end();
    ImageToStore image;
    image.bytes = TestEnv::encodedImage(pixels);
    image.prompt = prompt;
    image.model = QStringLiteral("gpt-image-1.5");
    image.params = std::move(params);
    image.requestId = QStringLiteral("req-") + QString(prompt).replace(QLatin1Char(' '), QLatin1Char('-'));
    // From noon today, so "today" holds whatever the time of the run.
    image.createdAt = QDateTime(QDate::currentDate(), QTime(12, 0)).addSecs(-60LL * minutesAgo).toUTC();
    image.credits = 4.5;
    image.durationMs = 3200;
    image.parentIds = std::move(parents);
    QFuture<Result<LibraryRecord, ApiError>> future = m_app->library.store(std::move(image));
    if (!QTest::qWaitFor([&future] { return future.isFinished(); }, 10000) || !future.result().ok())
        return {};
    return future.result().value();
}

LibraryRecord tst_ImageViewer::readRecord(qint64 id)
{
    QFuture<Result<LibraryRecord, ApiError>> future = m_app->library.record(id);
    if (!QTest::qWaitFor([&future] { return future.isFinished(); }, 10000) || !future.result().ok())
        return {};
    return future.result().value();
}

void tst_ImageViewer::showAndWait(qint64 id)
{
    QSignalSpy loaded(m_viewer.get(), &ImageViewer::imageLoaded);
    m_viewer->showRow(m_model->rowOfId(id));
    QCOMPARE(m_viewer->currentId(), id);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(loaded.at(0).at(0).toLongLong(), id);
    QVERIFY(loaded.at(0).at(1).toBool());
}

void tst_ImageViewer::showsTheMetadataOfTheRow()
{
    QSignalSpy current(m_viewer.get(), &ImageViewer::currentChanged);
    m_viewer->showRow(m_model->rowOfId(m_fox.id));
    QCOMPARE(current.count(), 1);
    QCOMPARE(current.at(0).at(0).toLongLong(), m_fox.id);
    QCOMPARE(child<QLabel>(QStringLiteral("promptLabel"))->text(), m_fox.prompt);
    QVERIFY(child<QLabel>(QStringLiteral("revisedPromptLabel"))->isVisible());
    QCOMPARE(child<QLabel>(QStringLiteral("revisedPromptLabel"))->text(),
             QStringLiteral("A red fox standing in deep snow"));
    QVERIFY(child<QLabel>(QStringLiteral("modelLabel"))->text().contains(QStringLiteral("gpt-image-1.5")));
    QVERIFY(child<QLabel>(QStringLiteral("creditsLabel"))->text().contains(QLocale().toString(4.5)));
    QVERIFY(child<QLabel>(QStringLiteral("requestIdLabel"))->text().contains(QStringLiteral("req-a-red-fox-in-snow")));
    const QString size = child<QLabel>(QStringLiteral("sizeLabel"))->text();
    QVERIFY2(size.contains(QStringLiteral("1536 × 1024")) && size.contains(QStringLiteral("1536x1024")),
             qPrintable(size));
    QVERIFY(child<QLabel>(QStringLiteral("qualityLabel"))->text().contains(QStringLiteral("high")));
    QVERIFY(child<QLabel>(QStringLiteral("countLabel"))->text().contains(QStringLiteral("2")));
    QVERIFY(child<QLabel>(QStringLiteral("durationLabel"))->text().contains(QLocale().toString(3.2, 'f', 1)));
    QCOMPARE(child<QLineEdit>(QStringLiteral("pathField"))->text(), QDir::toNativeSeparators(m_fox.filePath));
    QVERIFY(child<QLabel>(QStringLiteral("fileInfoLabel"))->text().contains(QStringLiteral("PNG")));

    // An image without a revised prompt hides that section.
    m_viewer->showRow(m_model->rowOfId(m_frog.id));
    QCOMPARE(child<QLabel>(QStringLiteral("promptLabel"))->text(), m_frog.prompt);
    QVERIFY(!child<QLabel>(QStringLiteral("revisedPromptLabel"))->isVisible());
}

void tst_ImageViewer::fullDecodeReplacesThePreview()
{
    // The grid has painted the tile: its thumbnail is ready.
    const QModelIndex tile = m_model->index(m_model->rowOfId(m_whale.id));
    tile.data(Qt::DecorationRole);
    QTRY_COMPARE_WITH_TIMEOUT(tile.data(GalleryModel::ThumbnailStateRole).toInt(),
                              int(GalleryModel::ThumbnailState::Ready), 10000);

    QSignalSpy loaded(m_viewer.get(), &ImageViewer::imageLoaded);
    m_viewer->showRow(tile.row());
    // The thumbnail stands in at once, at the size of the real image.
    QVERIFY(m_viewer->canvas()->hasPreview());
    QCOMPARE(m_viewer->canvas()->imageSize(), QSize(1536, 1024));
    QVERIFY(m_viewer->canvas()->isFitMode());
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(loaded.at(0).at(0).toLongLong(), m_whale.id);
    QVERIFY(loaded.at(0).at(1).toBool());
    QVERIFY(m_viewer->canvas()->hasFullImage());
    QVERIFY(!m_viewer->canvas()->hasPreview());
    QCOMPARE(m_viewer->canvas()->imageSize(), QSize(1536, 1024));
    QVERIFY(m_viewer->canvas()->errorText().isEmpty());

    // Stepping away before a decode lands: the late answer is not shown for the new image.
    loaded.clear();
    m_viewer->showRow(m_model->rowOfId(m_frog.id));
    m_viewer->showRow(m_model->rowOfId(m_fox.id));
    QTRY_VERIFY_WITH_TIMEOUT(m_viewer->canvas()->hasFullImage(), 10000);
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(loaded.at(0).at(0).toLongLong(), m_fox.id);
}

void tst_ImageViewer::fitThenActualSizeZoomsToOne()
{
    showAndWait(m_fox.id);
    ImageCanvas* canvas = m_viewer->canvas();
    QVERIFY(canvas->isFitMode());
    QVERIFY2(canvas->zoomFactor() < 1.0, qPrintable(QString::number(canvas->zoomFactor())));
    // The whole image is in view when fitted.
    const QSize view = canvas->viewport()->size();
    QVERIFY(1536 * canvas->zoomFactor() <= view.width() + 1 && 1024 * canvas->zoomFactor() <= view.height() + 1);
    QVERIFY(!canvas->canPanHorizontally());

    child<QAction>(QStringLiteral("viewerActualSizeAction"))->trigger();
    QCOMPARE(canvas->zoomFactor(), 1.0);
    QVERIFY(!canvas->isFitMode());
    QVERIFY(canvas->canPanHorizontally()); // 1536 px do not fit in 1000
    QVERIFY(child<QToolButton>(QStringLiteral("zoomButton"))->text().contains(QStringLiteral("100")));

    child<QAction>(QStringLiteral("viewerFitAction"))->trigger();
    QVERIFY(canvas->isFitMode());
    QVERIFY(canvas->zoomFactor() < 1.0);
    QVERIFY(child<QToolButton>(QStringLiteral("zoomButton"))->text().startsWith(QStringLiteral("Fit")));

    // The view follows a resize while in fit mode.
    const qreal fitted = canvas->zoomFactor();
    m_viewer->resize(700, 500);
    QTRY_VERIFY(canvas->zoomFactor() < fitted);
    QVERIFY(canvas->isFitMode());
}

void tst_ImageViewer::wheelZoomKeepsThePointUnderTheCursor()
{
    showAndWait(m_fox.id);
    ImageCanvas* canvas = m_viewer->canvas();
    // From 100 %, where the image overflows the view both ways (a smaller image is centred instead).
    child<QAction>(QStringLiteral("viewerActualSizeAction"))->trigger();
    const QPointF cursor(canvas->viewport()->width() / 3.0, canvas->viewport()->height() / 3.0);
    for (const int delta : {120, 120, -120, -240}) {
        const QPointF before = canvas->imagePointAt(cursor);
        const qreal zoom = canvas->zoomFactor();
        QWheelEvent wheel(cursor, canvas->viewport()->mapToGlobal(cursor), QPoint(), QPoint(0, delta), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(canvas->viewport(), &wheel);
        QVERIFY(delta > 0 ? canvas->zoomFactor() > zoom : canvas->zoomFactor() < zoom);
        QVERIFY(canvas->canPanHorizontally() && canvas->canPanVertically());
        const QPointF after = canvas->imagePointAt(cursor);
        // Scroll positions are whole pixels: within one screen pixel, in image pixels.
        const qreal tolerance = 1.0 / canvas->zoomFactor() + 0.01;
        QVERIFY2(qAbs(after.x() - before.x()) <= tolerance && qAbs(after.y() - before.y()) <= tolerance,
                 qPrintable(QStringLiteral("(%1, %2) moved to (%3, %4)")
                                .arg(before.x())
                                .arg(before.y())
                                .arg(after.x())
                                .arg(after.y())));
    }
    QVERIFY(!canvas->isFitMode());
}

void tst_ImageViewer::arrowKeysStepOverGroupHeaders()
{
    m_viewer->showRow(0); // a header: the first image after it
    QCOMPARE(m_viewer->currentId(), m_frog.id);
    auto* previous = child<QAction>(QStringLiteral("viewerPreviousAction"));
    auto* next = child<QAction>(QStringLiteral("viewerNextAction"));
    QVERIFY(!previous->isEnabled());
    QVERIFY(next->isEnabled());

    QWidget* focus = QApplication::focusWidget();
    QVERIFY(focus && m_viewer->isAncestorOf(focus));
    QTest::keyClick(focus, Qt::Key_Right);
    QCOMPARE(m_viewer->currentId(), m_whale.id);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right); // over the header of two days ago
    QCOMPARE(m_viewer->currentId(), m_fox.id);
    QVERIFY(!next->isEnabled());
    QVERIFY(previous->isEnabled());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right);
    QCOMPARE(m_viewer->currentId(), m_fox.id); // the end
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Left);
    QCOMPARE(m_viewer->currentId(), m_whale.id);
    QVERIFY(next->isEnabled());
}

void tst_ImageViewer::arrowKeysPanWhileZoomed()
{
    showAndWait(m_whale.id);
    ImageCanvas* canvas = m_viewer->canvas();
    child<QAction>(QStringLiteral("viewerActualSizeAction"))->trigger();
    QVERIFY(canvas->canPanHorizontally());
    const int scrolled = canvas->horizontalScrollBar()->value();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right);
    QCOMPARE(m_viewer->currentId(), m_whale.id); // panned, did not step
    QVERIFY(canvas->horizontalScrollBar()->value() > scrolled);
    // Page Down still steps.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown);
    QCOMPARE(m_viewer->currentId(), m_fox.id);
    QVERIFY(canvas->isFitMode()); // each image opens fitted
}

void tst_ImageViewer::splitterStateIsRemembered()
{
    auto* splitter = child<QSplitter>(QStringLiteral("viewerSplitter"));
    const int panel = splitter->sizes().at(1);
    QSplitterHandle* handle = splitter->handle(1);
    const QPoint grip = handle->rect().center();
    QTest::mousePress(handle, Qt::LeftButton, {}, grip);
    QTest::mouseMove(handle, grip - QPoint(80, 0));
    QTest::mouseRelease(handle, Qt::LeftButton, {}, grip - QPoint(80, 0));
    QTRY_VERIFY(splitter->sizes().at(1) > panel);
    const QByteArray saved = m_app->settings.value(Settings::Key::ViewerSplitterState).toByteArray();
    QVERIFY(!saved.isEmpty());
    QCOMPARE(saved, splitter->saveState());

    // A new viewer opens with the same split.
    ImageViewer again(&m_app->library, m_model.get(), &m_app->settings);
    again.resize(m_viewer->size());
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.findChild<QSplitter*>(QStringLiteral("viewerSplitter"))->sizes(), splitter->sizes());
}

void tst_ImageViewer::digitKeySetsTheStars()
{
    m_viewer->showRow(m_model->rowOfId(m_whale.id));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_4);
    QTRY_COMPARE_WITH_TIMEOUT(readRecord(m_whale.id).stars, 4, 10000);
    // The panel and the grid show the library's answer.
    QTRY_COMPARE(child<QToolButton>(QStringLiteral("starButton4"))->text(), QStringLiteral("★"));
    QCOMPARE(child<QToolButton>(QStringLiteral("starButton5"))->text(), QStringLiteral("☆"));
    QTRY_COMPARE(m_model->index(m_model->rowOfId(m_whale.id)).data(GalleryModel::StarsRole).toInt(), 4);

    // Clicking the top star again clears the rating.
    QTest::mouseClick(child<QToolButton>(QStringLiteral("starButton4")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(readRecord(m_whale.id).stars, 0, 10000);
}

void tst_ImageViewer::tagsAreAddedThroughTheLibrary()
{
    m_viewer->showRow(m_model->rowOfId(m_frog.id));
    auto* edit = child<QLineEdit>(QStringLiteral("tagEdit"));
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("amphibian4"));
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(edit->text().isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(readRecord(m_frog.id).tags, QStringList {QStringLiteral("amphibian4")}, 10000);
    QTRY_VERIFY(child<QLabel>(QStringLiteral("tagsLabel"))->text().contains(QStringLiteral("amphibian4")));
    // Typing digits into the tag field does not rate the image.
    QCOMPARE(readRecord(m_frog.id).stars, 0);
}

void tst_ImageViewer::copyPromptPutsItOnTheClipboard()
{
    m_viewer->showRow(m_model->rowOfId(m_whale.id));
    QApplication::clipboard()->clear();
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(QApplication::clipboard()->text(), m_whale.prompt);

    // Ctrl+C asks the window to copy the image itself.
    QSignalSpy copyImage(m_viewer.get(), &ImageViewer::copyImageRequested);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(copyImage.count(), 1);
    QCOMPARE(copyImage.at(0).at(0).value<LibraryRecord>().id, m_whale.id);
}

void tst_ImageViewer::lineageShowsTheParentAndOpensIt()
{
    m_viewer->showRow(m_model->rowOfId(m_whale.id));
    auto* madeFrom = child<QListWidget>(QStringLiteral("madeFromList"));
    QTRY_COMPARE_WITH_TIMEOUT(madeFrom->count(), 1, 10000);
    QVERIFY(madeFrom->isVisible());
    QCOMPARE(madeFrom->item(0)->toolTip(), m_fox.prompt);

    const QPoint where = madeFrom->visualItemRect(madeFrom->item(0)).center();
    QTest::mouseClick(madeFrom->viewport(), Qt::LeftButton, {}, where);
    QTRY_COMPARE(m_viewer->currentId(), m_fox.id);
    QCOMPARE(child<QLabel>(QStringLiteral("promptLabel"))->text(), m_fox.prompt);
    // And the fox lists what was made from it.
    auto* usedFor = child<QListWidget>(QStringLiteral("usedForList"));
    QTRY_COMPARE_WITH_TIMEOUT(usedFor->count(), 1, 10000);
    QCOMPARE(usedFor->item(0)->toolTip(), m_whale.prompt);
    QTRY_COMPARE(madeFrom->count(), 0);
    QVERIFY(!madeFrom->isVisible());

    // A new image made from the shown one joins the list as it lands.
    const LibraryRecord cub = store(QStringLiteral("a fox cub"), 1, {}, {m_fox.id});
    QVERIFY(cub.id != 0);
    QTRY_COMPARE_WITH_TIMEOUT(usedFor->count(), 2, 10000);
}

void tst_ImageViewer::missingFileShowsAMessage()
{
    QVERIFY(QFile::remove(m_frog.filePath));
    QSignalSpy loaded(m_viewer.get(), &ImageViewer::imageLoaded);
    m_viewer->showRecord(m_frog);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(loaded.at(0).at(0).toLongLong(), m_frog.id);
    QVERIFY(!loaded.at(0).at(1).toBool());
    QVERIFY(!m_viewer->canvas()->hasFullImage());
    QVERIFY2(m_viewer->canvas()->errorText().contains(QStringLiteral("missing")),
             qPrintable(m_viewer->canvas()->errorText()));
    // The details are still there.
    QCOMPARE(child<QLabel>(QStringLiteral("promptLabel"))->text(), m_frog.prompt);

    // Bytes that are not an image: a message too, not a crash.
    QFile garbage(m_fox.filePath); // not the neighbour: that one was decoded ahead
    QVERIFY(garbage.open(QIODevice::WriteOnly | QIODevice::Truncate));
    garbage.write("not a png");
    garbage.close();
    loaded.clear();
    m_viewer->showRecord(m_fox);
    QVERIFY(loaded.wait(10000));
    QVERIFY(!loaded.at(0).at(1).toBool());
    QVERIFY(m_viewer->canvas()->errorText().contains(QStringLiteral("could not be read")));
}

void tst_ImageViewer::failedEditIsReportedOnce()
{
    LibraryRecord ghost = m_frog;
    ghost.id = 999999; // not in the library
    m_viewer->showRecord(ghost);
    QSignalSpy failed(m_viewer.get(), &ImageViewer::failed);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_3);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.count(), 1);
    QVERIFY(!failed.at(0).at(0).toString().isEmpty());
    // Not in the grid: no neighbours.
    QVERIFY(!child<QAction>(QStringLiteral("viewerNextAction"))->isEnabled());
    QVERIFY(!child<QAction>(QStringLiteral("viewerPreviousAction"))->isEnabled());
}

void tst_ImageViewer::removedImageHandsOverToItsNeighbour()
{
    QSignalSpy closed(m_viewer.get(), &ImageViewer::closed);
    QSignalSpy trash(m_viewer.get(), &ImageViewer::trashRequested);
    m_viewer->showRow(m_model->rowOfId(m_whale.id));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Delete);
    QCOMPARE(trash.count(), 1);
    QCOMPARE(trash.at(0).at(0).value<QList<qint64>>(), QList<qint64> {m_whale.id});

    // The window trashes it and the grid drops the row: the next image takes its place.
    m_model->removeIds({m_whale.id});
    QCOMPARE(m_viewer->currentId(), m_fox.id);
    // The last one: the previous image then.
    m_model->removeIds({m_fox.id});
    QCOMPARE(m_viewer->currentId(), m_frog.id);
    QCOMPARE(closed.count(), 0);
    m_model->removeIds({m_frog.id});
    QCOMPARE(closed.count(), 1);
}

void tst_ImageViewer::escapeCloses()
{
    m_viewer->showRow(m_model->rowOfId(m_fox.id));
    QSignalSpy closed(m_viewer.get(), &ImageViewer::closed);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QCOMPARE(closed.count(), 1);
}

QTEST_MAIN(tst_ImageViewer)
#include "tst_ImageViewer.moc"
