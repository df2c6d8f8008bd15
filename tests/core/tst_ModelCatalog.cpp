#include "SandboxFixture.h"
#include "TestEnv.h"
#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"
#include "catalog/ModelFilterProxy.h"
#include "catalog/ModelGrouping.h"
#include "settings/Settings.h"
#include "support/AppPaths.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Pixapi;

class tst_ModelCatalog : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;
    std::unique_ptr<QTemporaryDir> m_data; // a fresh catalog cache per test

    void load(ModelCatalog& catalog)
    {
        QSignalSpy changed(&catalog, &ModelCatalog::modelsChanged);
        catalog.refresh();
        QVERIFY(changed.wait(10000));
    }

    static QStringList ids(const QAbstractItemModel& model)
    {
        QStringList out;
        for (int row = 0; row < model.rowCount(); ++row)
            out << model.index(row, 0).data(ModelCatalogModel::IdRole).toString();
        return out;
    }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }
    void init()
    {
        m_data = std::make_unique<QTemporaryDir>();
        AppPaths::setDataDirOverride(m_data->path());
        QVERIFY(m_sandbox.start());
    }
    void cleanup()
    {
        m_sandbox.reset();
        AppPaths::setDataDirOverride({});
        m_data.reset();
    }

    void resolvesIdsAndAliases()
    {
        ModelCatalog catalog(m_sandbox.client.get());
        QVERIFY(catalog.resolve(QStringLiteral("nano-banana")).isEmpty()); // nothing loaded yet
        load(catalog);
        QCOMPARE(catalog.resolve(QStringLiteral("nano-banana")), QStringLiteral("gemini-2.5-flash-image"));
        QCOMPARE(catalog.resolve(QStringLiteral("nano-banana-pro")), QStringLiteral("gemini-3-pro-image-preview"));
        QCOMPARE(catalog.resolve(QStringLiteral("gpt-image-2")), QStringLiteral("gpt-image-2"));
        QVERIFY(catalog.resolve(QStringLiteral("no-such-model")).isEmpty());
        QVERIFY(catalog.resolve(QString()).isEmpty());
    }

    void groupsFamilies()
    {
        ModelInfo m;
        m.family = QStringLiteral("nano-banana");
        QCOMPARE(ModelGrouping::groupOf(m), ModelGrouping::Group::NanoBanana);
        m.family = QStringLiteral("gemini");
        QCOMPARE(ModelGrouping::groupOf(m), ModelGrouping::Group::Gemini);
        m.aliases = {QStringLiteral("nano-banana-2")}; // sold as Nano Banana whatever the family says
        QCOMPARE(ModelGrouping::groupOf(m), ModelGrouping::Group::NanoBanana);
        m.aliases.clear();
        m.family = QStringLiteral("gpt-image");
        QCOMPARE(ModelGrouping::groupOf(m), ModelGrouping::Group::GptImage);
        m.family.clear();
        QCOMPARE(ModelGrouping::groupOf(m), ModelGrouping::Group::Other);
        QCOMPARE(ModelGrouping::displayName(ModelGrouping::Group::GptImage), QStringLiteral("GPT Image"));
        QVERIFY(!ModelGrouping::displayName(ModelGrouping::Group::Other).isEmpty());
    }

    void sortsFavoritesFirstThenByGroup()
    {
        Settings settings(m_data->filePath(QStringLiteral("settings.ini")));
        ModelCatalog catalog(m_sandbox.client.get());
        ModelCatalogModel model(&catalog, &settings);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        load(catalog);

        // Group order, server order inside a group: the sandbox lists flash, flash2, pro (Nano Banana), lite
        // (Gemini), then the GPT models, then its no-edits sketch model (Other).
        const QStringList byGroup = {QStringLiteral("gemini-2.5-flash-image"),
                                     QStringLiteral("gemini-3.1-flash-image-preview"),
                                     QStringLiteral("gemini-3-pro-image-preview"),
                                     QStringLiteral("gemini-3.1-flash-lite-image"),
                                     QStringLiteral("gpt-image-1.5"),
                                     QStringLiteral("gpt-image-2"),
                                     QStringLiteral("sandbox-sketch")};
        QCOMPARE(ids(model), byGroup);
        const QModelIndex pro = model.index(model.rowOf(QStringLiteral("nano-banana-pro")));
        QCOMPARE(pro.data(ModelCatalogModel::GroupRole).toString(), QStringLiteral("Nano Banana"));
        QCOMPARE(pro.data(ModelCatalogModel::SpeedRole).toString(), QStringLiteral("slow"));
        QCOMPARE(pro.data(ModelCatalogModel::QualityHintRole).toString(), QStringLiteral("premium"));
        QCOMPARE(pro.data(ModelCatalogModel::FavoriteRole).toBool(), false);
        const QString search = pro.data(ModelCatalogModel::SearchTextRole).toString();
        for (const char* part : {"gemini-3-pro-image-preview", "Nano Banana Pro", "nano-banana-pro", "nano-banana"})
            QVERIFY2(search.contains(QLatin1String(part)), part);
        QCOMPARE(model.index(model.rowOf(QStringLiteral("gemini-3.1-flash-lite-image")))
                     .data(ModelCatalogModel::GroupRole)
                     .toString(),
                 QStringLiteral("Gemini"));

        // Starring moves a model up with a layout change; a persistent index (a view's selection) follows it.
        QPersistentModelIndex selected(model.index(model.rowOf(QStringLiteral("gpt-image-2"))));
        QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setFavorite(QStringLiteral("gpt-image-2"), true);
        model.setFavorite(QStringLiteral("nano-banana-pro"), true); // an alias is stored as the canonical id
        QCOMPARE(layout.count(), 2);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(selected.row(), 1);
        QCOMPARE(selected.data(ModelCatalogModel::IdRole).toString(), QStringLiteral("gpt-image-2"));
        QCOMPARE(ids(model).mid(0, 2),
                 (QStringList {QStringLiteral("gemini-3-pro-image-preview"), QStringLiteral("gpt-image-2")}));
        QVERIFY(model.index(0).data(ModelCatalogModel::FavoriteRole).toBool());
        QCOMPARE(settings.value(Settings::Key::FavoriteModels).toStringList(),
                 (QStringList {QStringLiteral("gpt-image-2"), QStringLiteral("gemini-3-pro-image-preview")}));
        QVERIFY(model.isFavorite(QStringLiteral("nano-banana-pro")));

        // The stars survive a restart (settings file) and a reload of the catalog.
        settings.sync();
        Settings again(m_data->filePath(QStringLiteral("settings.ini")));
        ModelCatalogModel restarted(&catalog, &again);
        QCOMPARE(ids(restarted), ids(model));
        load(catalog);
        QCOMPARE(ids(model).mid(0, 2),
                 (QStringList {QStringLiteral("gemini-3-pro-image-preview"), QStringLiteral("gpt-image-2")}));

        selected = model.index(model.rowOf(QStringLiteral("gpt-image-2"))); // the reload was a reset
        model.setFavorite(QStringLiteral("gpt-image-2"), false);
        model.setFavorite(QStringLiteral("gemini-3-pro-image-preview"), false);
        QCOMPARE(ids(model), byGroup);
        QCOMPARE(selected.data(ModelCatalogModel::IdRole).toString(), QStringLiteral("gpt-image-2"));

        // Without settings the stars live in memory.
        ModelCatalogModel memoryOnly(&catalog);
        QAbstractItemModelTester memoryTester(&memoryOnly, QAbstractItemModelTester::FailureReportingMode::QtTest);
        memoryOnly.setFavorite(QStringLiteral("gpt-image-1.5"), true);
        QCOMPARE(ids(memoryOnly).constFirst(), QStringLiteral("gpt-image-1.5"));
        QCOMPARE(memoryOnly.favorites(), QStringList {QStringLiteral("gpt-image-1.5")});
    }

    void filtersBySearchText()
    {
        ModelCatalog catalog(m_sandbox.client.get());
        ModelCatalogModel model(&catalog);
        ModelFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        load(catalog);
        QCOMPARE(proxy.rowCount(), model.rowCount());

        proxy.setSearchText(QStringLiteral("NANO"));
        QCOMPARE(ids(proxy), (QStringList {QStringLiteral("gemini-2.5-flash-image"),
                                           QStringLiteral("gemini-3.1-flash-image-preview"),
                                           QStringLiteral("gemini-3-pro-image-preview"),
                                           QStringLiteral("gemini-3.1-flash-lite-image")})); // "Nano Banana 2 Lite"
        proxy.setSearchText(QStringLiteral("  banana   pro "));                              // every word must match
        QCOMPARE(ids(proxy), QStringList {QStringLiteral("gemini-3-pro-image-preview")});
        proxy.setSearchText(QStringLiteral("gpt image"));
        QCOMPARE(ids(proxy), (QStringList {QStringLiteral("gpt-image-1.5"), QStringLiteral("gpt-image-2")}));
        proxy.setSearchText(QStringLiteral("veo")); // listed, but not an image model
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setSearchText(QString());
        QCOMPARE(proxy.rowCount(), model.rowCount());

        // The filter holds across a catalog reload.
        proxy.setSearchText(QStringLiteral("flash"));
        const int flashRows = proxy.rowCount();
        QVERIFY(flashRows >= 3);
        load(catalog);
        QCOMPARE(proxy.rowCount(), flashRows);
    }

    void loadsImageModelsAndResolvesAliases()
    {
        ModelCatalog catalog(m_sandbox.client.get());
        ModelCatalogModel model(&catalog);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&catalog, &ModelCatalog::modelsChanged);
        QSignalSpy loading(&catalog, &ModelCatalog::loadingChanged);
        catalog.refresh();
        QVERIFY(catalog.isLoading());
        QVERIFY(changed.wait(10000));
        QVERIFY(!catalog.isLoading());
        QCOMPARE(loading.count(), 2);

        QVERIFY(catalog.find(QStringLiteral("veo")));     // listed by the server...
        QCOMPARE(model.rowOf(QStringLiteral("veo")), -1); // ...but not offered for images
        QVERIFY(model.rowOf(QStringLiteral("gpt-image-2")) >= 0);
        QCOMPARE(model.rowCount(), catalog.imageModels().size());

        const auto nano = catalog.find(QStringLiteral("nano-banana"));
        QVERIFY(nano);
        QCOMPARE(nano->id, QStringLiteral("gemini-2.5-flash-image"));
        const QModelIndex row = model.index(model.rowOf(nano->id));
        QCOMPARE(row.data(ModelCatalogModel::CreditsRole).toDouble(), 2.0);
        QCOMPARE(row.data(Qt::DisplayRole).toString(), nano->displayName());
        QVERIFY(!row.data(ModelCatalogModel::SizesRole).toStringList().isEmpty());
    }

    void failureIsReported()
    {
        ModelCatalog catalog(m_sandbox.client.get());
        m_sandbox.client->setApiKey(QStringLiteral("sk_not_accepted"));
        QSignalSpy failed(&catalog, &ModelCatalog::refreshFailed);
        catalog.refresh();
        QVERIFY(failed.wait(10000));
        QCOMPARE(catalog.lastError()->kind, ApiError::Kind::Unauthorized);
        QVERIFY(catalog.models().isEmpty());
        QVERIFY(!catalog.isLoading());
    }

    void refreshAfterServerSwitchDropsTheOldAnswer()
    {
        SandboxFault stall;
        stall.kind = SandboxFault::Kind::Stall;
        m_sandbox.server->addFault(stall);
        SandboxServer second;
        QVERIFY(second.listen());

        ModelCatalog catalog(m_sandbox.client.get());
        QSignalSpy changed(&catalog, &ModelCatalog::modelsChanged);
        QSignalSpy failed(&catalog, &ModelCatalog::refreshFailed);
        QSignalSpy loading(&catalog, &ModelCatalog::loadingChanged);
        catalog.refresh();
        QTRY_COMPARE(m_sandbox.server->requests().size(), 1);
        m_sandbox.client->setBaseUrl(second.baseUrl());
        catalog.refresh();
        QVERIFY(changed.wait(10000));
        QTest::qWait(50);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(failed.count(), 0); // the cancelled first request is not reported
        QCOMPARE(second.requests().size(), 1);
        QCOMPARE(loading.count(), 2); // one busy period, not two
        QVERIFY(!catalog.isLoading());
    }
};

QTEST_GUILESS_MAIN(tst_ModelCatalog)
#include "tst_ModelCatalog.moc"
