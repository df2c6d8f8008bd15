#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"
#include "prompt/ModelItemDelegate.h"
#include "prompt/ModelPicker.h"
#include "prompt/PromptPanel.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"

#include "SandboxFixture.h"
#include "TestEnv.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Pixapi;

// The prompt panel on its own, with the sandbox's real model list: picker search and favorites, per-model controls,
// refusals and the cost preflight.
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

QTEST_MAIN(tst_PromptPanel)
#include "tst_PromptPanel.moc"
