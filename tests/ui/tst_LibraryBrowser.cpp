#include "MainWindow.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"
#include "catalog/ModelCatalog.h"
#include "gallery/GalleryView.h"
#include "generation/TaskStore.h"
#include "library/GalleryModel.h"
#include "library/Library.h"
#include "net/NetworkAccess.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"

#include "TestApp.h"
#include "TestEnv.h"

#include <QAction>
#include <QBuffer>
#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Pixapi;

// The results grid as a library browser: the real MainWindow over a temporary library filled beforehand, as if by
// an earlier session. No server is involved.
class tst_LibraryBrowser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void earlierImagesAreShownNewestFirst();
    void newImagesAppearAtTheTop();
    void searchFiltersByPromptWords();
    void favoritesFilterShowsOnlyFavorites();
    void trashRemovesAndUndoRestores();
    void copyPromptPutsItOnTheClipboard();

private:
    AppServices services();
    // Stores an image of one colour with this prompt, `minutesAgo` before now. The stored record (id 0 on failure).
    LibraryRecord store(const QString& prompt, int minutesAgo, QColor color);
    // Selects the tile of this image alone, as a click would.
    static void selectOnly(MainWindow& window, qint64 id);
    static QStringList shownPrompts(MainWindow& window);

    std::unique_ptr<TestApp> m_app;
};

void tst_LibraryBrowser::initTestCase()
{
    TestEnv::init();
    AppIdentity::installTranslators(*QCoreApplication::instance());
}

void tst_LibraryBrowser::init()
{
    m_app = std::make_unique<TestApp>();
    QVERIFY(m_app->dir.isValid());
    QVERIFY(m_app->library.open().ok());
    QVERIFY(m_app->tasks.open().ok());
}

void tst_LibraryBrowser::cleanup()
{
    m_app.reset();
}

AppServices tst_LibraryBrowser::services()
{
    return m_app->services();
}

LibraryRecord tst_LibraryBrowser::store(const QString& prompt, int minutesAgo, QColor color)
{
    QImage pixels(16, 16, QImage::Format_RGB32);
    pixels.fill(color);
    ImageToStore image;
    QBuffer buffer(&image.bytes);
    buffer.open(QIODevice::WriteOnly);
    pixels.save(&buffer, "PNG");
    image.prompt = prompt;
    image.model = QStringLiteral("gpt-image-1.5");
    image.requestId = QStringLiteral("req-") + prompt;
    image.createdAt = QDateTime::currentDateTimeUtc().addSecs(-60LL * minutesAgo);
    QFuture<Result<LibraryRecord, ApiError>> future = m_app->library.store(std::move(image));
    // Through the event loop: imageStored() is delivered there.
    if (!QTest::qWaitFor([&future] { return future.isFinished(); }, 10000) || !future.result().ok())
        return {};
    QCoreApplication::processEvents();
    return future.result().value();
}

void tst_LibraryBrowser::selectOnly(MainWindow& window, qint64 id)
{
    auto* view = window.findChild<GalleryView*>(QStringLiteral("galleryView"));
    const QModelIndex index = window.galleryModel()->index(window.galleryModel()->rowOfId(id));
    QVERIFY(index.isValid());
    view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
}

QStringList tst_LibraryBrowser::shownPrompts(MainWindow& window)
{
    QStringList prompts;
    for (int row = 0; row < window.galleryModel()->rowCount(); ++row)
        prompts << window.galleryModel()->record(row).prompt;
    return prompts;
}

void tst_LibraryBrowser::earlierImagesAreShownNewestFirst()
{
    QVERIFY(store(QStringLiteral("oldest"), 30, Qt::red).id > 0);
    QVERIFY(store(QStringLiteral("newest"), 1, Qt::green).id > 0);
    QVERIFY(store(QStringLiteral("middle"), 10, Qt::blue).id > 0);

    MainWindow window(services());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 3, 10000);
    QCOMPARE(shownPrompts(window),
             (QStringList {QStringLiteral("newest"), QStringLiteral("middle"), QStringLiteral("oldest")}));
    QCOMPARE(window.findChild<QLabel*>(QStringLiteral("resultsTitleLabel"))->text(), QStringLiteral("Library"));
    QCOMPARE(window.findChild<QLabel*>(QStringLiteral("resultsCountLabel"))->text(), QStringLiteral("3 images"));
    // Thumbnails are decoded for library images as for new ones.
    GalleryModel* grid = window.galleryModel();
    QTRY_COMPARE_WITH_TIMEOUT(grid->data(grid->index(2), GalleryModel::ThumbnailStateRole).toInt(),
                              int(GalleryModel::ThumbnailState::Ready), 10000);
}

void tst_LibraryBrowser::newImagesAppearAtTheTop()
{
    QVERIFY(store(QStringLiteral("from before"), 5, Qt::red).id > 0);
    MainWindow window(services());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 1, 10000);

    const LibraryRecord landed = store(QStringLiteral("just landed"), 0, Qt::green);
    QVERIFY(landed.id > 0);
    QTRY_COMPARE(window.galleryModel()->rowCount(), 2);
    QCOMPARE(window.galleryModel()->record(0).id, landed.id);
    QCOMPARE(window.findChild<QLabel*>(QStringLiteral("resultsCountLabel"))->text(), QStringLiteral("2 images"));
}

void tst_LibraryBrowser::searchFiltersByPromptWords()
{
    QVERIFY(store(QStringLiteral("a red fox in the snow"), 3, Qt::red).id > 0);
    QVERIFY(store(QStringLiteral("a blue whale"), 2, Qt::blue).id > 0);
    QVERIFY(store(QStringLiteral("red sunset over the sea"), 1, Qt::darkRed).id > 0);
    MainWindow window(services());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 3, 10000);

    auto* search = window.findChild<QLineEdit*>(QStringLiteral("librarySearch"));
    QVERIFY(search && search->isVisible());
    QTest::keyClicks(search, QStringLiteral("red"));
    QTRY_COMPARE_WITH_TIMEOUT(
        shownPrompts(window),
        (QStringList {QStringLiteral("red sunset over the sea"), QStringLiteral("a red fox in the snow")}), 10000);
    QTest::keyClicks(search, QStringLiteral(" fox"));
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(window), QStringList {QStringLiteral("a red fox in the snow")}, 10000);
    // While filtered, new images show only if they match: the matching one's reload has read the other one too.
    QVERIFY(store(QStringLiteral("a green field"), 0, Qt::green).id > 0);
    QVERIFY(store(QStringLiteral("a red fox at night"), 0, Qt::darkGray).id > 0);
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(window).size(), 2, 10000);
    QVERIFY(!shownPrompts(window).contains(QStringLiteral("a green field")));

    search->clear();
    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 5, 10000);
    QVERIFY(shownPrompts(window).contains(QStringLiteral("a green field")));
}

void tst_LibraryBrowser::favoritesFilterShowsOnlyFavorites()
{
    const LibraryRecord liked = store(QStringLiteral("liked"), 2, Qt::red);
    QVERIFY(liked.id > 0);
    QVERIFY(store(QStringLiteral("plain"), 1, Qt::blue).id > 0);
    MainWindow window(services());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 2, 10000);

    auto* favorite = window.findChild<QAction*>(QStringLiteral("favoriteAction"));
    QVERIFY(favorite);
    selectOnly(window, liked.id);
    QCOMPARE(favorite->text().remove(QLatin1Char('&')), QStringLiteral("Favorite"));
    favorite->trigger();
    GalleryModel* grid = window.galleryModel();
    QTRY_VERIFY_WITH_TIMEOUT(grid->data(grid->index(grid->rowOfId(liked.id)), GalleryModel::FavoriteRole).toBool(),
                             10000);
    QCOMPARE(favorite->text().remove(QLatin1Char('&')), QStringLiteral("Unfavorite"));

    auto* filter = window.findChild<QToolButton*>(QStringLiteral("favoritesFilter"));
    QVERIFY(filter && filter->isCheckable());
    filter->click();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(window), QStringList {QStringLiteral("liked")}, 10000);
    QVERIFY(grid->record(0).favorite); // as read back from the library

    selectOnly(window, liked.id);
    favorite->trigger(); // unfavorite: it no longer belongs in this grid
    QTRY_COMPARE_WITH_TIMEOUT(grid->rowCount(), 0, 10000);
    filter->click();
    QTRY_COMPARE_WITH_TIMEOUT(grid->rowCount(), 2, 10000);
    QVERIFY(!grid->record(grid->rowOfId(liked.id)).favorite);
}

void tst_LibraryBrowser::trashRemovesAndUndoRestores()
{
    const LibraryRecord doomed = store(QStringLiteral("doomed"), 2, Qt::red);
    QVERIFY(doomed.id > 0);
    QVERIFY(store(QStringLiteral("kept"), 1, Qt::blue).id > 0);
    MainWindow window(services());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 2, 10000);

    auto* undo = window.findChild<QPushButton*>(QStringLiteral("undoTrashButton"));
    QVERIFY(undo && !undo->isVisible());
    selectOnly(window, doomed.id);
    window.findChild<QAction*>(QStringLiteral("trashAction"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(window), QStringList {QStringLiteral("kept")}, 10000);
    QTRY_VERIFY(undo->isVisible());
    QCOMPARE(window.statusBar()->currentMessage(), QStringLiteral("Moved 1 image to the trash."));
    QCOMPARE(m_app->library.recent(10).size(), 1); // trashed in the library, not only hidden

    QTest::mouseClick(undo, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(window), (QStringList {QStringLiteral("kept"), QStringLiteral("doomed")}),
                              10000);
    QVERIFY(!undo->isVisible());
    QCOMPARE(m_app->library.recent(10).size(), 2);
}

void tst_LibraryBrowser::copyPromptPutsItOnTheClipboard()
{
    const LibraryRecord record = store(QStringLiteral("a prompt worth keeping"), 1, Qt::red);
    QVERIFY(record.id > 0);
    MainWindow window(services());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 1, 10000);
    selectOnly(window, record.id);
    window.findChild<QAction*>(QStringLiteral("copyPromptAction"))->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("a prompt worth keeping"));
}

QTEST_MAIN(tst_LibraryBrowser)
#include "tst_LibraryBrowser.moc"
