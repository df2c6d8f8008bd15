#include "SandboxFixture.h"
#include "TestEnv.h"
#include "api/Parsers.h"
#include "catalog/CostEstimate.h"
#include "sandbox/SandboxCatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace Pixapi;

namespace {

// The models as a client reads them from the sandbox's /v1/models.
ModelInfo sandboxModel(const QString& id)
{
    QJsonArray data;
    for (const SandboxModel& model : SandboxCatalog::models())
        data.append(SandboxCatalog::toJson(model));
    const auto parsed = Parsers::parseModelList(QJsonDocument(QJsonObject {{QStringLiteral("data"), data}}).toJson());
    for (const ModelInfo& m : parsed.value()) {
        if (m.id == id)
            return m;
    }
    qFatal("no model %s", qPrintable(id));
}

} // namespace

class tst_CostEstimate : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }
    void init() { QVERIFY(m_sandbox.start()); }
    void cleanup() { m_sandbox.reset(); }

    void matchesWhatTheSandboxCharges_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("size");
        QTest::addColumn<QString>("quality");
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("credits");

        const auto row = [](const char* name) -> QTestData& { return QTest::newRow(name); };
        const QString gpt2 = QStringLiteral("gpt-image-2");
        const QString flash2 = QStringLiteral("gemini-3.1-flash-image-preview");
        const QString pro = QStringLiteral("gemini-3-pro-image-preview");
        const QString none;
        row("gpt2 1K low") << gpt2 << "1024x1024"
                           << "low" << 1 << 1.0;
        row("gpt2 1K medium x3") << gpt2 << "1536x1024"
                                 << "medium" << 3 << 12.0;
        row("gpt2 2K medium") << gpt2 << "2048x2048"
                              << "medium" << 1 << 17.0;
        row("gpt2 4K high") << gpt2 << "3840x2160"
                            << "high" << 1 << 133.0;
        row("gpt2 auto size, default quality = high") << gpt2 << "auto" << none << 1 << 14.0;
        row("gpt2 2K auto x2") << gpt2 << "2048x1152"
                               << "auto" << 2 << 134.0;
        row("flash2 default = 1K") << flash2 << none << none << 1 << 4.0;
        row("flash2 512 tier") << flash2 << "512" << none << 1 << 4.0;
        row("flash2 512 pixels") << flash2 << "512x512" << none << 1 << 4.0;
        row("flash2 2K tier") << flash2 << "2K" << none << 1 << 6.0;
        row("flash2 2K pixels") << flash2 << "2048x2048" << none << 1 << 6.0;
        row("flash2 4K x2") << flash2 << "4K" << none << 2 << 16.0;
        row("flash2 ratio = 1K") << flash2 << "16:9" << none << 1 << 4.0;
        row("pro 1K") << pro << "1024x1024" << none << 1 << 8.0;
        row("pro 2K") << pro << "2K" << none << 1 << 8.0;
        row("pro 4K pixels") << pro << "3840x2160" << none << 1 << 16.0;
        row("pro 4K x3") << pro << "4K" << none << 3 << 48.0;
        row("flash flat x2") << QStringLiteral("gemini-2.5-flash-image") << none << none << 2 << 4.0;
        row("lite flat") << QStringLiteral("gemini-3.1-flash-lite-image") << "16:9" << none << 1 << 2.0;
        row("gpt15 flat") << QStringLiteral("gpt-image-1.5") << "1024x1024"
                          << "high" << 1 << 1.0;
    }

    // The preflight and the sandbox's ledger read the same published table, so they must agree to the credit.
    void matchesWhatTheSandboxCharges()
    {
        QFETCH(QString, model);
        QFETCH(QString, size);
        QFETCH(QString, quality);
        QFETCH(int, n);
        QFETCH(double, credits);

        GenerationParams params;
        params.model = model;
        params.prompt = QStringLiteral("a price check");
        params.size = size;
        params.quality = quality;
        params.n = n;
        params.responseFormat = QStringLiteral("b64_json");

        const CostEstimate estimate = CostEstimate::estimate(params, sandboxModel(model));
        QVERIFY(estimate.known);
        QCOMPARE(estimate.total, credits);
        QCOMPARE(estimate.perImage * n, credits);
        QCOMPARE(estimate.n, n);
        QVERIFY(!estimate.text.isEmpty());
        QVERIFY(estimate.detail.contains(QString::number(n)));

        GenerateJob* job = m_sandbox.client->generate(params);
        QSignalSpy finished(job, &ApiJob::finished);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.count(), 1);
        QVERIFY2(job->result().ok(), qPrintable(job->result().ok() ? QString() : job->result().error().serverMessage));
        QCOMPARE(m_sandbox.server->creditsCharged(model), credits);
    }

    void unknownPrices()
    {
        GenerationParams params;
        params.model = QStringLiteral("veo");
        CostEstimate e = CostEstimate::estimate(params, sandboxModel(QStringLiteral("veo")));
        QVERIFY(!e.known);
        QCOMPARE(e.total, 0.0);
        QVERIFY(!e.text.isEmpty());
        QVERIFY(e.detail.contains(QLatin1String("Veo")));

        ModelInfo bare;
        bare.id = QStringLiteral("bare");
        QVERIFY(!CostEstimate::estimate(params, bare).known);

        // A table without the asked cell is unknown, not the "from" price.
        ModelInfo partial;
        partial.id = QStringLiteral("partial");
        partial.creditsPerImage = 1;
        partial.creditsTable.insert(QStringLiteral("1K"), {{QStringLiteral("low"), 1}});
        params.quality = QStringLiteral("high");
        e = CostEstimate::estimate(params, partial);
        QVERIFY(!e.known);
        QVERIFY(e.priceRow.isEmpty());
        params.quality = QStringLiteral("low");
        params.size = QStringLiteral("4K");
        QVERIFY(!CostEstimate::estimate(params, partial).known); // no 4K row
        params.size = QStringLiteral("weird");
        QVERIFY(!CostEstimate::estimate(params, partial).known);
    }

    void tableRowsAndText()
    {
        ModelInfo perSize;
        perSize.id = QStringLiteral("per-size");
        perSize.creditsTable.insert(QStringLiteral("1024x1024"), {{QString(), 3}});
        perSize.creditsTable.insert(QStringLiteral("1K"), {{QString(), 5}});
        GenerationParams params;
        params.size = QStringLiteral("1024x1024");
        CostEstimate e = CostEstimate::estimate(params, perSize);
        QCOMPARE(e.total, 3.0);
        QCOMPARE(e.priceRow, QStringLiteral("1024x1024"));
        QVERIFY(e.priceColumn.isEmpty());
        params.size = QStringLiteral("1536x1024");
        e = CostEstimate::estimate(params, perSize);
        QCOMPARE(e.total, 5.0);
        QCOMPARE(e.priceRow, QStringLiteral("1K"));
        QVERIFY(e.detail.contains(QLatin1String("1K")));

        ModelInfo fractional;
        fractional.id = QStringLiteral("cheap");
        fractional.creditsPerImage = 0.5;
        params.n = 3;
        e = CostEstimate::estimate(params, fractional);
        QVERIFY(e.known);
        QCOMPARE(e.total, 1.5);
        QVERIFY2(e.text.contains(QLatin1String("1.5")), qPrintable(e.text));
        params.n = 2;
        e = CostEstimate::estimate(params, fractional);
        QVERIFY2(e.text.startsWith(QLatin1String("1 credit")), qPrintable(e.text));
        params.n = 0; // nonsense counts are priced as one image; refusal() reports them
        QCOMPARE(CostEstimate::estimate(params, fractional).total, 0.5);
    }
};

QTEST_GUILESS_MAIN(tst_CostEstimate)
#include "tst_CostEstimate.moc"
