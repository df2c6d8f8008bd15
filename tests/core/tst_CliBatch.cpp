#include "CliRun.h"
#include "TestEnv.h"
#include "batch/BatchFile.h"
#include "batch/BatchJournal.h"
#include "generation/ResponseSpool.h"
#include "library/Library.h"
#include "sandbox/SandboxServer.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Pixapi;

// pixapi-cli batch against a sandbox hosted by this test process, with the sandbox's own ledger as the judge of
// what was paid: a 200-row batch with injected failures is interrupted (Ctrl+C, then SIGKILL) and run again until it
// is done, and every row that finished was charged exactly once.
class tst_CliBatch : public QObject
{
    Q_OBJECT

private:
    static constexpr int Rows = 200;
    const QString m_flash = QStringLiteral("gemini-2.5-flash-image"); // 2 credits an image
    const QString m_gpt = QStringLiteral("gpt-image-1.5");            // 1 credit an image
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;

    static QProcessEnvironment env() { return CliRun::sandboxKeyEnvironment(); }
    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }
    QString libraryDir() const { return dataDir() + QStringLiteral("/library"); }
    QString batchFile() const { return m_dir->path() + QStringLiteral("/campaign.csv"); }
    QStringList batchArgs(const QStringList& extra = {}) const
    {
        return QStringList {QStringLiteral("batch"),         batchFile(),
                            QStringLiteral("--base-url"),    m_server->baseUrl().toString(),
                            QStringLiteral("--data-dir"),    dataDir(),
                            QStringLiteral("--concurrency"), QStringLiteral("8")}
               + extra;
    }
    static QString promptOf(int row) { return QStringLiteral("campaign shot %1, studio light").arg(row); }
    QString modelOf(int row) const { return row % 2 ? m_gpt : m_flash; }
    double priceOf(int row) const { return row % 2 ? 1 : 2; }

    // Rows 0..count-1: one request each, alternating between the two models.
    void writeBatch(int count) const
    {
        QFile file(batchFile());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("prompt,model,tags\n");
        for (int row = 0; row < count; ++row)
            file.write(QStringLiteral("\"%1\",%2,spring|row %3\n").arg(promptOf(row), modelOf(row)).arg(row).toUtf8());
    }
    int generationPosts() const
    {
        int posts = 0;
        const auto records = m_server->requests();
        for (const SandboxRequestRecord& r : records)
            posts += r.method == QLatin1String("POST") && r.path == QLatin1String("/v1/images/generations") ? 1 : 0;
        return posts;
    }
    QHash<QString, int> chargesPerPrompt() const
    {
        QHash<QString, int> charges;
        const auto list = m_server->charges();
        for (const SandboxCharge& charge : list)
            ++charges[charge.prompt];
        return charges;
    }
    QHash<QString, BatchJournal::Entry> journal() const
    {
        BatchJournal journal(libraryDir());
        if (!journal.open())
            return {};
        return journal.entries(QStringLiteral("campaign")).value();
    }
    int taggedImages(const QString& tag) const
    {
        Library library(libraryDir());
        if (!library.open())
            return -1;
        LibraryQuery query;
        query.tag = tag;
        auto counted = library.countMatching(query);
        counted.waitForFinished();
        return counted.result().ok() ? counted.result().value() : -1;
    }
    // Every prompt of a finished row was charged exactly once, no prompt more than once, and the sandbox's total is
    // the price of the finished rows.
    void verifyChargedOncePerDoneRow(int expectedDone) const
    {
        const QHash<QString, BatchJournal::Entry> entries = journal();
        const QHash<QString, int> charges = chargesPerPrompt();
        for (auto it = charges.cbegin(); it != charges.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(QStringLiteral("charged %1 times: %2").arg(it.value()).arg(it.key())));
        int done = 0;
        double expectedCredits = 0;
        for (const BatchJournal::Entry& entry : entries) {
            if (entry.state != BatchJournal::State::Done)
                continue;
            ++done;
            QVERIFY(entry.credits.has_value());
            expectedCredits += *entry.credits;
        }
        QCOMPARE(done, expectedDone);
        double charged = 0;
        const auto list = m_server->charges();
        for (const SandboxCharge& charge : list)
            charged += charge.credits;
        QCOMPARE(charged, expectedCredits);
        QCOMPARE(m_server->balance(), 100000 - charged);
    }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<SandboxServer>();
        QVERIFY(m_server->listen());
        m_server->setBalance(100000);
    }

    void cleanup()
    {
        m_server.reset();
        m_dir.reset();
    }

    // The test: 200 rows, failures injected, Ctrl+C in the middle, run again, then the rows that may have been
    // charged are sent only when asked for.
    void interruptedBatchIsFinishedAndChargedOncePerRow()
    {
        writeBatch(Rows);
        // Slow enough to be interrupted in the middle. 6 answers of 500 (refused, not charged: sent again on the next
        // run), 3 answers that are not JSON (a 2xx that may have been charged: never sent again unasked).
        SandboxFault latency = SandboxFault::generationOf(QString(), SandboxFault::Kind::Latency, 0, 40);
        m_server->addFault(latency);
        SandboxFault refused = SandboxFault::generationOf(m_gpt, SandboxFault::Kind::Status, 500);
        refused.remaining = 6;
        m_server->addFault(refused);
        SandboxFault unreadable = SandboxFault::generationOf(m_flash, SandboxFault::Kind::MalformedJson);
        unreadable.remaining = 3;
        m_server->addFault(unreadable);

        // Run 1: Ctrl+C once 60 requests were charged. The requests on their way finish; nothing new is sent.
        const CliRun first = CliRun::run(batchArgs(), env(), [this](QProcess& cli) {
            QVERIFY(QTest::qWaitFor([this] { return m_server->charges().size() >= 60; }, 60'000));
            ::kill(pid_t(cli.processId()), SIGINT);
        });
        QVERIFY2(first.finished, qPrintable(first.describe()));
        QCOMPARE(first.exitCode, 130);
        QVERIFY2(first.err.contains("stopping: no new requests"), qPrintable(first.describe()));
        const int postsAfterFirst = generationPosts();
        QVERIFY2(postsAfterFirst < Rows, "the interruption came too late to test anything");
        auto entries = journal();
        QCOMPARE(entries.size(), postsAfterFirst); // one journal row per request sent, written before it
        for (const BatchJournal::Entry& entry : std::as_const(entries))
            QVERIFY(entry.state != BatchJournal::State::Sending); // every request on its way was waited for
        int doneFirst = 0;
        for (const BatchJournal::Entry& entry : std::as_const(entries))
            doneFirst += entry.state == BatchJournal::State::Done ? 1 : 0;
        QCOMPARE(first.outLines().size(), doneFirst); // one saved image per finished row, path printed
        verifyChargedOncePerDoneRow(doneFirst);

        // Run 2: the same command. Done rows are skipped, refused ones sent again, unreadable ones left alone.
        const CliRun second = CliRun::run(batchArgs(), env());
        QVERIFY2(second.finished, qPrintable(second.describe()));
        QCOMPARE(second.exitCode, 1); // not every row is done
        QVERIFY2(second.err.contains("may have been charged without an image reaching the library"),
                 qPrintable(second.describe()));
        int uncertain = 0;
        entries = journal();
        for (const BatchJournal::Entry& entry : std::as_const(entries))
            uncertain += entry.state == BatchJournal::State::Uncertain ? 1 : 0;
        QCOMPARE(uncertain, 3);
        QVERIFY2(second.err.contains(QStringLiteral("%1 already done").arg(doneFirst).toUtf8()),
                 qPrintable(second.describe()));
        QCOMPARE(doneFirst + second.outLines().size(), Rows - 3);
        QCOMPARE(generationPosts(), Rows + 6); // each row once, the 6 refused ones twice
        verifyChargedOncePerDoneRow(Rows - 3);
        QCOMPARE(taggedImages(QStringLiteral("batch: campaign")), Rows - 3);
        QCOMPARE(taggedImages(QStringLiteral("row 7")), 1);

        // Run 3: asked for, the 3 rows that may have been charged are sent; the batch is complete.
        const CliRun third = CliRun::run(batchArgs({QStringLiteral("--retry-uncertain")}), env());
        QVERIFY2(third.finished && third.exitCode == 0, qPrintable(third.describe()));
        QCOMPARE(third.outLines().size(), 3);
        QCOMPARE(generationPosts(), Rows + 6 + 3);
        verifyChargedOncePerDoneRow(Rows);
        QCOMPARE(taggedImages(QStringLiteral("batch: campaign")), Rows);

        // Run 4: nothing left, nothing sent.
        const CliRun fourth = CliRun::run(batchArgs(), env());
        QVERIFY2(fourth.finished && fourth.exitCode == 0, qPrintable(fourth.describe()));
        QVERIFY(fourth.outLines().isEmpty());
        QCOMPARE(generationPosts(), Rows + 6 + 3);

        // The usage ledger saw every request: the 200 done, the 6 refused and the 3 unreadable ones.
        const CliRun usage = CliRun::run(
            {QStringLiteral("usage"), QStringLiteral("--json"), QStringLiteral("--data-dir"), dataDir()}, env());
        QVERIFY2(usage.finished && usage.exitCode == 0, qPrintable(usage.describe()));
        const QJsonObject totals = QJsonDocument::fromJson(usage.out).object();
        QCOMPARE(totals.value(QStringLiteral("requests")).toInt(), Rows + 6 + 3);
        QCOMPARE(totals.value(QStringLiteral("failures")).toInt(), 9);
        QCOMPARE(totals.value(QStringLiteral("may_have_been_charged")).toInt(), 3);
        QCOMPARE(totals.value(QStringLiteral("images")).toInt(), Rows);
        // The ledger counts the 3 that may have been charged at their catalog price: it errs on the side of caution.
        QCOMPARE(totals.value(QStringLiteral("credits")).toDouble(), 100000 - m_server->balance() + 3 * 2);
    }

    // SIGKILL: no cleanup, requests on their way. The next run sends none of them again (they may have been charged)
    // and finishes the rest; no prompt is ever charged twice.
    void killedBatchNeverPaysTwice()
    {
        writeBatch(80);
        m_server->addFault(SandboxFault::generationOf(QString(), SandboxFault::Kind::Latency, 0, 150));
        QProcess cli;
        cli.setProcessEnvironment(env());
        cli.start(QStringLiteral(PIXAPI_CLI_PATH), batchArgs());
        QVERIFY(cli.waitForStarted());
        QVERIFY(QTest::qWaitFor([this] { return m_server->charges().size() >= 20; }, 60'000));
        QSignalSpy died(&cli, &QProcess::finished);
        cli.kill();
        QVERIFY(died.wait(10'000));
        const int postsBeforeKill = generationPosts();
        QTest::qWait(400); // answers the sandbox was still rendering are charged, and go nowhere

        const CliRun again = CliRun::run(batchArgs(), env());
        QVERIFY2(again.finished, qPrintable(again.describe()));
        const QHash<QString, BatchJournal::Entry> entries = journal();
        int uncertain = 0;
        for (const BatchJournal::Entry& entry : entries)
            uncertain += entry.state == BatchJournal::State::Uncertain ? 1 : 0;
        QVERIFY2(uncertain >= 1 && uncertain <= 8, qPrintable(again.describe()));
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("were on their way when an earlier run stopped"), qPrintable(again.describe()));
        QVERIFY(postsBeforeKill < 80);
        QVERIFY(generationPosts() <= 80); // no row sent twice
        int done = 0;
        for (const BatchJournal::Entry& entry : entries)
            done += entry.state == BatchJournal::State::Done ? 1 : 0;
        QCOMPARE(done + uncertain, 80);
        const QHash<QString, int> charges = chargesPerPrompt();
        for (auto it = charges.cbegin(); it != charges.cend(); ++it)
            QCOMPARE(it.value(), 1);
    }

    // Two processes running one batch would each send what the other is about to: the second is refused.
    void sameBatchTwiceAtOnceIsRefused()
    {
        writeBatch(16);
        m_server->addFault(SandboxFault::generationOf(QString(), SandboxFault::Kind::Latency, 0, 150));
        QProcess first;
        first.setProcessEnvironment(env());
        first.start(QStringLiteral(PIXAPI_CLI_PATH), batchArgs({QStringLiteral("--concurrency"), QStringLiteral("2")}));
        QVERIFY(first.waitForStarted());
        QVERIFY(QTest::qWaitFor([this] { return m_server->postCount() >= 1; }, 30'000));
        const int postsBefore = m_server->postCount();
        const CliRun second = CliRun::run(batchArgs(), env());
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains("is already running (process"), qPrintable(second.describe()));
        QSignalSpy finished(&first, &QProcess::finished);
        QVERIFY(finished.wait(60'000));
        QCOMPARE(first.exitCode(), 0);
        QVERIFY(postsBefore <= 2);
        QCOMPARE(generationPosts(), 16);
        QCOMPARE(m_server->charges().size(), 16);
    }

    // The moment a kill can leave between an answer's arrival and its storage: the journal says Sending and the answer
    // waits in the spool. The next run stores it and counts the row as done; it is not sent (or paid for) again.
    void spooledAnswerOfAKilledRunIsSavedNotSentAgain()
    {
        writeBatch(3);
        QFile file(batchFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto items = BatchFile::parse(file.readAll(), BatchFile::Format::Csv, BatchDefaults());
        QVERIFY(items.ok());
        {
            Library library(libraryDir());
            QVERIFY(library.open().ok());
            BatchJournal journal(libraryDir());
            QVERIFY(journal.open().ok());
            QVERIFY(journal.markSending(QStringLiteral("campaign"), items.value().at(1)).ok());
            QImage pixels(16, 16, QImage::Format_RGB32);
            pixels.fill(Qt::darkCyan);
            QBuffer png;
            QVERIFY(png.open(QIODevice::WriteOnly) && pixels.save(&png, "PNG"));
            GenerationResponse response;
            response.requestId = QStringLiteral("req_spooled");
            response.images << GeneratedImage {png.data(), {}, {}, {}};
            ResultSaver::Context context;
            context.params = items.value().at(1).params;
            context.creditsPerImage = 1;
            QVERIFY(ResponseSpool(libraryDir()).write(response, context).ok());
        }

        const CliRun run = CliRun::run(batchArgs(), env());
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
        QVERIFY2(run.err.contains("received before an interruption are now saved"), qPrintable(run.describe()));
        QCOMPARE(run.outLines().size(), 3);
        QCOMPARE(generationPosts(), 2); // rows 0 and 2 only
        QVERIFY(!chargesPerPrompt().contains(promptOf(1)));
        QCOMPARE(taggedImages(QStringLiteral("batch: campaign")), 3);
        QCOMPARE(taggedImages(QStringLiteral("row 1")), 1);
        QVERIFY(ResponseSpool(libraryDir()).pending().isEmpty());
    }

    void preflightRefusesBeforeSending_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<double>("balance");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("over --max-credits") << QStringList {QStringLiteral("--max-credits"), QStringLiteral("10")}
                                            << 100000.0 << QByteArray("more than --max-credits 10");
        QTest::newRow("over the balance") << QStringList() << 20.0 << QByteArray("and the balance is 20 credits");
    }

    void preflightRefusesBeforeSending()
    {
        QFETCH(QStringList, extra);
        QFETCH(double, balance);
        QFETCH(QByteArray, message);
        writeBatch(20); // 30 credits
        m_server->setBalance(balance);
        const CliRun run = CliRun::run(batchArgs(extra), env());
        QVERIFY2(run.finished && run.exitCode == 1, qPrintable(run.describe()));
        QVERIFY2(run.err.contains(message), qPrintable(run.describe()));
        QVERIFY2(run.err.contains("nothing was sent"), qPrintable(run.describe()));
        QCOMPARE(m_server->postCount(), 0);
        QVERIFY(journal().isEmpty());
    }

    void dryRunListsAndSendsNothing()
    {
        QFile file(batchFile());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("prompt,model,n,output,product\n"
                   "\"a {product} on marble\",gemini-2.5-flash-image|gpt-image-1.5,2,hero-{product},sneaker|boot\n");
        file.close();
        const CliRun run = CliRun::run(batchArgs({QStringLiteral("--dry-run")}), env());
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
        QCOMPARE(run.outLines().size(), 4); // 2 values × 2 models
        QVERIFY2(run.err.contains("4 to send (8 "), qPrintable(run.describe()));
        QVERIFY2(run.err.contains("about 12 credits"), qPrintable(run.describe()));
        QVERIFY(run.outLines().at(0).endsWith(QStringLiteral("\thero-sneaker\ta sneaker on marble")));
        QCOMPARE(m_server->postCount(), 0);
    }

    void badFileSendsNothing_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unknown model") << QByteArray("prompt,model\nhello,no-such-model\n")
                                       << QByteArray("the server has no model no-such-model");
        QTest::newRow("bad n") << QByteArray("prompt,model,n\nhello,gpt-image-1.5,11\n")
                               << QByteArray("line 2: n must be from 1 to 10");
        QTest::newRow("unclosed quote") << QByteArray("prompt,model\n\"hello,gpt-image-1.5\n")
                                        << QByteArray("a quoted field is never closed");
    }

    void badFileSendsNothing()
    {
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, message);
        QFile file(batchFile());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        const CliRun run = CliRun::run(batchArgs(), env());
        QVERIFY2(run.finished && (run.exitCode == 1 || run.exitCode == 2), qPrintable(run.describe()));
        QVERIFY2(run.err.contains(message), qPrintable(run.describe()));
        QCOMPARE(m_server->postCount(), 0);
    }

    void outputFolderGetsNamedCopies()
    {
        QFile file(batchFile());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"prompt\": \"a {product} on sand\", \"model\": \"gpt-image-1.5\", \"n\": 2, "
                   "\"output\": \"hero-{product}\", \"vars\": {\"product\": [\"sneaker\", \"boot\"]}}\n");
        file.close();
        QFile::rename(batchFile(), m_dir->path() + QStringLiteral("/campaign.jsonl"));
        const QString out = m_dir->path() + QStringLiteral("/out");
        QStringList args = batchArgs({QStringLiteral("--out"), out, QStringLiteral("--no-library")});
        args[1] = m_dir->path() + QStringLiteral("/campaign.jsonl");
        const CliRun run = CliRun::run(args, env());
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
        QStringList names = QDir(out).entryList(QDir::Files);
        names.sort();
        QCOMPARE(names, QStringList({QStringLiteral("hero-boot-1.png"), QStringLiteral("hero-boot-2.png"),
                                     QStringLiteral("hero-sneaker-1.png"), QStringLiteral("hero-sneaker-2.png")}));
        QCOMPARE(taggedImages(QStringLiteral("batch: campaign")), 0); // --no-library: nothing kept there
        QCOMPARE(journal().size(), 2);                                // but the journal is, for the next run

        const CliRun again = CliRun::run(args, env());
        QVERIFY2(again.finished && again.exitCode == 0, qPrintable(again.describe()));
        QCOMPARE(QDir(out).entryList(QDir::Files).size(), 4);
        QCOMPARE(m_server->charges().size(), 2);
    }

    // `generate` counts in the same ledger as batches and the app.
    void generateIsInTheLedger()
    {
        const CliRun run = CliRun::run({QStringLiteral("generate"), QStringLiteral("-m"), m_flash, QStringLiteral("-p"),
                                        QStringLiteral("one lemon"), QStringLiteral("-n"), QStringLiteral("2"),
                                        QStringLiteral("--base-url"), m_server->baseUrl().toString(),
                                        QStringLiteral("--data-dir"), dataDir()},
                                       env());
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
        const CliRun csv = CliRun::run({QStringLiteral("export"), QStringLiteral("--data-dir"), dataDir()}, env());
        QVERIFY2(csv.finished && csv.exitCode == 0, qPrintable(csv.describe()));
        QCOMPARE(csv.outLines().size(), 2);
        const QStringList fields = csv.outLines().at(1).trimmed().split(QLatin1Char(','));
        QCOMPARE(fields.at(3), m_flash);
        QCOMPARE(fields.at(5), QStringLiteral("2")); // images
        QCOMPARE(fields.last(), QStringLiteral("cli"));
    }

    void helpDescribesEveryCommand()
    {
        for (const QString& command : {QStringLiteral("batch"), QStringLiteral("usage"), QStringLiteral("export")}) {
            const CliRun help = CliRun::run({command, QStringLiteral("--help")});
            QVERIFY2(help.finished && help.exitCode == 0, qPrintable(command + QLatin1Char(' ') + help.describe()));
            QVERIFY(help.out.contains("--data-dir"));
        }
        const CliRun batch = CliRun::run({QStringLiteral("batch"), QStringLiteral("--help")});
        // (The help wraps its lines.)
        QVERIFY(
            QString::fromUtf8(batch.out).simplified().contains(QStringLiteral("Used by the rows that do not set it.")));
        QVERIFY(batch.out.contains("--retry-uncertain"));
        const CliRun missing = CliRun::run({QStringLiteral("batch")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("batch needs a file"), qPrintable(missing.describe()));
    }

    void exportWritesTheLedger()
    {
        writeBatch(5);
        const CliRun run = CliRun::run(batchArgs(), env());
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.describe()));
        const QString csv = m_dir->path() + QStringLiteral("/usage.csv");
        const CliRun exported = CliRun::run({QStringLiteral("export"), QStringLiteral("--since"), QStringLiteral("1h"),
                                             QStringLiteral("-o"), csv, QStringLiteral("--data-dir"), dataDir()},
                                            env());
        QVERIFY2(exported.finished && exported.exitCode == 0, qPrintable(exported.describe()));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 1 + 5 + 1); // header, 5 rows, the final line break
        QVERIFY(lines.at(1).endsWith(",batch\r"));

        const CliRun future = CliRun::run({QStringLiteral("export"), QStringLiteral("--since"),
                                           QStringLiteral("2999-01-01"), QStringLiteral("--data-dir"), dataDir()},
                                          env());
        QVERIFY2(future.finished && future.exitCode == 0, qPrintable(future.describe()));
        QCOMPARE(future.outLines().size(), 1); // the header only

        const CliRun wrong = CliRun::run({QStringLiteral("usage"), QStringLiteral("--since"),
                                          QStringLiteral("last tuesday"), QStringLiteral("--data-dir"), dataDir()},
                                         env());
        QCOMPARE(wrong.exitCode, 2);
        QVERIFY2(wrong.err.contains("is not a moment"), qPrintable(wrong.describe()));
    }
};

QTEST_GUILESS_MAIN(tst_CliBatch)
#include "tst_CliBatch.moc"
