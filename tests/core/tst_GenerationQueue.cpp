#include "SandboxFixture.h"
#include "TestEnv.h"
#include "generation/GenerationQueue.h"
#include "generation/TaskStore.h"
#include "library/Library.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/SandboxTasks.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;
using ES = QueueEntry::State;

// The queue runs every generation: per-model limit and global cap, explicit cancel/retry/dismiss, resuming tasks a
// restart left behind, and a list model the queue panel can bind to.
class tst_GenerationQueue : public QObject
{
    Q_OBJECT

private:
    const QString m_flash = QStringLiteral("gemini-2.5-flash-image");
    const QString m_pro = QStringLiteral("gemini-3-pro-image-preview");
    std::unique_ptr<QTemporaryDir> m_dir;
    SandboxFixture m_sandbox;
    std::unique_ptr<Library> m_library;
    std::unique_ptr<TaskStore> m_store;
    std::unique_ptr<GenerationQueue> m_queue;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    GenerationQueue::Request request(const QString& model, bool async = true,
                                     const QString& prompt = QStringLiteral("a red kite")) const
    {
        GenerationQueue::Request r;
        r.params.model = model;
        r.params.prompt = prompt;
        r.async = async;
        return r;
    }

    ES stateOf(quint64 id) const
    {
        const QueueEntry* e = m_queue->model()->find(id);
        return e ? e->state : ES::Queued;
    }

    void newQueue()
    {
        m_tester.reset();
        m_queue = std::make_unique<GenerationQueue>(m_sandbox.client.get(), m_library.get(), m_store.get());
        m_queue->setPollPolicy({30, 1.5, 120, 20'000});
        m_tester = std::make_unique<QAbstractItemModelTester>(m_queue->model(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        qRegisterMetaType<LibraryRecord>();
        qRegisterMetaType<GenerationOutcome>();
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_sandbox.start());
        m_sandbox.server->setTaskTimings(150, 250);
        m_library = std::make_unique<Library>(m_dir->path());
        QVERIFY(m_library->open().ok());
        m_store = std::make_unique<TaskStore>(m_dir->path());
        QVERIFY(m_store->open().ok());
        newQueue();
    }

    void cleanup()
    {
        m_tester.reset();
        m_queue.reset();
        m_store.reset();
        m_library.reset();
        m_sandbox.reset();
        m_dir.reset();
    }

    void perModelLimitSerializesOneModelOnly()
    {
        m_queue->setPerModelLimit(1);
        QCOMPARE(m_queue->perModelLimit(), 1);
        int maxFlash = 0;
        int maxTotal = 0;
        bool bothModelsAtOnce = false;
        connect(m_queue->model(), &QAbstractItemModel::dataChanged, this, [&] {
            maxFlash = std::max(maxFlash, m_queue->runningCount(m_flash));
            maxTotal = std::max(maxTotal, m_queue->runningCount());
            bothModelsAtOnce |= m_queue->runningCount(m_flash) == 1 && m_queue->runningCount(m_pro) == 1;
        });
        QList<quint64> finishedOrder;
        connect(m_queue.get(), &GenerationQueue::entryFinished, this,
                [&](quint64 id, const GenerationOutcome&) { finishedOrder << id; });

        const quint64 a1 = m_queue->enqueue(request(m_flash));
        const quint64 a2 = m_queue->enqueue(request(m_flash));
        const quint64 b1 = m_queue->enqueue(request(m_pro));
        QCOMPARE(stateOf(a1), ES::Running);
        QCOMPARE(stateOf(a2), ES::Queued);  // same model: waits
        QCOMPARE(stateOf(b1), ES::Running); // other model: runs in parallel
        QCOMPARE(m_queue->runningCount(), 2);

        QTRY_COMPARE_WITH_TIMEOUT(finishedOrder.size(), 3, 30'000);
        QVERIFY(finishedOrder.indexOf(a1) < finishedOrder.indexOf(a2)); // one after the other
        QCOMPARE(maxFlash, 1);
        QVERIFY(bothModelsAtOnce);
        QVERIFY(maxTotal <= 2);
        for (quint64 id : {a1, a2, b1}) {
            QCOMPARE(stateOf(id), ES::Completed);
            const QueueEntry* e = m_queue->model()->find(id);
            QCOMPARE(e->progress, 100);
            QCOMPARE(e->savedCount, 1);
            QVERIFY(e->taskId.startsWith(QLatin1String("task_")));
        }
        const QModelIndex first = m_queue->model()->index(0);
        QCOMPARE(first.data(GenerationQueueModel::StateRole).toInt(), int(ES::Completed));
        QCOMPARE(first.data(GenerationQueueModel::ModelRole).toString(), m_flash);
        QCOMPARE(first.data(GenerationQueueModel::PromptExcerptRole).toString(), QStringLiteral("a red kite"));
        QCOMPARE(first.data(GenerationQueueModel::CanRetryRole).toBool(), false);
        QCOMPARE(m_library->count(), 3);
    }

    void globalCapHoldsOtherModels()
    {
        m_queue->setGlobalLimit(1);
        const quint64 a = m_queue->enqueue(request(m_flash));
        const quint64 b = m_queue->enqueue(request(m_pro));
        QCOMPARE(stateOf(a), ES::Running);
        QCOMPARE(stateOf(b), ES::Queued);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(b), ES::Completed, 30'000);
        QCOMPARE(stateOf(a), ES::Completed);
    }

    void syncEntriesRunToo()
    {
        QSignalSpy saved(m_queue.get(), &GenerationQueue::imageSaved);
        const quint64 id = m_queue->enqueue(request(m_flash, false));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), ES::Completed, 30'000);
        QCOMPARE(saved.count(), 1);
        QCOMPARE(m_queue->model()->find(id)->progress, -1);
        QVERIFY(m_queue->model()->find(id)->taskId.isEmpty());
    }

    void parentsAreRecordedSyncAndAsync()
    {
        QSignalSpy saved(m_queue.get(), &GenerationQueue::imageSaved);
        const quint64 first = m_queue->enqueue(request(m_flash, false));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(first), ES::Completed, 30'000);
        QCOMPARE(saved.count(), 1);
        const qint64 parentId = saved.at(0).at(0).value<LibraryRecord>().id;

        GenerationQueue::Request again = request(m_flash, false);
        again.parentIds = {parentId};
        GenerationQueue::Request asyncAgain = request(m_pro, true);
        asyncAgain.parentIds = {parentId};
        const quint64 sync = m_queue->enqueue(again);
        const quint64 async = m_queue->enqueue(asyncAgain);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(sync), ES::Completed, 30'000);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(async), ES::Completed, 30'000);
        QCOMPARE(saved.count(), 3);
        for (int i = 1; i < 3; ++i)
            QCOMPARE(saved.at(i).at(0).value<LibraryRecord>().parentIds, QList<qint64> {parentId});
    }

    void cancelQueuedNeverSends()
    {
        m_queue->setPerModelLimit(1);
        const quint64 a = m_queue->enqueue(request(m_flash));
        const quint64 b = m_queue->enqueue(request(m_flash));
        QVERIFY(m_queue->cancel(b));
        QCOMPARE(stateOf(b), ES::Cancelled);
        QVERIFY(!m_queue->cancel(b)); // already finished
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(a), ES::Completed, 30'000);
        QCOMPARE(m_sandbox.server->postCount(), 1);
    }

    void cancelRunningAsync()
    {
        m_sandbox.server->setTaskTimings(5000, 5000);
        const quint64 a = m_queue->enqueue(request(m_flash));
        QTRY_VERIFY_WITH_TIMEOUT(!m_queue->model()->find(a)->taskId.isEmpty(), 10'000);
        QVERIFY(m_queue->cancel(a));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(a), ES::Cancelled, 10'000);
        const QueueEntry* e = m_queue->model()->find(a);
        QVERIFY(e->mayHaveBeenCharged);
        QVERIFY(!e->errorText.isEmpty());
        QCOMPARE(m_store->find(e->taskRowId)->state, TaskRow::State::CancelledLocally);
        QCOMPARE(m_queue->runningCount(), 0);
    }

    void retryIsANewRequestOnlyWhenAsked()
    {
        const quint64 failed = m_queue->enqueue(request(m_flash, true, SandboxTasks::failMarker()));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(failed), ES::Failed, 30'000);
        QVERIFY(!m_queue->model()->find(failed)->errorText.isEmpty());
        QCOMPARE(m_sandbox.server->postCount(), 1); // never retried on its own
        QVERIFY(m_queue->model()->index(0).data(GenerationQueueModel::CanRetryRole).toBool());

        const quint64 again = m_queue->retry(failed);
        QVERIFY(again != 0 && again != failed);
        QCOMPARE(m_queue->model()->rowCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(again), ES::Failed, 30'000);
        QCOMPARE(m_sandbox.server->postCount(), 2);

        const quint64 ok = m_queue->enqueue(request(m_flash));
        QCOMPARE(m_queue->retry(ok), quint64(0)); // running
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(ok), ES::Completed, 30'000);
        QCOMPARE(m_queue->retry(ok), quint64(0)); // completed
        QCOMPARE(m_queue->retry(9999), quint64(0));

        QVERIFY(m_queue->dismiss(failed));
        QCOMPARE(m_queue->model()->rowCount(), 2);
    }

    void resumePendingAtStart()
    {
        // A task left running by a "crash" and a row left submitting.
        qint64 runningRow = 0;
        {
            AsyncGenerationJob job(m_sandbox.client.get(), m_library.get(), m_store.get(), request(m_flash).params);
            QSignalSpy assigned(&job, &AsyncGenerationJob::taskIdAssigned);
            job.start();
            QVERIFY(assigned.wait(10'000));
            runningRow = job.localId();
        }
        const qint64 submittingRow = m_store->insertSubmitting(request(m_pro).params, {}).value();
        const int postsBefore = m_sandbox.server->postCount();

        newQueue();
        QCOMPARE(m_queue->resumePending(), 2);
        QCOMPARE(m_queue->model()->rowCount(), 2);
        const QueueEntry resumed = m_queue->model()->at(0);
        const QueueEntry orphan = m_queue->model()->at(1);
        QCOMPARE(resumed.taskRowId, runningRow);
        QCOMPARE(resumed.state, ES::Running);
        QVERIFY(!resumed.taskId.isEmpty());
        QCOMPARE(orphan.taskRowId, submittingRow);
        QCOMPARE(orphan.state, ES::Orphaned);
        QVERIFY(orphan.mayHaveBeenCharged);
        QVERIFY(!orphan.errorText.isEmpty());
        QCOMPARE(m_store->find(submittingRow)->state, TaskRow::State::Orphaned);

        QTRY_COMPARE_WITH_TIMEOUT(stateOf(resumed.id), ES::Completed, 30'000);
        QCOMPARE(m_sandbox.server->postCount(), postsBefore); // nothing resubmitted
        QCOMPARE(m_store->find(runningRow)->state, TaskRow::State::Completed);
        QCOMPARE(m_queue->resumePending(), 0); // the orphan is already listed

        QVERIFY(m_queue->dismiss(orphan.id));
        QCOMPARE(m_store->find(submittingRow)->state, TaskRow::State::Dismissed);
        newQueue();
        QCOMPARE(m_queue->resumePending(), 0);
    }

    void asyncWithoutStoreFails()
    {
        GenerationQueue queue(m_sandbox.client.get(), m_library.get(), nullptr);
        QAbstractItemModelTester tester(queue.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy finished(&queue, &GenerationQueue::entryFinished);
        const quint64 id = queue.enqueue(request(m_flash));
        QVERIFY(finished.wait(5000));
        QCOMPARE(queue.model()->find(id)->state, ES::Failed);
        QCOMPARE(m_sandbox.server->postCount(), 0);
        QCOMPARE(queue.resumePending(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_GenerationQueue)
#include "tst_GenerationQueue.moc"
