#include "MainWindow.h"
#include "catalog/ModelCatalog.h"
#include "compare/BoardCellWidget.h"
#include "compare/BoardStore.h"
#include "compare/CompareSetupDialog.h"
#include "compare/ComparisonBoardView.h"
#include "compare/ComparisonRun.h"
#include "library/GalleryModel.h"
#include "library/Library.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"

#include "compare/BoardABView.h"
#include "compare/SavedBoardsDialog.h"
#include "viewer/ImageCanvas.h"
#include "viewer/LinkedCanvases.h"
#include "viewer/SplitCompareCanvas.h"

#include "TestApp.h"
#include "TestEnv.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QWheelEvent>

using namespace Pixapi;

// Compare mode in the real window, offscreen, against the sandbox: a 4-model board set up in the dialog, sent at
// once, filling in cell by cell, one model failing in its own cell.
class tst_CompareBoard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void fourModelBoardFillsInWithAFailureInItsCell();
    void boardAboveTheThresholdAsksFirst();
    void secondAxisMakesAColumnPerValue();
    void cellsZoomAndPanTogether();
    void abSliderWipesBetweenTwoCells();
    void savedBoardReopensWithItsVerdict();
    void promptMatrixMakesColumnsOrABatch();

private:
    std::unique_ptr<MainWindow> openWindow();
    CompareSetupDialog* openSetup(MainWindow& window);
    // A finished board of these models, every cell with its image.
    ComparisonBoardView* runBoard(MainWindow& window, const QStringList& models);

    const QString m_flash = QStringLiteral("gemini-2.5-flash-image");
    const QString m_flash2 = QStringLiteral("gemini-3.1-flash-image-preview");
    const QString m_pro = QStringLiteral("gemini-3-pro-image-preview");
    const QString m_gpt = QStringLiteral("gpt-image-1.5");
    SandboxServer m_sandbox;
    std::unique_ptr<TestApp> m_app;
};

void tst_CompareBoard::initTestCase()
{
    TestEnv::init();
    AppIdentity::installTranslators(*QCoreApplication::instance());
    QVERIFY(m_sandbox.listen());
}

void tst_CompareBoard::init()
{
    m_sandbox.clearFaults();
    m_sandbox.clearRequests();
    m_sandbox.setBalance(1000);
    m_app = std::make_unique<TestApp>();
    QVERIFY(m_app->library.open().ok());
    QVERIFY(m_app->tasks.open().ok());
    m_app->settings.setValue(Settings::Key::CompareConfirmAbove, 0.0); // never ask, unless a test says so
}

void tst_CompareBoard::cleanup()
{
    m_app.reset();
}

std::unique_ptr<MainWindow> tst_CompareBoard::openWindow()
{
    TestApp* app = m_app.get();
    AppServices services = app->services();
    services.enableSandbox = [this, app] {
        app->session.useSandbox(m_sandbox.baseUrl(), SandboxServer::defaultKey());
        return true;
    };
    services.enableSandbox();
    auto window = std::make_unique<MainWindow>(services);
    window->resize(1400, 900);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return {};
    if (!QTest::qWaitFor([app] { return app->catalog.imageModels().size() >= 4; }, 15000))
        return {};
    auto* prompt = window->findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
    if (!prompt)
        return {};
    prompt->setPlainText(QStringLiteral("a lemon on teal"));
    return window;
}

CompareSetupDialog* tst_CompareBoard::openSetup(MainWindow& window)
{
    auto* action = window.findChild<QAction*>(QStringLiteral("actionCompareModels"));
    if (!action || !action->isEnabled())
        return nullptr;
    action->trigger();
    auto* setup = window.findChild<CompareSetupDialog*>(QStringLiteral("compareSetupDialog"));
    // It starts with the prompt panel's model checked; each test picks its own.
    if (auto* models = setup ? setup->findChild<QListWidget*>(QStringLiteral("compareModels")) : nullptr) {
        for (int row = 0; row < models->count(); ++row)
            models->item(row)->setCheckState(Qt::Unchecked);
    }
    return setup;
}

void tst_CompareBoard::fourModelBoardFillsInWithAFailureInItsCell()
{
    m_sandbox.addFault(SandboxFault::generationOf(m_flash2, SandboxFault::Kind::Status, 500));
    m_sandbox.addFault(SandboxFault::generationOf(m_pro, SandboxFault::Kind::Latency, 0, 700));

    const auto window = openWindow();
    QVERIFY(window);
    CompareSetupDialog* setup = openSetup(*window);
    QVERIFY(setup);
    QCOMPARE(setup->findChild<QPlainTextEdit*>(QStringLiteral("comparePrompt"))->toPlainText(),
             QStringLiteral("a lemon on teal")); // the prompt panel's prompt
    for (const QString& model : {m_flash, m_flash2, m_pro, m_gpt})
        setup->setModelChecked(model, true);
    const BoardSpec spec = setup->spec();
    QCOMPARE(spec.models.size(), 4);
    QCOMPARE(spec.problem(), std::nullopt);
    QVERIFY(setup->findChild<QLabel*>(QStringLiteral("compareCost"))->text().contains(QStringLiteral("4 cells")));
    setup->accept();

    ComparisonBoardView* board = window->boardView();
    QVERIFY(board);
    QVERIFY(board->isVisible());
    QCOMPARE(board->cellWidgets().size(), 4);
    ComparisonRun* run = board->run();
    QVERIFY(run);
    QTRY_VERIFY_WITH_TIMEOUT(run->isFinished(), 30000);

    const QList<BoardCellWidget*> cells = board->cellWidgets();
    for (int i : {0, 2, 3}) {
        QTRY_VERIFY_WITH_TIMEOUT(cells.at(i)->hasImage(), 10000);
        QVERIFY2(cells.at(i)->statusText().contains(QStringLiteral(" s · ")), qPrintable(cells.at(i)->statusText()));
    }
    QVERIFY(!cells.at(1)->hasImage());
    QVERIFY(!cells.at(1)->statusText().isEmpty()); // the server's error, in its own cell
    QVERIFY(board->summaryText().startsWith(QStringLiteral("4 of 4 done")));
    QCOMPARE(m_app->library.count(), 3); // every image of the board is a normal gallery item
    QTRY_COMPARE_WITH_TIMEOUT(window->galleryModel()->imageCount(), 3, 10000);
    QCOMPARE(m_app->settings.value(Settings::Key::CompareModels).toStringList(),
             (QStringList {m_flash, m_flash2, m_pro, m_gpt}));

    // Blind review: the models are hidden until a winner is picked, then shown; the verdict is saved.
    auto* blind = board->findChild<QCheckBox*>(QStringLiteral("blindCheck"));
    QVERIFY(blind);
    blind->click();
    QCOMPARE(cells.at(0)->shownTitle(), QStringLiteral("Image A"));
    QCOMPARE(cells.at(3)->shownTitle(), QStringLiteral("Image D"));
    QVERIFY(!cells.at(3)->statusText().isEmpty());
    QVERIFY(!cells.at(3)->findChild<QLabel*>(QStringLiteral("cellStatus"))->isVisible());
    auto* pick = cells.at(3)->findChild<QPushButton*>(QStringLiteral("cellPickButton"));
    QVERIFY(pick->isEnabled());
    QTest::mouseClick(pick, Qt::LeftButton);
    QVERIFY(cells.at(3)->isPicked());
    QVERIFY(!blind->isChecked());
    QCOMPARE(cells.at(3)->shownTitle(), QStringLiteral("GPT Image 1.5"));
    auto* note = board->findChild<QLineEdit*>(QStringLiteral("boardNote"));
    QVERIFY(note->isEnabled());
    note->setFocus();
    QTest::keyClicks(note, QStringLiteral("truest lemon"));
    QTest::keyClick(note, Qt::Key_Return);
    BoardStore* store = window->boardStore();
    QVERIFY(store);
    const auto saved = store->load(run->boardId());
    QVERIFY(saved.ok());
    QCOMPARE(saved.value().winner, std::optional<int>(3));
    QCOMPARE(saved.value().note, QStringLiteral("truest lemon"));
    QCOMPARE(saved.value().cells.at(1).state, BoardCell::State::Failed);
    QCOMPARE(store->winsByModel().value(m_gpt), 1);

    // The contact sheet, with the winner marked.
    QSignalSpy exported(board, &ComparisonBoardView::sheetExported);
    const QString sheet = m_app->dir.filePath(QStringLiteral("board.png"));
    board->exportSheet(sheet);
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.first().first().toString(), sheet);
    QVERIFY(!QImage(sheet).isNull());

    // The next board's setup shows the win.
    CompareSetupDialog* again = openSetup(*window);
    QVERIFY(again);
    const QList<QListWidgetItem*> gpt = again->findChild<QListWidget*>(QStringLiteral("compareModels"))
                                            ->findItems(QStringLiteral("GPT Image 1.5"), Qt::MatchStartsWith);
    QCOMPARE(gpt.size(), 1);
    QCOMPARE(gpt.first()->text(), QStringLiteral("GPT Image 1.5 · won 1 board"));
    again->reject();

    // Back to the library.
    QTest::mouseClick(board->findChild<QPushButton*>(QStringLiteral("closeBoardButton")), Qt::LeftButton);
    QVERIFY(!board->isVisible());
    QVERIFY(window->galleryModel()->rowCount() > 0);
}

void tst_CompareBoard::boardAboveTheThresholdAsksFirst()
{
    m_app->settings.setValue(Settings::Key::CompareConfirmAbove, 3.0);
    const auto window = openWindow();
    QVERIFY(window);
    CompareSetupDialog* setup = openSetup(*window);
    QVERIFY(setup);
    setup->setModelChecked(m_flash, true); // 2 credits
    setup->setModelChecked(m_gpt, true);   // 1 credit
    setup->setModelChecked(m_pro, true);   // 8 credits: 11 in all, above 3
    QVERIFY(setup->cost().known);
    QVERIFY(setup->cost().total > 3);

    // Cancel at the question: nothing is sent.
    QTimer::singleShot(0, this, [] {
        auto* ask = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(ask);
        ask->button(QMessageBox::Cancel)->click();
    });
    setup->accept();
    QVERIFY(setup->isVisible());
    QVERIFY(!window->boardView());
    QTest::qWait(50);
    QCOMPARE(m_sandbox.postCount(), 0);

    // Send at the question: the board runs.
    QTimer::singleShot(0, this, [] {
        auto* ask = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(ask);
        QVERIFY(ask->text().contains(QStringLiteral("3 credits")));
        ask->defaultButton()->click();
    });
    setup->accept();
    QVERIFY(window->boardView());
    QTRY_VERIFY_WITH_TIMEOUT(window->boardView()->run()->isFinished(), 30000);
}

void tst_CompareBoard::secondAxisMakesAColumnPerValue()
{
    const auto window = openWindow();
    QVERIFY(window);
    CompareSetupDialog* setup = openSetup(*window);
    QVERIFY(setup);
    setup->setModelChecked(m_pro, true);
    setup->setModelChecked(m_gpt, true);
    setup->setAxis(CompareSetupDialog::Axis::Size);
    setup->setValueChecked(QStringLiteral("1024x1024"), true);
    QVERIFY(setup->spec().problem()); // one value is not an axis
    setup->setValueChecked(QStringLiteral("1024x1536"), true);
    QCOMPARE(setup->spec().problem(), std::nullopt);
    QVERIFY(!setup->findChild<QLabel*>(QStringLiteral("compareProblem"))->isVisibleTo(setup));
    // A value one of the models does not list is allowed, but said first.
    setup->setModelChecked(m_flash, true);
    QVERIFY(setup->findChild<QLabel*>(QStringLiteral("compareProblem"))->isVisibleTo(setup));
    QCOMPARE(setup->findChild<QLabel*>(QStringLiteral("compareProblem"))->text(),
             QStringLiteral("Not in the model list, so these cells may fail: Nano Banana (Gemini 2.5 Flash Image) at "
                            "1024x1536."));
    QCOMPARE(setup->spec().problem(), std::nullopt);
    setup->setModelChecked(m_flash, false);
    QCOMPARE(setup->spec().cellCount(), 4);
    setup->accept();

    ComparisonBoardView* board = window->boardView();
    QVERIFY(board);
    QTRY_VERIFY_WITH_TIMEOUT(board->run()->isFinished(), 30000);
    const QList<BoardCellWidget*> cells = board->cellWidgets();
    QCOMPARE(cells.size(), 4);
    // One row per model, one column per size.
    QCOMPARE(cells.at(0)->y(), cells.at(1)->y());
    QVERIFY(cells.at(2)->y() > cells.at(0)->y());
    QCOMPARE(cells.at(1)->findChild<QLabel*>(QStringLiteral("cellVariant"))->text(), QStringLiteral("1024x1536"));
    for (const BoardCell& cell : board->run()->cells())
        QCOMPARE(cell.state, BoardCell::State::Done);

    // Run Again…: a new board set up like this one, here with a new prompt.
    const BoardSpec first = board->run()->spec();
    QTest::mouseClick(board->findChild<QPushButton*>(QStringLiteral("runAgainButton")), Qt::LeftButton);
    auto* again = window->findChild<CompareSetupDialog*>(QStringLiteral("compareSetupDialog"));
    QVERIFY(again);
    QCOMPARE(again->spec().models, first.models);
    QCOMPARE(again->spec().variants, first.variants);
    again->findChild<QPlainTextEdit*>(QStringLiteral("comparePrompt"))->setPlainText(QStringLiteral("a lime on rust"));
    again->accept();
    QVERIFY(board->run()->spec().base.prompt == QStringLiteral("a lime on rust"));
    QCOMPARE(board->run()->spec().variants, first.variants);
    QTRY_VERIFY_WITH_TIMEOUT(board->run()->isFinished(), 30000);
    QCOMPARE(window->boardStore()->recent(10).size(), 2);
}

ComparisonBoardView* tst_CompareBoard::runBoard(MainWindow& window, const QStringList& models)
{
    CompareSetupDialog* setup = openSetup(window);
    if (!setup)
        return nullptr;
    for (const QString& model : models)
        setup->setModelChecked(model, true);
    setup->accept();
    ComparisonBoardView* board = window.boardView();
    if (!board || !QTest::qWaitFor([board] { return board->run()->isFinished(); }, 30000))
        return nullptr;
    const QList<BoardCellWidget*> cells = board->cellWidgets();
    const bool images = QTest::qWaitFor(
        [&cells] {
            return std::all_of(cells.cbegin(), cells.cend(), [](const BoardCellWidget* c) { return c->hasImage(); });
        },
        10000);
    return images ? board : nullptr;
}

namespace {

void wheel(ImageCanvas* canvas, int notches)
{
    const QPointF at(canvas->viewport()->width() / 3.0, canvas->viewport()->height() / 3.0);
    QWheelEvent event(at, canvas->viewport()->mapToGlobal(at), {}, {0, 120 * notches}, Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(canvas->viewport(), &event);
}

bool sameView(const CanvasView& a, const CanvasView& b)
{
    return a.fit == b.fit && std::abs(a.relativeZoom - b.relativeZoom) < 0.01
           && std::abs(a.center.x() - b.center.x()) < 0.01 && std::abs(a.center.y() - b.center.y()) < 0.01;
}

} // namespace

void tst_CompareBoard::cellsZoomAndPanTogether()
{
    const auto window = openWindow();
    QVERIFY(window);
    ComparisonBoardView* board = runBoard(*window, {m_flash, m_pro, m_gpt});
    QVERIFY(board);
    const QList<BoardCellWidget*> cells = board->cellWidgets();
    ImageCanvas* first = cells.at(0)->canvas();
    ImageCanvas* second = cells.at(1)->canvas();
    QVERIFY(first->isFitMode() && second->isFitMode());

    // The wheel over one cell zooms every cell to the same part of its own image.
    wheel(first, 4);
    QVERIFY(!first->isFitMode());
    QVERIFY(first->view().relativeZoom > 2);
    for (const BoardCellWidget* cell : cells)
        QVERIFY(sameView(cell->canvas()->view(), first->view()));
    // Zoomed past the thumbnail, each cell decodes its full image (off the UI thread).
    for (const BoardCellWidget* cell : cells)
        QTRY_VERIFY_WITH_TIMEOUT(cell->canvas()->hasFullImage(), 10000);

    // Dragging one pans them all.
    const CanvasView before = first->view();
    QWidget* viewport = second->viewport();
    const QPoint from = viewport->rect().center();
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QMouseEvent move(QEvent::MouseMove, from + QPoint(-60, -40), viewport->mapToGlobal(from + QPoint(-60, -40)),
                     Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &move);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, from + QPoint(-60, -40));
    QVERIFY(second->view().center.x() > before.center.x());
    QVERIFY(second->view().center.y() > before.center.y());
    QVERIFY(sameView(first->view(), second->view()));
    // The scroll bars (and keys, which act through them) move the others too.
    second->horizontalScrollBar()->triggerAction(QAbstractSlider::SliderPageStepSub);
    QTRY_VERIFY(sameView(first->view(), second->view()));

    // Unlinked, each cell keeps its own view.
    auto* link = board->findChild<QCheckBox*>(QStringLiteral("linkZoomCheck"));
    link->click();
    QVERIFY(!board->linkedCanvases()->isLinked());
    const CanvasView kept = second->view();
    wheel(first, 2);
    QVERIFY(sameView(second->view(), kept));
    QVERIFY(!sameView(first->view(), kept));
    // Linked again, they follow the last one moved.
    link->click();
    QVERIFY(sameView(second->view(), first->view()));

    // Fit and 100 % for all.
    QTest::mouseClick(board->findChild<QPushButton*>(QStringLiteral("fitCellsButton")), Qt::LeftButton);
    for (const BoardCellWidget* cell : cells)
        QVERIFY(cell->canvas()->isFitMode());
    QTest::mouseClick(board->findChild<QPushButton*>(QStringLiteral("actualPixelsButton")), Qt::LeftButton);
    QCOMPARE(first->zoomFactor(), 1.0);
    QVERIFY(sameView(cells.at(2)->canvas()->view(), first->view()));
}

void tst_CompareBoard::abSliderWipesBetweenTwoCells()
{
    const auto window = openWindow();
    QVERIFY(window);
    ComparisonBoardView* board = runBoard(*window, {m_flash, m_gpt});
    QVERIFY(board);
    auto* abButton = board->findChild<QPushButton*>(QStringLiteral("abButton"));
    QVERIFY(abButton->isEnabled());
    QTest::mouseClick(abButton, Qt::LeftButton);
    QVERIFY(board->isShowingAB());
    SplitCompareCanvas* canvas = board->abView()->canvas();
    QVERIFY(canvas->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(canvas->hasImages(), 10000);
    QCOMPARE(board->abView()->findChild<QComboBox*>(QStringLiteral("abChoiceA"))->currentText(),
             QStringLiteral("Nano Banana (Gemini 2.5 Flash Image)"));
    QCOMPARE(board->abView()->findChild<QComboBox*>(QStringLiteral("abChoiceB"))->currentText(),
             QStringLiteral("GPT Image 1.5"));

    // Left of the divider is A, right of it is B, over the same frame.
    canvas->setSplit(1.0);
    const QImage allA = canvas->grab().toImage();
    canvas->setSplit(0.0);
    const QImage allB = canvas->grab().toImage();
    QVERIFY(allA != allB); // two different images
    canvas->setSplit(0.5);
    const QImage half = canvas->grab().toImage();
    const int divider = int(canvas->dividerX() * half.devicePixelRatio());
    const QRect leftStrip(divider - 60, half.height() / 4, 40, half.height() / 2);
    const QRect rightStrip(divider + 20, half.height() / 4, 40, half.height() / 2);
    QCOMPARE(half.copy(leftStrip), allA.copy(leftStrip));
    QCOMPARE(half.copy(rightStrip), allB.copy(rightStrip));
    QVERIFY(half.copy(rightStrip) != allA.copy(rightStrip));

    // Dragging the divider wipes; Left / Right step it.
    QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(canvas->dividerX(), canvas->height() / 2));
    QMouseEvent move(QEvent::MouseMove, QPointF(canvas->width() / 4.0, canvas->height() / 2.0),
                     canvas->mapToGlobal(QPointF(canvas->width() / 4.0, canvas->height() / 2.0)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(canvas, &move);
    QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(canvas->width() / 4, canvas->height() / 2));
    QVERIFY(std::abs(canvas->split() - 0.25) < 0.02);
    QTest::keyClick(canvas, Qt::Key_Right);
    QVERIFY(std::abs(canvas->split() - 0.30) < 0.02);
    // Zooming keeps both images in one frame.
    QTest::keyClick(canvas, Qt::Key_Plus);
    QVERIFY(canvas->zoom() > 1.0);
    QTest::keyClick(canvas, Qt::Key_0);
    QCOMPARE(canvas->zoom(), 1.0);

    // Swap puts B on the left.
    QTest::mouseClick(board->abView()->findChild<QPushButton*>(QStringLiteral("abSwapButton")), Qt::LeftButton);
    QCOMPARE(board->abView()->indexA(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(canvas->hasImages(), 10000);

    // Blind mode hides the names on the slider too.
    board->setBlind(true);
    QCOMPARE(board->abView()->findChild<QComboBox*>(QStringLiteral("abChoiceA"))->currentText(),
             QStringLiteral("Image B"));

    // Back to the board, then to the library.
    QTest::mouseClick(board->abView()->findChild<QPushButton*>(QStringLiteral("abBackButton")), Qt::LeftButton);
    QVERIFY(!board->isShowingAB());
    QVERIFY(board->cellWidgets().at(0)->isVisible());
}

void tst_CompareBoard::savedBoardReopensWithItsVerdict()
{
    m_sandbox.addFault(SandboxFault::generationOf(m_pro, SandboxFault::Kind::Status, 503));
    const auto window = openWindow();
    QVERIFY(window);
    CompareSetupDialog* setup = openSetup(*window);
    QVERIFY(setup);
    for (const QString& model : {m_flash, m_pro, m_gpt})
        setup->setModelChecked(model, true);
    setup->accept();
    ComparisonBoardView* board = window->boardView();
    QTRY_VERIFY_WITH_TIMEOUT(board->run()->isFinished(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(board->cellWidgets().at(2)->hasImage(), 10000);
    const QString failedText = board->cellWidgets().at(1)->statusText();
    QTest::mouseClick(board->cellWidgets().at(2)->findChild<QPushButton*>(QStringLiteral("cellPickButton")),
                      Qt::LeftButton);
    auto* note = board->findChild<QLineEdit*>(QStringLiteral("boardNote"));
    note->setText(QStringLiteral("cleanest label"));
    Q_EMIT note->editingFinished();
    const qint64 boardId = board->run()->boardId();
    QTest::mouseClick(board->findChild<QPushButton*>(QStringLiteral("closeBoardButton")), Qt::LeftButton);
    QVERIFY(!board->isVisible());

    // Models → Saved Boards…: the board is listed (read off the UI thread) with its winner.
    const auto openList = [&window]() -> SavedBoardsDialog* {
        window->findChild<QAction*>(QStringLiteral("actionSavedBoards"))->trigger();
        auto* dialog = window->findChild<SavedBoardsDialog*>(QStringLiteral("savedBoardsDialog"));
        if (!dialog || !QTest::qWaitFor([dialog] { return dialog->isLoaded(); }, 10000))
            return nullptr;
        return dialog;
    };
    SavedBoardsDialog* list = openList();
    QVERIFY(list);
    QCOMPARE(list->boardCount(), 1);
    auto* rows = list->findChild<QTreeWidget*>(QStringLiteral("boardsList"));
    QCOMPARE(rows->topLevelItem(0)->text(1), QStringLiteral("a lemon on teal"));
    QCOMPARE(rows->topLevelItem(0)->text(3), QStringLiteral("2 of 3"));
    QCOMPARE(rows->topLevelItem(0)->text(5), QStringLiteral("GPT Image 1.5"));
    // The filter looks at the note too.
    auto* filter = list->findChild<QLineEdit*>(QStringLiteral("boardsFilter"));
    filter->setText(QStringLiteral("no such words"));
    QVERIFY(rows->topLevelItem(0)->isHidden());
    QVERIFY(!list->findChild<QPushButton*>(QStringLiteral("openBoardButton"))->isEnabled());
    filter->setText(QStringLiteral("cleanest"));
    QVERIFY(!rows->topLevelItem(0)->isHidden());

    // Open: the same cells, images, the failure in its cell, the winner and the note.
    rows->setCurrentItem(rows->topLevelItem(0));
    QTest::mouseClick(list->findChild<QPushButton*>(QStringLiteral("openBoardButton")), Qt::LeftButton);
    QVERIFY(board->isVisible());
    QCOMPARE(board->run()->boardId(), boardId);
    QVERIFY(board->run()->isFinished());
    QTRY_VERIFY_WITH_TIMEOUT(board->cellWidgets().at(0)->hasImage() && board->cellWidgets().at(2)->hasImage(), 10000);
    QCOMPARE(board->cellWidgets().at(1)->statusText(), failedText);
    QCOMPARE(board->winner(), std::optional<int>(2));
    QVERIFY(board->cellWidgets().at(2)->isPicked());
    QCOMPARE(note->text(), QStringLiteral("cleanest label"));
    QVERIFY(!board->findChild<QPushButton*>(QStringLiteral("cancelBoardButton"))->isEnabled());
    QVERIFY(board->summaryText().startsWith(QStringLiteral("3 of 3 done")));

    // Delete forgets the board; its images stay in the library.
    list = openList();
    QVERIFY(list);
    QTimer::singleShot(0, this, [] {
        auto* ask = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(ask);
        ask->button(QMessageBox::Yes)->click();
    });
    QTest::mouseClick(list->findChild<QPushButton*>(QStringLiteral("deleteBoardButton")), Qt::LeftButton);
    QCOMPARE(list->boardCount(), 0);
    QCOMPARE(window->boardStore()->load(boardId).error().kind, ApiError::Kind::NotFound);
    QCOMPARE(m_app->library.count(), 2);
    list->reject();
}

void tst_CompareBoard::promptMatrixMakesColumnsOrABatch()
{
    const auto window = openWindow();
    QVERIFY(window);
    CompareSetupDialog* setup = openSetup(*window);
    QVERIFY(setup);
    auto* prompt = setup->findChild<QPlainTextEdit*>(QStringLiteral("comparePrompt"));
    auto* batchButton = setup->findChild<QPushButton*>(QStringLiteral("compareBatchButton"));
    auto* compareButton = setup->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    QVERIFY(!batchButton->isVisible());

    // A {variable} in the prompt gets a row for its values; its prompts are the board's columns.
    prompt->setPlainText(QStringLiteral("a {fruit} on teal"));
    auto* fruit = setup->findChild<QLineEdit*>(QStringLiteral("variable_fruit"));
    QVERIFY(fruit);
    QVERIFY(fruit->isVisible());
    QVERIFY(batchButton->isVisible());
    QVERIFY(!setup->findChild<QComboBox*>(QStringLiteral("compareAxis"))->isEnabled());
    setup->setModelChecked(m_flash, true);
    setup->setModelChecked(m_gpt, true);
    QVERIFY(!compareButton->isEnabled()); // no values yet
    QVERIFY(setup->findChild<QLabel*>(QStringLiteral("compareProblem"))->text().contains(QStringLiteral("{fruit}")));
    QTest::keyClicks(fruit, QStringLiteral("lemon | lime"));
    QVERIFY(compareButton->isEnabled());
    QVERIFY(batchButton->isEnabled());
    QVERIFY2(setup->findChild<QLabel*>(QStringLiteral("compareCost"))
                 ->text()
                 .startsWith(QStringLiteral("2 prompts × 2 models · about 6 credits")),
             qPrintable(setup->findChild<QLabel*>(QStringLiteral("compareCost"))->text()));
    setup->accept();

    ComparisonBoardView* board = window->boardView();
    QVERIFY(board);
    QTRY_VERIFY_WITH_TIMEOUT(board->run()->isFinished(), 30000);
    const QList<BoardCellWidget*> cells = board->cellWidgets();
    QCOMPARE(cells.size(), 4);
    QCOMPARE(cells.at(1)->findChild<QLabel*>(QStringLiteral("cellVariant"))->text(), QStringLiteral("lime"));
    QCOMPARE(board->run()->cells().at(1).params.prompt, QStringLiteral("a lime on teal"));
    QCOMPARE(board->run()->cells().at(2).params.model, m_gpt);
    QCOMPARE(board->run()->cells().at(2).params.prompt, QStringLiteral("a lemon on teal"));
    QCOMPARE(board->findChild<QLabel*>(QStringLiteral("boardPrompt"))->text(), QStringLiteral("a {fruit} on teal"));
    for (const BoardCell& cell : board->run()->cells())
        QCOMPARE(cell.state, BoardCell::State::Done);

    // Run Again… brings the variables back with their values.
    QTest::mouseClick(board->findChild<QPushButton*>(QStringLiteral("runAgainButton")), Qt::LeftButton);
    auto* again = window->findChild<CompareSetupDialog*>(QStringLiteral("compareSetupDialog"));
    QVERIFY(again);
    QCOMPARE(again->findChild<QLineEdit*>(QStringLiteral("variable_fruit"))->text(), QStringLiteral("lemon | lime"));
    QCOMPARE(again->spec().variants, board->run()->spec().variants);

    // Six prompts are more than a board shows: sent as a batch, the images tagged with their values.
    m_sandbox.clearRequests();
    again->findChild<QPlainTextEdit*>(QStringLiteral("comparePrompt"))
        ->setPlainText(QStringLiteral("a {fruit} on {ground}"));
    again->setVariableValues(QStringLiteral("fruit"), QStringLiteral("lemon | lime | pear"));
    again->setVariableValues(QStringLiteral("ground"), QStringLiteral("teal | rust"));
    QVERIFY(!again->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());
    QCOMPARE(again->findChild<QLabel*>(QStringLiteral("compareProblem"))->text(),
             QStringLiteral("A board shows at most 4 prompts; send the 6 as a batch instead."));
    auto* sendBatch = again->findChild<QPushButton*>(QStringLiteral("compareBatchButton"));
    QVERIFY(sendBatch->isEnabled());
    const int before = m_app->library.count();
    QTest::mouseClick(sendBatch, Qt::LeftButton);
    QVERIFY(again->isBatch());
    QTRY_COMPARE_WITH_TIMEOUT(m_app->library.count(), before + 12, 30000);
    QCOMPARE(m_sandbox.postCount(), 12); // 6 prompts × 2 models, each once
    QTRY_VERIFY_WITH_TIMEOUT(window->statusBar()->currentMessage().startsWith(QStringLiteral("Batch done: 12 images")),
                             10000);
    auto tags = m_app->library.tagNames();
    tags.waitForFinished();
    QVERIFY(tags.result().ok());
    for (const QString& tag : {QStringLiteral("fruit: pear"), QStringLiteral("ground: rust")})
        QVERIFY2(tags.result().value().contains(tag), qPrintable(tags.result().value().join(u',')));
}

QTEST_MAIN(tst_CompareBoard)
#include "tst_CompareBoard.moc"
