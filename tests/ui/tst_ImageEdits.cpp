#include "MainWindow.h"
#include "catalog/ModelCatalogModel.h"
#include "compare/CompareSetupDialog.h"
#include "edit/MaskCanvas.h"
#include "edit/MaskEditorDialog.h"
#include "library/GalleryModel.h"
#include "prompt/ModelPicker.h"
#include "prompt/PromptPanel.h"
#include "prompt/ReferenceStrip.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"
#include "viewer/ImageCanvas.h"
#include "viewer/ImageViewer.h"
#include "viewer/SplitCompareCanvas.h"

#include "TestApp.h"
#include "TestEnv.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Pixapi;

// Issue #7 in the window: input images from a file, a mask painted with the mouse, models that cannot take the edit
// refused before anything is sent, the edit sent as multipart to the sandbox, its lineage, the source / result view,
// and the downscale question for an input over the model's limits.
class tst_ImageEdits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void maskIsPaintedWithTheMouse();
    void editWithMaskEndToEnd();
    void oversizeInputIsSentSmallerOnlyWhenAgreed();
    void boardOfEditsSendsTheInputsToEveryCell();

private:
    QString writeImage(const QString& name, QSize size, QColor color) const;
    std::unique_ptr<MainWindow> openWindow();
    static MaskEditorDialog* openMaskEditor(PromptPanel* panel);
    static void choose(MainWindow& window, const QString& modelId);
    static void drag(QWidget* widget, QPoint from, QPoint to, Qt::MouseButton button = Qt::LeftButton);

    SandboxServer m_sandbox;
    std::unique_ptr<TestApp> m_app;
    QTemporaryDir m_files;
};

void tst_ImageEdits::initTestCase()
{
    TestEnv::init();
    AppIdentity::installTranslators(*QCoreApplication::instance());
    QVERIFY(m_sandbox.listen());
    QVERIFY(m_files.isValid());
}

void tst_ImageEdits::init()
{
    m_sandbox.clearRequests();
    m_sandbox.setBalance(1000);
    m_app = std::make_unique<TestApp>();
    QVERIFY(m_app->library.open().ok());
    QVERIFY(m_app->tasks.open().ok());
}

void tst_ImageEdits::cleanup()
{
    m_app.reset();
}

QString tst_ImageEdits::writeImage(const QString& name, QSize size, QColor color) const
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(color);
    const QString path = m_files.filePath(name);
    if (!image.save(path, "PNG"))
        return {};
    return path;
}

std::unique_ptr<MainWindow> tst_ImageEdits::openWindow()
{
    AppServices services = m_app->services();
    m_app->session.useSandbox(m_sandbox.baseUrl(), SandboxServer::defaultKey());
    auto window = std::make_unique<MainWindow>(services);
    window->resize(1400, 900);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()))
        return nullptr;
    auto* models = window->findChild<QComboBox*>(QStringLiteral("modelCombo"));
    if (!QTest::qWaitFor([models] { return models && models->count() > 0; }, 15000))
        return nullptr;
    return window;
}

MaskEditorDialog* tst_ImageEdits::openMaskEditor(PromptPanel* panel)
{
    panel->inputStrip()->openMaskEditor();
    auto* dialog = panel->findChild<MaskEditorDialog*>(QStringLiteral("maskEditorDialog"));
    if (!dialog || !QTest::qWaitFor([dialog] { return dialog->isLoaded(); }, 10000))
        return nullptr;
    return dialog;
}

void tst_ImageEdits::choose(MainWindow& window, const QString& modelId)
{
    window.findChild<ModelPicker*>(QStringLiteral("modelPicker"))->selectModel(modelId);
}

void tst_ImageEdits::drag(QWidget* widget, QPoint from, QPoint to, Qt::MouseButton button)
{
    QTest::mousePress(widget, button, Qt::NoModifier, from);
    for (int step = 1; step <= 8; ++step)
        QTest::mouseMove(widget, from + (to - from) * step / 8);
    QTest::mouseRelease(widget, button, Qt::NoModifier, to);
}

void tst_ImageEdits::maskIsPaintedWithTheMouse()
{
    const QString path = writeImage(QStringLiteral("product.png"), QSize(800, 600), Qt::darkCyan);
    MaskEditorDialog dialog(path, EditMask());
    dialog.resize(900, 760);
    dialog.show();
    dialog.activateWindow(); // the tool keys are shortcuts: they need the active window
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QTRY_VERIFY(dialog.isLoaded());
    MaskCanvas* canvas = dialog.canvas();
    QCOMPARE(canvas->mask().size(), QSize(800, 600)); // the file's size, not the screen's
    QVERIFY(canvas->mask().isEmpty());
    auto* coverage = dialog.findChild<QLabel*>(QStringLiteral("maskCoverage"));
    QVERIFY2(coverage->text().contains(QStringLiteral("Nothing painted")), qPrintable(coverage->text()));

    // A horizontal stroke across the middle paints a band there, and nothing at the top.
    const QRectF shown = canvas->imageRect();
    const QPoint left = (shown.topLeft() + QPointF(shown.width() * 0.2, shown.height() * 0.5)).toPoint();
    const QPoint right = (shown.topLeft() + QPointF(shown.width() * 0.8, shown.height() * 0.5)).toPoint();
    drag(canvas, left, right);
    const EditMask& mask = canvas->mask();
    QVERIFY(!mask.isEmpty());
    const QPoint middle = canvas->toImage(QPointF(shown.center())).toPoint();
    QCOMPARE(qGray(mask.image().pixel(middle)), 255);
    QCOMPARE(qGray(mask.image().pixel(400, 20)), 0);
    QVERIFY2(coverage->text().contains(QStringLiteral("% of the image may change")), qPrintable(coverage->text()));
    const double painted = mask.coverage();
    QVERIFY(painted > 0.01 && painted < 0.5);

    // The eraser (E) takes paint away where it passes; undo brings it back.
    QTest::keyClick(&dialog, Qt::Key_E);
    QTRY_VERIFY(dialog.findChild<QToolButton*>(QStringLiteral("maskEraserButton"))->isChecked()); // animated click
    QTest::keyClick(&dialog, Qt::Key_BracketRight);                                               // a larger eraser
    drag(canvas, left, right);
    QVERIFY(canvas->mask().coverage() < painted / 4);
    QVERIFY(canvas->undo());
    QCOMPARE(canvas->mask().coverage(), painted);

    // Invert swaps painted and kept; Clear takes all paint away.
    QTest::mouseClick(dialog.findChild<QToolButton*>(QStringLiteral("maskInvertButton")), Qt::LeftButton);
    QVERIFY(qAbs(canvas->mask().coverage() - (1 - painted)) < 1e-9);
    QCOMPARE(qGray(canvas->mask().image().pixel(middle)), 0);
    QTest::mouseClick(dialog.findChild<QToolButton*>(QStringLiteral("maskClearButton")), Qt::LeftButton);
    QVERIFY(canvas->mask().isEmpty());

    // The right button paints with the other tool: the brush while the eraser is chosen.
    drag(canvas, left, right, Qt::RightButton);
    QVERIFY(!canvas->mask().isEmpty());

    // What is sent: a PNG of the input's size, transparent where painted, opaque elsewhere.
    const QImage png = QImage::fromData(canvas->mask().toPng(), "PNG");
    QCOMPARE(png.size(), QSize(800, 600));
    QVERIFY(png.hasAlphaChannel());
    QCOMPARE(qAlpha(png.pixel(middle)), 0);
    QCOMPARE(qAlpha(png.pixel(400, 20)), 255);
}

void tst_ImageEdits::editWithMaskEndToEnd()
{
    m_app->settings.setValue(Settings::Key::LastModel, QStringLiteral("gemini-2.5-flash-image"));
    const auto window = openWindow();
    QVERIFY(window);
    auto* panel = window->findChild<PromptPanel*>(QStringLiteral("promptPanel"));
    const QString path = writeImage(QStringLiteral("sneaker.png"), QSize(640, 480), QColor(200, 30, 30));

    // A file brought in (drop, Add Image…, paste all end here) is stored in the library, then used as input.
    Q_EMIT panel->importFilesRequested({path});
    QTRY_COMPARE(panel->inputCount(), 1);
    const LibraryRecord input = panel->references().constFirst();
    QCOMPARE(input.params.value(QLatin1String("imported_from")).toString(), QStringLiteral("sneaker.png"));
    QVERIFY(input.model.isEmpty());
    QCOMPARE(m_app->library.count(), 1);

    // Paint a mask over the left half with the mouse, then use it.
    MaskEditorDialog* dialog = openMaskEditor(panel);
    QVERIFY(dialog);
    const QRectF shown = dialog->canvas()->imageRect();
    drag(dialog->canvas(), (shown.topLeft() + QPointF(shown.width() * 0.1, shown.height() * 0.5)).toPoint(),
         (shown.topLeft() + QPointF(shown.width() * 0.4, shown.height() * 0.5)).toPoint());
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QTRY_VERIFY(panel->inputStrip()->hasMask());
    QVERIFY(panel->findChild<QLabel*>(QStringLiteral("maskBadge"))->isVisible());

    // Nano Banana takes no mask: disabled in the picker with the reason, refused here, nothing sent.
    auto* models = window->findChild<QComboBox*>(QStringLiteral("modelCombo"));
    ModelCatalogModel* catalog = panel->modelPicker()->catalogModel();
    const QModelIndex nano = catalog->index(catalog->rowOf(QStringLiteral("gemini-2.5-flash-image")));
    QVERIFY(!catalog->flags(nano).testFlag(Qt::ItemIsEnabled));
    QVERIFY2(nano.data(ModelCatalogModel::UnavailableRole).toString().contains(QStringLiteral("mask")),
             qPrintable(nano.data(ModelCatalogModel::UnavailableRole).toString()));
    const QModelIndex gpt = catalog->index(catalog->rowOf(QStringLiteral("gpt-image-1.5")));
    QVERIFY(catalog->flags(gpt).testFlag(Qt::ItemIsEnabled));
    QCOMPARE(models->currentData(ModelCatalogModel::IdRole).toString(), QStringLiteral("gemini-2.5-flash-image"));
    auto* prompt = window->findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
    prompt->setFocus();
    QTest::keyClicks(prompt, QStringLiteral("the same sneaker on a beach"));
    auto* edit = window->findChild<QPushButton*>(QStringLiteral("generateButton"));
    QVERIFY(!edit->isEnabled());
    QVERIFY(panel->refusal().value_or(QString()).contains(QStringLiteral("cannot use a mask")));
    QTest::keyClick(prompt, Qt::Key_Return, Qt::ControlModifier);
    QTest::qWait(200);
    QCOMPARE(m_sandbox.postCount(), 0);

    // GPT Image 1.5 takes it: sent as an edit with the image and the mask, saved with its lineage.
    choose(*window, QStringLiteral("gpt-image-1.5"));
    QTRY_VERIFY(edit->isEnabled());
    QCOMPARE(edit->text().remove(QLatin1Char('&')), QStringLiteral("Edit"));
    QTest::mouseClick(edit, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->library.count(), 2, 20000);
    const auto sent = m_sandbox.lastEdit();
    QVERIFY(sent);
    QVERIFY2(sent->error.isEmpty(), qPrintable(sent->error));
    QCOMPARE(sent->path, QStringLiteral("/v1/images/edits"));
    QCOMPARE(sent->images.size(), 1);
    QCOMPARE(sent->images.constFirst().imageSize, QSize(640, 480));
    QVERIFY(sent->hasMask);
    QCOMPARE(sent->mask.imageSize, QSize(640, 480));
    QCOMPARE(sent->prompt, QStringLiteral("the same sneaker on a beach"));

    LibraryRecord result;
    for (const LibraryRecord& record : m_app->library.recent(2)) {
        if (record.id != input.id)
            result = record;
    }
    QCOMPARE(result.model, QStringLiteral("gpt-image-1.5"));
    QCOMPARE(result.parentIds, QList<qint64> {input.id});
    QCOMPARE(result.params.value(QLatin1String("input_ids")).toArray(), QJsonArray {input.id});
    QVERIFY(result.params.value(QLatin1String("mask")).toBool());
    // The sandbox renders from the input: its red shows where the mask kept the image (the right half).
    const QImage made(result.filePath);
    QVERIFY(!made.isNull());
    const QColor kept = made.pixelColor(made.width() * 3 / 4, made.height() / 2);
    QVERIFY2(kept.red() > 150 && kept.green() < 80, qPrintable(kept.name()));

    // The viewer compares it with its source under one divider.
    GalleryModel* grid = window->galleryModel();
    QTRY_VERIFY(grid->rowOfId(result.id) >= 0);
    window->imageViewer()->showRow(grid->rowOfId(result.id));
    ImageViewer* viewer = window->imageViewer();
    auto* madeBy = viewer->findChild<QLabel*>(QStringLiteral("editLabel"));
    QCOMPARE(madeBy->text(), QStringLiteral("an edit of 1 input image, with a mask"));
    auto* compare = viewer->findChild<QAction*>(QStringLiteral("viewerCompareSourceAction"));
    QTRY_VERIFY(compare->isEnabled());
    compare->trigger();
    QVERIFY(viewer->isComparingWithSource());
    QTRY_VERIFY(viewer->sourceCompare()->hasImages());
    QVERIFY(viewer->sourceCompare()->isVisibleTo(viewer));
    QVERIFY(!viewer->canvas()->isVisibleTo(viewer));
    compare->trigger(); // and back
    QVERIFY(viewer->canvas()->isVisibleTo(viewer));
}

void tst_ImageEdits::oversizeInputIsSentSmallerOnlyWhenAgreed()
{
    m_app->settings.setValue(Settings::Key::LastModel, QStringLiteral("gemini-2.5-flash-image"));
    const auto window = openWindow();
    QVERIFY(window);
    auto* panel = window->findChild<PromptPanel*>(QStringLiteral("promptPanel"));
    // Wider than Nano Banana's 4096 px edge limit (and cheap to encode: one colour).
    const QString path = writeImage(QStringLiteral("banner.png"), QSize(5000, 400), Qt::darkGreen);
    Q_EMIT panel->importFilesRequested({path});
    QTRY_COMPARE(panel->inputCount(), 1);
    auto* prompt = window->findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
    prompt->setPlainText(QStringLiteral("a banner for a summer sale"));
    auto* edit = window->findChild<QPushButton*>(QStringLiteral("generateButton"));
    QTRY_VERIFY(edit->isEnabled());

    // Refused before sending; the question offers a smaller copy. Cancel: nothing sent.
    QTest::mouseClick(edit, Qt::LeftButton);
    QMessageBox* question = nullptr;
    QTRY_VERIFY((question = window->findChild<QMessageBox*>(QStringLiteral("downscaleQuestion"))));
    QVERIFY2(question->text().contains(QStringLiteral("banner.png")), qPrintable(question->text()));
    question->button(QMessageBox::Cancel)->click();
    QTest::qWait(200);
    QCOMPARE(m_sandbox.postCount(), 0);

    // Agreed: the copy fits the limit, the library keeps the original.
    QTRY_VERIFY(!window->findChild<QMessageBox*>(QStringLiteral("downscaleQuestion")));
    QTest::mouseClick(edit, Qt::LeftButton);
    QTRY_VERIFY((question = window->findChild<QMessageBox*>(QStringLiteral("downscaleQuestion"))));
    QPushButton* send = nullptr;
    for (QAbstractButton* button : question->buttons()) {
        if (question->buttonRole(button) == QMessageBox::AcceptRole)
            send = qobject_cast<QPushButton*>(button);
    }
    QVERIFY(send);
    send->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->library.count(), 2, 20000);
    const auto sent = m_sandbox.lastEdit();
    QVERIFY(sent);
    QCOMPARE(sent->images.size(), 1);
    QCOMPARE(sent->images.constFirst().imageSize.width(), 4096);
    QCOMPARE(QImage(panel->references().constFirst().filePath).width(), 5000);
}

void tst_ImageEdits::boardOfEditsSendsTheInputsToEveryCell()
{
    const auto window = openWindow();
    QVERIFY(window);
    auto* panel = window->findChild<PromptPanel*>(QStringLiteral("promptPanel"));
    const QString path = writeImage(QStringLiteral("mug.png"), QSize(320, 320), QColor(30, 60, 200));
    Q_EMIT panel->importFilesRequested({path});
    QTRY_COMPARE(panel->inputCount(), 1);
    const qint64 inputId = panel->references().constFirst().id;
    window->findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"))->setPlainText(QStringLiteral("a mug, studio"));

    window->findChild<QAction*>(QStringLiteral("actionCompareModels"))->trigger();
    auto* setup = window->findChild<CompareSetupDialog*>(QStringLiteral("compareSetupDialog"));
    QVERIFY(setup);
    auto* useInputs = setup->findChild<QCheckBox*>(QStringLiteral("compareUseInputs"));
    QVERIFY(useInputs->isVisibleTo(setup));
    QVERIFY(useInputs->isChecked());
    QVERIFY(setup->usesInputImages());
    // The model without edits cannot be picked for a board of edits, and says why.
    auto* models = setup->findChild<QListWidget*>(QStringLiteral("compareModels"));
    QListWidgetItem* sketch = nullptr;
    for (int row = 0; row < models->count(); ++row) {
        QListWidgetItem* item = models->item(row);
        if (item->text().startsWith(QStringLiteral("Sandbox Sketch")))
            sketch = item;
        item->setCheckState(Qt::Unchecked);
    }
    QVERIFY(sketch);
    QVERIFY(!sketch->flags().testFlag(Qt::ItemIsEnabled));
    QVERIFY2(sketch->toolTip().contains(QStringLiteral("does not take input images")), qPrintable(sketch->toolTip()));
    setup->setModelChecked(QStringLiteral("gemini-2.5-flash-image"), true);
    setup->setModelChecked(QStringLiteral("gpt-image-1.5"), true);
    setup->accept();

    // Both cells are edits of the same input; their images are recorded as made from it.
    QTRY_COMPARE_WITH_TIMEOUT(m_app->library.count(), 3, 20000);
    int edits = 0;
    for (const SandboxRequestRecord& request : m_sandbox.requests())
        edits += request.path == QLatin1String("/v1/images/edits") ? 1 : 0;
    QCOMPARE(edits, 2);
    for (const LibraryRecord& record : m_app->library.recent(3)) {
        if (record.id != inputId)
            QCOMPARE(record.parentIds, QList<qint64> {inputId});
    }
    // Unticked, the board goes back to the prompt alone: every model can be picked again.
    QTRY_VERIFY(!window->findChild<CompareSetupDialog*>(QStringLiteral("compareSetupDialog"))); // closed and gone
    window->findChild<QAction*>(QStringLiteral("actionCompareModels"))->trigger();
    setup = window->findChild<CompareSetupDialog*>(QStringLiteral("compareSetupDialog"));
    QVERIFY(setup);
    setup->setUsesInputImages(false);
    QVERIFY(!setup->usesInputImages());
    const QList<QListWidgetItem*> again = setup->findChild<QListWidget*>(QStringLiteral("compareModels"))
                                              ->findItems(QStringLiteral("Sandbox Sketch"), Qt::MatchStartsWith);
    QCOMPARE(again.size(), 1);
    QVERIFY(again.constFirst()->flags().testFlag(Qt::ItemIsEnabled));
    setup->reject();
}

QTEST_MAIN(tst_ImageEdits)
#include "tst_ImageEdits.moc"
