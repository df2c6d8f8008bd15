// Benchmark of `pixapi-cli batch` (issue #9, item 5): ROWS requests at CONCURRENCY against a sandbox on its own
// thread in this process. Three measurements in the same run, so the figures are ratios on any machine:
//   raw     the same request bodies POSTed by a bare QNetworkAccessManager at the same concurrency, answers dropped:
//           what the sandbox (and loopback) can deliver at all, the ceiling for the CLI's images/s;
//   decode  a plain QImage decode of one such answer's PNG, in CPU time: the least a client must spend per image;
//   batch   the real CLI (a child process): wall time for images/s, and its user + system CPU time (getrusage of the
//           waited-for child) per image.
// Prints one JSON line.
//
//   bench_batch CLI_PATH ROWS CONCURRENCY [EDGE]   (EDGE: 1024 or 2048, the sandbox's render size; default 1024)
#include "api/PixapiClient.h"
#include "sandbox/SandboxHost.h"
#include "sandbox/SandboxServer.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>
#include <ctime>

using namespace Pixapi;

namespace {

const QString kModel = QStringLiteral("gpt-image-2");

double threadCpuMs()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
}

double childrenCpuMs()
{
    rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);
    const auto ms = [](const timeval& t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

GenerationParams paramsOf(int row, int edge)
{
    GenerationParams params;
    params.model = kModel;
    params.prompt = QStringLiteral("campaign shot %1, studio light").arg(row);
    params.size = QStringLiteral("%1x%1").arg(edge);
    params.responseFormat = QStringLiteral("b64_json");
    return params;
}

// POSTs every body, at most `concurrency` at a time; returns the wall time in ms and one answer body.
double rawRun(const QUrl& base, int rows, int concurrency, int edge, QByteArray* sample)
{
    QNetworkAccessManager network;
    QEventLoop loop;
    int next = 0;
    int done = 0;
    std::function<void()> send = [&] {
        QNetworkRequest request(base.resolved(QUrl(QStringLiteral("/v1/images/generations"))));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer " + SandboxServer::defaultKey().toUtf8());
        QNetworkReply* reply = network.post(request, PixapiClient::generationBody(paramsOf(next++, edge)));
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
            const QByteArray body = reply->readAll();
            if (sample->isEmpty())
                *sample = body;
            reply->deleteLater();
            if (++done == rows)
                loop.quit();
            else if (next < rows)
                send();
        });
    };
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < std::min(concurrency, rows); ++i)
        send();
    loop.exec();
    return double(clock.nsecsElapsed()) / 1e6;
}

// CPU ms of one QImage decode of the answer's PNG (median-free: the mean of `times` decodes, after one warm-up).
double decodeCpuMs(const QByteArray& answer, int times)
{
    const QJsonArray data = QJsonDocument::fromJson(answer).object().value(QStringLiteral("data")).toArray();
    const QByteArray png =
        QByteArray::fromBase64(data.at(0).toObject().value(QStringLiteral("b64_json")).toString().toLatin1());
    QImage warm;
    warm.loadFromData(png);
    const double start = threadCpuMs();
    for (int i = 0; i < times; ++i) {
        QImage image;
        image.loadFromData(png);
        if (image.isNull())
            return -1;
    }
    return (threadCpuMs() - start) / times;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        std::fprintf(stderr, "usage: bench_batch CLI_PATH ROWS CONCURRENCY [EDGE]\n");
        return 2;
    }
    const QString cli = args.at(1);
    const int rows = args.at(2).toInt();
    const int concurrency = args.at(3).toInt();
    const int edge = args.size() > 4 ? args.at(4).toInt() : 1024;

    SandboxHost sandbox;
    if (!sandbox.start())
        return 1;
    sandbox.server()->setBalance(1e9);

    QByteArray sample;
    const double rawMs = rawRun(sandbox.baseUrl(), rows, concurrency, edge, &sample);
    const double decodeMs = decodeCpuMs(sample, 10);

    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("bench.csv")));
    if (!file.open(QIODevice::WriteOnly))
        return 1;
    file.write("prompt,model,size\n");
    for (int row = 0; row < rows; ++row) {
        const GenerationParams params = paramsOf(rows + row, edge); // not the raw run's prompts
        file.write(QStringLiteral("\"%1\",%2,%3\n").arg(params.prompt, params.model, params.size).toUtf8());
    }
    file.close();

    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PIXAPI_KEY"), SandboxServer::defaultKey());
    process.setProcessEnvironment(env);
    process.setStandardOutputFile(QProcess::nullDevice());
    const double cpuBefore = childrenCpuMs();
    QElapsedTimer clock;
    clock.start();
    process.start(cli,
                  {QStringLiteral("batch"), file.fileName(), QStringLiteral("--base-url"), sandbox.baseUrl().toString(),
                   QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")), QStringLiteral("--concurrency"),
                   QString::number(concurrency), QStringLiteral("--format"), QStringLiteral("b64_json")});
    if (!process.waitForFinished(600'000) || process.exitCode() != 0) {
        std::fprintf(stderr, "pixapi-cli batch failed: %s\n", process.readAllStandardError().constData());
        return 1;
    }
    const double batchMs = double(clock.nsecsElapsed()) / 1e6;
    const double cpuMs = childrenCpuMs() - cpuBefore;

    const double rawRate = rows / (rawMs / 1e3);
    const double batchRate = rows / (batchMs / 1e3);
    const QJsonObject figures {{QStringLiteral("rows"), rows},
                               {QStringLiteral("concurrency"), concurrency},
                               {QStringLiteral("edge"), edge},
                               {QStringLiteral("answer_bytes"), sample.size()},
                               {QStringLiteral("raw_images_per_s"), rawRate},
                               {QStringLiteral("batch_images_per_s"), batchRate},
                               {QStringLiteral("batch_vs_raw"), batchRate / rawRate},
                               {QStringLiteral("decode_cpu_ms"), decodeMs},
                               {QStringLiteral("batch_cpu_ms_per_image"), cpuMs / rows},
                               {QStringLiteral("batch_cpu_vs_decode"), cpuMs / rows / decodeMs}};
    std::printf("%s\n", QJsonDocument(figures).toJson(QJsonDocument::Compact).constData());
    return 0;
}
