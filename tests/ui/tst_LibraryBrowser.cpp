#include "MainWindow.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "api/PixapiClient.h"
#include "catalog/ModelCatalog.h"
#include "gallery/DateRangeDialog.h"
#include "gallery/GalleryDelegate.h"
#include "gallery/GalleryView.h"
#include "gallery/LibraryBrowser.h"
#include "gallery/LibraryFilterBar.h"
#include "gallery/TagEditorDialog.h"
#include "generation/TaskStore.h"
#include "library/GalleryModel.h"
#include "library/Library.h"
#include "library/ThumbnailLoader.h"
#include "net/NetworkAccess.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"

#include "TestApp.h"
#include "TestEnv.h"

#include <QAction>
#include <QClipboard>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSlider>
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

    void modelFilterShowsChosenModels();
    void dateFilterKeepsTheRange();
    void minimumStarsFilter();
    void tagFilter();
    void addToAndRemoveFromCollection();
    void groupingShowsHeaderRowsWithCounts();
    void headerRowsAreNotSelectable();
    void trashViewRestoresAndPurges();
    void ratingKeysRateTheSelection();
    void tagsDialogAddsATag();
    void pagesLoadWhenScrolledToTheEnd();
    void emptyResultSaysSo();
    void tileSizeSliderResizesAndIsSaved();
    void nextStartDecodesTheFirstScreenWithTheFirstPage();
    void exportAndCopyImageCarryTheRecords();
    void narrowWindowMovesFiltersIntoAMenu();
    void failedEditIsReportedOnce();

private:
    AppServices services();
    // Stores an image of one colour with this prompt, `minutesAgo` before now. The stored record (id 0 on failure).
    LibraryRecord store(const QString& prompt, int minutesAgo, QColor color);
    // Starts storing an image of this model made at `createdAt`; the future holds the record.
    QFuture<Result<LibraryRecord, ApiError>> storeLater(const QString& prompt, const QString& model,
                                                        const QDateTime& createdAt);
    LibraryRecord storeWith(const QString& prompt, const QString& model, const QDateTime& createdAt);
    // Waits for a library edit and the signals after it.
    static bool finish(QFuture<Result<bool, ApiError>> future);
    // A shown window over the library, its grid loaded with `rows` rows.
    std::unique_ptr<MainWindow> openWindow(int rows);
    static GalleryView* grid(MainWindow& window);
    static LibraryBrowser* browser(MainWindow& window);
    // The action of the menu named `menuName` whose data is `value`.
    static QAction* menuChoice(MainWindow& window, const QString& menuName, const QString& value);
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

namespace {
QImage decoration(const GalleryModel& model, int row)
{
    return model.data(model.index(row), Qt::DecorationRole).value<QImage>();
}

GalleryModel::ThumbnailState state(const GalleryModel& model, int row)
{
    return static_cast<GalleryModel::ThumbnailState>(
        model.data(model.index(row), GalleryModel::ThumbnailStateRole).toInt());
}
} // namespace

LibraryRecord tst_LibraryBrowser::store(const QString& prompt, int minutesAgo, QColor color)
{
    QImage pixels(16, 16, QImage::Format_RGB32);
    pixels.fill(color);
    ImageToStore image;
    image.bytes = TestEnv::encodedImage(pixels);
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

QFuture<Result<LibraryRecord, ApiError>> tst_LibraryBrowser::storeLater(const QString& prompt, const QString& model,
                                                                        const QDateTime& createdAt)
{
    QImage pixels(8, 8, QImage::Format_RGB32);
    pixels.fill(QColor::fromHsv(int(qHash(prompt) % 360), 200, 200));
    ImageToStore image;
    image.bytes = TestEnv::encodedImage(pixels);
    image.prompt = prompt;
    image.model = model;
    image.requestId = QStringLiteral("req-") + prompt;
    image.createdAt = createdAt;
    return m_app->library.store(std::move(image));
}

LibraryRecord tst_LibraryBrowser::storeWith(const QString& prompt, const QString& model, const QDateTime& createdAt)
{
    QFuture<Result<LibraryRecord, ApiError>> future = storeLater(prompt, model, createdAt);
    if (!QTest::qWaitFor([&future] { return future.isFinished(); }, 10000) || !future.result().ok())
        return {};
    QCoreApplication::processEvents();
    return future.result().value();
}

bool tst_LibraryBrowser::finish(QFuture<Result<bool, ApiError>> future)
{
    const bool done = QTest::qWaitFor([&future] { return future.isFinished(); }, 10000);
    QCoreApplication::processEvents();
    return done && future.result().ok();
}

std::unique_ptr<MainWindow> tst_LibraryBrowser::openWindow(int rows)
{
    auto window = std::make_unique<MainWindow>(services());
    window->resize(1280, 800);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return {};
    if (!QTest::qWaitFor([&] { return window->galleryModel()->rowCount() == rows; }, 10000))
        return {};
    return window;
}

GalleryView* tst_LibraryBrowser::grid(MainWindow& window)
{
    return window.findChild<GalleryView*>(QStringLiteral("galleryView"));
}

LibraryBrowser* tst_LibraryBrowser::browser(MainWindow& window)
{
    return window.findChild<LibraryBrowser*>(QStringLiteral("libraryBrowser"));
}

QAction* tst_LibraryBrowser::menuChoice(MainWindow& window, const QString& menuName, const QString& value)
{
    auto* menu = window.findChild<QMenu*>(menuName);
    if (!menu)
        return nullptr;
    const QList<QAction*> actions = menu->actions();
    for (QAction* action : actions) {
        if (action->data().toString() == value)
            return action;
    }
    return nullptr;
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
    QTRY_COMPARE(window.findChild<QLabel*>(QStringLiteral("libraryCountLabel"))->text(), QStringLiteral("3 images"));
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
    QTRY_COMPARE(window.findChild<QLabel*>(QStringLiteral("libraryCountLabel"))->text(), QStringLiteral("2 images"));
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

void tst_LibraryBrowser::modelFilterShowsChosenModels()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(storeWith(QStringLiteral("one"), QStringLiteral("gpt-image-1"), now.addSecs(-30)).id > 0);
    QVERIFY(storeWith(QStringLiteral("two"), QStringLiteral("flux-pro"), now.addSecs(-20)).id > 0);
    QVERIFY(storeWith(QStringLiteral("three"), QStringLiteral("gpt-image-1"), now.addSecs(-10)).id > 0);
    const auto window = openWindow(3);
    QVERIFY(window);

    auto* button = window->findChild<QToolButton*>(QStringLiteral("modelFilter"));
    QVERIFY(button);
    QCOMPARE(button->text(), QStringLiteral("Model"));
    QTRY_VERIFY_WITH_TIMEOUT(menuChoice(*window, QStringLiteral("modelFilterMenu"), QStringLiteral("flux-pro")), 10000);
    menuChoice(*window, QStringLiteral("modelFilterMenu"), QStringLiteral("flux-pro"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window), QStringList {QStringLiteral("two")}, 10000);
    QCOMPARE(button->text(), QStringLiteral("Model: flux-pro"));
    QVERIFY(browser(*window)->isFiltered());
    // "1 image" once the English plurals list the string (until then "1 image(s)").
    QTRY_VERIFY(
        window->findChild<QLabel*>(QStringLiteral("libraryCountLabel"))->text().startsWith(QStringLiteral("1 image")));

    // A second model widens the filter; "Clear filters" drops it.
    menuChoice(*window, QStringLiteral("modelFilterMenu"), QStringLiteral("gpt-image-1"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(window->galleryModel()->rowCount(), 3, 10000);
    QCOMPARE(button->text(), QStringLiteral("Models: 2"));
    menuChoice(*window, QStringLiteral("modelFilterMenu"), QStringLiteral("gpt-image-1"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window), QStringList {QStringLiteral("two")}, 10000);
    auto* clear = window->findChild<QAction*>(QStringLiteral("clearFiltersAction"));
    QVERIFY(clear && clear->isEnabled());
    clear->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(window->galleryModel()->rowCount(), 3, 10000);
    QCOMPARE(button->text(), QStringLiteral("Model"));
    QVERIFY(!clear->isEnabled());
}

void tst_LibraryBrowser::dateFilterKeepsTheRange()
{
    const QDateTime now = QDateTime::currentDateTime();
    QVERIFY(storeWith(QStringLiteral("just now"), QStringLiteral("m"), now.addSecs(-60).toUTC()).id > 0);
    QVERIFY(storeWith(QStringLiteral("three days ago"), QStringLiteral("m"), now.addDays(-3).toUTC()).id > 0);
    QVERIFY(storeWith(QStringLiteral("forty days ago"), QStringLiteral("m"), now.addDays(-40).toUTC()).id > 0);
    const auto window = openWindow(3);
    QVERIFY(window);

    window->findChild<QAction*>(QStringLiteral("dateToday"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window), QStringList {QStringLiteral("just now")}, 10000);
    QCOMPARE(window->findChild<QToolButton*>(QStringLiteral("dateFilter"))->text(), QStringLiteral("Date: Today"));
    window->findChild<QAction*>(QStringLiteral("dateLast7Days"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window),
                              (QStringList {QStringLiteral("just now"), QStringLiteral("three days ago")}), 10000);

    // Custom range: a dialog with two dates, both days included.
    window->findChild<QAction*>(QStringLiteral("dateCustom"))->trigger();
    auto* dialog = window->findChild<DateRangeDialog*>(QStringLiteral("dateRangeDialog"));
    QVERIFY(dialog && dialog->isVisible());
    const QDate day = now.addDays(-40).date();
    dialog->findChild<QDateEdit*>(QStringLiteral("dateFromEdit"))->setDate(day);
    dialog->findChild<QDateEdit*>(QStringLiteral("dateToEdit"))->setDate(day);
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window), QStringList {QStringLiteral("forty days ago")}, 10000);

    window->findChild<QAction*>(QStringLiteral("dateAny"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(window->galleryModel()->rowCount(), 3, 10000);
}

void tst_LibraryBrowser::minimumStarsFilter()
{
    const LibraryRecord great = store(QStringLiteral("great"), 3, Qt::red);
    const LibraryRecord fine = store(QStringLiteral("fine"), 2, Qt::green);
    QVERIFY(store(QStringLiteral("unrated"), 1, Qt::blue).id > 0);
    QVERIFY(finish(m_app->library.setStars(great.id, 5)));
    QVERIFY(finish(m_app->library.setStars(fine.id, 2)));
    const auto window = openWindow(3);
    QVERIFY(window);

    window->findChild<QAction*>(QStringLiteral("minStars2"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window), (QStringList {QStringLiteral("fine"), QStringLiteral("great")}),
                              10000);
    QCOMPARE(
        window->galleryModel()
            ->data(window->galleryModel()->index(window->galleryModel()->rowOfId(great.id)), GalleryModel::StarsRole)
            .toInt(),
        5);
    window->findChild<QAction*>(QStringLiteral("minStars3"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window), QStringList {QStringLiteral("great")}, 10000);
}

void tst_LibraryBrowser::tagFilter()
{
    const LibraryRecord cat = store(QStringLiteral("a cat"), 2, Qt::red);
    QVERIFY(store(QStringLiteral("a dog"), 1, Qt::green).id > 0);
    QVERIFY(finish(m_app->library.addTag(cat.id, QStringLiteral("cats"))));
    const auto window = openWindow(2);
    QVERIFY(window);

    QTRY_VERIFY_WITH_TIMEOUT(menuChoice(*window, QStringLiteral("tagFilterMenu"), QStringLiteral("cats")), 10000);
    menuChoice(*window, QStringLiteral("tagFilterMenu"), QStringLiteral("cats"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window), QStringList {QStringLiteral("a cat")}, 10000);
    QCOMPARE(window->findChild<QToolButton*>(QStringLiteral("tagFilter"))->text(), QStringLiteral("Tag: cats"));
}

void tst_LibraryBrowser::addToAndRemoveFromCollection()
{
    const LibraryRecord keeper = store(QStringLiteral("keeper"), 2, Qt::red);
    QVERIFY(store(QStringLiteral("other"), 1, Qt::green).id > 0);
    QVERIFY(finish(m_app->library.createCollection(QStringLiteral("Trip"))));
    const auto window = openWindow(2);
    QVERIFY(window);

    selectOnly(*window, keeper.id);
    auto* menu = window->findChild<QMenu*>(QStringLiteral("addToCollectionMenu"));
    QVERIFY(menu);
    QAction* trip = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((trip = [menu]() -> QAction* {
                                 const QList<QAction*> actions = menu->actions();
                                 for (QAction* action : actions) {
                                     if (action->text() == QStringLiteral("Trip"))
                                         return action;
                                 }
                                 return nullptr;
                             }()),
                             10000);
    trip->trigger();
    GalleryModel* model = window->galleryModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->record(model->rowOfId(keeper.id)).collections.contains(QStringLiteral("Trip")),
                             10000);

    QTRY_VERIFY_WITH_TIMEOUT(menuChoice(*window, QStringLiteral("collectionFilterMenu"), QStringLiteral("Trip")),
                             10000);
    menuChoice(*window, QStringLiteral("collectionFilterMenu"), QStringLiteral("Trip"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window), QStringList {QStringLiteral("keeper")}, 10000);
    auto* remove = window->findChild<QAction*>(QStringLiteral("removeFromCollectionAction"));
    selectOnly(*window, keeper.id);
    QVERIFY(remove->isEnabled());
    remove->trigger();
    // No longer in the collection shown: it leaves the grid, and the library agrees.
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 0, 10000);
    QFuture<Result<LibraryRecord, ApiError>> reread = m_app->library.record(keeper.id);
    QVERIFY(QTest::qWaitFor([&reread] { return reread.isFinished(); }, 10000));
    QVERIFY(reread.result().ok());
    QVERIFY(reread.result().value().collections.isEmpty());
}

void tst_LibraryBrowser::groupingShowsHeaderRowsWithCounts()
{
    const QDateTime now = QDateTime::currentDateTime();
    QVERIFY(storeWith(QStringLiteral("a"), QStringLiteral("flux-pro"), now.addSecs(-60).toUTC()).id > 0);
    QVERIFY(storeWith(QStringLiteral("b"), QStringLiteral("gpt-image-1"), now.addSecs(-30).toUTC()).id > 0);
    QVERIFY(storeWith(QStringLiteral("c"), QStringLiteral("gpt-image-1"), now.addDays(-5).toUTC()).id > 0);
    const auto window = openWindow(3);
    QVERIFY(window);
    GalleryModel* model = window->galleryModel();

    window->findChild<QAction*>(QStringLiteral("groupByDay"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 5, 10000); // two days, three images
    QCOMPARE(m_app->settings.value(Settings::Key::GalleryGrouping).toString(), QStringLiteral("day"));
    QVERIFY(model->isHeader(0));
    QCOMPARE(model->data(model->index(0), GalleryModel::GroupSizeRole).toInt(), 2);
    QVERIFY(model->isHeader(3));
    QCOMPARE(model->data(model->index(3), GalleryModel::GroupSizeRole).toInt(), 1);
    QCOMPARE(model->imageCount(), 3);
    // Header rows take a line of their own, as wide as the grid.
    GalleryView* view = grid(*window);
    QTRY_VERIFY(view->visualRect(model->index(4)).isValid());
    const QRect header = view->visualRect(model->index(0));
    QCOMPARE(header.width(), view->delegate()->headerWidth());
    QVERIFY(header.width() > view->viewport()->width() * 9 / 10);
    QVERIFY(view->visualRect(model->index(1)).top() >= header.bottom());
    QCOMPARE(view->visualRect(model->index(1)).size(), QSize(view->tileSize(), view->tileSize()));

    window->findChild<QAction*>(QStringLiteral("groupByModel"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(model->data(model->index(0), GalleryModel::GroupTitleRole).toString(),
                              QStringLiteral("flux-pro"), 10000);
    QCOMPARE(model->rowCount(), 5);
    QCOMPARE(model->data(model->index(2), GalleryModel::GroupTitleRole).toString(), QStringLiteral("gpt-image-1"));
    QCOMPARE(model->data(model->index(2), GalleryModel::GroupSizeRole).toInt(), 2);
    QCOMPARE(m_app->settings.value(Settings::Key::GalleryGrouping).toString(), QStringLiteral("model"));

    // Remembered for the next window.
    const auto again = std::make_unique<MainWindow>(services());
    QCOMPARE(again->galleryModel()->grouping(), GalleryModel::Grouping::Model);
}

void tst_LibraryBrowser::headerRowsAreNotSelectable()
{
    QVERIFY(store(QStringLiteral("a"), 2, Qt::red).id > 0);
    QVERIFY(store(QStringLiteral("b"), 1, Qt::green).id > 0);
    m_app->settings.setValue(Settings::Key::GalleryGrouping, QStringLiteral("day"));
    const auto window = openWindow(3);
    QVERIFY(window);
    GalleryModel* model = window->galleryModel();
    GalleryView* view = grid(*window);
    QVERIFY(model->isHeader(0));
    QVERIFY(!(model->flags(model->index(0)) & Qt::ItemIsSelectable));
    view->selectAll();
    const QModelIndexList selected = view->selectionModel()->selectedIndexes();
    QCOMPARE(selected.size(), 2);
    for (const QModelIndex& index : selected)
        QVERIFY(!model->isHeader(index.row()));
    view->clearSelection();
    QTRY_VERIFY(view->visualRect(model->index(2)).isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(model->index(0)).center());
    QVERIFY(view->selectionModel()->selectedIndexes().isEmpty());
}

void tst_LibraryBrowser::trashViewRestoresAndPurges()
{
    const LibraryRecord back = store(QStringLiteral("coming back"), 3, Qt::red);
    const LibraryRecord gone = store(QStringLiteral("gone for good"), 2, Qt::green);
    QVERIFY(store(QStringLiteral("live"), 1, Qt::blue).id > 0);
    QVERIFY(finish(m_app->library.trash(back.id)));
    QVERIFY(finish(m_app->library.trash(gone.id)));
    const auto window = openWindow(1);
    QVERIFY(window);
    GalleryModel* model = window->galleryModel();

    window->findChild<QToolButton*>(QStringLiteral("trashFilter"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window),
                              (QStringList {QStringLiteral("gone for good"), QStringLiteral("coming back")}), 10000);
    QVERIFY(model->data(model->index(0), GalleryModel::TrashedRole).toBool());
    QVERIFY(!window->findChild<QAction*>(QStringLiteral("trashAction"))->isEnabled());

    selectOnly(*window, back.id);
    window->findChild<QAction*>(QStringLiteral("restoreAction"))->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(shownPrompts(*window), QStringList {QStringLiteral("gone for good")}, 10000);
    QCOMPARE(m_app->library.recent(10).size(), 2);

    selectOnly(*window, gone.id);
    window->findChild<QAction*>(QStringLiteral("purgeAction"))->trigger();
    auto* confirm = window->findChild<QMessageBox*>(QStringLiteral("purgeConfirmation"));
    QVERIFY(confirm && confirm->isVisible());
    QVERIFY(confirm->text().contains(QStringLiteral("1 image")));
    QVERIFY(QFile::exists(gone.filePath));
    confirm->findChild<QPushButton*>(QStringLiteral("purgeConfirmButton"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(gone.filePath), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 0, 10000);
    QCOMPARE(grid(*window)->emptyText(), QStringLiteral("The trash is empty."));

    window->findChild<QToolButton*>(QStringLiteral("trashFilter"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 10000);
}

void tst_LibraryBrowser::ratingKeysRateTheSelection()
{
    QVERIFY(store(QStringLiteral("a"), 2, Qt::red).id > 0);
    QVERIFY(store(QStringLiteral("b"), 1, Qt::green).id > 0);
    const auto window = openWindow(2);
    QVERIFY(window);
    GalleryModel* model = window->galleryModel();
    GalleryView* view = grid(*window);
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window.get()));
    view->setFocus();
    view->selectAll();
    QTest::keyClick(view, Qt::Key_4);
    QTRY_COMPARE_WITH_TIMEOUT(model->data(model->index(0), GalleryModel::StarsRole).toInt(), 4, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(model->data(model->index(1), GalleryModel::StarsRole).toInt(), 4, 10000);
    QCOMPARE(m_app->library.recent(1).value(0).stars, 4); // in the library, not only on the tile
    QTest::keyClick(view, Qt::Key_0);
    QTRY_COMPARE_WITH_TIMEOUT(model->data(model->index(1), GalleryModel::StarsRole).toInt(), 0, 10000);
}

void tst_LibraryBrowser::tagsDialogAddsATag()
{
    const LibraryRecord record = store(QStringLiteral("golden hour"), 1, Qt::yellow);
    QVERIFY(finish(m_app->library.addTag(record.id, QStringLiteral("warm"))));
    const auto window = openWindow(1);
    QVERIFY(window);
    selectOnly(*window, record.id);
    window->findChild<QAction*>(QStringLiteral("tagsAction"))->trigger();
    auto* dialog = window->findChild<TagEditorDialog*>(QStringLiteral("tagEditorDialog"));
    QVERIFY(dialog && dialog->isVisible());
    auto* list = dialog->findChild<QListWidget*>(QStringLiteral("tagList"));
    QCOMPARE(list->count(), 1);
    QCOMPARE(list->item(0)->text(), QStringLiteral("warm"));
    QTest::keyClicks(dialog->findChild<QLineEdit*>(QStringLiteral("tagInput")), QStringLiteral("sunset"));
    dialog->findChild<QPushButton*>(QStringLiteral("addTagButton"))->click();
    QCOMPARE(list->count(), 2);
    dialog->findChild<QDialogButtonBox*>(QStringLiteral("tagButtons"))->button(QDialogButtonBox::Ok)->click();
    GalleryModel* model = window->galleryModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->data(model->index(0), GalleryModel::TagsRole).toStringList(),
                              (QStringList {QStringLiteral("sunset"), QStringLiteral("warm")}), 10000);
    // The new tag is offered by the tag filter.
    QTRY_VERIFY_WITH_TIMEOUT(menuChoice(*window, QStringLiteral("tagFilterMenu"), QStringLiteral("sunset")), 10000);
}

void tst_LibraryBrowser::pagesLoadWhenScrolledToTheEnd()
{
    constexpr int Images = 700;
    QList<QFuture<Result<LibraryRecord, ApiError>>> stores;
    const QDateTime start = QDateTime::currentDateTimeUtc().addDays(-1);
    for (int i = 0; i < Images; ++i)
        stores << storeLater(QStringLiteral("image %1").arg(i), QStringLiteral("m"), start.addSecs(i));
    QVERIFY(QTest::qWaitFor(
        [&stores] { return std::all_of(stores.cbegin(), stores.cend(), [](const auto& f) { return f.isFinished(); }); },
        60000));
    QCoreApplication::processEvents();

    const auto window = openWindow(LibraryBrowser::PageSize);
    QVERIFY(window);
    GalleryModel* model = window->galleryModel();
    GalleryView* view = grid(*window);
    LibraryBrowser* library = browser(*window);
    QCOMPARE(model->record(0).prompt, QStringLiteral("image 699")); // the first screen is the newest page
    QTRY_VERIFY(view->visualRect(model->index(LibraryBrowser::PageSize - 1)).isValid()); // laid out
    QVERIFY(!library->isComplete());
    QCOMPARE(model->rowCount(), LibraryBrowser::PageSize); // nothing more while the view stays at the top
    QTRY_VERIFY(window->findChild<QLabel*>(QStringLiteral("libraryCountLabel"))
                    ->text()
                    .startsWith(QStringLiteral("700 image")));

    view->scrollToBottom();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2 * LibraryBrowser::PageSize, 10000);
    const int kept = view->verticalScrollBar()->value();
    QTRY_VERIFY(view->visualRect(model->index(model->rowCount() - 1)).isValid());
    QVERIFY(view->verticalScrollBar()->value() >= kept); // the view did not jump back up
    view->scrollToBottom();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), Images, 10000);
    QTRY_VERIFY(library->isComplete());
    QCOMPARE(model->record(Images - 1).prompt, QStringLiteral("image 0"));
}

void tst_LibraryBrowser::emptyResultSaysSo()
{
    QVERIFY(store(QStringLiteral("a lighthouse"), 1, Qt::red).id > 0);
    const auto window = openWindow(1);
    QVERIFY(window);
    GalleryView* view = grid(*window);
    QTest::keyClicks(window->findChild<QLineEdit*>(QStringLiteral("librarySearch")), QStringLiteral("zebra"));
    QTRY_COMPARE_WITH_TIMEOUT(window->galleryModel()->rowCount(), 0, 10000);
    QCOMPARE(view->emptyText(), QStringLiteral("No image matches."));
    // The text is painted, not only set: the centre of the empty grid is not plain background.
    const QImage shot = view->viewport()->grab().toImage();
    const QColor background = view->palette().color(QPalette::Base);
    bool painted = false;
    for (int y = shot.height() / 3; y < shot.height() * 2 / 3 && !painted; ++y) {
        for (int x = 0; x < shot.width() && !painted; ++x)
            painted = shot.pixelColor(x, y) != background;
    }
    QVERIFY(painted);
}

void tst_LibraryBrowser::tileSizeSliderResizesAndIsSaved()
{
    QVERIFY(store(QStringLiteral("a"), 1, Qt::red).id > 0);
    const auto window = openWindow(1);
    QVERIFY(window);
    GalleryView* view = grid(*window);
    auto* slider = window->findChild<QSlider*>(QStringLiteral("tileSizeSlider"));
    QVERIFY(slider);
    QCOMPARE(slider->value(), Settings::defaultValue(Settings::Key::GalleryTileSize).toInt());
    const int before = view->tileSize();
    GalleryModel* model = window->galleryModel();
    const qreal ratio = view->devicePixelRatioF();
    // Thumbnails are made at the exact size a tile shows (painting never scales), and the layout is remembered.
    QCOMPARE(model->thumbnailEdge(), GalleryDelegate::imageEdge(before, ratio));
    QCOMPARE(m_app->settings.value(Settings::Key::GalleryThumbnailEdge).toInt(), model->thumbnailEdge());
    QVERIFY(m_app->settings.value(Settings::Key::GalleryScreenTiles).toInt() >= 4);
    decoration(*model, 0);
    QTRY_COMPARE_WITH_TIMEOUT(state(*model, 0), GalleryModel::ThumbnailState::Ready, 10000);
    const QImage shown = decoration(*model, 0);
    QSignalSpy loaded(window->findChild<ThumbnailLoader*>(), &ThumbnailLoader::loaded);

    slider->setValue(400);
    QCOMPARE(view->preferredTileSize(), 400);
    QVERIFY(view->tileSize() > before);
    QCOMPARE(view->delegate()->tileSize(), view->tileSize());
    QCOMPARE(m_app->settings.value(Settings::Key::GalleryTileSize).toInt(), 400);
    // While the size settles the shown thumbnail stays (scaled when painted); then one of the new size replaces it.
    QCOMPARE(state(*model, 0), GalleryModel::ThumbnailState::Ready);
    QCOMPARE(decoration(*model, 0).cacheKey(), shown.cacheKey());
    QTRY_COMPARE_WITH_TIMEOUT(model->thumbnailEdge(), GalleryDelegate::imageEdge(view->tileSize(), ratio), 5000);
    decoration(*model, 0);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() && loaded.constLast().at(1).toInt() == model->thumbnailEdge(), 10000);
    QCOMPARE(m_app->settings.value(Settings::Key::GalleryThumbnailEdge).toInt(), model->thumbnailEdge());
    slider->setValue(10); // clamped
    QCOMPARE(slider->value(), GalleryView::MinimumTileSize);
    QCOMPARE(view->preferredTileSize(), GalleryView::MinimumTileSize);

    // Ctrl+wheel and Ctrl +/- on the grid move the slider.
    QTest::keyClick(view, Qt::Key_Plus, Qt::ControlModifier);
    const int bigger = slider->value();
    QTest::keyClick(view, Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(slider->value(), GalleryView::MinimumTileSize);
    QVERIFY(bigger > GalleryView::MinimumTileSize);
    QCOMPARE(m_app->settings.value(Settings::Key::GalleryTileSize).toInt(), GalleryView::MinimumTileSize);
}

void tst_LibraryBrowser::nextStartDecodesTheFirstScreenWithTheFirstPage()
{
    for (int i = 0; i < 6; ++i)
        QVERIFY(store(QStringLiteral("image %1").arg(i), i + 1, QColor::fromHsv(i * 50, 200, 200)).id > 0);
    {
        const auto first = openWindow(6); // lays out: remembers the edge and how many tiles a screen holds
        QVERIFY(first);
    }
    const int edge = m_app->settings.value(Settings::Key::GalleryThumbnailEdge).toInt();
    QVERIFY(edge > 0);

    // The next window decodes them with its first page, before it is shown: its loader never has to.
    auto window = std::make_unique<MainWindow>(services());
    QSignalSpy loaded(window->findChild<ThumbnailLoader*>(), &ThumbnailLoader::loaded);
    QVERIFY(loaded.isValid());
    window->resize(1280, 800);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    GalleryModel* model = window->galleryModel();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 6, 10000);
    QCOMPARE(model->thumbnailEdge(), edge);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int row = 0; row < 6; ++row) {
                if (decoration(*model, row).isNull() || state(*model, row) != GalleryModel::ThumbnailState::Ready)
                    return false;
            }
            return true;
        }(),
        10000);
    // The newest first, each tile its own image (the cache is JPEG: colors within a few steps).
    const QColor shown = decoration(*model, 0).pixelColor(4, 4);
    const QColor stored = QColor::fromHsv(0, 200, 200).toRgb();
    QVERIFY2(qAbs(shown.red() - stored.red()) + qAbs(shown.green() - stored.green())
                     + qAbs(shown.blue() - stored.blue())
                 < 24,
             qPrintable(shown.name()));
    QCOMPARE(loaded.count(), 0);
}

void tst_LibraryBrowser::exportAndCopyImageCarryTheRecords()
{
    const LibraryRecord older = store(QStringLiteral("older"), 2, Qt::red);
    const LibraryRecord newer = store(QStringLiteral("newer"), 1, Qt::green);
    const auto window = openWindow(2);
    QVERIFY(window);
    LibraryBrowser* library = browser(*window);
    QSignalSpy exports(library, &LibraryBrowser::exportRequested);
    QSignalSpy copies(library, &LibraryBrowser::copyImageRequested);
    QSignalSpy reuses(library, &LibraryBrowser::reuseSettingsRequested);
    GalleryView* view = grid(*window);
    view->selectAll();
    view->selectionModel()->setCurrentIndex(window->galleryModel()->index(window->galleryModel()->rowOfId(older.id)),
                                            QItemSelectionModel::NoUpdate);
    window->findChild<QAction*>(QStringLiteral("exportAction"))->trigger();
    QCOMPARE(exports.size(), 1);
    const auto records = exports.at(0).at(0).value<QList<LibraryRecord>>();
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).id, newer.id); // in grid order
    QCOMPARE(records.at(1).id, older.id);
    QCOMPARE(records.at(1).filePath, older.filePath);

    window->findChild<QAction*>(QStringLiteral("copyImageAction"))->trigger();
    QCOMPARE(copies.size(), 1);
    QCOMPARE(copies.at(0).at(0).value<LibraryRecord>().id, older.id); // the current tile
    // Reuse is for one image.
    QVERIFY(!window->findChild<QAction*>(QStringLiteral("reuseSettingsAction"))->isEnabled());
    selectOnly(*window, newer.id);
    auto* reuse = window->findChild<QAction*>(QStringLiteral("reuseSettingsAction"));
    QVERIFY(reuse->isEnabled());
    reuse->trigger();
    QCOMPARE(reuses.size(), 1);
    QCOMPARE(reuses.at(0).at(0).value<LibraryRecord>().prompt, QStringLiteral("newer"));
}

void tst_LibraryBrowser::narrowWindowMovesFiltersIntoAMenu()
{
    QVERIFY(store(QStringLiteral("a"), 1, Qt::red).id > 0);
    const auto window = openWindow(1);
    QVERIFY(window);
    auto* more = window->findChild<QToolButton*>(QStringLiteral("moreFiltersButton"));
    auto* models = window->findChild<QToolButton*>(QStringLiteral("modelFilter"));
    auto* moreMenu = window->findChild<QMenu*>(QStringLiteral("moreFiltersMenu"));
    QTest::qWait(300);
    window->resize(2200, 800);
    QTRY_VERIFY(models->isVisible());
    QVERIFY(!more->isVisible());

    window->resize(900, 640);
    QTRY_VERIFY(more->isVisible());
    QVERIFY(!models->isVisible());
    QVERIFY(moreMenu->actions().contains(window->findChild<QMenu*>(QStringLiteral("modelFilterMenu"))->menuAction()));
    QVERIFY(window->findChild<QLineEdit*>(QStringLiteral("librarySearch"))->isVisible());
    QVERIFY(window->width() <= 900);

    window->resize(2200, 800);
    QTRY_VERIFY(models->isVisible());
    QVERIFY(!more->isVisible());
}

void tst_LibraryBrowser::failedEditIsReportedOnce()
{
    const LibraryRecord purged = store(QStringLiteral("purged meanwhile"), 3, Qt::blue);
    QVERIFY(store(QStringLiteral("live"), 2, Qt::red).id > 0);
    const LibraryRecord trashed = store(QStringLiteral("in the trash"), 1, Qt::green);
    QVERIFY(finish(m_app->library.trash(trashed.id)));
    QVERIFY(finish(m_app->library.trash(purged.id)));
    QVERIFY(finish(m_app->library.purge(purged.id)));
    const auto window = openWindow(1);
    QVERIFY(window);
    QSignalSpy failed(browser(*window), &LibraryBrowser::failed);
    // One image cannot be restored (it is gone), the other can: one message, and the grid reloads.
    browser(*window)->restore({purged.id, trashed.id});
    QTRY_COMPARE_WITH_TIMEOUT(window->galleryModel()->rowCount(), 2, 10000);
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(failed.at(0).at(0).toString().startsWith(QStringLiteral("Some images could not be restored.")));
    QCoreApplication::processEvents();
    QCOMPARE(failed.size(), 1);
}

QTEST_MAIN(tst_LibraryBrowser)
#include "tst_LibraryBrowser.moc"
