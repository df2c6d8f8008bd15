#include "CliRun.h"
#include "TestEnv.h"
#include "generation/ResponseSpool.h"
#include "generation/TaskStore.h"
#include "library/LibraryIntegrity.h"
#include "sandbox/SandboxServer.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Pixapi;

// pixapi-cli is killed (SIGKILL: no cleanup runs) at random points while it generates, downloads, saves and polls,
// over and over, on one library. After every kill the index has no row without its file; after the restart
// (`pixapi-cli resume`, which the kill also hits now and then) every answer that was received is in the library
// exactly once, every async task is finished, and nothing was sent twice. The sandbox runs in this process, so it
// outlives the kills. PIXAPI_CRASH_KILLS and PIXAPI_CRASH_SEED override the count (default 60) and the seed.
class tst_CrashSafety : public QObject
{
    Q_OBJECT

private:
    enum class Phase { Post, Download, Save, Poll, Anywhere, Count };

    struct Tally
    {
        QHash<QString, int> received; // request id -> images, from "received request" (logged once spooled)
        QSet<QString> tasks;          // task ids the CLI reported (so recorded in its TaskStore row)
        int launches = 0;             // generate runs: each may send one POST, never more
        int kills = 0;                // generate and resume runs killed
        int killsByPhase[int(Phase::Count)] = {};
        int completedBeforeKill = 0; // finished before the timer fired
        int resumesKilled = 0;
    };

    const QString m_model = QStringLiteral("gemini-2.5-flash-image");
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;

    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }
    QString libraryDir() const { return dataDir() + QStringLiteral("/library"); }
    static QProcessEnvironment env() { return CliRun::sandboxKeyEnvironment(); }
    QStringList common() const
    {
        return {QStringLiteral("--base-url"), m_server->baseUrl().toString(), QStringLiteral("--data-dir"), dataDir(),
                QStringLiteral("--verbose")};
    }

    // Sets the sandbox up so the phase lasts long enough to be hit, and returns the generate arguments.
    QStringList prepare(Phase phase, QRandomGenerator& rng, int run)
    {
        m_server->clearFaults();
        m_server->setTaskTimings(150, 250);
        const auto latency = [this](const QString& prefix, int ms) {
            SandboxFault f;
            f.kind = SandboxFault::Kind::Latency;
            f.pathPrefix = prefix;
            f.latencyMs = ms;
            m_server->addFault(f);
        };
        QStringList args {QStringLiteral("generate"),
                          QStringLiteral("-m"),
                          m_model,
                          QStringLiteral("-p"),
                          QStringLiteral("crash run %1").arg(run),
                          QStringLiteral("-n"),
                          QString::number(1 + rng.bounded(3)),
                          QStringLiteral("--size"),
                          QStringLiteral("1024x1024")};
        switch (phase) {
        case Phase::Post:
            latency(QStringLiteral("/v1/images/"), 150 + rng.bounded(200));
            args << QStringLiteral("--format") << QStringLiteral("b64_json");
            break;
        case Phase::Download:
            latency(QStringLiteral("/files/"), 200);
            args << QStringLiteral("--format") << QStringLiteral("url");
            break;
        case Phase::Save:
            args << QStringLiteral("--format") << QStringLiteral("b64_json");
            break;
        case Phase::Poll:
            args << QStringLiteral("--async");
            break;
        case Phase::Anywhere:
        case Phase::Count:
            args << (rng.bounded(2) ? QStringLiteral("--async") : QStringLiteral("--format"));
            if (!args.endsWith(QStringLiteral("--async")))
                args << (rng.bounded(2) ? QStringLiteral("url") : QStringLiteral("b64_json"));
            break;
        }
        return args + common();
    }

    // The line after which the kill is armed, and how far (ms) past it the kill may land.
    static std::pair<QString, int> trigger(Phase phase)
    {
        switch (phase) {
        case Phase::Post:
            return {QStringLiteral("POST \"/v1/"), 250};
        case Phase::Download:
        case Phase::Save:
            return {QStringLiteral("received request"), phase == Phase::Save ? 40 : 350};
        case Phase::Poll:
            return {QStringLiteral("task: task_"), 700};
        case Phase::Anywhere:
        case Phase::Count:
            break;
        }
        return {QString(), 1200}; // from the start
    }

    static void collect(const QByteArray& err, Tally& tally)
    {
        static const QRegularExpression receivedLine(QStringLiteral("received request \"([^\"]+)\" with (\\d+) image"));
        static const QRegularExpression taskLine(QStringLiteral("task: (task_\\S+)"));
        const QString text = QString::fromUtf8(err);
        for (auto it = receivedLine.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            tally.received.insert(m.captured(1), m.captured(2).toInt());
        }
        for (auto it = taskLine.globalMatch(text); it.hasNext();)
            tally.tasks.insert(it.next().captured(1));
    }

    // Runs the CLI and kills it `delayMs` after `marker` shows on stderr (at once when the marker is empty). Returns
    // whether it was killed; stderr goes to `err`.
    bool runAndKill(const QStringList& args, const QString& marker, int delayMs, QByteArray& err)
    {
        QProcess cli;
        cli.setProcessEnvironment(env());
        bool armed = false;
        const auto arm = [&] {
            armed = true;
            QTimer::singleShot(delayMs, &cli, [&cli] { cli.kill(); });
        };
        connect(&cli, &QProcess::readyReadStandardError, this, [&] {
            err += cli.readAllStandardError();
            if (!armed && err.contains(marker.toUtf8()))
                arm();
        });
        cli.start(QStringLiteral(PIXAPI_CLI_PATH), args);
        if (!cli.waitForStarted())
            return false;
        if (marker.isEmpty())
            arm();
        QSignalSpy done(&cli, &QProcess::finished);
        if (!done.wait(30'000)) {
            cli.kill();
            cli.waitForFinished();
            qWarning("the CLI did not finish within 30 s");
        }
        err += cli.readAllStandardError();
        return cli.exitStatus() == QProcess::CrashExit;
    }

    // No row without its file, no file that differs from its row. Files without a row (killed between the file and
    // its row) are allowed here: the replay takes them over (checked after the resume).
    void checkIndex(const QString& when, bool allowLeftOvers = true)
    {
        if (!QFile::exists(libraryDir() + QStringLiteral("/library.sqlite")))
            return;
        auto future = LibraryIntegrity::check(libraryDir(), true);
        future.waitForFinished();
        const auto report = future.result();
        QVERIFY2(report.ok(), qPrintable(when));
        QVERIFY2(report.value().missing.isEmpty(), qPrintable(when + QStringLiteral(": a row without its file")));
        QVERIFY2(report.value().mismatched.isEmpty(), qPrintable(when + QStringLiteral(": a file unlike its row")));
        if (!allowLeftOvers)
            QVERIFY2(report.value().orphans.isEmpty(),
                     qPrintable(when + QStringLiteral(": files without a row: ") + report.value().orphans.join(u' ')));
    }

    // After a complete resume: every received answer stored exactly once, every task finished, the spool empty.
    void checkRecovered(const Tally& tally, const QString& when)
    {
        QVERIFY2(ResponseSpool(libraryDir()).pending().isEmpty(), qPrintable(when + QStringLiteral(": spool left")));
        {
            TaskStore store(libraryDir());
            QVERIFY(store.open().ok());
            for (const TaskRow& row : store.pending())
                QVERIFY2(row.state != TaskRow::State::Running,
                         qPrintable(when + QStringLiteral(": task still running: ") + row.remoteId));
        }
        const QString name = QStringLiteral("crash-check");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(libraryDir() + QStringLiteral("/library.sqlite"));
            QVERIFY(db.open());
            QSqlQuery duplicates(db);
            QVERIFY(duplicates.exec(QStringLiteral("SELECT request_id, response_index, COUNT(*) FROM images WHERE "
                                                   "request_id IS NOT NULL GROUP BY 1, 2 HAVING COUNT(*) > 1")));
            if (duplicates.next())
                QFAIL(qPrintable(when + QStringLiteral(": stored twice: ") + duplicates.value(0).toString()));
            for (auto it = tally.received.cbegin(); it != tally.received.cend(); ++it) {
                QSqlQuery q(db);
                q.prepare(QStringLiteral("SELECT COUNT(*) FROM images WHERE request_id = ?"));
                q.addBindValue(it.key());
                QVERIFY(q.exec() && q.next());
                QVERIFY2(q.value(0).toInt() == it.value(),
                         qPrintable(QStringLiteral("%1: request %2 has %3 of its %4 images")
                                        .arg(when, it.key())
                                        .arg(q.value(0).toInt())
                                        .arg(it.value())));
            }
            for (const QString& task : tally.tasks) {
                QSqlQuery q(db);
                q.prepare(QStringLiteral("SELECT state FROM tasks WHERE remote_id = ?"));
                q.addBindValue(task);
                QVERIFY(q.exec() && q.next());
                QVERIFY2(q.value(0).toString() == QLatin1String("completed"),
                         qPrintable(when + QStringLiteral(": task %1 is %2").arg(task, q.value(0).toString())));
                QSqlQuery images(db);
                images.prepare(QStringLiteral("SELECT COUNT(*) FROM images WHERE params_json LIKE ?"));
                images.addBindValue(QString(QStringLiteral("%\"task_id\":\"") + task + QStringLiteral("\"%")));
                QVERIFY(images.exec() && images.next());
                QVERIFY2(images.value(0).toInt() > 0, qPrintable(when + QStringLiteral(": task without images")));
            }
        }
        QSqlDatabase::removeDatabase(name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<SandboxServer>();
        QVERIFY(m_server->listen());
    }

    void killLoop()
    {
        const int kills =
            qEnvironmentVariableIsSet("PIXAPI_CRASH_KILLS") ? qEnvironmentVariableIntValue("PIXAPI_CRASH_KILLS") : 60;
        const quint32 seed = qEnvironmentVariableIsSet("PIXAPI_CRASH_SEED")
                                 ? quint32(qEnvironmentVariableIntValue("PIXAPI_CRASH_SEED"))
                                 : QRandomGenerator::global()->generate();
        qInfo("seed %u (PIXAPI_CRASH_SEED=%u repeats this run)", seed, seed);
        QRandomGenerator rng(seed);
        Tally tally;
        for (int run = 0; tally.kills < kills && run < kills * 3; ++run) {
            const Phase phase = Phase(run % int(Phase::Count));
            const QStringList args = prepare(phase, rng, run);
            const auto [marker, window] = trigger(phase);
            QByteArray err;
            ++tally.launches;
            const bool killed = runAndKill(args, marker, rng.bounded(window + 1), err);
            collect(err, tally);
            if (killed) {
                ++tally.kills;
                ++tally.killsByPhase[int(phase)];
            } else {
                ++tally.completedBeforeKill;
            }
            const QString when = QStringLiteral("run %1 (seed %2)").arg(run).arg(seed);
            checkIndex(when + QStringLiteral(" after the kill"));
            if (QTest::currentTestFailed())
                return;

            // The restart. One time in four it is killed too, then started again.
            m_server->clearFaults();
            if (rng.bounded(4) == 0) {
                QByteArray resumeErr;
                if (runAndKill(QStringList {QStringLiteral("resume")} + common(), QString(), rng.bounded(300),
                               resumeErr)) {
                    ++tally.resumesKilled;
                    ++tally.kills;
                }
                collect(resumeErr, tally);
                checkIndex(when + QStringLiteral(" after a killed resume"));
            }
            const CliRun resumed = CliRun::run(QStringList {QStringLiteral("resume")} + common(), env());
            collect(resumed.err, tally);
            QVERIFY2(resumed.finished, qPrintable(when));
            checkIndex(when + QStringLiteral(" after the resume"), false);
            checkRecovered(tally, when);
            if (QTest::currentTestFailed()) {
                qWarning().noquote() << resumed.describe();
                return;
            }
        }
        QVERIFY2(tally.kills >= kills, "too few runs were killed");
        // Nothing was sent twice: resume never posts, and each generate run posts at most once.
        QVERIFY(m_server->postCount() <= tally.launches);
        int images = 0;
        for (const int n : std::as_const(tally.received))
            images += n;
        qInfo("%d generate runs, %d kills (post %d, download %d, save %d, poll %d, anywhere %d; %d resumes), %d "
              "finished first; %d answers received (%d images) all stored once; %d tasks all completed",
              tally.launches, tally.kills, tally.killsByPhase[0], tally.killsByPhase[1], tally.killsByPhase[2],
              tally.killsByPhase[3], tally.killsByPhase[4], tally.resumesKilled, tally.completedBeforeKill,
              int(tally.received.size()), images, int(tally.tasks.size()));
        // Every phase was hit.
        for (int p = 0; p < int(Phase::Count); ++p)
            QVERIFY2(tally.killsByPhase[p] > 0, qPrintable(QStringLiteral("phase %1 never killed").arg(p)));
    }

    void cleanupTestCase()
    {
        m_server.reset();
        m_dir.reset();
    }
};

QTEST_GUILESS_MAIN(tst_CrashSafety)
#include "tst_CrashSafety.moc"
