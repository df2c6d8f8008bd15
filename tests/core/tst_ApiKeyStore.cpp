// ApiKeyStore against the real Secret Service (gnome-keyring on a private bus, see with-keyring.sh), plus the
// hostile rows (no bus, locked keyring) run as child processes of this binary in their own environments.
#include "accounts/ApiKeyStore.h"

#include "TestEnv.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QUuid>

#include <csignal>
#include <cstdlib>
#include <memory>

using namespace Pixapi;
using Status = KeyResult::Status;

namespace {

const char* const ChildModeVar = "PIXAPI_KEYSTORE_CHILD";
const QString AppId = QStringLiteral(PIXAPI_APP_ID);

// Call right after creating the job (before the event loop runs). Waits for its finished() and then for its
// deletion, after which no further emission is possible.
void awaitOnce(KeyJob* job, KeyResult& out)
{
    QSignalSpy finished(job, &KeyJob::finished);
    QSignalSpy destroyed(job, &QObject::destroyed);
    QVERIFY(finished.wait(20000));
    if (destroyed.isEmpty())
        QVERIFY(destroyed.wait(5000));
    QCOMPARE(finished.count(), 1);
    out = finished.first().first().value<KeyResult>();
}

#define AWAIT_ONCE(job, out)            \
    do {                                \
        awaitOnce(job, out);            \
        if (QTest::currentTestFailed()) \
            return;                     \
    } while (false)

struct ToolOutput
{
    int exitCode = -1;
    QString output; // stdout and stderr merged
};

ToolOutput runTool(const QString& program, const QStringList& args)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    if (!process.waitForFinished(15000) || process.exitStatus() != QProcess::NormalExit)
        return {};
    return {process.exitCode(), QString::fromUtf8(process.readAll())};
}

// The secret as stored under QtKeychain's libsecret schema: server = service, user = entry name.
ToolOutput secretToolLookup(const QString& accountId)
{
    return runTool(QStringLiteral("secret-tool"),
                   {QStringLiteral("lookup"), QStringLiteral("server"), AppId, QStringLiteral("user"),
                    AppId + QLatin1String("/api-key/") + accountId});
}

// Freezes the Secret Service of this test's private bus (our own gnome-keyring-daemon) so that keychain calls hang
// like a stuck backend does; resumes it on destruction.
class FrozenKeyring
{
public:
    FrozenKeyring()
    {
        const ToolOutput reply =
            runTool(QStringLiteral("dbus-send"),
                    {QStringLiteral("--session"), QStringLiteral("--print-reply"),
                     QStringLiteral("--dest=org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
                     QStringLiteral("org.freedesktop.DBus.GetConnectionUnixProcessID"),
                     QStringLiteral("string:org.freedesktop.secrets")});
        const auto match = QRegularExpression(QStringLiteral("uint32 (\\d+)")).match(reply.output);
        const pid_t pid = match.hasMatch() ? match.captured(1).toInt() : 0;
        QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
        // Only ever signal the keyring daemon of our own session.
        if (pid > 1 && comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("gnome-keyring")
            && ::kill(pid, SIGSTOP) == 0)
            m_pid = pid;
    }
    ~FrozenKeyring()
    {
        if (m_pid > 0)
            ::kill(m_pid, SIGCONT);
    }
    FrozenKeyring(const FrozenKeyring&) = delete;
    FrozenKeyring& operator=(const FrozenKeyring&) = delete;
    bool isFrozen() const { return m_pid > 0; }

private:
    pid_t m_pid = 0;
};

// --- child side: runs in a hostile environment and prints "<label> <Status> <emissions>" lines -----------------

void childRun(QTextStream& out, const QString& label, KeyJob* job)
{
    int emissions = 0;
    KeyResult result;
    QEventLoop loop;
    QObject::connect(job, &KeyJob::finished, job, [&](const KeyResult& r) {
        ++emissions;
        result = r;
    });
    QObject::connect(job, &QObject::destroyed, &loop, &QEventLoop::quit);
    loop.exec();
    out << label << ' ' << KeyResult::statusName(result.status) << ' ' << emissions << '\n'
        << label << ".message " << result.userMessage() << '\n';
    out.flush();
}

// `steps` is a comma-separated script: seed (write "seeded"), lock (lock the default collection over D-Bus; a
// headless prompter cannot unlock it again), write (write "other"), read (read "seeded").
int childMain(const QByteArray& steps)
{
    int argc = 1;
    char name[] = "tst_ApiKeyStore-child";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    ApiKeyStore store;

    for (const QByteArray& step : steps.split(',')) {
        if (step == "seed") {
            childRun(out, QStringLiteral("seed"), store.writeKey(QStringLiteral("seeded"), QStringLiteral("pk-s")));
        } else if (step == "lock") {
            QProcess lock;
            lock.start(QStringLiteral("dbus-send"),
                       {QStringLiteral("--session"), QStringLiteral("--print-reply"),
                        QStringLiteral("--dest=org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets"),
                        QStringLiteral("org.freedesktop.Secret.Service.Lock"),
                        QStringLiteral("array:objpath:/org/freedesktop/secrets/aliases/default")});
            const bool done = lock.waitForFinished(10000) && lock.exitStatus() == QProcess::NormalExit;
            out << "lock " << (done ? lock.exitCode() : -1) << '\n';
        } else if (step == "write") {
            childRun(out, QStringLiteral("write"), store.writeKey(QStringLiteral("other"), QStringLiteral("pk-o")));
        } else if (step == "read") {
            childRun(out, QStringLiteral("read"), store.readKey(QStringLiteral("seeded")));
        } else {
            out << "unknown step " << step << '\n';
            return 2;
        }
    }
    return 0;
}

// --- parent side -------------------------------------------------------------------------------------------------

// Runs this binary as a child in `env` and returns its "<label> <rest>" lines as a map.
void runChild(const QString& program, const QStringList& args, QProcessEnvironment env, const QString& steps,
              QMap<QString, QString>& lines)
{
    env.insert(QString::fromLatin1(ChildModeVar), steps);
    QProcess child;
    child.setProcessEnvironment(env);
    child.start(program, args);
    QElapsedTimer clock;
    clock.start();
    const bool exited = child.waitForFinished(30000);
    if (!exited) {
        child.kill();
        child.waitForFinished();
    }
    const QString out = QString::fromUtf8(child.readAllStandardOutput());
    const QString err = QString::fromUtf8(child.readAllStandardError());
    QVERIFY2(exited, qPrintable(QLatin1String("child hung; stdout: ") + out + QLatin1String(" stderr: ") + err));
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
             qPrintable(QLatin1String("child failed; stdout: ") + out + QLatin1String(" stderr: ") + err));
    qInfo("child '%s' took %lld ms", qPrintable(steps), clock.elapsed());
    const QStringList outLines = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString& line : outLines) {
        const qsizetype space = line.indexOf(QLatin1Char(' '));
        lines.insert(line.left(space), line.mid(space + 1));
    }
}

} // namespace

class tst_ApiKeyStore : public QObject
{
    Q_OBJECT

public:
    // Qt Test calls this before creating the application: the child mode takes over the process here.
    static void initMain()
    {
        const QByteArray mode = qgetenv(ChildModeVar);
        if (!mode.isEmpty())
            std::exit(childMain(mode));
    }

private Q_SLOTS:
    void initTestCase();
    void entryNameAndService();
    void roundTripOnSecretService();
    void keyNeverOnDiskOrInLogs();
    void refusalsNeverTouchTheKeychain();
    void limitIsInUtf8Bytes();
    void readBackCatchesWhatTheBackendChanged();
    void queuedJobsCompleteInOrder();
    void startsAreDeferredToTheEventLoop();
    void watchdogReportsTimeoutAndQueueWaitsForStuckJob();
    void noBusIsUnavailable_data();
    void noBusIsUnavailable();
    void lockedKeyring();
    void keyringNeverUnlocked();
};

void tst_ApiKeyStore::initTestCase()
{
    TestEnv::init();
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), "run through tests/support/with-keyring.sh");
    QLoggingCategory::setFilterRules(QStringLiteral("pixapi.keychain.debug=true"));
    TestEnv::LogCapture::install();
}

void tst_ApiKeyStore::entryNameAndService()
{
    ApiKeyStore store;
    QCOMPARE(store.service(), QStringLiteral("ai.pixapi.Studio"));
    QCOMPARE(store.entryName(QStringLiteral("acc-1")), QStringLiteral("ai.pixapi.Studio/api-key/acc-1"));
    QCOMPARE(store.timeoutMs(), ApiKeyStore::DefaultTimeoutMs);
}

void tst_ApiKeyStore::roundTripOnSecretService()
{
    ApiKeyStore store;
    const QString account = QStringLiteral("roundtrip");
    const QString key = QStringLiteral("pk-rt-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    KeyResult result;

    AWAIT_ONCE(store.writeKey(account, key), result);
    QCOMPARE(result.status, Status::Ok);
    QVERIFY(result.key.isEmpty());

    AWAIT_ONCE(store.readKey(account), result);
    QCOMPARE(result.status, Status::Ok);
    QCOMPARE(result.key, key);

    // Stored where other Secret Service clients (and our next launch) look: server=<appId>, user=<entry name>.
    const ToolOutput lookup = secretToolLookup(account);
    QCOMPARE(lookup.exitCode, 0);
    QCOMPARE(lookup.output.trimmed(), key);
    const ToolOutput search = runTool(QStringLiteral("secret-tool"), {QStringLiteral("search"), QStringLiteral("--all"),
                                                                      QStringLiteral("server"), AppId});
    QCOMPARE(search.exitCode, 0);
    QVERIFY2(search.output.contains(QLatin1String("attribute.server = ") + AppId), qPrintable(search.output));
    QVERIFY2(search.output.contains(QLatin1String("attribute.user = ") + store.entryName(account)),
             qPrintable(search.output));

    AWAIT_ONCE(store.deleteKey(account), result);
    QCOMPARE(result.status, Status::Ok);
    QVERIFY(secretToolLookup(account).exitCode != 0);

    AWAIT_ONCE(store.readKey(account), result);
    QCOMPARE(result.status, Status::Missing);
    QVERIFY(result.key.isEmpty());
    QVERIFY(result.userMessage().contains(QLatin1String("locked")));
}

void tst_ApiKeyStore::keyNeverOnDiskOrInLogs()
{
    ApiKeyStore store;
    const QString account = QStringLiteral("ondisk");
    const QString key = QStringLiteral("pk-disk-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    KeyResult result;
    AWAIT_ONCE(store.writeKey(account, key), result);
    QCOMPARE(result.status, Status::Ok);
    AWAIT_ONCE(store.readKey(account), result);
    QCOMPARE(result.key, key);

    const QString keyringDir = QDir::homePath() + QLatin1String("/.local/share/keyrings/");
    const QStringList hits = TestEnv::filesContaining(QDir::homePath(), key.toUtf8())
                             + TestEnv::filesContaining(qEnvironmentVariable("XDG_RUNTIME_DIR"), key.toUtf8());
    QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1String(", "))));
    // The keyring file is where it lives, and only encrypted (grepping the keyring dir too finds nothing).
    QFile keyring(keyringDir + QLatin1String("login.keyring"));
    QVERIFY(keyring.open(QIODevice::ReadOnly));
    QVERIFY(keyring.size() > 0);
    QVERIFY(!keyring.readAll().contains(key.toUtf8()));

    QVERIFY(TestEnv::LogCapture::indexOf(QStringLiteral("account ondisk")) >= 0); // the operations were logged ...
    QCOMPARE(TestEnv::LogCapture::indexOf(key), -1);                              // ... without the key

    AWAIT_ONCE(store.deleteKey(account), result);
    QCOMPARE(result.status, Status::Ok);
}

void tst_ApiKeyStore::refusalsNeverTouchTheKeychain()
{
    ApiKeyStore store;
    const QString tooLong(ApiKeyStore::MaxKeyBytes + 1, QLatin1Char('k'));
    KeyResult result;
    {
        // With the Secret Service frozen, anything that reached it would hang until the watchdog.
        const FrozenKeyring frozen;
        QVERIFY(frozen.isFrozen());
        QElapsedTimer clock;
        clock.start();
        AWAIT_ONCE(store.writeKey(QStringLiteral("empty"), QString()), result);
        QCOMPARE(result.status, Status::EmptyKey);
        QVERIFY(!result.userMessage().isEmpty());
        AWAIT_ONCE(store.writeKey(QStringLiteral("toolong"), tooLong), result);
        QCOMPARE(result.status, Status::TooLong);
        QVERIFY(result.userMessage().contains(QString::number(ApiKeyStore::MaxKeyBytes)));
        QVERIFY(clock.elapsed() < ApiKeyStore::DefaultTimeoutMs);
    }
    QCOMPARE(TestEnv::LogCapture::indexOf(QStringLiteral("start write account empty")), -1);
    QCOMPARE(TestEnv::LogCapture::indexOf(QStringLiteral("start write account toolong")), -1);
    QVERIFY(secretToolLookup(QStringLiteral("empty")).exitCode != 0);
    QVERIFY(secretToolLookup(QStringLiteral("toolong")).exitCode != 0);
}

void tst_ApiKeyStore::limitIsInUtf8Bytes()
{
    ApiKeyStore store;
    const QString eAcute(1, QChar(0x00E9)); // two bytes in UTF-8
    KeyResult result;

    AWAIT_ONCE(store.writeKey(QStringLiteral("wide"), eAcute.repeated(ApiKeyStore::MaxKeyBytes / 2 + 1)), result);
    QCOMPARE(result.status, Status::TooLong); // 1281 characters, 2562 bytes

    const QString atLimit = eAcute.repeated(ApiKeyStore::MaxKeyBytes / 2);
    AWAIT_ONCE(store.writeKey(QStringLiteral("wide"), atLimit), result);
    QCOMPARE(result.status, Status::Ok); // written and read back intact
    AWAIT_ONCE(store.readKey(QStringLiteral("wide")), result);
    QCOMPARE(result.key, atLimit);
    AWAIT_ONCE(store.deleteKey(QStringLiteral("wide")), result);
    QCOMPARE(result.status, Status::Ok);
}

void tst_ApiKeyStore::readBackCatchesWhatTheBackendChanged()
{
    // libsecret takes the secret as a C string, so it silently stores only "pk-before" and reports success.
    ApiKeyStore store;
    const QString account = QStringLiteral("truncated");
    const QString key = QStringLiteral("pk-before") + QChar(0) + QStringLiteral("after");
    KeyResult result;
    AWAIT_ONCE(store.writeKey(account, key), result);
    QCOMPARE(result.status, Status::VerifyFailed);
    QVERIFY(!result.detail.isEmpty());
    QVERIFY(!result.userMessage().isEmpty());
    QCOMPARE(secretToolLookup(account).output, QStringLiteral("pk-before"));
    AWAIT_ONCE(store.deleteKey(account), result);
    QCOMPARE(result.status, Status::Ok);
}

void tst_ApiKeyStore::queuedJobsCompleteInOrder()
{
    ApiKeyStore store;
    const QString a = QStringLiteral("queue-a"), b = QStringLiteral("queue-b");
    const QList<KeyJob*> jobs = {store.writeKey(a, QStringLiteral("pk-a")),
                                 store.writeKey(b, QStringLiteral("pk-b")),
                                 store.readKey(a),
                                 store.readKey(b),
                                 store.deleteKey(a),
                                 store.readKey(a),
                                 store.deleteKey(b)};
    const QList<Status> expected = {Status::Ok, Status::Ok,      Status::Ok, Status::Ok,
                                    Status::Ok, Status::Missing, Status::Ok};

    QList<qsizetype> order;
    QList<KeyResult> results(jobs.size());
    std::vector<std::unique_ptr<QSignalSpy>> spies;
    int destroyed = 0;
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        spies.push_back(std::make_unique<QSignalSpy>(jobs[i], &KeyJob::finished));
        connect(jobs[i], &KeyJob::finished, this, [&order, &results, i](const KeyResult& r) {
            order << i;
            results[i] = r;
        });
        connect(jobs[i], &QObject::destroyed, this, [&destroyed] { ++destroyed; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(destroyed, int(jobs.size()), 30000);

    QCOMPARE(order, (QList<qsizetype> {0, 1, 2, 3, 4, 5, 6}));
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        QCOMPARE(spies[i]->count(), 1);
        QCOMPARE(results[i].status, expected[i]);
    }
    QCOMPARE(results[2].key, QStringLiteral("pk-a"));
    QCOMPARE(results[3].key, QStringLiteral("pk-b"));
}

void tst_ApiKeyStore::startsAreDeferredToTheEventLoop()
{
    ApiKeyStore store;
    KeyJob* first = store.readKey(QStringLiteral("deferred-1"));
    QCOMPARE(TestEnv::LogCapture::indexOf(QStringLiteral("start read account deferred-1")),
             -1); // not from inside the call

    std::unique_ptr<QSignalSpy> secondFinished, secondDestroyed;
    bool startedInsideFinished = true;
    connect(first, &KeyJob::finished, this, [&] {
        KeyJob* second = store.readKey(QStringLiteral("deferred-2"));
        secondFinished = std::make_unique<QSignalSpy>(second, &KeyJob::finished);
        secondDestroyed = std::make_unique<QSignalSpy>(second, &QObject::destroyed);
        startedInsideFinished = TestEnv::LogCapture::indexOf(QStringLiteral("start read account deferred-2")) >= 0;
    });
    KeyResult result;
    AWAIT_ONCE(first, result);
    QCOMPARE(result.status, Status::Missing);
    QVERIFY(!startedInsideFinished); // never from inside another job's finished()
    QVERIFY(secondDestroyed);
    QTRY_COMPARE_WITH_TIMEOUT(secondDestroyed->count(), 1, 20000);
    QCOMPARE(secondFinished->count(), 1);
    QCOMPARE(secondFinished->first().first().value<KeyResult>().status, Status::Missing);
}

void tst_ApiKeyStore::watchdogReportsTimeoutAndQueueWaitsForStuckJob()
{
    ApiKeyStore store;
    store.setTimeoutMs(500);
    KeyResult result;
    KeyJob* next = nullptr;
    std::unique_ptr<QSignalSpy> nextSpy;
    {
        const FrozenKeyring frozen;
        QVERIFY(frozen.isFrozen());
        QElapsedTimer clock;
        clock.start();
        KeyJob* stuck = store.readKey(QStringLiteral("stuck"));
        KeyJob* queuedBehind = store.readKey(QStringLiteral("queued-behind"));
        QSignalSpy behindFinished(queuedBehind, &KeyJob::finished);
        QSignalSpy behindDestroyed(queuedBehind, &QObject::destroyed);
        AWAIT_ONCE(stuck, result);
        QCOMPARE(result.status, Status::TimedOut);
        QVERIFY(clock.elapsed() >= 450);
        // Its caller hears back too, although it never got to run.
        QTRY_COMPARE(behindDestroyed.count(), 1);
        QCOMPARE(behindFinished.count(), 1);
        QCOMPARE(behindFinished.first().first().value<KeyResult>().status, Status::TimedOut);
        QVERIFY(!result.userMessage().isEmpty());
        QVERIFY(TestEnv::LogCapture::indexOf(QStringLiteral("start read account stuck"))
                >= 0); // it had reached the keychain

        store.setTimeoutMs(ApiKeyStore::DefaultTimeoutMs);
        next = store.readKey(QStringLiteral("after-stuck"));
        nextSpy = std::make_unique<QSignalSpy>(next, &KeyJob::finished);
    } // the keyring resumes; the stuck QKeychain job (never deleted) finishes and is ignored

    AWAIT_ONCE(next, result);
    QCOMPARE(nextSpy->count(), 1);
    QCOMPARE(result.status, Status::Missing);
    const qsizetype ignored =
        TestEnv::LogCapture::indexOf(QStringLiteral("result ignored (timed out or caller gone): read account stuck"));
    const qsizetype startedNext = TestEnv::LogCapture::indexOf(QStringLiteral("start read account after-stuck"));
    QVERIFY2(ignored >= 0, "the stuck job's late answer must still arrive (it was not deleted)");
    QVERIFY2(startedNext > ignored, "the next keychain job must start only after the stuck one finished");
    QCOMPARE(TestEnv::LogCapture::indexOf(QStringLiteral("start read account queued-behind")),
             -1); // dropped, never started
}

void tst_ApiKeyStore::noBusIsUnavailable_data()
{
    QTest::addColumn<QString>("busAddress");
    QTest::newRow("unset") << QString();
    QTest::newRow("dead socket") << QStringLiteral("unix:path=/nonexistent/pixapi-no-bus");
}

void tst_ApiKeyStore::noBusIsUnavailable()
{
    QFETCH(QString, busAddress);
    QTemporaryDir runtimeDir; // empty: no $XDG_RUNTIME_DIR/bus to fall back to
    QVERIFY(runtimeDir.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* var : {"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"})
        env.remove(QString::fromLatin1(var));
    if (!busAddress.isEmpty())
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress);
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir.path());

    QMap<QString, QString> lines;
    runChild(QCoreApplication::applicationFilePath(), {}, env, QStringLiteral("read"), lines);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(lines.value(QStringLiteral("read")), QStringLiteral("Unavailable 1"));
    QVERIFY(lines.value(QStringLiteral("read.message")).contains(QLatin1String("D-Bus")));
}

void tst_ApiKeyStore::lockedKeyring()
{
    // A fresh private bus and keyring of its own, so locking it cannot disturb this process's keyring.
    QMap<QString, QString> lines;
    runChild(QStringLiteral(PIXAPI_WITH_KEYRING), {QCoreApplication::applicationFilePath()},
             QProcessEnvironment::systemEnvironment(), QStringLiteral("seed,lock,write,read"), lines);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(lines.value(QStringLiteral("seed")), QStringLiteral("Ok 1"));
    QCOMPARE(lines.value(QStringLiteral("lock")), QStringLiteral("0"));
    QCOMPARE(lines.value(QStringLiteral("write")), QStringLiteral("Locked 1"));
    QVERIFY(lines.value(QStringLiteral("write.message")).contains(QLatin1String("locked")));
    // QtKeychain 0.13 reads a locked item as EntryNotFound although it exists: Missing, whose message says so.
    const QString read = lines.value(QStringLiteral("read"));
    QVERIFY2(read == QLatin1String("Missing 1") || read == QLatin1String("Locked 1"), qPrintable(read));
    QVERIFY(lines.value(QStringLiteral("read.message")).contains(QLatin1String("locked")));
}

void tst_ApiKeyStore::keyringNeverUnlocked()
{
    // Nobody unlocked a keyring in this fresh session: D-Bus activates gnome-keyring, which has no default
    // collection and cannot prompt to create one headless.
    QMap<QString, QString> lines;
    runChild(QStringLiteral(PIXAPI_WITH_KEYRING),
             {QStringLiteral("--no-unlock"), QCoreApplication::applicationFilePath()},
             QProcessEnvironment::systemEnvironment(), QStringLiteral("write,read"), lines);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(lines.value(QStringLiteral("write")), QStringLiteral("Unavailable 1"));
    QVERIFY(lines.value(QStringLiteral("write.message")).contains(QLatin1String("unlocked default keyring")));
    QCOMPARE(lines.value(QStringLiteral("read")), QStringLiteral("Missing 1"));
}

QTEST_GUILESS_MAIN(tst_ApiKeyStore)
#include "tst_ApiKeyStore.moc"
