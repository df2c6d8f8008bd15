#include "QueueFixture.h"
#include "TestEnv.h"
#include "generation/ResponseSpool.h"
#include "support/WhenFinished.h"

#include <QColor>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace Pixapi;

// The spool of sync answers (what a crash between the answer and the library would lose): entries written and read
// back whole, entries cut short ignored, unreadable ones kept aside, and the queue's recovery saving each answer
// once, downloading URL images again, without storing an image twice.
class tst_ResponseSpool : public QObject
{
    Q_OBJECT

private:
    QueueFixture m_fx;

    QString root() const { return m_fx.library->rootDir(); }

    static ResultSaver::Context context()
    {
        ResultSaver::Context c;
        c.params.model = QStringLiteral("gemini-2.5-flash-image");
        c.params.prompt = QStringLiteral("a teapot, spooled");
        c.params.n = 2;
        c.params.size = QStringLiteral("1024x1024");
        c.params.responseFormat = QStringLiteral("b64_json");
        c.accountId = QStringLiteral("acct-1");
        c.creditsPerImage = 1.5;
        c.durationMs = 1234;
        c.parentIds = {7, 3};
        c.inputImages = 1;
        c.masked = true;
        return c;
    }

    static GenerationResponse response(const QList<QByteArray>& images, const QList<QUrl>& urls = {})
    {
        GenerationResponse r;
        r.created = 1'700'000'000;
        r.requestId = QStringLiteral("req_spool_%1").arg(QRandomGenerator::global()->generate());
        r.credits = 3.0;
        for (const QByteArray& bytes : images)
            r.images.append({bytes, {}, QStringLiteral("revised"), {}});
        for (const QUrl& url : urls)
            r.images.append({{}, url, {}, {}});
        return r;
    }

    int imagesOf(const QString& requestId) const
    {
        int n = 0;
        for (const LibraryRecord& r : m_fx.library->recent(1000))
            n += r.requestId == requestId ? 1 : 0;
        return n;
    }

    // Recovers every spooled answer through the queue and waits until each entry finished.
    QList<GenerationOutcome> recover(int expectedEntries)
    {
        QList<GenerationOutcome> outcomes;
        connect(m_fx.queue.get(), &GenerationQueue::entryFinished, this,
                [&outcomes](quint64, const GenerationOutcome& o) { outcomes.append(o); });
        m_fx.queue->recoverSpooled();
        [&] { QTRY_COMPARE_WITH_TIMEOUT(outcomes.size(), expectedEntries, 20'000); }();
        QTest::qWait(50); // a wrong extra entry would show up here
        m_fx.queue->disconnect(this);
        return outcomes;
    }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }
    void init() { QVERIFY(m_fx.start()); }
    void cleanup() { m_fx.reset(); }

    void roundTrip()
    {
        const ResponseSpool spool(root());
        const QByteArray png = TestEnv::solidPng(QColor(Qt::red).rgb(), QSize(8, 6));
        GenerationResponse sent = response({png}, {QUrl(QStringLiteral("http://127.0.0.1:1/files/a.png"))});
        GeneratedImage broken; // an item the server sent broken stays one, so the recovery reports it again
        broken.error = ApiError::make(ApiError::Kind::InvalidImage, QStringLiteral("invalid base64"));
        sent.images << broken;
        const auto written = spool.write(sent, context());
        QVERIFY(written.ok());
        const QList<SpooledResponse> entries = spool.pending();
        QCOMPARE(entries.size(), 1);
        const SpooledResponse& e = entries.first();
        QCOMPARE(e.id, written.value());
        QCOMPARE(e.response.requestId, sent.requestId);
        QCOMPARE(e.response.created, sent.created);
        QCOMPARE(e.response.credits, sent.credits);
        QCOMPARE(e.response.images.size(), 3);
        QCOMPARE(e.response.images.at(0).bytes, png);
        QCOMPARE(e.response.images.at(0).revisedPrompt, QStringLiteral("revised"));
        QCOMPARE(e.response.images.at(1).url, sent.images.at(1).url);
        QVERIFY(!e.response.images.at(0).error && !e.response.images.at(1).error);
        QCOMPARE(e.response.images.at(2).error->kind, ApiError::Kind::InvalidImage);
        QCOMPARE(e.response.images.at(2).error->detail, QStringLiteral("invalid base64"));
        const ResultSaver::Context want = context();
        QCOMPARE(e.context.params.model, want.params.model);
        QCOMPARE(e.context.params.prompt, want.params.prompt);
        QCOMPARE(e.context.params.n, want.params.n);
        QCOMPARE(e.context.params.size, want.params.size);
        QCOMPARE(e.context.params.responseFormat, want.params.responseFormat);
        QCOMPARE(e.context.accountId, want.accountId);
        QCOMPARE(e.context.creditsPerImage, want.creditsPerImage);
        QCOMPARE(e.context.durationMs, want.durationMs);
        QCOMPARE(e.context.parentIds, want.parentIds);
        QCOMPARE(e.context.inputImages, 1);
        QVERIFY(e.context.masked);
        spool.remove(e.id);
        QVERIFY(spool.pending().isEmpty());
    }

    // A crash while the entry was written: without response.json it never counted and is cleared away.
    void cutShortEntryIsDropped()
    {
        const ResponseSpool spool(root());
        QVERIFY(QDir().mkpath(spool.directory() + QStringLiteral("/1-cut")));
        QFile part(spool.directory() + QStringLiteral("/1-cut/image-0.bin"));
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write("half an image");
        part.close();
        QVERIFY(spool.pending().isEmpty());
        QVERIFY(!QDir(spool.directory() + QStringLiteral("/1-cut")).exists());
    }

    // Damaged on disk: kept aside for a person, never deleted, never retried in a loop.
    void unreadableEntryIsKeptAside_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not JSON") << QByteArrayLiteral("{\"images\": [");
        QTest::newRow("no images") << QByteArrayLiteral("{\"images\": []}");
        QTest::newRow("image file missing") << QByteArrayLiteral("{\"images\": [{\"stored\": true}]}");
        QTest::newRow("neither bytes nor url") << QByteArrayLiteral("{\"images\": [{\"stored\": false}]}");
    }

    void unreadableEntryIsKeptAside()
    {
        QFETCH(QByteArray, json);
        const ResponseSpool spool(root());
        const QString dir = spool.directory() + QStringLiteral("/2-bad");
        QVERIFY(QDir().mkpath(dir));
        QFile file(dir + QStringLiteral("/response.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(json);
        file.close();
        QVERIFY(spool.pending().isEmpty());
        QVERIFY(QDir(dir + QStringLiteral(".unreadable")).exists());
        QVERIFY(spool.pending().isEmpty()); // stays aside
    }

    // The queue saves a spooled answer: b64 images from the spool, URL images downloaded again, with the settings
    // of the request, then clears the entry. Listed as a finished queue entry that cannot be retried.
    void queueRecoversSpooledAnswer()
    {
        const ResponseSpool spool(root());
        ResultSaver::Context c = context();
        c.parentIds.clear();
        c.inputImages = 0;
        c.masked = false;
        // A URL the sandbox serves: generate one and keep its URL.
        GenerationParams p = c.params;
        p.responseFormat = QStringLiteral("url");
        p.n = 1;
        GenerateJob* job = m_fx.sandbox.client->generate(p);
        QSignalSpy done(job, &ApiJob::finished);
        QUrl url;
        connect(job, &ApiJob::finished, this, [&url, job] {
            if (job->result().ok())
                url = job->result().value().images.value(0).url;
        });
        QVERIFY(done.wait(20'000));
        QVERIFY(url.isValid());
        const GenerationResponse sent = response({TestEnv::solidPng(QColor(Qt::blue).rgb(), QSize(16, 16))}, {url});
        QVERIFY(spool.write(sent, c).ok());

        const auto outcomes = recover(1);
        QCOMPARE(outcomes.size(), 1);
        QVERIFY2(outcomes.first().complete(),
                 qPrintable(outcomes.first().error ? outcomes.first().error->userMessage() : QString()));
        QCOMPARE(imagesOf(sent.requestId), 2);
        const LibraryRecord record = m_fx.library->recent(1).first();
        QCOMPARE(record.prompt, c.params.prompt);
        QCOMPARE(record.accountId, c.accountId);
        QCOMPARE(*record.credits, 1.5); // the response's 3 credits over its 2 images
        QVERIFY(spool.pending().isEmpty());
        const QueueEntry entry = m_fx.queue->model()->entries().last();
        QCOMPARE(entry.state, QueueEntry::State::Completed);
        QVERIFY(!entry.retryable);
        QCOMPARE(m_fx.sandbox.server->postCount(), 1); // only the one above: recovery never posts
    }

    // An answer whose first image was stored before the crash: recovered, the second is added, the first not again.
    void recoveryStoresNothingTwice()
    {
        const ResponseSpool spool(root());
        const GenerationResponse sent = response({TestEnv::solidPng(QColor(Qt::green).rgb(), QSize(10, 10)),
                                                  TestEnv::solidPng(QColor(Qt::yellow).rgb(), QSize(10, 10))});
        ResultSaver first(m_fx.sandbox.client.get(), m_fx.library.get());
        GenerationResponse onlyFirst = sent;
        onlyFirst.images.removeLast();
        ResultSaver::Context c = context();
        c.parentIds.clear();
        c.inputImages = 0;
        c.taskId = QStringLiteral("unspooled"); // not spooled itself: this stands for the part saved before the crash
        QSignalSpy saved(&first, &ResultSaver::finished);
        first.save(onlyFirst, c);
        QVERIFY(saved.count() == 1 || saved.wait(10'000));
        QCOMPARE(imagesOf(sent.requestId), 1);

        c.taskId.clear();
        QVERIFY(spool.write(sent, c).ok());
        const auto outcomes = recover(1);
        QVERIFY(outcomes.first().complete());
        QCOMPARE(outcomes.first().saved.size(), 2);
        QCOMPARE(imagesOf(sent.requestId), 2);
        QVERIFY(spool.pending().isEmpty());
    }

    // A sync generation through the queue leaves nothing in the spool once its images are stored.
    void finishedGenerationLeavesNoSpool()
    {
        GenerationQueue::Request request;
        request.params = context().params;
        request.params.n = 2;
        QSignalSpy finished(m_fx.queue.get(), &GenerationQueue::entryFinished);
        m_fx.queue->enqueue(request);
        QVERIFY(finished.wait(20'000));
        QVERIFY(qvariant_cast<GenerationOutcome>(finished.first().at(1)).complete());
        QVERIFY(ResponseSpool(root()).pending().isEmpty());
        QVERIFY(QDir(ResponseSpool(root()).directory()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_ResponseSpool)
#include "tst_ResponseSpool.moc"
