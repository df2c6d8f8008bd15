#include "QueueFixture.h"
#include "TestEnv.h"
#include "catalog/ModelCatalog.h"
#include "compare/BoardSpec.h"
#include "compare/BoardStore.h"
#include "compare/ComparisonRun.h"
#include "compare/ContactSheet.h"
#include "generation/GenerationOutcome.h"
#include "generation/GenerationQueue.h"
#include "library/Library.h"
#include "sandbox/SandboxServer.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;
using CS = BoardCell::State;

// A comparison board against the sandbox: every cell sent at once, each finishing on its own (per-model latency
// and failures injected by the sandbox), the whole board priced before anything is sent.
class tst_ComparisonRun : public QObject
{
    Q_OBJECT

private:
    const QString m_flash = QStringLiteral("gemini-2.5-flash-image"); // 2 credits / image
    const QString m_flash2 = QStringLiteral("gemini-3.1-flash-image-preview");
    const QString m_pro = QStringLiteral("gemini-3-pro-image-preview");
    const QString m_gpt = QStringLiteral("gpt-image-1.5"); // 1 credit / image
    QueueFixture m_env;

    BoardSpec spec(const QStringList& models, const QString& prompt = QStringLiteral("a lemon on teal")) const
    {
        BoardSpec board;
        board.base.prompt = prompt;
        board.models = models;
        return board;
    }

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        qRegisterMetaType<LibraryRecord>();
        qRegisterMetaType<GenerationOutcome>();
    }

    void init() { QVERIFY(m_env.start()); }

    void cleanup() { m_env.reset(); }

    void specListsCellsModelMajorAndNamesItsProblems()
    {
        BoardSpec board = spec({m_flash, m_gpt});
        board.base.n = 2;
        QCOMPARE(board.problem(), std::nullopt);
        QCOMPARE(board.cellCount(), 2);
        board.variants = {{QStringLiteral("1024x1024"), QString()},
                          {QStringLiteral("1536x1024"), QStringLiteral("high")}};
        QCOMPARE(board.columns(), 2);
        const QList<GenerationParams> cells = board.cellParams();
        QCOMPARE(cells.size(), 4);
        QCOMPARE(cells.at(1).model, m_flash);
        QCOMPARE(cells.at(1).size, QStringLiteral("1536x1024"));
        QCOMPARE(cells.at(1).quality, QStringLiteral("high"));
        QCOMPARE(cells.at(2).model, m_gpt);
        QCOMPARE(cells.at(2).size, QStringLiteral("1024x1024"));
        QCOMPARE(cells.at(3).n, 2);
        QCOMPARE(cells.at(3).prompt, board.base.prompt);
        QCOMPARE(board.variants.at(1).label(), QStringLiteral("1536x1024 · high"));
        QCOMPARE(BoardVariant().label(), QStringLiteral("Default"));

        QVERIFY(spec({m_flash, m_gpt}, QStringLiteral("  ")).problem());
        QVERIFY(spec({m_flash}).problem());
        QVERIFY(spec({m_flash, m_flash}).problem());
        QStringList nine;
        for (int i = 0; i < 9; ++i)
            nine << QStringLiteral("model-%1").arg(i);
        QVERIFY(spec(nine).problem());
        BoardSpec oneVariant = spec({m_flash, m_gpt});
        oneVariant.variants = {{QStringLiteral("1024x1024"), QString()}};
        QVERIFY(oneVariant.problem());
        BoardSpec sameVariant = spec({m_flash, m_gpt});
        sameVariant.variants = {{QStringLiteral("1024x1024"), QString()}, {QStringLiteral("1024x1024"), QString()}};
        QVERIFY(sameVariant.problem());
    }

    void costIsTheSumOfTheCellsAndAsksAboveTheThreshold()
    {
        ModelCatalog catalog(m_env.sandbox.client.get());
        QSignalSpy loaded(&catalog, &ModelCatalog::modelsChanged);
        catalog.refresh();
        QVERIFY(loaded.wait(10000));

        BoardSpec board = spec({m_flash, m_gpt});
        board.base.n = 2;
        const BoardCost cost = BoardCost::estimate(board, catalog);
        QVERIFY(cost.known);
        QCOMPARE(cost.total, 2.0 * 2 + 1.0 * 2);
        QVERIFY(cost.needsConfirmation(5));
        QVERIFY(!cost.needsConfirmation(10));
        QVERIFY(!cost.needsConfirmation(0)); // 0: never ask

        board.models << QStringLiteral("no-such-model");
        const BoardCost unknown = BoardCost::estimate(board, catalog);
        QVERIFY(!unknown.known);
        QCOMPARE(unknown.total, 6.0);
        QCOMPARE(unknown.unpriced, QStringList {QStringLiteral("no-such-model")});
        QVERIFY(unknown.needsConfirmation(100)); // a price it cannot tell is asked about
        QVERIFY(!unknown.needsConfirmation(0));
    }

    void cellsFinishOnTheirOwn()
    {
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash2, SandboxFault::Kind::Status, 500));
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_pro, SandboxFault::Kind::Latency, 0, 800));

        ModelCatalog catalog(m_env.sandbox.client.get());
        QSignalSpy loaded(&catalog, &ModelCatalog::modelsChanged);
        catalog.refresh();
        QVERIFY(loaded.wait(10000));
        ComparisonRun run(m_env.queue.get(), spec({m_flash, m_flash2, m_pro, m_gpt}), &catalog);
        QSignalSpy changed(&run, &ComparisonRun::cellChanged);
        QSignalSpy finished(&run, &ComparisonRun::finished);
        run.start();
        // All four are sent at once.
        QTRY_COMPARE_WITH_TIMEOUT(m_env.queue->runningCount() + run.finishedCount(), 4, 5000);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.count(), 1);
        QVERIFY(run.isFinished());

        const QList<BoardCell>& cells = run.cells();
        QCOMPARE(cells.at(0).state, CS::Done);
        QCOMPARE(cells.at(1).state, CS::Failed);
        QVERIFY(cells.at(1).error);
        QVERIFY(cells.at(1).images.isEmpty());
        QVERIFY(!cells.at(1).credits);
        QCOMPARE(cells.at(2).state, CS::Done);
        QCOMPARE(cells.at(3).state, CS::Done);
        for (int i : {0, 2, 3}) {
            QCOMPARE(cells.at(i).images.size(), 1);
            QVERIFY(QFileInfo::exists(cells.at(i).images.at(0).filePath)); // in the library before the cell is done
            QCOMPARE(cells.at(i).images.at(0).model, cells.at(i).params.model);
            QVERIFY(cells.at(i).latencyMs >= 0);
            QVERIFY(cells.at(i).credits);
        }
        QVERIFY2(cells.at(2).latencyMs >= 800, qPrintable(QString::number(cells.at(2).latencyMs)));
        QVERIFY(cells.at(0).latencyMs < cells.at(2).latencyMs);

        // The slow cell finished last; the failure did not wait for it.
        int lastDone = -1;
        int failedAt = -1;
        for (int i = 0; i < changed.count(); ++i) {
            const int cell = changed.at(i).at(0).toInt();
            if (cells.at(cell).state == CS::Failed && failedAt < 0)
                failedAt = i;
            lastDone = cell;
        }
        QCOMPARE(lastDone, 2);
        QVERIFY(failedAt >= 0 && failedAt < changed.count() - 1);

        // Charged once per successful cell, nothing retried.
        QCOMPARE(m_env.sandbox.server->postCount(), 4);
        const double charged = m_env.sandbox.server->creditsCharged(m_flash)
                               + m_env.sandbox.server->creditsCharged(m_pro)
                               + m_env.sandbox.server->creditsCharged(m_gpt);
        QCOMPARE(run.creditsCharged(), charged);
        QCOMPARE(m_env.sandbox.server->creditsCharged(m_flash2), 0.0);
        QCOMPARE(m_env.library->count(), 3);
    }

    void secondAxisSendsEveryVariant()
    {
        BoardSpec board = spec({m_pro, m_gpt}); // both take these sizes
        board.variants = {{QStringLiteral("1024x1024"), QString()}, {QStringLiteral("1024x1536"), QString()}};
        ComparisonRun run(m_env.queue.get(), board);
        QSignalSpy finished(&run, &ComparisonRun::finished);
        run.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(run.cells().size(), 4);
        for (const BoardCell& cell : run.cells()) {
            QCOMPARE(cell.state, CS::Done);
            QCOMPARE(cell.images.at(0).params.value(QLatin1String("size")).toString(), cell.params.size);
        }
        QCOMPARE(run.cells().at(1).images.at(0).height, 1536);
    }

    void boardIsSavedWithItsCellsAndVerdict()
    {
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_pro, SandboxFault::Kind::Status, 500));
        BoardStore store(m_env.dir->path());
        QVERIFY(store.open().ok());
        BoardSpec board = spec({m_flash, m_pro, m_gpt}, QStringLiteral("a kite over dunes"));
        ComparisonRun run(m_env.queue.get(), board);
        run.setStore(&store);
        QSignalSpy finished(&run, &ComparisonRun::finished);
        run.start();
        QVERIFY(run.boardId() > 0);
        QVERIFY(finished.wait(20000));

        auto saved = store.load(run.boardId());
        QVERIFY(saved.ok());
        QCOMPARE(saved.value().spec.models, board.models);
        QCOMPARE(saved.value().spec.base.prompt, QStringLiteral("a kite over dunes"));
        QCOMPARE(saved.value().cells.size(), 3);
        QCOMPARE(saved.value().cells.at(0).state, CS::Done);
        QCOMPARE(saved.value().cells.at(0).images.size(), 1);
        QCOMPARE(saved.value().cells.at(0).images.at(0).id, run.cells().at(0).images.at(0).id);
        QCOMPARE(saved.value().cells.at(0).latencyMs, run.cells().at(0).latencyMs);
        QCOMPARE(saved.value().cells.at(1).state, CS::Failed);
        QVERIFY(saved.value().cells.at(1).error);
        // The error reads back as the same kind, so the cell says the same thing it said live.
        QCOMPARE(saved.value().cells.at(1).error->kind, run.cells().at(1).error->kind);
        QCOMPARE(saved.value().cells.at(1).error->httpStatus, 500);
        QCOMPARE(saved.value().cells.at(1).error->userMessage(), run.cells().at(1).error->userMessage());
        QVERIFY(saved.value().cells.at(1).images.isEmpty());
        QVERIFY(!saved.value().winner);

        // Shown again: finished, nothing to send, the same cells.
        ComparisonRun reopened(saved.value());
        QVERIFY(reopened.isFinished());
        QCOMPARE(reopened.boardId(), run.boardId());
        QCOMPARE(reopened.finishedCount(), 3);
        QCOMPARE(reopened.cells().at(0).images.at(0).id, run.cells().at(0).images.at(0).id);
        QCOMPARE(reopened.creditsCharged(), run.creditsCharged());
        reopened.cancel(); // a no-op: there is no queue
        QCOMPARE(reopened.cells().at(0).state, CS::Done);

        // The verdict, and the wins it adds up to.
        QVERIFY(store.setVerdict(run.boardId(), 2, QStringLiteral("crisper edges")).ok());
        saved = store.load(run.boardId());
        QCOMPARE(saved.value().winner, std::optional<int>(2));
        QCOMPARE(saved.value().note, QStringLiteral("crisper edges"));
        QCOMPARE(store.winsByModel(), (QHash<QString, int> {{m_gpt, 1}}));
        QCOMPARE(store.recent(10).size(), 1);
        QVERIFY(!store.load(run.boardId() + 100).ok());

        // A purged image leaves its cell (the cell keeps its figures).
        const qint64 image = run.cells().at(0).images.at(0).id;
        QSignalSpy removed(m_env.library.get(), &Library::recordsRemoved);
        m_env.library->trash(image).waitForFinished();
        m_env.library->purge(image).waitForFinished();
        QVERIFY(removed.wait(5000) || removed.count() == 1);
        saved = store.load(run.boardId());
        QVERIFY(saved.value().cells.at(0).images.isEmpty());
        QCOMPARE(saved.value().cells.at(0).state, CS::Done);

        // The list for the UI, read on a worker with its own connection.
        auto listed = BoardStore::readRecent(m_env.dir->path(), 10);
        listed.waitForFinished();
        QVERIFY(listed.result().ok());
        QCOMPARE(listed.result().value().size(), 1);
        QCOMPARE(listed.result().value().first().note, QStringLiteral("crisper edges"));

        // Deleting the board keeps its images in the library.
        const int images = m_env.library->count();
        QVERIFY(store.remove(run.boardId()).ok());
        QCOMPARE(store.load(run.boardId()).error().kind, ApiError::Kind::NotFound);
        QCOMPARE(store.remove(run.boardId()).error().kind, ApiError::Kind::NotFound);
        QCOMPARE(m_env.library->count(), images);
        QVERIFY(store.winsByModel().isEmpty());
    }

    void boardLeftUnfinishedReopensAsInterrupted()
    {
        BoardStore store(m_env.dir->path());
        QVERIFY(store.open().ok());
        const auto id = store.create(spec({m_flash, m_pro, m_gpt}));
        QVERIFY(id.ok());
        // The app closed with one cell answered, one sent and one still waiting.
        BoardCell done;
        done.state = CS::Done;
        done.latencyMs = 1200;
        done.credits = 2;
        QVERIFY(store.saveCell(id.value(), 0, done).ok());
        BoardCell running;
        running.state = CS::Running;
        QVERIFY(store.saveCell(id.value(), 1, running).ok());

        const auto saved = store.load(id.value());
        QVERIFY(saved.ok());
        ComparisonRun reopened(saved.value());
        QVERIFY(reopened.isFinished());
        QCOMPARE(reopened.cells().at(0).state, CS::Done);
        for (int i : {1, 2}) {
            QCOMPARE(reopened.cells().at(i).state, CS::Failed);
            QCOMPARE(reopened.cells().at(i).error->kind, ApiError::Kind::Interrupted);
        }
        // The one that was sent may have been charged; the waiting one was never sent.
        QVERIFY(reopened.cells().at(1).error->mayHaveBeenProcessed);
        QVERIFY(!reopened.cells().at(2).error->mayHaveBeenProcessed);
        QVERIFY(reopened.cells().at(1).error->userMessage().contains(QStringLiteral("charged")));
        QCOMPARE(reopened.creditsCharged(), 2.0);
    }

    void contactSheetAsPngAndPdf()
    {
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash2, SandboxFault::Kind::Status, 500));
        ComparisonRun run(m_env.queue.get(), spec({m_flash, m_flash2, m_pro, m_gpt}));
        QSignalSpy finished(&run, &ComparisonRun::finished);
        run.start();
        QVERIFY(finished.wait(20000));
        const ContactSheet::Sheet sheet = ContactSheet::fromBoard(
            run.spec(), run.cells(), [](const QString& id) { return id.toUpper(); }, 3);
        QCOMPARE(sheet.columns, 2);
        QCOMPARE(sheet.cells.size(), 4);
        QCOMPARE(sheet.cells.at(0).title, m_flash.toUpper());
        QVERIFY(sheet.cells.at(3).winner);
        QVERIFY(sheet.cells.at(1).imagePath.isEmpty());
        QVERIFY(!sheet.cells.at(1).caption.isEmpty()); // the error
        QVERIFY(sheet.cells.at(0).caption.join(QLatin1Char(' ')).contains(QStringLiteral(" s")));

        const QString png = m_env.dir->filePath(QStringLiteral("sheet.png"));
        auto written = ContactSheet::write(sheet, png);
        written.waitForFinished();
        QVERIFY2(written.result().ok(),
                 qPrintable(written.result().ok() ? QString() : written.result().error().detail));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 800 && image.height() > 900);
        // The first cell's image is drawn (not the empty box), the failed one's box is empty.
        const QColor empty(0xee, 0xef, 0xf2);
        QVERIFY(image.pixelColor(40 + 210, 40 + 90 + 210) != empty);
        QCOMPARE(image.pixelColor(40 + 420 + 24 + 30, 40 + 90 + 30), empty);

        const QString pdf = m_env.dir->filePath(QStringLiteral("sheet.pdf"));
        written = ContactSheet::write(sheet, pdf);
        written.waitForFinished();
        QVERIFY(written.result().ok());
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.size() > 10'000); // the images are in it

        written = ContactSheet::write(sheet, m_env.dir->filePath(QStringLiteral("sheet.jpg")));
        written.waitForFinished();
        QVERIFY(!written.result().ok());
        QCOMPARE(written.result().error().kind, ApiError::Kind::BadRequest);
    }

    void cancelTakesOutTheCellsStillWaiting()
    {
        m_env.queue->setGlobalLimit(1);
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash, SandboxFault::Kind::Latency, 0, 400));
        ComparisonRun run(m_env.queue.get(), spec({m_flash, m_pro, m_gpt}));
        QSignalSpy finished(&run, &ComparisonRun::finished);
        run.start();
        QCOMPARE(run.cells().at(0).state, CS::Running);
        QCOMPARE(run.cells().at(1).state, CS::Queued);
        QTRY_COMPARE_WITH_TIMEOUT(m_env.sandbox.server->postCount(), 1,
                                  5000); // the first is at the server (held there by the latency)
        run.cancel();
        QCOMPARE(run.cells().at(1).state, CS::Cancelled);
        QCOMPARE(run.cells().at(2).state, CS::Cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QTest::qWait(100);
        QCOMPARE(finished.count(), 1);
        QVERIFY(run.cells().at(0).isFinished());
        QCOMPARE(m_env.sandbox.server->postCount(), 1); // the waiting cells were never sent
    }
};

QTEST_MAIN(tst_ComparisonRun) // a QGuiApplication: the contact sheet draws text
#include "tst_ComparisonRun.moc"
