#include "SandboxFixture.h"
#include "TestEnv.h"
#include "api/PixapiClient.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"
#include "support/BackgroundWork.h"
#include "support/Redactor.h"

#include <QElapsedTimer>
#include <QImage>
#include <QLoggingCategory>
#include <QPointer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

using namespace Pixapi;
using K = ApiError::Kind;

// The client against the embedded sandbox over real loopback HTTP: every success and failure path, one finished()
// per job, POSTs sent again only after a refusal, the key never sent where it does not belong.
class tst_PixapiClient : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;

    GenerationParams params(const QString& format = {}) const
    {
        GenerationParams p;
        p.model = QStringLiteral("gemini-2.5-flash-image");
        p.prompt = QStringLiteral("a lemon on a blue table");
        p.n = 1;
        p.size = QStringLiteral("1024x1024");
        p.responseFormat = format;
        return p;
    }

    int countRequests(const QString& method, const QString& pathPrefix) const
    {
        int n = 0;
        for (const SandboxRequestRecord& r : m_sandbox.server->requests()) {
            if (r.method == method && r.path.startsWith(pathPrefix))
                ++n;
        }
        return n;
    }

    // Runs a job to completion and checks that it finished exactly once.
    template <typename Job>
    typename Job::ResultType run(Job* job)
    {
        QSignalSpy spy(job, &ApiJob::finished);
        std::optional<typename Job::ResultType> result;
        connect(job, &ApiJob::finished, this, [&result, job] { result = job->result(); });
        [&] { QVERIFY(spy.wait(20000)); }();
        QTest::qWait(20); // a (wrong) second emission would show up here
        [&] { QCOMPARE(spy.count(), 1); }();
        if (!result)
            return Job::ResultType::failure(ApiError::make(K::NetworkError, QStringLiteral("no result")));
        return *result;
    }

    Result<GenerationResponse, ApiError> generate(const GenerationParams& p)
    {
        return run(m_sandbox.client->generate(p));
    }
    Result<QByteArray, ApiError> download(const QUrl& url) { return run(m_sandbox.client->downloadImage(url)); }
    Result<QList<ModelInfo>, ApiError> listModels() { return run(m_sandbox.client->listModels()); }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void init() { QVERIFY(m_sandbox.start()); }

    void cleanup() { m_sandbox.reset(); }

    void listsModels()
    {
        const auto result = listModels();
        QVERIFY(result.ok());
        QStringList ids;
        for (const ModelInfo& m : result.value())
            ids << m.id;
        for (const char* id : {"gemini-2.5-flash-image", "gemini-3.1-flash-image-preview", "gemini-3-pro-image-preview",
                               "gpt-image-1.5", "gpt-image-2"})
            QVERIFY2(ids.contains(QLatin1String(id)), id);
        const SandboxRequestRecord r = m_sandbox.server->requests().constLast();
        QVERIFY(r.hadAuthorization);
        QVERIFY(r.userAgent.startsWith(QLatin1String("PixapiStudio/")));
        QVERIFY(!r.requestIdHeader.isEmpty());
    }

    void baseUrlWithV1Suffix()
    {
        QUrl base = m_sandbox.server->baseUrl();
        base.setPath(QStringLiteral("/v1/"));
        m_sandbox.client->setBaseUrl(base);
        QCOMPARE(m_sandbox.client->endpoint(QStringLiteral("models")).path(), QStringLiteral("/v1/models"));
        QVERIFY(listModels().ok());
    }

    void generatesUrlAndDownloadsWithoutKey()
    {
        const auto result = generate(params());
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().detail));
        QCOMPARE(result.value().images.size(), 1);
        const QUrl url = result.value().images.at(0).url;
        QVERIFY(url.isValid());
        QVERIFY(!result.value().requestId.isEmpty());

        const auto bytes = download(url);
        QVERIFY(bytes.ok());
        QCOMPARE(QImage::fromData(bytes.value()).size(), QSize(1024, 1024));
        const SandboxRequestRecord last = m_sandbox.server->requests().constLast();
        QCOMPARE(last.method, QStringLiteral("GET"));
        QVERIFY(last.path.startsWith(QLatin1String("/files/")));
        QVERIFY2(!last.hadAuthorization, "the API key must never be sent to an image URL");
    }

    void generatesBase64()
    {
        GenerationParams p = params(QStringLiteral("b64_json"));
        p.n = 2;
        const auto result = generate(p);
        QVERIFY(result.ok());
        QCOMPARE(result.value().images.size(), 2);
        for (const GeneratedImage& image : result.value().images)
            QVERIFY(!QImage::fromData(image.bytes).isNull());
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/images/generations")), 1);
    }

    void statusErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<K>("kind");
        QTest::addColumn<int>("posts");
        QTest::newRow("401") << 401 << K::Unauthorized << 1;
        QTest::newRow("402") << 402 << K::InsufficientCredits << 1;
        QTest::newRow("403") << 403 << K::Forbidden << 1;
        QTest::newRow("404") << 404 << K::NotFound << 1;
        QTest::newRow("413") << 413 << K::PayloadTooLarge << 1;
        QTest::newRow("422") << 422 << K::Rejected << 1;
        // Retry-After longer than the client waits unattended: reported at once, with the wait in the message.
        QTest::newRow("429 wait 2 min") << 429 << K::RateLimited << 1;
        QTest::newRow("500") << 500 << K::ServerError << 1; // may have failed after the provider was called
        QTest::newRow("502") << 502 << K::Unavailable << 1;
        QTest::newRow("503") << 503 << K::Unavailable << 4; // refused every time: the first send and three more
        QTest::newRow("504") << 504 << K::Unavailable << 1; // a gateway timeout: the request may be running
    }

    void statusErrors()
    {
        QFETCH(int, status);
        QFETCH(K, kind);
        QFETCH(int, posts);
        SandboxFault fault;
        fault.kind = SandboxFault::Kind::Status;
        fault.status = status;
        fault.retryAfterSeconds = status == 429 ? 120 : -1;
        fault.pathPrefix = QStringLiteral("/v1/images");
        m_sandbox.server->addFault(fault);
        const double before = m_sandbox.server->balance();
        const auto result = generate(params());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, kind);
        QCOMPARE(result.error().httpStatus, status);
        QVERIFY(!result.error().requestId.isEmpty());
        if (status == 429) {
            QCOMPARE(result.error().retryAfterSeconds, 120);
            QVERIFY2(result.error().userMessage().contains(QLatin1String("120")),
                     qPrintable(result.error().userMessage()));
        }
        // A generation POST is sent again only when the server said it did not take it (429 and 503).
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/images/generations")), posts);
        QCOMPARE(m_sandbox.server->balance(), before);
    }

    // 429 and 503 mean the server turned the request away: it is sent again with backoff, honouring Retry-After,
    // and charged once, when it is finally taken.
    void refusedPostsAreSentAgain_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("refusals");
        QTest::addColumn<int>("retryAfter");
        QTest::addColumn<bool>("async");
        QTest::newRow("429 once, Retry-After 1 s") << 429 << 1 << 1 << false;
        QTest::newRow("503 twice") << 503 << 2 << -1 << false;
        QTest::newRow("429 three times") << 429 << 3 << -1 << false;
        QTest::newRow("async submit 429 once") << 429 << 1 << -1 << true;
        QTest::newRow("async submit 503 twice") << 503 << 2 << -1 << true;
    }

    void refusedPostsAreSentAgain()
    {
        QFETCH(int, status);
        QFETCH(int, refusals);
        QFETCH(int, retryAfter);
        QFETCH(bool, async);
        SandboxFault fault;
        fault.kind = SandboxFault::Kind::Status;
        fault.status = status;
        fault.retryAfterSeconds = retryAfter;
        fault.remaining = refusals;
        fault.pathPrefix = async ? QStringLiteral("/v1/async/images") : QStringLiteral("/v1/images");
        m_sandbox.server->addFault(fault);
        const double before = m_sandbox.server->balance();
        QElapsedTimer clock;
        clock.start();
        if (async) {
            ApiJob* job = m_sandbox.client->submitAsync(params());
            QSignalSpy retries(job, &ApiJob::retryScheduled);
            const auto result = run(static_cast<TaskJob*>(job));
            QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().userMessage()));
            QVERIFY(!result.value().id.isEmpty());
            QCOMPARE(retries.count(), refusals);
            QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/async/images/generations")),
                     refusals + 1);
            return;
        }
        GenerateJob* job = m_sandbox.client->generate(params());
        QSignalSpy retries(job, &ApiJob::retryScheduled);
        const auto result = run(job);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().userMessage()));
        QCOMPARE(result.value().images.size(), 1);
        QCOMPARE(retries.count(), refusals);
        QCOMPARE(retries.first().at(1).toInt(), status);
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/images/generations")), refusals + 1);
        QCOMPARE(m_sandbox.server->postCount(), refusals + 1);
        // Charged once: only the accepted request cost anything.
        QCOMPARE(before - m_sandbox.server->balance(), m_sandbox.server->creditsCharged(params().model));
        QVERIFY(m_sandbox.server->creditsCharged(params().model) > 0);
        if (retryAfter > 0)
            QVERIFY2(clock.elapsed() >= retryAfter * 1000, "Retry-After was not honoured");
    }

    // OpenAI's "429 insufficient_quota" is out of money, not a rate limit: sending it again cannot help.
    void quotaRefusalIsNotSentAgain()
    {
        ApiError quota = ApiError::make(K::InsufficientCredits);
        quota.httpStatus = 429;
        QVERIFY(!PixapiClient::isRefusedBeforeProcessing(quota));
        ApiError limited = ApiError::make(K::RateLimited);
        limited.httpStatus = 429;
        QVERIFY(PixapiClient::isRefusedBeforeProcessing(limited));
        ApiError timeout = ApiError::make(K::Timeout);
        QVERIFY(!PixapiClient::isRefusedBeforeProcessing(timeout));
    }

    // Backoff grows, is capped, has jitter, honours Retry-After, and gives up on a Retry-After over 30 s.
    void retryDelays()
    {
        NetworkAccess network;
        PixapiClient client(&network);
        ApiError plain = ApiError::make(K::Unavailable);
        QSet<int> seen;
        for (int i = 0; i < 50; ++i) {
            const int first = *client.retryDelayMs(0, plain);
            QVERIFY(first >= 500 && first <= 750);
            seen.insert(first);
        }
        QVERIFY2(seen.size() > 5, "no jitter");
        QVERIFY(*client.retryDelayMs(2, plain) >= 2000 && *client.retryDelayMs(2, plain) <= 2250);
        QVERIFY(*client.retryDelayMs(10, plain) <= 8250);
        ApiError wait = plain;
        wait.retryAfterSeconds = 9;
        QVERIFY(*client.retryDelayMs(0, wait) >= 9000);
        wait.retryAfterSeconds = 31;
        QVERIFY(!client.retryDelayMs(0, wait));
    }

    // Cancelling while a refused request waits to be sent again sends nothing more.
    void cancelDuringRetryWait()
    {
        SandboxFault fault;
        fault.kind = SandboxFault::Kind::Status;
        fault.status = 429;
        fault.retryAfterSeconds = 2;
        fault.pathPrefix = QStringLiteral("/v1/images");
        m_sandbox.server->addFault(fault);
        GenerateJob* job = m_sandbox.client->generate(params());
        QSignalSpy retries(job, &ApiJob::retryScheduled);
        QTimer::singleShot(0, this, [this, job, &retries] {
            QVERIFY(retries.wait(5000));
            job->cancel();
        });
        const auto result = run(job);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, K::Cancelled);
        QTest::qWait(2500);
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/images/generations")), 1);
    }

    void wrongKeyIsUnauthorized()
    {
        m_sandbox.client->setApiKey(QStringLiteral("sk_wrong"));
        const auto result = listModels();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, K::Unauthorized);
        QCOMPARE(countRequests(QStringLiteral("GET"), QStringLiteral("/v1/models")), 1); // 401 is not retried
    }

    void getRetriesTransientErrors()
    {
        SandboxFault fault;
        fault.kind = SandboxFault::Kind::Status;
        fault.status = 503;
        fault.pathPrefix = QStringLiteral("/v1/models");
        fault.remaining = 1;
        m_sandbox.server->addFault(fault);
        QVERIFY(listModels().ok());
        QCOMPARE(countRequests(QStringLiteral("GET"), QStringLiteral("/v1/models")), 2);
    }

    void badBodies_data()
    {
        QTest::addColumn<SandboxFault::Kind>("fault");
        QTest::addColumn<QString>("format");
        QTest::addColumn<K>("kind");
        QTest::newRow("malformed JSON") << SandboxFault::Kind::MalformedJson << QString() << K::MalformedResponse;
        QTest::newRow("wrong types") << SandboxFault::Kind::WrongTypes << QString() << K::MalformedResponse;
        QTest::newRow("empty data") << SandboxFault::Kind::EmptyData << QString() << K::MalformedResponse;
        QTest::newRow("invalid base64") << SandboxFault::Kind::InvalidBase64 << QStringLiteral("b64_json")
                                        << K::InvalidImage;
        QTest::newRow("truncated body") << SandboxFault::Kind::TruncatedBody << QString() << K::Truncated;
        QTest::newRow("huge body") << SandboxFault::Kind::HugeBody << QString() << K::ResponseTooLarge;
    }

    void badBodies()
    {
        QFETCH(SandboxFault::Kind, fault);
        QFETCH(QString, format);
        QFETCH(K, kind);
        SandboxFault f;
        f.kind = fault;
        f.pathPrefix = QStringLiteral("/v1/images");
        m_sandbox.server->addFault(f);
        const auto result = generate(params(format));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, kind);
        // The server answered (or started to): the request may have been charged, so the user must be told.
        QVERIFY(result.error().mayHaveBeenProcessed);
        QVERIFY(result.error().userMessage().contains(QLatin1String("charged")));
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/images/generations")), 1);
    }

    void timeoutIsReportedAndNotRetried()
    {
        SandboxFault f;
        f.kind = SandboxFault::Kind::Stall;
        f.pathPrefix = QStringLiteral("/v1/images");
        m_sandbox.server->addFault(f);
        m_sandbox.client->setGenerationTimeoutMs(400);
        const auto result = generate(params());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, K::Timeout);
        QVERIFY(result.error().mayHaveBeenProcessed);
        QCOMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/images/generations")), 1);
    }

    void redirectToAnotherHostNeverCarriesTheKey()
    {
        SandboxServer other;
        QVERIFY(other.listen());
        QUrl target = other.baseUrl();
        target.setPath(QStringLiteral("/v1/models"));
        SandboxFault f;
        f.kind = SandboxFault::Kind::RedirectTo;
        f.redirectUrl = target;
        f.pathPrefix = QStringLiteral("/v1/models");
        m_sandbox.server->addFault(f);
        const auto result = listModels();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, K::RedirectRefused);
        for (const SandboxRequestRecord& r : other.requests())
            QVERIFY2(!r.hadAuthorization, "the key reached another origin");
        QVERIFY(other.requests().isEmpty());
    }

    void offline()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close(); // nothing listens there now
        m_sandbox.client->setBaseUrl(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
        const auto result = generate(params());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, K::Offline);
        QVERIFY(!result.error().mayHaveBeenProcessed); // the request never left
    }

    void insecureUrlsRefused_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("http to a remote host") << QStringLiteral("http://api.pixapi.ai");
        QTest::newRow("http to a LAN address") << QStringLiteral("http://192.168.1.10:8080");
        QTest::newRow("ftp") << QStringLiteral("ftp://127.0.0.1");
        QTest::newRow("file") << QStringLiteral("file:///etc/passwd");
    }

    void insecureUrlsRefused()
    {
        QFETCH(QString, url);
        m_sandbox.client->setBaseUrl(QUrl(url));
        const auto result = generate(params());
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, K::InsecureUrl);
        QVERIFY(!result.error().mayHaveBeenProcessed);
        QVERIFY(m_sandbox.server->requests().isEmpty());
    }

    void loopbackHttpAllowed()
    {
        QVERIFY(NetworkAccess::isAllowedUrl(QUrl(QStringLiteral("http://127.0.0.1:1234/v1"))));
        QVERIFY(NetworkAccess::isAllowedUrl(QUrl(QStringLiteral("http://[::1]:1234/v1"))));
        QVERIFY(NetworkAccess::isAllowedUrl(QUrl(QStringLiteral("http://localhost:8080"))));
        QVERIFY(NetworkAccess::isAllowedUrl(QUrl(QStringLiteral("https://api.pixapi.ai"))));
        QVERIFY(!NetworkAccess::isAllowedUrl(QUrl(QStringLiteral("http://localhost.evil.example"))));
        QVERIFY(!NetworkAccess::isAllowedUrl(QUrl(QStringLiteral("https://"))));
    }

    void cancelEmitsOnce()
    {
        SandboxFault f;
        f.kind = SandboxFault::Kind::Stall;
        f.pathPrefix = QStringLiteral("/v1/images");
        m_sandbox.server->addFault(f);
        GenerateJob* job = m_sandbox.client->generate(params());
        QSignalSpy spy(job, &ApiJob::finished);
        std::optional<ApiError> error;
        connect(job, &ApiJob::finished, this, [&error, job] {
            if (!job->result().ok())
                error = job->result().error();
        });
        QTRY_COMPARE(countRequests(QStringLiteral("POST"), QStringLiteral("/v1/images")), 1);
        job->cancel();
        job->cancel(); // idempotent
        QTRY_COMPARE(spy.count(), 1);
        QTest::qWait(50);
        QCOMPARE(spy.count(), 1);
        QVERIFY(error);
        QCOMPARE(error->kind, K::Cancelled);
    }

    // Once the answer is in, it was charged: a cancel no longer drops it. The answer is read on backgroundPool(),
    // which the test keeps busy, so the cancel lands exactly between the last byte and the parse.
    void cancelAfterAnswerDeliversImages()
    {
        QThreadPool* pool = backgroundPool();
        QSemaphore release;
        QSemaphore started;
        for (int i = 0; i < pool->maxThreadCount(); ++i) {
            pool->start([&] {
                started.release();
                release.acquire();
            });
        }
        started.acquire(pool->maxThreadCount());
        GenerateJob* job = m_sandbox.client->generate(params(QStringLiteral("b64_json")));
        QPointer<GenerateJob> alive(job);
        std::optional<Result<GenerationResponse, ApiError>> result;
        connect(job, &ApiJob::finished, this, [&result, job] { result = job->result(); });
        QTRY_VERIFY_WITH_TIMEOUT(alive && alive->answerReceived(), 10000);
        job->cancel();
        release.release(pool->maxThreadCount());
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 10000);
        QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().userMessage()));
        QCOMPARE(result->value().images.size(), 1);
        QVERIFY(!QImage::fromData(result->value().images.first().bytes).isNull());
    }

    // The work runs below the UI thread's priority (Linux: nice +5), so a busy machine serves the UI thread first.
    void backgroundWorkRunsAtLowerPriority()
    {
#ifdef Q_OS_LINUX
        const int uiNice = getpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)));
        const int workerNice =
            runInBackground([] { return getpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid))); }).result();
        QCOMPARE(workerNice, uiNice + 5);
#else
        QSKIP("thread priorities are only lowered on Linux");
#endif
    }

    void keyNeverLogged()
    {
        // Every category at debug level through a full session: Qt's own HTTP server logs whole request headers,
        // so the redacting handler (installed by the app and the CLI) must mask the key wherever it appears.
        static QStringList captured;
        captured.clear();
        const QtMessageHandler previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext&, const QString& message) { captured << message; });
        Redactor::installMessageHandler(); // as the app and the CLI do at start
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        const QString key = QStringLiteral("sk_live_LEAKCHECK_7f3a9c");
        m_sandbox.server->setAcceptedKeys({key});
        m_sandbox.client->setApiKey(key);
        QVERIFY(listModels().ok());
        const auto generated = generate(params());
        QVERIFY(generated.ok());
        QVERIFY(download(generated.value().images.at(0).url).ok());
        m_sandbox.client->setApiKey(key + QStringLiteral("_wrong"));
        QCOMPARE(listModels().error().kind, K::Unauthorized);
        QLoggingCategory::setFilterRules(QString());
        qInstallMessageHandler(previous);
        QVERIFY(std::any_of(captured.cbegin(), captured.cend(),
                            [](const QString& line) { return line.contains(QLatin1String("Authorization")); }));
        QVERIFY(captured.size() > 5); // the logging really ran
        for (const QString& line : std::as_const(captured))
            QVERIFY2(!line.contains(QLatin1String("LEAKCHECK")), qPrintable(line));
    }

    void balance()
    {
        m_sandbox.server->setBalance(321);
        const auto result = run(m_sandbox.client->fetchBalance());
        QVERIFY(result.ok());
        QCOMPARE(result.value().credits, 321.0);
    }
};

QTEST_GUILESS_MAIN(tst_PixapiClient)
#include "tst_PixapiClient.moc"
