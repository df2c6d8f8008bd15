#include "SandboxFixture.h"
#include "TestEnv.h"
#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Pixapi;

class tst_ModelCatalog : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }
    void init() { QVERIFY(m_sandbox.start()); }
    void cleanup() { m_sandbox.reset(); }

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

        QVERIFY(catalog.find(QStringLiteral("veo"))); // listed by the server...
        QCOMPARE(model.rowOf(QStringLiteral("veo")), -1); // ...but not offered for images
        QVERIFY(model.rowOf(QStringLiteral("gpt-image-2")) >= 0);
        QCOMPARE(model.rowCount(), catalog.imageModels().size());

        const auto nano = catalog.find(QStringLiteral("nano-banana"));
        QVERIFY(nano);
        QCOMPARE(nano->id, QStringLiteral("gemini-2.5-flash-image"));
        const QModelIndex row = model.index(model.rowOf(nano->id));
        QCOMPARE(row.data(ModelCatalogModel::CreditsRole).toDouble(), 2.0);
        QVERIFY(row.data(Qt::DisplayRole).toString().contains(QLatin1String("2")));
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
