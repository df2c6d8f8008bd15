#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"
#include "library/GalleryModel.h"
#include "library/ImageMetadata.h"
#include "prompt/ModelItemDelegate.h"
#include "prompt/ModelPicker.h"
#include "prompt/PromptPanel.h"
#include "prompt/ReferenceStrip.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"

#include "SandboxFixture.h"
#include "TestEnv.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QImageWriter>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUrl>

using namespace Pixapi;

// The prompt panel on its own, with the sandbox's real model list: picker search and favorites, per-model controls,
// refusals and the cost preflight; reuse (restored settings, references, lineage, drops).
class tst_PromptPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void searchFiltersByNameAndGroup();
    void aliasSearchSelectsTheModel();
    void favoritesArePinnedFirst();
    void starClickInTheListTogglesFavorite();
    void ignoredControlsAreDisabledWithReason();
    void ratioModelsShowAspectAndResolution();
    void impossibleSizeIsRefused();
    void costFollowsSizeQualityAndCount();
    void costOverBalanceWarns();
    void staleListIsLabelled();
    void asyncChoiceIsRemembered();

    void applySettingsSelectsModelAndControls();
    void applySettingsMapsPixelsToAspectAndResolution();
    void unknownModelKeepsTheCurrentOneWithANote();
    void valuesTheModelRefusesAreNamed();
    void settingsWaitForTheModelList();
    void referencesAreShownAndRecordedAsSources();
    void reusedImageIsTheFirstSource();
    void droppedTilesAreReportedAndRestored();
    void droppedExportRestoresSettings();
    void droppedExportOnThePromptIsNotInsertedAsText();
    void droppedImageWithoutSettingsBecomesAnInput();
    void droppedNonImageIsIgnoredWithANote();

private:
    template <typename T>
    T* child(const char* name) const
    {
        T* widget = m_panel->findChild<T*>(QString::fromLatin1(name));
        if (!widget)
            qFatal("no child %s", name);
        return widget;
    }
    QStringList visibleModelIds() const;
    void choose(const QString& modelId);
    QString writeImage(const QString& name, const std::optional<ImageMetadata>& metadata) const;
    LibraryRecord record(qint64 id, const QString& prompt) const;
    static bool drop(QWidget* target, const QMimeData* mime);
    static QJsonObject storedParams(int n, const QString& size, const QString& quality, const QString& format);

    SandboxFixture m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<ModelCatalog> m_catalog;
    std::unique_ptr<PromptPanel> m_panel;
};

void tst_PromptPanel::initTestCase()
{
    TestEnv::init();
    AppIdentity::installTranslators(*QCoreApplication::instance()); // English plurals, as the app shows them
    QVERIFY(m_sandbox.start());
}

void tst_PromptPanel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_catalog = std::make_unique<ModelCatalog>(m_sandbox.client.get());
    m_panel = std::make_unique<PromptPanel>(m_catalog.get(), m_settings.get());
    m_panel->resize(420, 760);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QSignalSpy loaded(m_catalog.get(), &ModelCatalog::modelsChanged);
    m_catalog->refresh();
    QVERIFY(loaded.wait(15000));
    QVERIFY(child<QComboBox>("modelCombo")->count() > 0);
}

void tst_PromptPanel::cleanup()
{
    m_panel.reset();
    m_catalog.reset();
    m_settings.reset();
    m_dir.reset();
}

QStringList tst_PromptPanel::visibleModelIds() const
{
    auto* combo = child<QComboBox>("modelCombo");
    QStringList ids;
    for (int i = 0; i < combo->count(); ++i)
        ids << combo->itemData(i, ModelCatalogModel::IdRole).toString();
    return ids;
}

void tst_PromptPanel::choose(const QString& modelId)
{
    QVERIFY(m_panel->modelPicker()->selectModel(modelId));
    QCOMPARE(m_panel->params().model, modelId);
}

void tst_PromptPanel::searchFiltersByNameAndGroup()
{
    const QStringList all = visibleModelIds();
    QVERIFY(all.contains(QStringLiteral("gpt-image-2")));
    // Grouped by family: Nano Banana first, then Gemini, GPT Image.
    QCOMPARE(child<QComboBox>("modelCombo")->itemData(0, ModelCatalogModel::GroupRole).toString(),
             QStringLiteral("Nano Banana"));

    QTest::keyClicks(child<QLineEdit>("modelSearchEdit"), QStringLiteral("banana"));
    const QStringList shown = visibleModelIds();
    for (const char* id : {"gemini-2.5-flash-image", "gemini-3.1-flash-image-preview", "gemini-3-pro-image-preview"})
        QVERIFY2(shown.contains(QString::fromLatin1(id)), id);
    QVERIFY(!shown.contains(QStringLiteral("gpt-image-2")));
    QVERIFY(!shown.contains(QStringLiteral("gpt-image-1.5")));
    QVERIFY(shown.size() < all.size());
    QVERIFY(shown.contains(m_panel->params().model)); // the selection follows the filter

    child<QLineEdit>("modelSearchEdit")->clear();
    QCOMPARE(visibleModelIds(), all);

    choose(QStringLiteral("gpt-image-1.5"));
    m_panel->modelPicker()->setSearchText(QStringLiteral("no such model")); // pasted: no partial match on the way
    QVERIFY(visibleModelIds().isEmpty());
    QVERIFY(!child<QPushButton>("generateButton")->isEnabled());
    child<QLineEdit>("modelSearchEdit")->clear();
    QCOMPARE(m_panel->params().model, QStringLiteral("gpt-image-1.5")); // the choice comes back
}

void tst_PromptPanel::aliasSearchSelectsTheModel()
{
    choose(QStringLiteral("gpt-image-2"));
    QTest::keyClicks(child<QLineEdit>("modelSearchEdit"), QStringLiteral("nano-banana"));
    QCOMPARE(m_panel->params().model, QStringLiteral("gemini-2.5-flash-image"));
    QVERIFY(child<QComboBox>("modelCombo")->currentText().contains(QStringLiteral("Gemini 2.5 Flash Image")));
    QVERIFY(visibleModelIds().contains(QStringLiteral("gemini-2.5-flash-image")));
    QVERIFY(!visibleModelIds().contains(QStringLiteral("gpt-image-2")));
    // Selecting by alias works too.
    QVERIFY(m_panel->modelPicker()->selectModel(QStringLiteral("nano-banana-pro")));
    QCOMPARE(m_panel->params().model, QStringLiteral("gemini-3-pro-image-preview"));
}

void tst_PromptPanel::favoritesArePinnedFirst()
{
    choose(QStringLiteral("gpt-image-2"));
    QVERIFY(visibleModelIds().indexOf(QStringLiteral("gpt-image-2")) > 0);
    auto* star = child<QToolButton>("favoriteButton");
    QVERIFY(!star->isChecked());
    QTest::mouseClick(star, Qt::LeftButton);
    QCOMPARE(visibleModelIds().constFirst(), QStringLiteral("gpt-image-2"));
    QVERIFY(star->isChecked());
    QCOMPARE(m_panel->params().model, QStringLiteral("gpt-image-2")); // the selection stays on the model
    QCOMPARE(m_settings->value(Settings::Key::FavoriteModels).toStringList(),
             QStringList {QStringLiteral("gpt-image-2")});
    QCOMPARE(child<QComboBox>("modelCombo")->itemData(0, ModelCatalogModel::FavoriteRole).toBool(), true);

    // Starred by alias, stored by id; un-starring puts it back in its group.
    m_panel->modelPicker()->catalogModel()->setFavorite(QStringLiteral("nano-banana-2"), true);
    QCOMPARE(visibleModelIds().mid(0, 2),
             (QStringList {QStringLiteral("gemini-3.1-flash-image-preview"), QStringLiteral("gpt-image-2")}));
    QTest::mouseClick(star, Qt::LeftButton);
    QVERIFY(!star->isChecked());
    QCOMPARE(visibleModelIds().constFirst(), QStringLiteral("gemini-3.1-flash-image-preview"));
    QVERIFY(visibleModelIds().indexOf(QStringLiteral("gpt-image-2")) > 1);
}

void tst_PromptPanel::starClickInTheListTogglesFavorite()
{
    auto* combo = child<QComboBox>("modelCombo");
    choose(QStringLiteral("gemini-2.5-flash-image"));
    combo->showPopup();
    QAbstractItemView* view = combo->view();
    QTRY_VERIFY(view->isVisible());
    const int row = visibleModelIds().indexOf(QStringLiteral("gpt-image-1.5"));
    const QModelIndex index = combo->model()->index(row, 0);
    auto* delegate = qobject_cast<ModelItemDelegate*>(combo->itemDelegate());
    QVERIFY(delegate);
    const QRect star = delegate->starRect(view->visualRect(index), index);
    QVERIFY(star.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, star.center());
    QTRY_COMPARE(visibleModelIds().constFirst(), QStringLiteral("gpt-image-1.5"));
    QVERIFY(view->isVisible());                                                  // the popup stays open
    QCOMPARE(m_panel->params().model, QStringLiteral("gemini-2.5-flash-image")); // and the choice is unchanged
    combo->hidePopup();
}

void tst_PromptPanel::ignoredControlsAreDisabledWithReason()
{
    auto* quality = child<QComboBox>("qualityCombo");
    choose(QStringLiteral("gemini-2.5-flash-image"));
    QVERIFY(!quality->isEnabled());
    QVERIFY2(quality->toolTip().contains(QStringLiteral("no quality setting")), qPrintable(quality->toolTip()));
    QVERIFY(m_panel->params().quality.isEmpty());

    choose(QStringLiteral("gpt-image-2"));
    QVERIFY(quality->isEnabled());
    QVERIFY(quality->findData(QStringLiteral("high")) > 0);
    QVERIFY(!quality->toolTip().contains(QStringLiteral("no quality setting")));
    QVERIFY(child<QComboBox>("sizeCombo")->isVisible()); // gpt-image-2 takes exact pixel sizes
    QVERIFY(!child<QComboBox>("aspectCombo")->isVisible());
    QCOMPARE(child<QSpinBox>("countSpin")->maximum(), 4);
}

void tst_PromptPanel::ratioModelsShowAspectAndResolution()
{
    choose(QStringLiteral("gemini-3-pro-image-preview"));
    auto* aspect = child<QComboBox>("aspectCombo");
    auto* resolution = child<QComboBox>("resolutionCombo");
    QVERIFY(aspect->isVisible());
    QVERIFY(resolution->isVisible());
    QVERIFY(!child<QComboBox>("sizeCombo")->isVisible());
    aspect->setCurrentIndex(aspect->findData(QStringLiteral("16:9")));
    resolution->setCurrentIndex(resolution->findData(QStringLiteral("4K")));
    QCOMPARE(m_panel->params().size, QStringLiteral("3840x2160"));
    QVERIFY(!m_panel->refusal());
    QVERIFY(child<QLabel>("costLabel")->text().contains(QStringLiteral("16 credits")));

    // A ratio-only model: no resolution choice, with the reason.
    choose(QStringLiteral("gemini-3.1-flash-lite-image"));
    QVERIFY(aspect->isEnabled());
    QVERIFY(!resolution->isEnabled());
    QVERIFY(!resolution->toolTip().isEmpty());
}

void tst_PromptPanel::impossibleSizeIsRefused()
{
    choose(QStringLiteral("gpt-image-2"));
    QTest::keyClicks(child<QPlainTextEdit>("promptEdit"), QStringLiteral("a lighthouse"));
    auto* generate = child<QPushButton>("generateButton");
    auto* refusal = child<QLabel>("refusalLabel");
    QVERIFY(generate->isEnabled());
    QVERIFY(!refusal->isVisible());

    QSignalSpy requested(m_panel.get(), &PromptPanel::generateRequested);
    child<QComboBox>("sizeCombo")->setEditText(QStringLiteral("999x777"));
    QVERIFY(refusal->isVisible());
    QVERIFY2(refusal->text().contains(QStringLiteral("999x777")), qPrintable(refusal->text()));
    QVERIFY(!generate->isEnabled());
    QVERIFY(!m_panel->canGenerate());
    QTest::keyClick(child<QPlainTextEdit>("promptEdit"), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(requested.count(), 0);

    child<QComboBox>("sizeCombo")->setEditText(QStringLiteral("1536x1024"));
    QVERIFY(!refusal->isVisible());
    QTest::keyClick(child<QPlainTextEdit>("promptEdit"), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(requested.count(), 1);
}

void tst_PromptPanel::costFollowsSizeQualityAndCount()
{
    choose(QStringLiteral("gpt-image-2"));
    auto* size = child<QComboBox>("sizeCombo");
    auto* quality = child<QComboBox>("qualityCombo");
    size->setCurrentIndex(size->findData(QStringLiteral("1024x1024")));
    quality->setCurrentIndex(quality->findData(QStringLiteral("high")));
    child<QSpinBox>("countSpin")->setValue(2);
    auto* cost = child<QLabel>("costLabel");
    QCOMPARE(cost->text(), QStringLiteral("Estimated cost: 28 credits"));
    QVERIFY2(cost->toolTip().contains(QStringLiteral("14")), qPrintable(cost->toolTip()));

    quality->setCurrentIndex(quality->findData(QStringLiteral("low")));
    QCOMPARE(cost->text(), QStringLiteral("Estimated cost: 2 credits"));
    // The choice is remembered as sent.
    QCOMPARE(m_settings->value(Settings::Key::Size).toString(), QStringLiteral("1024x1024"));
    QCOMPARE(m_settings->value(Settings::Key::Quality).toString(), QStringLiteral("low"));
    QCOMPARE(m_settings->value(Settings::Key::ImageCount).toInt(), 2);
}

void tst_PromptPanel::costOverBalanceWarns()
{
    choose(QStringLiteral("gpt-image-2"));
    auto* size = child<QComboBox>("sizeCombo");
    auto* quality = child<QComboBox>("qualityCombo");
    size->setCurrentIndex(size->findData(QStringLiteral("1024x1024")));
    quality->setCurrentIndex(quality->findData(QStringLiteral("high")));
    child<QSpinBox>("countSpin")->setValue(2);
    auto* cost = child<QLabel>("costLabel");
    auto* balance = child<QLabel>("balanceLabel");
    QVERIFY(!balance->isVisible());

    m_panel->setBalance(100);
    QVERIFY(balance->isVisible());
    QCOMPARE(balance->text(), QStringLiteral("Balance: 100 credits"));
    QCOMPARE(cost->property("overBalance").toBool(), false);

    m_panel->setBalance(20);
    QCOMPARE(cost->property("overBalance").toBool(), true);
    QVERIFY(cost->text().contains(QStringLiteral("28 credits")));
    QVERIFY(cost->toolTip().contains(QStringLiteral("20")));

    m_panel->setBalance(std::nullopt);
    QVERIFY(!balance->isVisible());
    QCOMPARE(cost->property("overBalance").toBool(), false);
}

void tst_PromptPanel::staleListIsLabelled()
{
    auto* stale = child<QLabel>("staleLabel");
    QVERIFY(!stale->isVisible()); // init() refreshed the list
    // A new start: the list saved by init()'s refresh is shown at once, marked as the offline copy.
    m_panel.reset();
    m_catalog = std::make_unique<ModelCatalog>(m_sandbox.client.get());
    QVERIFY(m_catalog->isStale());
    m_panel = std::make_unique<PromptPanel>(m_catalog.get(), m_settings.get());
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    stale = child<QLabel>("staleLabel");
    QVERIFY(stale->isVisible());
    QVERIFY2(stale->text().startsWith(QStringLiteral("Offline — model list from ")), qPrintable(stale->text()));
    QVERIFY(child<QComboBox>("modelCombo")->count() > 0);

    QSignalSpy staleChanged(m_catalog.get(), &ModelCatalog::staleChanged);
    m_catalog->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!m_catalog->isStale(), 15000);
    QVERIFY(!stale->isVisible());
}

void tst_PromptPanel::asyncChoiceIsRemembered()
{
    auto* async = child<QCheckBox>("asyncCheck");
    QVERIFY(!async->isChecked());
    async->setChecked(true);
    QVERIFY(m_panel->runAsync());
    // The next start comes back in background-task mode.
    m_panel = std::make_unique<PromptPanel>(m_catalog.get(), m_settings.get());
    QVERIFY(child<QCheckBox>("asyncCheck")->isChecked());
    QVERIFY(m_panel->runAsync());
}

QJsonObject tst_PromptPanel::storedParams(int n, const QString& size, const QString& quality, const QString& format)
{
    // The shape ResultSaver stores with each image.
    return QJsonObject {{QStringLiteral("n"), n},
                        {QStringLiteral("size"), size},
                        {QStringLiteral("quality"), quality},
                        {QStringLiteral("response_format"), format},
                        {QStringLiteral("index"), 0}};
}

QString tst_PromptPanel::writeImage(const QString& name, const std::optional<ImageMetadata>& metadata) const
{
    QImage image(32, 24, QImage::Format_RGB32);
    image.fill(Qt::darkMagenta);
    if (metadata)
        metadata->embed(image);
    const QString path = m_dir->filePath(name);
    QImageWriter writer(path);
    if (!writer.write(image))
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

LibraryRecord tst_PromptPanel::record(qint64 id, const QString& prompt) const
{
    LibraryRecord record;
    record.id = id;
    record.prompt = prompt;
    record.model = QStringLiteral("gpt-image-2");
    record.params = storedParams(1, QStringLiteral("1024x1024"), QStringLiteral("low"), QString());
    record.filePath = writeImage(QStringLiteral("record-%1.png").arg(id), std::nullopt);
    return record;
}

bool tst_PromptPanel::drop(QWidget* target, const QMimeData* mime)
{
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDropEvent dropEvent(QPointF(at), Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &dropEvent);
    return dropEvent.isAccepted() && dropEvent.dropAction() == Qt::CopyAction; // never a move of the user's file
}

void tst_PromptPanel::applySettingsSelectsModelAndControls()
{
    choose(QStringLiteral("gemini-2.5-flash-image"));
    m_panel->applySettings(
        QStringLiteral("a red fox in the snow"), QStringLiteral("gpt-image-2"),
        storedParams(2, QStringLiteral("1536x1024"), QStringLiteral("high"), QStringLiteral("b64_json")));
    const GenerationParams params = m_panel->params();
    QCOMPARE(params.prompt, QStringLiteral("a red fox in the snow"));
    QCOMPARE(params.model, QStringLiteral("gpt-image-2"));
    QCOMPARE(params.n, 2);
    QCOMPARE(params.size, QStringLiteral("1536x1024"));
    QCOMPARE(params.quality, QStringLiteral("high"));
    QCOMPARE(params.responseFormat, QStringLiteral("b64_json"));
    QCOMPARE(child<QComboBox>("sizeCombo")->currentData().toString(), QStringLiteral("1536x1024"));
    QCOMPARE(child<QComboBox>("qualityCombo")->currentData().toString(), QStringLiteral("high"));
    QVERIFY2(m_panel->note().isEmpty(), qPrintable(m_panel->note())); // everything was restored: nothing to say
    QVERIFY(!child<QWidget>("noteWidget")->isVisible());
    QVERIFY(m_panel->canGenerate());
    QVERIFY(m_panel->sourceIds().isEmpty()); // plain settings carry no library image
    // The restored request is the remembered choice from now on.
    QCOMPARE(m_settings->value(Settings::Key::LastModel).toString(), QStringLiteral("gpt-image-2"));
    QCOMPARE(m_settings->value(Settings::Key::Size).toString(), QStringLiteral("1536x1024"));
}

void tst_PromptPanel::applySettingsMapsPixelsToAspectAndResolution()
{
    choose(QStringLiteral("gpt-image-2"));
    m_panel->applySettings(QStringLiteral("a harbour at night"), QStringLiteral("nano-banana-pro"),
                           storedParams(1, QStringLiteral("3840x2160"), QString(), QString()));
    QCOMPARE(m_panel->params().model, QStringLiteral("gemini-3-pro-image-preview")); // found by alias
    QCOMPARE(child<QComboBox>("aspectCombo")->currentData().toString(), QStringLiteral("16:9"));
    QCOMPARE(child<QComboBox>("resolutionCombo")->currentData().toString(), QStringLiteral("4K"));
    QCOMPARE(m_panel->params().size, QStringLiteral("3840x2160"));
    QVERIFY2(m_panel->note().isEmpty(), qPrintable(m_panel->note()));
}

void tst_PromptPanel::unknownModelKeepsTheCurrentOneWithANote()
{
    choose(QStringLiteral("gpt-image-1.5"));
    m_panel->applySettings(QStringLiteral("a paper crane"), QStringLiteral("dall-e-9"),
                           storedParams(1, QStringLiteral("1024x1536"), QStringLiteral("medium"), QString()));
    QCOMPARE(m_panel->params().model, QStringLiteral("gpt-image-1.5"));
    QCOMPARE(m_panel->params().prompt, QStringLiteral("a paper crane"));
    QCOMPARE(m_panel->params().size, QStringLiteral("1024x1536")); // restored for the model kept
    QCOMPARE(m_panel->params().quality, QStringLiteral("medium"));
    const QString note = m_panel->note();
    QVERIFY2(note.contains(QStringLiteral("“dall-e-9” is not in the model list")), qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("GPT Image 1.5")), qPrintable(note));
    QVERIFY(child<QLabel>("noteLabel")->isVisible());
    QTest::mouseClick(child<QToolButton>("dismissNoteButton"), Qt::LeftButton);
    QVERIFY(m_panel->note().isEmpty());
}

void tst_PromptPanel::valuesTheModelRefusesAreNamed()
{
    // A request made elsewhere (another tool, an older catalog): nothing the model refuses reaches the controls.
    choose(QStringLiteral("gpt-image-1.5"));
    m_panel->applySettings(QStringLiteral("a teapot"), QStringLiteral("gpt-image-2"),
                           storedParams(9, QStringLiteral("999x777"), QStringLiteral("ultra"), QStringLiteral("url")));
    GenerationParams params = m_panel->params();
    QCOMPARE(params.model, QStringLiteral("gpt-image-2"));
    QCOMPARE(params.n, 1);
    QVERIFY(params.size.isEmpty());
    QVERIFY(params.quality.isEmpty());
    QCOMPARE(params.responseFormat, QStringLiteral("url"));
    QString note = m_panel->note();
    for (const char* named : {"GPT Image 2 does not take", "9 images", "“999x777”", "“ultra”"})
        QVERIFY2(note.contains(QString::fromUtf8(named)), qPrintable(note));
    QVERIFY(!note.contains(QStringLiteral("url")));
    QVERIFY(!m_panel->refusal()); // what is shown can be sent

    // A model without quality: the quality of a GPT image is named, the rest restored.
    m_panel->applySettings(QStringLiteral("a teapot"), QStringLiteral("gemini-2.5-flash-image"),
                           storedParams(2, QStringLiteral("1024x1024"), QStringLiteral("high"), QString()));
    params = m_panel->params();
    QCOMPARE(params.model, QStringLiteral("gemini-2.5-flash-image"));
    QCOMPARE(params.n, 2);
    QVERIFY(params.quality.isEmpty());
    note = m_panel->note();
    QVERIFY2(note.contains(QStringLiteral("“high”")), qPrintable(note));
    QVERIFY2(!note.contains(QStringLiteral("images per request")), qPrintable(note));
}

void tst_PromptPanel::settingsWaitForTheModelList()
{
    // A server never seen before: no cached list, so the panel starts without models.
    SandboxFixture fresh;
    QVERIFY(fresh.start());
    m_panel.reset();
    m_catalog = std::make_unique<ModelCatalog>(fresh.client.get());
    QVERIFY(m_catalog->models().isEmpty());
    m_panel = std::make_unique<PromptPanel>(m_catalog.get(), m_settings.get());
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));

    m_panel->applySettings(QStringLiteral("an orchard in spring"), QStringLiteral("gpt-image-2"),
                           storedParams(3, QStringLiteral("2048x1152"), QStringLiteral("low"), QString()));
    QCOMPARE(child<QPlainTextEdit>("promptEdit")->toPlainText(), QStringLiteral("an orchard in spring"));
    QVERIFY(m_panel->params().model.isEmpty());
    QVERIFY2(m_panel->note().contains(QStringLiteral("once the model list has loaded")), qPrintable(m_panel->note()));

    QSignalSpy loaded(m_catalog.get(), &ModelCatalog::modelsChanged);
    m_catalog->refresh();
    QVERIFY(loaded.wait(15000));
    QTRY_COMPARE(m_panel->params().model, QStringLiteral("gpt-image-2"));
    const GenerationParams params = m_panel->params();
    QCOMPARE(params.n, 3);
    QCOMPARE(params.size, QStringLiteral("2048x1152"));
    QCOMPARE(params.quality, QStringLiteral("low"));
    QCOMPARE(params.prompt, QStringLiteral("an orchard in spring"));
    QVERIFY2(m_panel->note().isEmpty(), qPrintable(m_panel->note()));
}

void tst_PromptPanel::referencesAreShownAndRecordedAsSources()
{
    auto* strip = child<ReferenceStrip>("referenceStrip");
    auto* title = child<QLabel>("referenceTitle");
    QVERIFY2(title->text().contains(QStringLiteral("No input images")), qPrintable(title->text()));
    QVERIFY(!child<QToolButton>("paintMaskButton")->isEnabled()); // no image to paint on
    QCOMPARE(child<QPushButton>("generateButton")->text().remove(QLatin1Char('&')), QStringLiteral("Generate"));
    QSignalSpy changed(m_panel.get(), &PromptPanel::sourcesChanged);

    QVERIFY(m_panel->addReference(record(11, QStringLiteral("a lighthouse"))));
    QVERIFY2(title->text().contains(QStringLiteral("1 input image for the model")), qPrintable(title->text()));
    QVERIFY(m_panel->isEdit());
    QVERIFY(child<QToolButton>("paintMaskButton")->isEnabled());
    QCOMPARE(child<QPushButton>("generateButton")->text().remove(QLatin1Char('&')), QStringLiteral("Edit"));
    QCOMPARE(m_panel->sourceIds(), (QList<qint64> {11}));
    QCOMPARE(m_panel->references().size(), 1);
    QCOMPARE(m_panel->references().constFirst().prompt, QStringLiteral("a lighthouse"));
    QCOMPARE(changed.count(), 1);
    QTRY_VERIFY(strip->hasThumbnail(11)); // decoded off the UI thread from the record's file
    QVERIFY(strip->toolTip().contains(QStringLiteral("sent with the prompt")));

    QVERIFY(!m_panel->addReference(record(11, QStringLiteral("a lighthouse")))); // once is enough
    QVERIFY2(m_panel->note().contains(QStringLiteral("already an input image")), qPrintable(m_panel->note()));
    QImage given(8, 8, QImage::Format_RGB32);
    given.fill(Qt::yellow);
    QVERIFY(m_panel->addReference(record(12, QStringLiteral("b")), given));
    QVERIFY(strip->hasThumbnail(12)); // the caller's thumbnail, at once
    for (qint64 id = 13; id <= 18; ++id)
        QVERIFY(m_panel->addReference(record(id, QStringLiteral("more"))));
    QVERIFY(!m_panel->addReference(record(19, QStringLiteral("e"))));
    QVERIFY2(m_panel->note().contains(QStringLiteral("Up to 8 input images")), qPrintable(m_panel->note()));
    QCOMPARE(m_panel->sourceIds(), (QList<qint64> {11, 12, 13, 14, 15, 16, 17, 18}));

    // The × of a tile removes that reference only.
    QToolButton* remove = nullptr;
    const QList<QToolButton*> buttons = strip->findChildren<QToolButton*>(QStringLiteral("removeReferenceButton"));
    for (QToolButton* button : buttons) {
        if (button->property("recordId").toLongLong() == 12)
            remove = button;
    }
    QVERIFY(remove);
    changed.clear();
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(m_panel->sourceIds(), (QList<qint64> {11, 13, 14, 15, 16, 17, 18}));
    QCOMPARE(changed.count(), 1);
    QVERIFY(m_panel->addReference(record(19, QStringLiteral("e")))); // room again

    m_panel->clearSources();
    QVERIFY(m_panel->sourceIds().isEmpty());
    QVERIFY(m_panel->references().isEmpty());
    QVERIFY(!m_panel->isEdit());
    QVERIFY2(title->text().contains(QStringLiteral("No input images")), qPrintable(title->text()));
}

void tst_PromptPanel::reusedImageIsTheFirstSource()
{
    choose(QStringLiteral("gpt-image-1.5"));
    QVERIFY(m_panel->addReference(record(21, QStringLiteral("a reference"))));
    LibraryRecord reused = record(20, QStringLiteral("a misty forest, golden hour"));
    reused.params = storedParams(2, QStringLiteral("1024x1536"), QStringLiteral("medium"), QString());
    m_panel->reuseSettings(reused);
    QCOMPARE(m_panel->params().model, QStringLiteral("gpt-image-2"));
    QCOMPARE(m_panel->params().prompt, QStringLiteral("a misty forest, golden hour"));
    QCOMPARE(m_panel->params().size, QStringLiteral("1024x1536"));
    QCOMPARE(m_panel->params().n, 2);
    // The input images come first (an edit's first parent is its first input), then the reused image.
    QCOMPARE(m_panel->sourceIds(), (QList<qint64> {21, 20}));
    auto* source = child<QLabel>("sourceLabel");
    QVERIFY(source->isVisible());
    QVERIFY2(source->text().contains(QStringLiteral("a misty forest")), qPrintable(source->text()));

    // Reusing it as a reference too does not count it twice.
    QVERIFY(m_panel->addReference(reused));
    QCOMPARE(m_panel->sourceIds(), (QList<qint64> {21, 20}));

    // Settings from elsewhere replace the reused image; the references stay.
    m_panel->applySettings(QStringLiteral("typed elsewhere"), QStringLiteral("gpt-image-2"), {});
    QCOMPARE(m_panel->sourceIds(), (QList<qint64> {21, 20}));
    QVERIFY(!source->isVisible());

    m_panel->reuseSettings(reused);
    QTest::mouseClick(child<QToolButton>("clearSourceButton"), Qt::LeftButton);
    QVERIFY(!source->isVisible());
    QCOMPARE(m_panel->sourceIds(), (QList<qint64> {21, 20}));
}

void tst_PromptPanel::droppedTilesAreReportedAndRestored()
{
    GalleryModel gallery;
    gallery.setThumbnailCacheDir(QString());
    gallery.setRecords({record(31, QStringLiteral("first")), record(32, QStringLiteral("second"))});
    QModelIndexList rows;
    for (int row = 0; row < gallery.rowCount(); ++row) {
        if (!gallery.isHeader(row))
            rows << gallery.index(row);
    }
    QCOMPARE(rows.size(), 2);
    std::unique_ptr<QMimeData> mime(gallery.mimeData(rows));
    QVERIFY(mime->hasFormat(GalleryModel::recordIdsMimeType()));

    QSignalSpy dropped(m_panel.get(), &PromptPanel::recordsDropped);
    QVERIFY(drop(m_panel.get(), mime.get()));
    QCOMPARE(dropped.count(), 1);
    QList<qint64> ids = dropped.constFirst().constFirst().value<QList<qint64>>();
    std::sort(ids.begin(), ids.end());
    QCOMPARE(ids, (QList<qint64> {31, 32}));
    QVERIFY(!child<QLabel>("dropHighlight")->isVisible());

    // What the window does with them: the first one's settings, the others as references.
    m_panel->restoreFromRecords({record(32, QStringLiteral("second")), record(31, QStringLiteral("first"))});
    QCOMPARE(m_panel->params().prompt, QStringLiteral("second"));
    QCOMPARE(m_panel->sourceIds(), (QList<qint64> {31, 32})); // the input image first
    QCOMPARE(m_panel->references().size(), 1);
}

void tst_PromptPanel::droppedExportRestoresSettings()
{
    choose(QStringLiteral("gpt-image-1.5"));
    ImageMetadata metadata;
    metadata.prompt = QStringLiteral("Ein Leuchtturm  bei Dämmerung:\nzweite Zeile");
    metadata.model = QStringLiteral("gpt-image-2");
    metadata.params = storedParams(2, QStringLiteral("2048x2048"), QStringLiteral("high"), QString());
    const QString path = writeImage(QStringLiteral("exported lighthouse.png"), metadata);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});

    const QPoint at = m_panel->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_panel.get(), &enter);
    QVERIFY(enter.isAccepted());
    auto* highlight = child<QLabel>("dropHighlight");
    QVERIFY(highlight->isVisible()); // shown while the drag is over the panel
    QCOMPARE(highlight->geometry(), m_panel->rect());
    QDropEvent dropEvent(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_panel.get(), &dropEvent);
    QVERIFY(dropEvent.isAccepted());
    QVERIFY(!highlight->isVisible());

    QTRY_COMPARE(m_panel->params().prompt, metadata.prompt.trimmed());
    const GenerationParams params = m_panel->params();
    QCOMPARE(params.model, QStringLiteral("gpt-image-2"));
    QCOMPARE(params.n, 2);
    QCOMPARE(params.size, QStringLiteral("2048x2048"));
    QCOMPARE(params.quality, QStringLiteral("high"));
    QVERIFY2(m_panel->note().contains(QStringLiteral("Settings restored from “exported lighthouse.png”")),
             qPrintable(m_panel->note()));
    QVERIFY(m_panel->sourceIds().isEmpty()); // a file is not a library image
}

void tst_PromptPanel::droppedExportOnThePromptIsNotInsertedAsText()
{
    ImageMetadata metadata;
    metadata.prompt = QStringLiteral("a glass of water");
    metadata.model = QStringLiteral("gpt-image-1.5");
    const QString path = writeImage(QStringLiteral("water.jpg"), metadata);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QVERIFY(drop(child<QPlainTextEdit>("promptEdit")->viewport(), &mime));
    QTRY_COMPARE(m_panel->params().prompt, QStringLiteral("a glass of water"));
    QCOMPARE(m_panel->params().model, QStringLiteral("gpt-image-1.5"));

    // Plain text still goes into the prompt as usual.
    QMimeData text;
    text.setText(QStringLiteral("more words"));
    QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(child<QPlainTextEdit>("promptEdit")->viewport(), &enter);
    QVERIFY(enter.isAccepted());
    QVERIFY(!child<QLabel>("dropHighlight")->isVisible());
}

void tst_PromptPanel::droppedImageWithoutSettingsBecomesAnInput()
{
    child<QPlainTextEdit>("promptEdit")->setPlainText(QStringLiteral("kept as it is"));
    QSignalSpy imports(m_panel.get(), &PromptPanel::importFilesRequested);
    QMimeData mime;
    const QString path = writeImage(QStringLiteral("holiday.png"), std::nullopt);
    mime.setUrls({QUrl::fromLocalFile(path)});
    QVERIFY(drop(m_panel.get(), &mime));
    QTRY_COMPARE(imports.count(), 1); // the window imports it into the library and adds it as an input image
    QCOMPARE(imports.constFirst().constFirst().toStringList(), QStringList {path});
    QCOMPARE(m_panel->params().prompt, QStringLiteral("kept as it is"));
    QVERIFY(m_panel->note().isEmpty());
}

void tst_PromptPanel::droppedNonImageIsIgnoredWithANote()
{
    child<QPlainTextEdit>("promptEdit")->setPlainText(QStringLiteral("kept as it is"));
    QFile file(m_dir->filePath(QStringLiteral("notes.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not an image\n");
    file.close();
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(file.fileName())});
    QVERIFY(drop(m_panel.get(), &mime));
    QTRY_VERIFY2(m_panel->note().contains(QStringLiteral("“notes.txt” is not an image")), qPrintable(m_panel->note()));
    QCOMPARE(m_panel->params().prompt, QStringLiteral("kept as it is"));

    // A remote URL is not taken at all.
    QMimeData remote;
    remote.setUrls({QUrl(QStringLiteral("https://example.com/a.png"))});
    QVERIFY(!drop(m_panel.get(), &remote));
}

QTEST_MAIN(tst_PromptPanel)
#include "tst_PromptPanel.moc"
