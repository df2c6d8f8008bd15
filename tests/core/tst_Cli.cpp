// Runs the real pixapi-cli binary (QProcess) against its own --sandbox or against a SandboxServer in this process.
#include "CliRun.h"
#include "TestEnv.h"
#include "sandbox/SandboxCatalog.h"
#include "sandbox/SandboxServer.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_UNIX
#include <csignal>
#endif

using namespace Pixapi;

namespace {

const QString kModel = QStringLiteral("gemini-2.5-flash-image");
// Distinctive, so a leak anywhere in the output is unmistakable.
const QString kSecretKey = QStringLiteral("pk-cli-test-7d1f0a9e3c5b42e8b6a1-never-print-me");

QStringList filesUnder(const QString& dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool isPng(const QString& path)
{
    QImageReader reader(path);
    return reader.format() == "png" && !reader.read().isNull();
}

bool sawGenerationRequest(const SandboxServer& server)
{
    const QList<SandboxRequestRecord> requests = server.requests();
    return std::any_of(requests.cbegin(), requests.cend(), [](const SandboxRequestRecord& r) {
        return r.method == QLatin1String("POST") && r.path.endsWith(QLatin1String("/images/generations"));
    });
}

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void generateSandboxCopiesEveryImageIntoOut_data();
    void generateSandboxCopiesEveryImageIntoOut();
    void generateWithoutOutPrintsLibraryPaths();
    void defaultLibraryIsTheUsersDataDir();
    void noLibraryKeepsImagesOnlyInOut();
    void dryRunSendsNothing();
    void modelsJsonListsTheSandboxCatalog();
    void modelsTable();
    void balance();
    void balanceNotOffered_data();
    void balanceNotOffered();
    void helpAndVersion();
    void badUsageExitsWithTwo_data();
    void badUsageExitsWithTwo();
    void unknownModelFailsWithOneLine();
    void insecureBaseUrlIsRefused_data();
    void insecureBaseUrlIsRefused();
    void keyIsNeverPrinted();
    void refusedKeyIsNeverPrinted();
    void unusableOutDirCostsNothing();
    void missingKeyWithoutKeychain();
    void interruptCancelsCleanly();

private:
    std::unique_ptr<SandboxServer> m_server; // a peer in this process, for --base-url runs
    std::unique_ptr<QTemporaryDir> m_tmp;

    QProcessEnvironment keyedEnvironment() const;
    QString tmpPath(const QString& name) const { return m_tmp->filePath(name); }
};

void tst_Cli::initTestCase()
{
    TestEnv::init();
    QVERIFY2(QFile::exists(QStringLiteral(PIXAPI_CLI_PATH)), PIXAPI_CLI_PATH);
}

void tst_Cli::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_server = std::make_unique<SandboxServer>();
    m_server->setAcceptedKeys({kSecretKey});
    QVERIFY(m_server->listen());
}

void tst_Cli::cleanup()
{
    m_server.reset();
    m_tmp.reset();
}

QProcessEnvironment tst_Cli::keyedEnvironment() const
{
    QProcessEnvironment env = CliRun::baseEnvironment();
    env.insert(QStringLiteral("PIXAPI_KEY"), kSecretKey);
    return env;
}

void tst_Cli::generateSandboxCopiesEveryImageIntoOut_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("server default (url)") << QString();
    QTest::newRow("url") << QStringLiteral("url");
    QTest::newRow("b64_json") << QStringLiteral("b64_json");
}

void tst_Cli::generateSandboxCopiesEveryImageIntoOut()
{
    QFETCH(QString, format);
    const QString out = tmpPath(QStringLiteral("out/nested")); // created by the CLI, parents included
    const QString data = tmpPath(QStringLiteral("data"));
    QStringList args = {QStringLiteral("generate"),   QStringLiteral("--sandbox"),
                        QStringLiteral("--model"),    kModel,
                        QStringLiteral("--prompt"),   QStringLiteral("a lighthouse at dusk"),
                        QStringLiteral("-n"),         QStringLiteral("2"),
                        QStringLiteral("--out"),      out,
                        QStringLiteral("--data-dir"), data};
    if (!format.isEmpty())
        args << QStringLiteral("--format") << format;

    const CliRun run = CliRun::run(args);
    QVERIFY2(run.finished, qPrintable(run.describe()));
    QCOMPARE(run.exitStatus, QProcess::NormalExit);
    QVERIFY2(run.exitCode == 0, qPrintable(run.describe()));
    QVERIFY2(run.err.isEmpty(), run.err.constData());

    QStringList printed = run.outLines();
    QCOMPARE(printed.size(), 2);
    printed.sort();
    // Exactly the two printed files are in --out: no temporary or partial file is left beside them.
    QCOMPARE(filesUnder(out), printed);
    for (const QString& path : printed) {
        QVERIFY2(QDir::isAbsolutePath(path), qPrintable(path));
        QVERIFY2(isPng(path), qPrintable(path));
    }
    QVERIFY(readAll(printed.at(0)) != readAll(printed.at(1))); // two different renders

    // Each image was saved in the library (under --data-dir) first; the --out files are copies of those.
    QVERIFY(QFile::exists(data + QStringLiteral("/library/library.sqlite")));
    QSet<QByteArray> libraryImages;
    for (const QString& path : filesUnder(data + QStringLiteral("/library/images")))
        libraryImages.insert(readAll(path));
    QCOMPARE(libraryImages, (QSet<QByteArray> {readAll(printed.at(0)), readAll(printed.at(1))}));
}

void tst_Cli::generateWithoutOutPrintsLibraryPaths()
{
    const QString data = tmpPath(QStringLiteral("data"));
    const CliRun run =
        CliRun::run({QStringLiteral("generate"), QStringLiteral("--sandbox"), QStringLiteral("-m"), kModel,
                     QStringLiteral("-p"), QStringLiteral("a red fox"), QStringLiteral("--data-dir"), data});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    const QStringList printed = run.outLines();
    QCOMPARE(printed.size(), 1);
    QVERIFY2(printed.constFirst().startsWith(data + QStringLiteral("/library/images/")),
             qPrintable(printed.constFirst()));
    QVERIFY(isPng(printed.constFirst()));
    QVERIFY(QFile::exists(data + QStringLiteral("/library/library.sqlite")));
}

void tst_Cli::defaultLibraryIsTheUsersDataDir()
{
    // Without --data-dir the library is the user's one, under XDG_DATA_HOME: point that at a fresh directory.
    const QString xdgData = tmpPath(QStringLiteral("xdg-data"));
    QProcessEnvironment env = CliRun::baseEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), xdgData);
    const CliRun run = CliRun::run({QStringLiteral("generate"), QStringLiteral("--sandbox"), QStringLiteral("-m"),
                                    kModel, QStringLiteral("-p"), QStringLiteral("a blue door")},
                                   env);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.outLines().size(), 1);
    const QString path = run.outLines().constFirst();
    QVERIFY2(path.startsWith(xdgData + QLatin1Char('/')), qPrintable(path));
    QVERIFY(isPng(path));
    const QStringList databases = filesUnder(xdgData).filter(QStringLiteral("/library/library.sqlite"));
    QCOMPARE(databases.size(), 1);
}

void tst_Cli::noLibraryKeepsImagesOnlyInOut()
{
    const QString xdgData = tmpPath(QStringLiteral("xdg-data"));
    const QString scratch = tmpPath(QStringLiteral("tmp"));
    const QString out = tmpPath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(scratch));
    QProcessEnvironment env = CliRun::baseEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), xdgData);
    env.insert(QStringLiteral("TMPDIR"), scratch);
    const CliRun run = CliRun::run({QStringLiteral("generate"), QStringLiteral("--sandbox"), QStringLiteral("-m"),
                                    kModel, QStringLiteral("-p"), QStringLiteral("a green hill"), QStringLiteral("-n"),
                                    QStringLiteral("2"), QStringLiteral("--no-library"), QStringLiteral("--out"), out},
                                   env);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    QStringList printed = run.outLines();
    printed.sort();
    QCOMPARE(filesUnder(out), printed);
    QCOMPARE(printed.size(), 2);
    QVERIFY(isPng(printed.at(0)) && isPng(printed.at(1)));
    // The user's library was not touched; only the usage ledger counts the request (spend is tracked either way).
    const QStringList data = filesUnder(xdgData);
    QVERIFY2(std::all_of(data.cbegin(), data.cend(),
                         [](const QString& file) {
                             return QFileInfo(file).fileName().startsWith(QLatin1String("usage.sqlite"));
                         }),
             qPrintable(data.join(QLatin1Char(' '))));
    QVERIFY(filesUnder(scratch).isEmpty()); // and the temporary library is gone
}

void tst_Cli::dryRunSendsNothing()
{
    const CliRun run = CliRun::run(
        {QStringLiteral("generate"), QStringLiteral("--base-url"), m_server->baseUrl().toString(), QStringLiteral("-m"),
         kModel, QStringLiteral("-p"), QStringLiteral("a cat"), QStringLiteral("-n"), QStringLiteral("3"),
         QStringLiteral("--size"), QStringLiteral("1024x1024"), QStringLiteral("--dry-run")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    const QJsonObject body = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(body.value(QStringLiteral("model")).toString(), kModel);
    QCOMPARE(body.value(QStringLiteral("prompt")).toString(), QStringLiteral("a cat"));
    QCOMPARE(body.value(QStringLiteral("n")).toInt(), 3);
    QCOMPARE(body.value(QStringLiteral("size")).toString(), QStringLiteral("1024x1024"));
    QVERIFY(m_server->requests().isEmpty());
}

void tst_Cli::modelsJsonListsTheSandboxCatalog()
{
    const CliRun run = CliRun::run({QStringLiteral("models"), QStringLiteral("--sandbox"), QStringLiteral("--json")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(run.out, &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    QVERIFY(doc.isArray());

    QSet<QString> ids;
    QJsonObject flash;
    for (const QJsonValue& value : doc.array()) {
        const QJsonObject model = value.toObject();
        ids.insert(model.value(QStringLiteral("id")).toString());
        if (model.value(QStringLiteral("id")).toString() == kModel)
            flash = model;
    }
    // The documented image models (contract §6, as the sandbox serves them); video models are not listed.
    QSet<QString> expected;
    for (const SandboxModel& model : SandboxCatalog::models()) {
        if (model.isImage && !model.asyncOnly)
            expected.insert(model.id);
    }
    QCOMPARE(ids, expected);
    QVERIFY(ids.contains(QStringLiteral("gemini-3-pro-image-preview")));
    QVERIFY(!ids.contains(QStringLiteral("veo")));
    QCOMPARE(flash.value(QStringLiteral("credits_per_image")).toDouble(), 2.0);
    QVERIFY(flash.value(QStringLiteral("sizes")).toArray().contains(QStringLiteral("1024x1024")));
    QVERIFY(flash.value(QStringLiteral("aliases")).toArray().contains(QStringLiteral("nano-banana")));
}

void tst_Cli::modelsTable()
{
    const CliRun run = CliRun::run({QStringLiteral("models"), QStringLiteral("--sandbox")});
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    const QStringList lines = run.outLines();
    QVERIFY(lines.size() > 1);
    QVERIFY2(lines.constFirst().startsWith(QStringLiteral("ID ")), qPrintable(lines.constFirst()));
    QVERIFY(lines.constFirst().contains(QStringLiteral("CREDITS/IMAGE")));
    const QStringList flash = lines.filter(QRegularExpression(QStringLiteral("^gemini-2\\.5-flash-image ")));
    QCOMPARE(flash.size(), 1);
    QVERIFY2(flash.constFirst().contains(QStringLiteral("1024x1024")), qPrintable(flash.constFirst()));
}

void tst_Cli::balance()
{
    m_server->setBalance(1234.5);
    const CliRun run = CliRun::run(
        {QStringLiteral("balance"), QStringLiteral("--base-url"), m_server->baseUrl().toString()}, keyedEnvironment());
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
    QCOMPARE(run.outLines().size(), 1);
    QVERIFY2(run.outLines().constFirst().startsWith(QStringLiteral("1234.5 ")), run.out.constData());

    const CliRun json = CliRun::run({QStringLiteral("balance"), QStringLiteral("--sandbox"), QStringLiteral("--json")});
    QVERIFY2(json.finished && json.exitCode == 0, qPrintable(json.describe()));
    QVERIFY(QJsonDocument::fromJson(json.out).object().value(QStringLiteral("credits")).isDouble());
}

void tst_Cli::balanceNotOffered_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("404") << 404;
    QTest::newRow("405") << 405;
}

void tst_Cli::balanceNotOffered()
{
    QFETCH(int, status);
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::Status;
    fault.status = status;
    fault.pathPrefix = QStringLiteral("/v1/balance");
    m_server->addFault(fault);
    const CliRun run = CliRun::run(
        {QStringLiteral("balance"), QStringLiteral("--base-url"), m_server->baseUrl().toString()}, keyedEnvironment());
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.errLines(),
             QStringList {QStringLiteral("pixapi-cli: error: this server does not offer a balance endpoint")});
}

void tst_Cli::helpAndVersion()
{
    const CliRun version = CliRun::run({QStringLiteral("--version")});
    QVERIFY2(version.finished && version.exitCode == 0, qPrintable(version.describe()));
    QCOMPARE(version.outLines(), QStringList {QStringLiteral("pixapi-cli " PIXAPI_VERSION)});

    const CliRun help = CliRun::run({QStringLiteral("--help")});
    QVERIFY2(help.finished && help.exitCode == 0, qPrintable(help.describe()));
    for (const char* word : {"models", "generate", "balance", "--sandbox", "--base-url"})
        QVERIFY2(help.out.contains(word), word);

    const CliRun generateHelp = CliRun::run({QStringLiteral("generate"), QStringLiteral("--help")});
    QVERIFY2(generateHelp.finished && generateHelp.exitCode == 0, qPrintable(generateHelp.describe()));
    for (const char* word : {"--prompt", "--model", "--out", "--no-library", "--data-dir", "--format"})
        QVERIFY2(generateHelp.out.contains(word), word);
}

void tst_Cli::badUsageExitsWithTwo_data()
{
    const QString m = QStringLiteral("--model");
    const QString p = QStringLiteral("--prompt");
    const QString gen = QStringLiteral("generate");
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("no command") << QStringList {};
    QTest::newRow("unknown command") << QStringList {QStringLiteral("paint")};
    QTest::newRow("unknown option") << QStringList {QStringLiteral("models"), QStringLiteral("--colour")};
    QTest::newRow("option of another command") << QStringList {QStringLiteral("models"), p, QStringLiteral("x")};
    QTest::newRow("extra argument") << QStringList {QStringLiteral("balance"), QStringLiteral("now")};
    QTest::newRow("missing model") << QStringList {gen, QStringLiteral("--sandbox"), p, QStringLiteral("x")};
    QTest::newRow("missing prompt") << QStringList {gen, QStringLiteral("--sandbox"), m, kModel};
    QTest::newRow("blank prompt") << QStringList {gen, QStringLiteral("--sandbox"), m, kModel, p, QStringLiteral("  ")};
    QTest::newRow("n zero") << QStringList {
        gen, QStringLiteral("--sandbox"), m, kModel, p, QStringLiteral("x"), QStringLiteral("-n"), QStringLiteral("0")};
    QTest::newRow("n not a number") << QStringList {gen,
                                                    QStringLiteral("--sandbox"),
                                                    m,
                                                    kModel,
                                                    p,
                                                    QStringLiteral("x"),
                                                    QStringLiteral("-n"),
                                                    QStringLiteral("two")};
    QTest::newRow("n too large") << QStringList {gen,
                                                 QStringLiteral("--sandbox"),
                                                 m,
                                                 kModel,
                                                 p,
                                                 QStringLiteral("x"),
                                                 QStringLiteral("-n"),
                                                 QStringLiteral("11")};
    QTest::newRow("bad format") << QStringList {gen,
                                                QStringLiteral("--sandbox"),
                                                m,
                                                kModel,
                                                p,
                                                QStringLiteral("x"),
                                                QStringLiteral("--format"),
                                                QStringLiteral("png")};
    QTest::newRow("missing option value") << QStringList {gen, QStringLiteral("--sandbox"), m};
    QTest::newRow("no-library without out") << QStringList {
        gen, QStringLiteral("--sandbox"), m, kModel, p, QStringLiteral("x"), QStringLiteral("--no-library")};
    QTest::newRow("sandbox and base-url")
        << QStringList {QStringLiteral("models"), QStringLiteral("--sandbox"), QStringLiteral("--base-url"),
                        QStringLiteral("https://api.pixapi.ai")};
    QTest::newRow("relative base-url") << QStringList {QStringLiteral("models"), QStringLiteral("--base-url"),
                                                       QStringLiteral("api.pixapi.ai")};
}

void tst_Cli::badUsageExitsWithTwo()
{
    QFETCH(QStringList, arguments);
    const CliRun run = CliRun::run(arguments, keyedEnvironment());
    QVERIFY2(run.finished, qPrintable(run.describe()));
    QVERIFY2(run.exitCode == 2, qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.errLines().size(), 1);
    QVERIFY2(run.errLines().constFirst().startsWith(QStringLiteral("pixapi-cli: error: ")), run.err.constData());
    QVERIFY(m_server->requests().isEmpty());
}

void tst_Cli::unknownModelFailsWithOneLine()
{
    const QString out = tmpPath(QStringLiteral("out"));
    const CliRun run =
        CliRun::run({QStringLiteral("generate"), QStringLiteral("--sandbox"), QStringLiteral("--model"),
                     QStringLiteral("no-such-model"), QStringLiteral("--prompt"), QStringLiteral("x"),
                     QStringLiteral("--out"), out, QStringLiteral("--data-dir"), tmpPath(QStringLiteral("d"))});
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.errLines().size(), 1);
    const QString line = run.errLines().constFirst();
    QVERIFY2(line.startsWith(QStringLiteral("pixapi-cli: error: ")), qPrintable(line));
    // "<message> [code …, request id …]": the server's code and the id to quote to support.
    QVERIFY2(QRegularExpression(QStringLiteral("\\[code [^,\\]]+, request id [^\\]]+\\]$")).match(line).hasMatch(),
             qPrintable(line));
    QVERIFY(filesUnder(out).isEmpty());
}

void tst_Cli::insecureBaseUrlIsRefused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("models") << QStringList {QStringLiteral("models")};
    QTest::newRow("balance") << QStringList {QStringLiteral("balance")};
    QTest::newRow("generate") << QStringList {QStringLiteral("generate"), QStringLiteral("-m"), kModel,
                                              QStringLiteral("-p"), QStringLiteral("x")};
}

void tst_Cli::insecureBaseUrlIsRefused()
{
    QFETCH(QStringList, arguments);
    arguments << QStringLiteral("--base-url") << QStringLiteral("http://example.com");
    const CliRun run = CliRun::run(arguments, keyedEnvironment());
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.errLines().size(), 1);
    const QString line = run.errLines().constFirst();
    QVERIFY2(line.startsWith(QStringLiteral("pixapi-cli: error: ")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("http://example.com")), qPrintable(line));
    QVERIFY2(line.contains(QStringLiteral("https://")), qPrintable(line)); // says what is allowed
}

void tst_Cli::keyIsNeverPrinted()
{
    QProcessEnvironment env = keyedEnvironment();
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*=true")); // every log line of every category
    const QString base = m_server->baseUrl().toString();
    const QString data = tmpPath(QStringLiteral("data"));
    const QList<QStringList> invocations = {
        {QStringLiteral("models"), QStringLiteral("--verbose"), QStringLiteral("--base-url"), base},
        {QStringLiteral("balance"), QStringLiteral("--verbose"), QStringLiteral("--base-url"), base},
        {QStringLiteral("generate"), QStringLiteral("--verbose"), QStringLiteral("--base-url"), base,
         QStringLiteral("-m"), kModel, QStringLiteral("-p"), QStringLiteral("a key-shaped cloud"),
         QStringLiteral("--out"), tmpPath(QStringLiteral("out")), QStringLiteral("--data-dir"), data},
    };
    for (const QStringList& arguments : invocations) {
        const CliRun run = CliRun::run(arguments, env);
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(!run.err.isEmpty(), "--verbose should say something");
        QVERIFY(!run.out.contains(kSecretKey.toUtf8()));
        QVERIFY(!run.err.contains(kSecretKey.toUtf8()));
    }
    // The key did reach the server, as a header, so the runs above really used it.
    const QList<SandboxRequestRecord> requests = m_server->requests();
    QVERIFY(std::any_of(requests.cbegin(), requests.cend(),
                        [](const SandboxRequestRecord& r) { return r.hadAuthorization; }));
    QCOMPARE(TestEnv::filesContaining(data, kSecretKey.toUtf8()), QStringList());
}

void tst_Cli::refusedKeyIsNeverPrinted()
{
    m_server->setAcceptedKeys({QStringLiteral("pk-some-other-key")});
    QProcessEnvironment env = keyedEnvironment();
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*=true"));
    const CliRun run = CliRun::run({QStringLiteral("models"), QStringLiteral("--verbose"), QStringLiteral("--base-url"),
                                    m_server->baseUrl().toString()},
                                   env);
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
    QVERIFY(!run.err.contains(kSecretKey.toUtf8()));
    QCOMPARE(run.errLines().filter(QStringLiteral("pixapi-cli: error: ")).size(), 1);
    QVERIFY2(run.err.contains("code "), run.err.constData());
}

void tst_Cli::unusableOutDirCostsNothing()
{
    const QString notADirectory = tmpPath(QStringLiteral("file"));
    {
        QFile file(notADirectory);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x");
    }
    const CliRun run =
        CliRun::run({QStringLiteral("generate"), QStringLiteral("--base-url"), m_server->baseUrl().toString(),
                     QStringLiteral("-m"), kModel, QStringLiteral("-p"), QStringLiteral("x"), QStringLiteral("--out"),
                     notADirectory, QStringLiteral("--data-dir"), tmpPath(QStringLiteral("data"))},
                    keyedEnvironment());
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
    QCOMPARE(run.errLines().size(), 1);
    QVERIFY2(run.errLines().constFirst().contains(notADirectory), run.err.constData());
    QVERIFY(!sawGenerationRequest(*m_server)); // checked before anything was paid for
}

void tst_Cli::missingKeyWithoutKeychain()
{
    // No PIXAPI_KEY, and the launcher gives no session bus, so the keychain read fails: a clear error, no request.
    const CliRun run =
        CliRun::run({QStringLiteral("models"), QStringLiteral("--base-url"), m_server->baseUrl().toString()});
    QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
    QCOMPARE(run.errLines().size(), 1);
    QVERIFY2(run.errLines().constFirst().startsWith(
                 QStringLiteral("pixapi-cli: error: no API key: set PIXAPI_KEY or save one in Pixapi Studio")),
             run.err.constData());
    QVERIFY(m_server->requests().isEmpty());
}

void tst_Cli::interruptCancelsCleanly()
{
#ifdef Q_OS_UNIX
    SandboxFault stall;
    stall.kind = SandboxFault::Kind::Stall;
    stall.pathPrefix = QStringLiteral("/v1/images/generations");
    m_server->addFault(stall);
    const QString out = tmpPath(QStringLiteral("out"));
    const CliRun run =
        CliRun::run({QStringLiteral("generate"), QStringLiteral("--base-url"), m_server->baseUrl().toString(),
                     QStringLiteral("-m"), kModel, QStringLiteral("-p"), QStringLiteral("x"), QStringLiteral("--out"),
                     out, QStringLiteral("--data-dir"), tmpPath(QStringLiteral("data"))},
                    keyedEnvironment(), [this](QProcess& process) {
                        // Interrupt once the server holds the request: it may be processed (and paid).
                        QTRY_VERIFY_WITH_TIMEOUT(sawGenerationRequest(*m_server), CliRun::TimeoutMs);
                        ::kill(pid_t(process.processId()), SIGINT);
                    });
    QVERIFY2(run.finished, qPrintable(run.describe()));
    QCOMPARE(run.exitStatus, QProcess::NormalExit);
    QVERIFY2(run.exitCode == 130, qPrintable(run.describe()));
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.contains("cancelled"), run.err.constData());
    QVERIFY2(run.err.contains("may already have been processed"), run.err.constData());
    QVERIFY(filesUnder(out).isEmpty());
#else
    QSKIP("SIGINT delivery is Unix-only");
#endif
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_Cli.moc"
