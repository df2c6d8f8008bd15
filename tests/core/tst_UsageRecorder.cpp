#include "QueueFixture.h"
#include "TestEnv.h"
#include "catalog/ModelCatalog.h"
#include "compare/BoardSpec.h"
#include "compare/ComparisonRun.h"
#include "compare/MatrixBatch.h"
#include "generation/GenerationOutcome.h"
#include "generation/GenerationQueue.h"
#include "generation/QueueRequest.h"
#include "sandbox/SandboxServer.h"
#include "usage/UsageAdvice.h"
#include "usage/UsageLedger.h"
#include "usage/UsageRecorder.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

// The usage recorder against the sandbox (issue #6, items 1 and 3): one ledger row per request the queue finishes,
// successes and failures, with what the sandbox really charged; nothing for an entry cancelled before it was sent.
class tst_UsageRecorder : public QObject
{
    Q_OBJECT

private:
    const QString m_flash = QStringLiteral("gemini-2.5-flash-image"); // 2 credits / image
    const QString m_gpt = QStringLiteral("gpt-image-1.5");            // 1 credit / image
    const QString m_gpt2 = QStringLiteral("gpt-image-2");             // priced per size tier and quality
    const QString m_account = QStringLiteral("acct-1");
    QueueFixture m_env;
    std::unique_ptr<ModelCatalog> m_catalog;
    std::unique_ptr<UsageLedger> m_ledger;
    std::unique_ptr<UsageRecorder> m_recorder;
    double m_startBalance = 0;

    GenerationQueue::Request request(const QString& model, int n = 1, const QString& size = {},
                                     const QString& quality = {}) const
    {
        GenerationParams params;
        params.model = model;
        params.prompt = QStringLiteral("a lemon on teal");
        params.n = n;
        params.size = size;
        params.quality = quality;
        params.responseFormat = QStringLiteral("b64_json");
        return queueRequestFor(params, m_catalog.get(), m_account);
    }

    QList<UsageEntry> ledgerRows() const
    {
        const auto rows = UsageLedger::entries(m_ledger->filePath(), {}).result();
        if (!rows.ok())
            qFatal("cannot read the ledger");
        return rows.value();
    }

    double charged() const { return m_startBalance - m_env.sandbox.server->balance(); }

    // Runs one request to its end and returns its ledger row (and the outcome the queue reported).
    UsageEntry runOne(const GenerationQueue::Request& request, GenerationOutcome* outcome = nullptr)
    {
        QSignalSpy recorded(m_recorder.get(), &UsageRecorder::recorded);
        QSignalSpy finished(m_env.queue.get(), &GenerationQueue::entryFinished);
        m_env.queue->enqueue(request);
        if (!recorded.wait(20000))
            qFatal("nothing recorded");
        if (outcome)
            *outcome = finished.first().at(1).value<GenerationOutcome>();
        return recorded.first().first().value<UsageEntry>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        qRegisterMetaType<LibraryRecord>();
        qRegisterMetaType<GenerationOutcome>();
        qRegisterMetaType<UsageEntry>();
    }

    void init()
    {
        QVERIFY(m_env.start());
        m_catalog = std::make_unique<ModelCatalog>(m_env.sandbox.client.get());
        QSignalSpy loaded(m_catalog.get(), &ModelCatalog::modelsChanged);
        m_catalog->refresh();
        QVERIFY(loaded.wait(10000));
        m_ledger = std::make_unique<UsageLedger>(m_env.dir->filePath(QStringLiteral("data/usage.sqlite")));
        QVERIFY(m_ledger->open().ok());
        m_recorder = std::make_unique<UsageRecorder>(m_env.queue.get(), m_ledger.get());
        m_startBalance = m_env.sandbox.server->balance();
    }

    void cleanup()
    {
        m_recorder.reset();
        m_ledger.reset();
        m_catalog.reset();
        m_env.reset();
    }

    void successRecordsWhatTheSandboxCharged()
    {
        QSignalSpy saved(m_env.queue.get(), &GenerationQueue::imageSaved);
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash, SandboxFault::Kind::Latency, 0, 400));
        const QDateTime before = QDateTime::currentDateTimeUtc();
        GenerationOutcome outcome;
        const UsageEntry flash = runOne(request(m_flash, 2), &outcome);
        const QDateTime after = QDateTime::currentDateTimeUtc();
        QVERIFY(outcome.complete());
        QVERIFY(flash.succeeded());
        QVERIFY(flash.id > 0);
        QVERIFY(flash.at >= before);
        QVERIFY2(flash.at.msecsTo(after) >= 400, "the time it was sent, not when it finished");
        QCOMPARE(flash.at.timeSpec(), Qt::UTC);
        QCOMPARE(flash.accountId, m_account);
        QCOMPARE(flash.model, m_flash);
        QCOMPARE(flash.n, 2);
        QCOMPARE(flash.images, 2);
        QCOMPARE(flash.credits, 4.0);
        QCOMPARE(flash.credits, m_env.sandbox.server->creditsCharged(m_flash));
        QVERIFY(flash.creditsEstimated); // the sandbox reports no cost: the catalog price was recorded
        QCOMPARE(flash.httpStatus, 200);
        QVERIFY(!flash.requestId.isEmpty());
        QCOMPARE(flash.requestId, outcome.saved.first().requestId);
        QCOMPARE(flash.durationMs, outcome.saved.first().durationMs);
        QVERIFY(flash.durationMs >= 400);
        QVERIFY(!flash.mayHaveBeenCharged);
        QCOMPARE(flash.source, QStringLiteral("generate"));
        QCOMPARE(saved.count(), 2);

        // A table price (size × quality) is what the sandbox charges too.
        const UsageEntry gpt = runOne(request(m_gpt2, 1, QStringLiteral("2048x2048"), QStringLiteral("high")));
        QVERIFY(gpt.succeeded());
        QCOMPARE(gpt.size, QStringLiteral("2048x2048"));
        QCOMPARE(gpt.quality, QStringLiteral("high"));
        QCOMPARE(gpt.credits, 67.0); // the 2K row's high column
        QCOMPARE(gpt.credits, m_env.sandbox.server->creditsCharged(m_gpt2));

        const QList<UsageEntry> rows = ledgerRows();
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows.at(0).id, gpt.id); // newest first
        QCOMPARE(rows.at(1).requestId, flash.requestId);
        QCOMPARE(m_ledger->spentSince(m_account, before), charged());
    }

    void serverErrorIsRecordedUncharged()
    {
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash, SandboxFault::Kind::Status, 500));
        const UsageEntry e = runOne(request(m_flash, 2));
        QVERIFY(!e.succeeded());
        QCOMPARE(e.errorKind, ApiError::kindName(ApiError::Kind::ServerError));
        QCOMPARE(e.httpStatus, 500);
        QVERIFY(!e.requestId.isEmpty());
        QCOMPARE(e.images, 0);
        QCOMPARE(e.credits, 0.0);
        QVERIFY(!e.creditsEstimated);
        QVERIFY(!e.mayHaveBeenCharged);
        QCOMPARE(charged(), 0.0);
        QCOMPARE(ledgerRows().size(), 1);
    }

    void insufficientCreditsIsRecordedWithAdvice()
    {
        m_env.sandbox.server->setBalance(3); // a request of 4 credits is refused by the sandbox's own ledger
        m_startBalance = 3;
        GenerationOutcome outcome;
        const UsageEntry e = runOne(request(m_flash, 2), &outcome);
        QCOMPARE(e.errorKind, QStringLiteral("insufficient_credits"));
        QCOMPARE(e.httpStatus, 402);
        QVERIFY(!e.requestId.isEmpty());
        QCOMPARE(e.credits, 0.0);
        QVERIFY(!e.mayHaveBeenCharged);
        QCOMPARE(charged(), 0.0);

        QVERIFY(outcome.error);
        const auto advice = UsageAdvice::forError(*outcome.error, m_env.sandbox.server->baseUrl());
        QVERIFY(advice);
        QVERIFY(advice->text.contains(QStringLiteral("sandbox")));
    }

    void cancelledBeforeSendingIsNotRecorded()
    {
        m_env.queue->setGlobalLimit(1);
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash, SandboxFault::Kind::Latency, 0, 600));
        QSignalSpy recorded(m_recorder.get(), &UsageRecorder::recorded);
        m_env.queue->enqueue(request(m_flash));
        const quint64 waiting = m_env.queue->enqueue(request(m_gpt));
        QVERIFY(m_env.queue->cancel(waiting)); // still waiting for the slot: never sent
        QVERIFY(recorded.wait(20000));
        QTRY_COMPARE(m_env.queue->runningCount(), 0);
        QCOMPARE(recorded.count(), 1);
        QCOMPARE(ledgerRows().size(), 1);
        QCOMPARE(ledgerRows().first().model, m_flash);
        QCOMPARE(m_env.sandbox.server->postCount(), 1);
    }

    void cancelledInFlightMayHaveBeenCharged()
    {
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash, SandboxFault::Kind::Latency, 0, 800));
        QSignalSpy recorded(m_recorder.get(), &UsageRecorder::recorded);
        const quint64 id = m_env.queue->enqueue(request(m_flash, 2));
        QTRY_COMPARE(m_env.sandbox.server->postCount(), 1); // the request reached the server
        QVERIFY(m_env.queue->cancel(id));
        QTRY_COMPARE(recorded.count(), 1); // the abort may finish the entry inside cancel()
        const UsageEntry e = recorded.first().first().value<UsageEntry>();
        QCOMPARE(e.errorKind, ApiError::kindName(ApiError::Kind::Cancelled));
        QVERIFY(e.mayHaveBeenCharged); // the body was uploaded: the server may finish and bill it
        QCOMPARE(e.credits, 4.0);
        QVERIFY(e.creditsEstimated);
        // (The sandbox drops a delayed request whose client left, so its ledger cannot say; a real server may not.)
    }

    void undecodableAnswerIsPaidFor()
    {
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash, SandboxFault::Kind::InvalidBase64));
        const UsageEntry e = runOne(request(m_flash, 2));
        QCOMPARE(e.errorKind, ApiError::kindName(ApiError::Kind::InvalidImage));
        QCOMPARE(e.httpStatus, 200);
        QCOMPARE(e.images, 0);
        QVERIFY(e.mayHaveBeenCharged); // a 2xx answer: the real server billed it
        QCOMPARE(e.credits, 4.0);
        QVERIFY(e.creditsEstimated);
    }

    void boardsAndBatchesAreTagged()
    {
        BoardSpec board;
        board.base.prompt = QStringLiteral("a pear");
        board.models = {m_flash, m_gpt};
        ComparisonRun run(m_env.queue.get(), board, m_catalog.get());
        run.setAccountId(m_account);
        QSignalSpy boardDone(&run, &ComparisonRun::finished);
        run.start();
        QVERIFY(boardDone.wait(20000));

        GenerationParams params = request(m_flash).params;
        MatrixBatch batch(m_env.queue.get(), m_env.library.get(), {{params, {}}}, m_catalog.get());
        QSignalSpy batchDone(&batch, &MatrixBatch::finished);
        batch.start();
        QVERIFY(batchDone.wait(20000));

        const QList<UsageEntry> rows = ledgerRows();
        QCOMPARE(rows.size(), 3);
        QStringList sources;
        double credits = 0;
        for (const UsageEntry& row : rows) {
            sources << row.source;
            credits += row.credits.value_or(0);
        }
        sources.sort();
        QCOMPARE(sources, (QStringList {QStringLiteral("batch"), QStringLiteral("board"), QStringLiteral("board")}));
        QCOMPARE(credits, charged());
    }

    void theKeyNeverReachesTheLedgerOrItsExport()
    {
        runOne(request(m_flash));
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash, SandboxFault::Kind::Status, 401));
        runOne(request(m_flash));
        const QString csv = m_env.dir->filePath(QStringLiteral("usage.csv"));
        const auto written = UsageLedger::exportCsv(m_ledger->filePath(), {}, csv).result();
        QVERIFY(written.ok());
        QCOMPARE(written.value(), 2);
        m_ledger.reset(); // close it, so the WAL is folded into the file
        m_recorder.reset();
        const QByteArray key = SandboxServer::defaultKey().toUtf8();
        QCOMPARE(TestEnv::filesContaining(m_env.dir->filePath(QStringLiteral("data")), key), QStringList());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(key));
    }
};

QTEST_GUILESS_MAIN(tst_UsageRecorder)
#include "tst_UsageRecorder.moc"
