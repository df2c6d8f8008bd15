#include "SandboxFixture.h"
#include "TestEnv.h"
#include "api/PixapiClient.h"
#include "generation/AsyncGenerationJob.h"
#include "generation/TaskStore.h"
#include "library/Library.h"
#include "sandbox/SandboxServer.h"
#include "sandbox/SandboxTasks.h"

#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;
using S = TaskInfo::Status;
using K = ApiError::Kind;

// The async path end to end against the sandbox: submit (never retried), the row written before anything is
// reported, polling through the task's states, images saved like the sync path, failures and local cancel.
class tst_AsyncGeneration : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    SandboxFixture m_sandbox;
    std::unique_ptr<Library> m_library;
    std::unique_ptr<TaskStore> m_store;

    static AsyncGenerationJob::PollPolicy fastPolicy(int timeoutMs = 20'000) { return {40, 1.5, 150, timeoutMs}; }

    static GenerationParams params(const QString& prompt = QStringLiteral("lighthouse at dusk"), int n = 1)
    {
        GenerationParams p;
        p.model = QStringLiteral("gemini-2.5-flash-image");
        p.prompt = prompt;
        p.n = n;
        p.size = QStringLiteral("1024x1024");
        return p;
    }

    std::unique_ptr<AsyncGenerationJob> makeJob(const GenerationParams& p, int timeoutMs = 20'000)
    {
        auto job = std::make_unique<AsyncGenerationJob>(m_sandbox.client.get(), m_library.get(), m_store.get(), p);
        job->setPollPolicy(fastPolicy(timeoutMs));
        return job;
    }

    int countRequests(const QString& method, const QString& pathPrefix) const
    {
        int n = 0;
        const auto records = m_sandbox.server->requests();
        for (const SandboxRequestRecord& r : records) {
            if (r.method == method && r.path.startsWith(pathPrefix))
                ++n;
        }
        return n;
    }

    // Runs to finished() and checks it came exactly once.
    static GenerationOutcome runToEnd(AsyncGenerationJob& job, bool start = true)
    {
        QSignalSpy finished(&job, &AsyncGenerationJob::finished);
        if (start)
            job.start();
        [&] { QVERIFY(finished.wait(30'000)); }();
        QTest::qWait(20);
        [&] { QCOMPARE(finished.count(), 1); }();
        return job.outcome();
    }

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        qRegisterMetaType<LibraryRecord>();
        qRegisterMetaType<GenerationOutcome>();
        qRegisterMetaType<TaskInfo::Status>();
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_sandbox.start());
        m_sandbox.server->setTaskTimings(250, 500);
        m_library = std::make_unique<Library>(m_dir->path());
        QVERIFY(m_library->open().ok());
        m_store = std::make_unique<TaskStore>(m_dir->path());
        QVERIFY(m_store->open().ok());
    }

    void cleanup()
    {
        m_store.reset();
        m_library.reset();
        m_sandbox.reset();
        m_dir.reset();
    }

    void fullLifecycle()
    {
        auto job = makeJob(params(QStringLiteral("lighthouse at dusk"), 2));
        QList<S> statuses;
        QList<int> progress;
        QStringList events;
        connect(job.get(), &AsyncGenerationJob::statusChanged, this, [&](S status, const QString&) {
            if (statuses.isEmpty() || statuses.constLast() != status)
                statuses << status;
        });
        connect(job.get(), &AsyncGenerationJob::progressChanged, this, [&](int p) { progress << p; });
        connect(job.get(), &AsyncGenerationJob::taskIdAssigned, this, [&](const QString& id) {
            // The row holds the task id before anyone hears of it.
            const auto row = m_store->find(job->localId());
            QVERIFY(row);
            QCOMPARE(row->remoteId, id);
            QCOMPARE(row->state, TaskRow::State::Running);
            events << QStringLiteral("task");
        });
        connect(job.get(), &AsyncGenerationJob::imageSaved, this, [&](const LibraryRecord& record) {
            QVERIFY(QFile::exists(record.filePath));
            events << QStringLiteral("image");
        });
        const GenerationOutcome outcome = runToEnd(*job);
        QVERIFY2(outcome.complete(), outcome.error ? qPrintable(outcome.error->userMessage()) : "incomplete");

        QCOMPARE(statuses, (QList<S> {S::Submitted, S::Queued, S::Processing, S::Completed}));
        QVERIFY(std::is_sorted(progress.cbegin(), progress.cend()));
        QCOMPARE(progress.constLast(), 100);
        QCOMPARE(events, (QStringList {QStringLiteral("task"), QStringLiteral("image"), QStringLiteral("image")}));

        QCOMPARE(outcome.saved.size(), 2);
        for (const LibraryRecord& record : outcome.saved) {
            QCOMPARE(QImage(record.filePath).size(), QSize(1024, 1024));
            QCOMPARE(record.params.value(QLatin1String("task_id")).toString(), job->taskId());
            QCOMPARE(record.requestId, job->taskId());
        }
        QCOMPARE(m_library->count(), 2);
        const auto row = m_store->find(job->localId());
        QVERIFY(row);
        QCOMPARE(row->state, TaskRow::State::Completed);
        QCOMPARE(row->progress, 100);
        QVERIFY(row->remoteId.startsWith(QLatin1String("task_")));
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/async/")), 1);
        QCOMPARE(m_sandbox.server->creditsCharged(QStringLiteral("gemini-2.5-flash-image")), 4.0); // charged once
    }

    void failedTask()
    {
        auto job = makeJob(params(QStringLiteral("a ship ") + SandboxTasks::failMarker()));
        const GenerationOutcome outcome = runToEnd(*job);
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->code, QStringLiteral("generation_failed"));
        QVERIFY(!outcome.error->serverMessage.isEmpty());
        QCOMPARE(outcome.saved.size(), 0);
        const auto row = m_store->find(job->localId());
        QCOMPARE(row->state, TaskRow::State::Failed);
        QCOMPARE(row->errorCode, QStringLiteral("generation_failed"));
        QVERIFY(!row->error.isEmpty());
        QCOMPARE(m_library->count(), 0);
        QCOMPARE(m_sandbox.server->creditsCharged(QStringLiteral("gemini-2.5-flash-image")), 0.0);
    }

    void pollServiceUnavailableIsRetried()
    {
        SandboxFault fault;
        fault.pathPrefix = QStringLiteral("/v1/tasks");
        fault.status = 503;
        fault.remaining = 3; // more than the client's own GET retries: the job keeps polling through it
        m_sandbox.server->addFault(fault);
        auto job = makeJob(params());
        const GenerationOutcome outcome = runToEnd(*job);
        QVERIFY2(outcome.complete(), outcome.error ? qPrintable(outcome.error->userMessage()) : "incomplete");
        QVERIFY(countRequests(QStringLiteral("GET"), QStringLiteral("/v1/tasks/")) >= 4);
        QCOMPARE(m_store->find(job->localId())->state, TaskRow::State::Completed);
    }

    // A refusal (503) is sent again, three more times at most; an error that may follow processing (500) or cannot
    // change (402) is not.
    void submitServerErrorIsNotRetried_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<K>("kind");
        QTest::addColumn<int>("posts");
        QTest::newRow("500") << 500 << K::ServerError << 1;
        QTest::newRow("503") << 503 << K::Unavailable << 4;
        QTest::newRow("402") << 402 << K::InsufficientCredits << 1;
    }

    void submitServerErrorIsNotRetried()
    {
        QFETCH(int, status);
        QFETCH(K, kind);
        QFETCH(int, posts);
        SandboxFault fault;
        fault.pathPrefix = QStringLiteral("/v1/async/");
        fault.status = status;
        m_sandbox.server->addFault(fault);
        auto job = makeJob(params());
        const GenerationOutcome outcome = runToEnd(*job);
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, kind);
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/async/")), posts);
        QCOMPARE(countRequests(QStringLiteral("GET"), QStringLiteral("/v1/tasks/")), 0);
        const auto row = m_store->find(job->localId());
        QCOMPARE(row->state, TaskRow::State::Failed); // the server answered: nothing was created
        QVERIFY(row->remoteId.isEmpty());
    }

    void lostSubmitAnswerIsOrphaned()
    {
        SandboxFault fault;
        fault.kind = SandboxFault::Kind::MalformedJson;
        fault.pathPrefix = QStringLiteral("/v1/async/");
        m_sandbox.server->addFault(fault);
        auto job = makeJob(params());
        const GenerationOutcome outcome = runToEnd(*job);
        QVERIFY(outcome.error);
        QVERIFY(outcome.error->mayHaveBeenProcessed);
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/async/")), 1);
        QCOMPARE(m_store->find(job->localId())->state, TaskRow::State::Orphaned);
        QCOMPARE(m_store->pending().size(), 1); // surfaced after a restart, never resubmitted
    }

    void unknownStateRunsUntilTimeout()
    {
        auto job = makeJob(params(QStringLiteral("a vault ") + SandboxTasks::limboMarker()), 1500);
        QStringList texts;
        connect(job.get(), &AsyncGenerationJob::statusChanged, this, [&](S, const QString& text) { texts << text; });
        const GenerationOutcome outcome = runToEnd(*job);
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, K::Timeout);
        QVERIFY(outcome.error->mayHaveBeenProcessed);
        QVERIFY(texts.contains(QStringLiteral("awaiting_review")));
        QCOMPARE(job->status(), S::Unknown); // never taken for success
        QCOMPARE(outcome.saved.size(), 0);
        const auto row = m_store->find(job->localId());
        QCOMPARE(row->state, TaskRow::State::Running); // still resumable
        QVERIFY(!row->error.isEmpty());
    }

    void cancelStopsPolling()
    {
        m_sandbox.server->setTaskTimings(5000, 5000);
        auto job = makeJob(params());
        QSignalSpy finished(job.get(), &AsyncGenerationJob::finished);
        QSignalSpy statuses(job.get(), &AsyncGenerationJob::statusChanged);
        job->start();
        QTRY_VERIFY_WITH_TIMEOUT(job->status() == S::Queued, 10'000);
        job->cancel();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(job->outcome().error->kind, K::Cancelled);
        QVERIFY(job->outcome().error->mayHaveBeenProcessed);
        const auto row = m_store->find(job->localId());
        QCOMPARE(row->state, TaskRow::State::CancelledLocally);
        QVERIFY(!row->remoteId.isEmpty());
        const int polls = countRequests(QStringLiteral("GET"), QStringLiteral("/v1/tasks/"));
        QTest::qWait(400); // several poll intervals: nothing more is sent
        QCOMPARE(countRequests(QStringLiteral("GET"), QStringLiteral("/v1/tasks/")), polls);
        QCOMPARE(finished.count(), 1);
    }

    void cancelDuringSubmitKeepsTheTaskId()
    {
        auto job = makeJob(params());
        QSignalSpy finished(job.get(), &AsyncGenerationJob::finished);
        job->start();
        job->cancel(); // the POST is in flight: its answer is still recorded
        QVERIFY(finished.wait(10'000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(job->outcome().error->kind, K::Cancelled);
        const auto row = m_store->find(job->localId());
        QCOMPARE(row->state, TaskRow::State::CancelledLocally);
        QVERIFY(row->remoteId.startsWith(QLatin1String("task_")));
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/async/")), 1);
    }

    void resumeAfterCrash()
    {
        // A parent in the library, so the resumed task has lineage to record.
        qint64 parentId = 0;
        {
            auto parent = makeJob(params(QStringLiteral("the original"), 1));
            QSignalSpy done(parent.get(), &AsyncGenerationJob::finished);
            parent->start();
            QVERIFY(done.wait(30'000));
            QVERIFY(parent->outcome().complete());
            parentId = parent->outcome().saved.value(0).id;
            QVERIFY(parentId > 0);
        }
        qint64 localId = 0;
        {
            auto first = makeJob(params());
            first->setParentIds({parentId});
            QSignalSpy assigned(first.get(), &AsyncGenerationJob::taskIdAssigned);
            first->start();
            QVERIFY(assigned.wait(10'000));
            localId = first->localId();
        } // destroyed mid-task, as in a crash: the row stays "running"
        const auto row = m_store->find(localId);
        QVERIFY(row);
        QCOMPARE(row->state, TaskRow::State::Running);
        QCOMPARE(m_store->pending().size(), 1);

        AsyncGenerationJob resumed(m_sandbox.client.get(), m_library.get(), m_store.get(), {});
        resumed.setPollPolicy(fastPolicy());
        QSignalSpy finished(&resumed, &AsyncGenerationJob::finished);
        resumed.resume(*row);
        QVERIFY(finished.wait(30'000));
        QCOMPARE(finished.count(), 1);
        QVERIFY(resumed.outcome().complete());
        QCOMPARE(resumed.params().prompt, QStringLiteral("lighthouse at dusk"));
        QCOMPARE(m_store->find(localId)->state, TaskRow::State::Completed);
        QCOMPARE(m_store->pending().size(), 0);
        QCOMPARE(m_library->count(), 2);
        QCOMPARE(resumed.outcome().saved.size(), 1);
        for (const LibraryRecord& saved : resumed.outcome().saved)
            QCOMPARE(saved.parentIds, QList<qint64> {parentId}); // the lineage came from the task row
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/async/")), 2);
        QCOMPARE(m_sandbox.server->creditsCharged(QStringLiteral("gemini-2.5-flash-image")), 4.0);
    }

    void unknownTaskIsNotFound()
    {
        TaskRow row;
        row.id = 999;
        row.remoteId = QStringLiteral("task_DOESNOTEXIST");
        row.params = params();
        row.state = TaskRow::State::Running;
        AsyncGenerationJob job(m_sandbox.client.get(), m_library.get(), m_store.get(), {});
        job.setPollPolicy(fastPolicy());
        const GenerationOutcome outcome = [&] {
            QSignalSpy finished(&job, &AsyncGenerationJob::finished);
            job.resume(row);
            [&] { QVERIFY(finished.wait(10'000)); }();
            QTest::qWait(20);
            [&] { QCOMPARE(finished.count(), 1); }();
            return job.outcome();
        }();
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, K::NotFound);
        QCOMPARE(outcome.error->code, QStringLiteral("task_not_found"));
    }

    void storeNotOpenSendsNothing()
    {
        TaskStore closed(m_dir->path() + QStringLiteral("/other"));
        AsyncGenerationJob job(m_sandbox.client.get(), m_library.get(), &closed, params());
        const GenerationOutcome outcome = runToEnd(job);
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, K::StorageError);
        QCOMPARE(m_sandbox.server->requests().size(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_AsyncGeneration)
#include "tst_AsyncGeneration.moc"
