#include "CliRun.h"
#include "TestEnv.h"
#include "generation/TaskStore.h"
#include "sandbox/SandboxServer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

// pixapi-cli generate --async and resume against a sandbox hosted by this test process: a CLI killed (SIGKILL)
// while its task runs is finished by `resume`, which saves the image without submitting (or paying) twice.
class tst_CliResume : public QObject
{
    Q_OBJECT

private:
    const QString m_model = QStringLiteral("gemini-2.5-flash-image");
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;

    static QProcessEnvironment env() { return CliRun::sandboxKeyEnvironment(); }
    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }
    QString libraryDir() const { return dataDir() + QStringLiteral("/library"); }
    QStringList common() const
    {
        return {QStringLiteral("--base-url"), m_server->baseUrl().toString(), QStringLiteral("--data-dir"), dataDir()};
    }
    QStringList generateArgs(const QString& prompt) const
    {
        return QStringList {QStringLiteral("generate"),
                            QStringLiteral("--async"),
                            QStringLiteral("--verbose"),
                            QStringLiteral("-m"),
                            m_model,
                            QStringLiteral("-p"),
                            prompt}
               + common();
    }
    int count(const QString& method, const QString& prefix) const
    {
        int n = 0;
        const auto records = m_server->requests();
        for (const SandboxRequestRecord& r : records)
            n += r.method == method && r.path.startsWith(prefix) ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<SandboxServer>();
        QVERIFY(m_server->listen());
    }

    void cleanup()
    {
        m_server.reset();
        m_dir.reset();
    }

    void generateAsync()
    {
        m_server->setTaskTimings(100, 200);
        const CliRun run = CliRun::run(generateArgs(QStringLiteral("a paper crane")), env());
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.outLines().size(), 1);
        QVERIFY(QFile::exists(run.outLines().at(0)));
        QVERIFY2(run.err.contains("task: task_"), qPrintable(run.describe()));
        TaskStore store(libraryDir());
        QVERIFY(store.open().ok());
        QCOMPARE(store.recent(5).size(), 1);
        QCOMPARE(store.recent(5).at(0).state, TaskRow::State::Completed);
        QCOMPARE(count(QStringLiteral("POST"), QStringLiteral("/v1/async/")), 1);
    }

    void killedCliIsResumed()
    {
        m_server->setTaskTimings(1500, 1500);
        QProcess cli;
        cli.setProcessEnvironment(env());
        cli.start(QStringLiteral(PIXAPI_CLI_PATH), generateArgs(QStringLiteral("a lantern in the fog")));
        QVERIFY(cli.waitForStarted());

        // Wait (with the event loop running, so the sandbox answers) until the task id is on disk.
        TaskStore store(libraryDir());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(libraryDir() + QStringLiteral("/library.sqlite")), 20'000);
        QVERIFY(store.open().ok());
        QTRY_VERIFY_WITH_TIMEOUT(!store.pending().isEmpty() && !store.pending().at(0).remoteId.isEmpty(), 20'000);
        QSignalSpy died(&cli, &QProcess::finished);
        cli.kill(); // SIGKILL: no cleanup runs
        QVERIFY(died.wait(10'000));
        QCOMPARE(cli.exitStatus(), QProcess::CrashExit);
        const TaskRow row = store.pending().at(0);
        QCOMPARE(row.state, TaskRow::State::Running);
        QCOMPARE(m_server->creditsCharged(m_model), 0.0); // not completed yet

        const CliRun resumed =
            CliRun::run(QStringList {QStringLiteral("resume"), QStringLiteral("--verbose")} + common(), env());
        QVERIFY2(resumed.finished && resumed.exitCode == 0, qPrintable(resumed.describe()));
        QCOMPARE(resumed.outLines().size(), 1);
        const QString file = resumed.outLines().at(0);
        QVERIFY(QFile::exists(file));
        QVERIFY(file.startsWith(libraryDir()));
        QCOMPARE(store.find(row.id)->state, TaskRow::State::Completed);
        QVERIFY(store.pending().isEmpty());
        QCOMPARE(count(QStringLiteral("POST"), QStringLiteral("/v1/async/")), 1); // ONE submit
        QCOMPARE(m_server->creditsCharged(m_model), 2.0);                         // charged once

        // Nothing left: a second resume has nothing to do.
        const CliRun again = CliRun::run(QStringList {QStringLiteral("resume")} + common(), env());
        QVERIFY2(again.finished && again.exitCode == 0, qPrintable(again.describe()));
        QVERIFY(again.outLines().isEmpty());
    }

    void interruptedSubmitIsReportedNotResent()
    {
        {
            TaskStore store(libraryDir());
            QVERIFY(store.open().ok());
            GenerationParams params;
            params.model = m_model;
            params.prompt = QStringLiteral("a kettle");
            QVERIFY(store.insertSubmitting(params, {}));
        }
        const CliRun run = CliRun::run(QStringList {QStringLiteral("resume")} + common(), env());
        QVERIFY(run.finished);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("may have been charged"), qPrintable(run.describe()));
        QCOMPARE(m_server->requests().size(), 0);
        TaskStore store(libraryDir());
        QVERIFY(store.open().ok());
        QCOMPARE(store.pending().at(0).state, TaskRow::State::Orphaned);
    }
};

QTEST_GUILESS_MAIN(tst_CliResume)
#include "tst_CliResume.moc"
