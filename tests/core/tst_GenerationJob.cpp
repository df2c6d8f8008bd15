#include "SandboxFixture.h"
#include "TestEnv.h"
#include "api/PixapiClient.h"
#include "generation/GenerationJob.h"
#include "library/Library.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;
using K = ApiError::Kind;

// A generation end to end: every image the server returns is in the library (file + row) before it is reported,
// and a failure leaves nothing half-saved.
class tst_GenerationJob : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    SandboxFixture m_sandbox;
    std::unique_ptr<Library> m_library;

    GenerationOutcome runJob(const GenerationParams& params, QList<LibraryRecord>* announced = nullptr)
    {
        GenerationJob job(m_sandbox.client.get(), m_library.get(), params);
        QSignalSpy finished(&job, &GenerationJob::finished);
        QSignalSpy saved(&job, &GenerationJob::imageSaved);
        job.start();
        [&] { QVERIFY(finished.wait(30000)); }();
        QTest::qWait(20);
        [&] { QCOMPARE(finished.count(), 1); }();
        if (announced) {
            for (const QList<QVariant>& args : std::as_const(saved))
                announced->append(args.at(0).value<LibraryRecord>());
        }
        return job.outcome();
    }

    GenerationParams params(int n, const QString& format = {}) const
    {
        GenerationParams p;
        p.model = QStringLiteral("nano-banana"); // an alias: the server resolves it
        p.prompt = QStringLiteral("campaign hero shot, teal backdrop");
        p.n = n;
        p.size = QStringLiteral("1024x1024");
        p.responseFormat = format;
        return p;
    }

    int filesOnDisk() const
    {
        int n = 0;
        QDirIterator it(m_library->rootDir() + QStringLiteral("/images"), QDir::Files | QDir::Hidden,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++n;
        }
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        qRegisterMetaType<LibraryRecord>();
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_sandbox.start());
        m_library = std::make_unique<Library>(m_dir->path());
        QVERIFY(m_library->open().ok());
    }

    void cleanup()
    {
        m_library.reset();
        m_sandbox.reset();
        m_dir.reset();
    }

    void savesEveryImageBeforeReporting_data()
    {
        QTest::addColumn<QString>("format");
        QTest::newRow("url (downloaded at once)") << QStringLiteral("url");
        QTest::newRow("b64_json") << QStringLiteral("b64_json");
        QTest::newRow("server default") << QString();
    }

    void savesEveryImageBeforeReporting()
    {
        QFETCH(QString, format);
        QList<LibraryRecord> announced;
        const GenerationOutcome outcome = runJob(params(2, format), &announced);
        QVERIFY2(outcome.complete(), outcome.error ? qPrintable(outcome.error->detail) : "incomplete");
        QCOMPARE(outcome.saved.size(), 2);
        QCOMPARE(announced.size(), 2);
        for (const LibraryRecord& record : std::as_const(announced)) {
            QVERIFY(QFile::exists(record.filePath)); // on disk when announced
            QCOMPARE(QImage(record.filePath).size(), QSize(1024, 1024));
            QCOMPARE(record.prompt, QStringLiteral("campaign hero shot, teal backdrop"));
            QCOMPARE(record.model, QStringLiteral("nano-banana"));
            QVERIFY(!record.requestId.isEmpty());
            QCOMPARE(record.width, 1024);
        }
        QCOMPARE(m_library->count(), 2);
        QCOMPARE(filesOnDisk(), 2);
        // The two images differ (index is part of the render seed) and so do their file names.
        QVERIFY(announced.at(0).sha256 != announced.at(1).sha256);
        QVERIFY(announced.at(0).filePath.endsWith(QLatin1String("-0.png")) != announced.at(1).filePath.endsWith(QLatin1String("-0.png")));
    }

    void failuresSaveNothing_data()
    {
        QTest::addColumn<SandboxFault::Kind>("fault");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("format");
        QTest::addColumn<K>("kind");
        QTest::newRow("402") << SandboxFault::Kind::Status << 402 << QString() << K::InsufficientCredits;
        QTest::newRow("500") << SandboxFault::Kind::Status << 500 << QString() << K::ServerError;
        QTest::newRow("non-image bytes") << SandboxFault::Kind::NonImageBytes << 0 << QStringLiteral("b64_json")
                                         << K::InvalidImage;
        QTest::newRow("non-image file behind URL") << SandboxFault::Kind::NonImageBytes << 0 << QStringLiteral("url")
                                                   << K::InvalidImage;
        QTest::newRow("invalid base64") << SandboxFault::Kind::InvalidBase64 << 0 << QStringLiteral("b64_json")
                                        << K::InvalidImage;
        QTest::newRow("truncated") << SandboxFault::Kind::TruncatedBody << 0 << QString() << K::Truncated;
    }

    void failuresSaveNothing()
    {
        QFETCH(SandboxFault::Kind, fault);
        QFETCH(int, status);
        QFETCH(QString, format);
        QFETCH(K, kind);
        SandboxFault f;
        f.kind = fault;
        f.status = status;
        m_sandbox.server->addFault(f);
        const GenerationOutcome outcome = runJob(params(1, format));
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind, kind);
        QVERIFY(outcome.saved.isEmpty());
        QCOMPARE(m_library->count(), 0);
        QCOMPARE(filesOnDisk(), 0);
    }

    void cancelBeforeAnswer()
    {
        SandboxFault f;
        f.kind = SandboxFault::Kind::Latency;
        f.latencyMs = 3000;
        m_sandbox.server->addFault(f);
        GenerationJob job(m_sandbox.client.get(), m_library.get(), params(1));
        QSignalSpy finished(&job, &GenerationJob::finished);
        job.start();
        QTRY_VERIFY(!m_sandbox.server->requests().isEmpty());
        job.cancel();
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(job.outcome().error->kind, K::Cancelled);
        QCOMPARE(m_library->count(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_GenerationJob)
#include "tst_GenerationJob.moc"
