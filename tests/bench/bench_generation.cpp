// Generation benchmarks (issue #9, items 3 and 4): the studio window on an empty library, its queue fed by BurstServer
// with sandbox renders, the UI thread watched by StallProbe. One measurement per process; run-benchmarks.py runs each
// mode several times and prints medians.
//
//   bench_generation idle [MS]           a blank QMainWindow with the probe running for MS (default 3000): the
//                                        baseline stall of an event loop with nothing to do
//   bench_generation burst COUNT EDGE [--photo]
//                                        COUNT b64_json generations of EDGE×EDGE PNGs answered at once: the longest
//                                        UI stall from the enqueue until every thumbnail is in the grid
//   bench_generation single COUNT EDGE [--photo]
//                                        COUNT generations one after the other: the time from the last byte of each
//                                        answer to its thumbnail in the grid, against decoding the same PNG

#include "BenchProbe.h"
#include "BurstServer.h"
#include "StallProbe.h"
#include "TestApp.h"

#include "MainWindow.h"
#include "gallery/GalleryView.h"
#include "generation/GenerationQueue.h"
#include "library/GalleryModel.h"
#include "sandbox/SandboxRenderer.h"
#include "sandbox/SandboxServer.h"
#include "support/MemoryTuning.h"
#include "support/StartupWarmup.h"

#include <QApplication>
#include <QBuffer>
#include <QDateTime>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMainWindow>
#include <QRandomGenerator>
#include <QTextStream>
#include <QTimer>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <numeric>

using namespace Pixapi;
using namespace Pixapi::Bench;

namespace {

const QSize WindowSize(1440, 900);
const QString Model = QStringLiteral("gpt-image-1");

QString promptFor(int i)
{
    return QStringLiteral("lemon soda can on a sandy beach at golden hour, campaign shot %1").arg(i);
}

// The PNGs the sandbox renders for these prompts, rendered in parallel before anything is measured. `photo` adds
// fine noise to every pixel, so the PNG weighs what a photographic render does (megabytes, not a flat drawing's
// kilobytes).
QList<QByteArray> renderPngs(int count, int edge, bool photo)
{
    QList<int> indices(count);
    std::iota(indices.begin(), indices.end(), 0);
    const QString size = QStringLiteral("%1x%1").arg(edge);
    return QtConcurrent::blockingMapped(indices, [size, photo](int i) {
        const QByteArray png = SandboxRenderer::renderPng(Model, promptFor(i), size, 0);
        if (!photo)
            return png;
        QImage image = QImage::fromData(png).convertToFormat(QImage::Format_RGB32);
        QRandomGenerator noise(quint32(i + 1));
        for (int y = 0; y < image.height(); ++y) {
            auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
            for (int x = 0; x < image.width(); ++x) {
                const int grain = int(noise.bounded(24)) - 12;
                const auto shift = [grain](int channel) { return std::clamp(channel + grain, 0, 255); };
                line[x] = qRgb(shift(qRed(line[x])), shift(qGreen(line[x])), shift(qBlue(line[x])));
            }
        }
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        return bytes;
    });
}

QByteArray generationBody(const QByteArray& png)
{
    const QJsonObject item {{QStringLiteral("b64_json"), QString::fromLatin1(png.toBase64())}};
    return QJsonDocument(QJsonObject {{QStringLiteral("created"), QDateTime::currentSecsSinceEpoch()},
                                      {QStringLiteral("data"), QJsonArray {item}}})
        .toJson(QJsonDocument::Compact);
}

double decodeMedianMs(const QList<QByteArray>& pngs)
{
    QList<double> ms;
    for (const QByteArray& png : pngs) {
        for (int run = 0; run < 3; ++run) {
            QElapsedTimer timer;
            timer.start();
            const QImage image = QImage::fromData(png, "PNG");
            ms << double(timer.nsecsElapsed()) / 1e6;
            if (image.isNull())
                return -1;
        }
    }
    return median(ms);
}

int runIdle(int durationMs)
{
    QMainWindow window;
    window.resize(WindowSize);
    window.show();
    StallProbe probe;
    QTimer::singleShot(300, &probe, [&] { // after the first paints
        probe.start();
        QTimer::singleShot(durationMs, &probe, [&] {
            probe.stop();
            QCoreApplication::quit();
        });
    });
    QApplication::exec();
    report({{QStringLiteral("mode"), QStringLiteral("idle")},
            {QStringLiteral("stall_max_ms"), probe.maxMs()},
            {QStringLiteral("stall_p99_ms"), probe.percentileMs(0.99)},
            {QStringLiteral("probe_samples"), probe.samples()}});
    return 0;
}

// Feeds the window's queue and notes, per answer, when its image was stored and when its thumbnail was in the grid.
class Generations : public QObject
{
public:
    struct Image
    {
        qint64 recordId = 0;
        double savedMs = -1;
        double shownMs = -1;
    };

    Generations(MainWindow* window, AccountSession* session)
        : m_queue(window->generationQueue())
        , m_view(window->findChild<GalleryView*>())
        , m_session(session)
    {
        connect(m_queue, &GenerationQueue::imageSaved, this, [this](const LibraryRecord& record) {
            const int answer = record.requestId.section(QLatin1Char('-'), 1).toInt();
            m_images[answer].recordId = record.id;
            m_images[answer].savedMs = elapsedMs();
        });
        connect(m_queue, &GenerationQueue::entryFinished, this, [](quint64, const GenerationOutcome& outcome) {
            if (outcome.error) {
                QTextStream(stderr) << "generation failed: " << outcome.error->userMessage() << Qt::endl;
                QCoreApplication::exit(1);
            }
        });
        auto* poll = new QTimer(this);
        poll->setInterval(1);
        connect(poll, &QTimer::timeout, this, &Generations::checkShown);
        poll->start();
    }

    void enqueue(int count, int edge)
    {
        m_queue->setGlobalLimit(count);
        m_queue->setPerModelLimit(count);
        for (int i = 0; i < count; ++i) {
            GenerationQueue::Request request;
            request.params.model = Model;
            request.params.prompt = promptFor(m_enqueued + i);
            request.params.size = QStringLiteral("%1x%1").arg(edge);
            request.params.responseFormat = QStringLiteral("b64_json");
            request.accountId = m_session->accountId();
            request.creditsPerImage = 1;
            m_queue->enqueue(request);
        }
        m_enqueued += count;
    }

    // Called once every image enqueued so far is shown.
    void whenAllShown(std::function<void()> done) { m_allShown = std::move(done); }
    const QHash<int, Image>& images() const { return m_images; }

private:
    void checkShown()
    {
        const auto* model = static_cast<const GalleryModel*>(m_view->model());
        int shown = 0;
        for (Image& image : m_images) {
            if (image.shownMs < 0 && image.recordId) {
                const int row = model->rowOfId(image.recordId);
                const QModelIndex index = model->index(row, 0);
                const auto state = GalleryModel::ThumbnailState(index.data(GalleryModel::ThumbnailStateRole).toInt());
                if (row >= 0 && state != GalleryModel::ThumbnailState::Pending
                    && m_view->visualRect(index).intersects(m_view->viewport()->rect()))
                    image.shownMs = elapsedMs();
            }
            shown += image.shownMs >= 0;
        }
        if (m_allShown && shown == m_enqueued)
            std::exchange(m_allShown, {})();
    }

    GenerationQueue* m_queue;
    GalleryView* m_view;
    AccountSession* m_session;
    QHash<int, Image> m_images; // by answer number (X-Request-ID "burst-<n>")
    int m_enqueued = 0;
    std::function<void()> m_allShown;
};

int runGenerations(bool burst, int count, int edge, bool photo)
{
    const QList<QByteArray> pngs = renderPngs(count, edge, photo);
    QList<QByteArray> bodies;
    for (const QByteArray& png : pngs)
        bodies << generationBody(png);
    BurstServer server(bodies, burst ? count : 1);
    TestApp app;
    if (!server.start() || !app.library.open() || !app.tasks.open())
        return 1;
    app.session.useSandbox(server.baseUrl(), SandboxServer::defaultKey());
    AppServices services = app.services();
    services.enableSandbox = [] { return false; };
    MainWindow window(services);
    window.resize(WindowSize);
    window.show();

    Generations generations(&window, &app.session);
    StallProbe probe;
    int sent = 0;
    std::function<void()> next = [&] {
        if (sent == count) {
            QTimer::singleShot(100, &probe, [] { QCoreApplication::quit(); }); // the last paint
            return;
        }
        const int batch = burst ? count : 1;
        generations.enqueue(batch, edge);
        sent += batch;
        generations.whenAllShown(next);
    };
    QTimer::singleShot(1000, &probe, [&] { // the catalog and balance loaded, the first paints done
        probe.start();
        next();
    });
    QTimer::singleShot(300'000, [] { QCoreApplication::exit(2); });
    if (const int code = QApplication::exec())
        return code;
    probe.stop();

    QList<double> overhead;
    QList<double> toSaved;
    double firstByte = std::numeric_limits<double>::max();
    double lastShown = 0;
    const QList<double> lastByte = server.lastByteMs();
    for (auto it = generations.images().cbegin(); it != generations.images().cend(); ++it) {
        const double byte = lastByte.value(it.key(), -1);
        overhead << it->shownMs - byte;
        toSaved << it->savedMs - byte;
        firstByte = std::min(firstByte, byte);
        lastShown = std::max(lastShown, it->shownMs);
    }
    QList<double> pngBytes;
    for (const QByteArray& png : pngs)
        pngBytes << double(png.size());
    report({{QStringLiteral("mode"), burst ? QStringLiteral("burst") : QStringLiteral("single")},
            {QStringLiteral("images"), count},
            {QStringLiteral("edge"), edge},
            {QStringLiteral("photo"), photo},
            {QStringLiteral("png_bytes_median"), median(pngBytes)},
            {QStringLiteral("decode_ms"), decodeMedianMs(pngs)},
            {QStringLiteral("last_byte_to_saved_median_ms"), median(toSaved)},
            {QStringLiteral("last_byte_to_thumbnail_median_ms"), median(overhead)},
            {QStringLiteral("last_byte_to_thumbnail_max_ms"), *std::max_element(overhead.cbegin(), overhead.cend())},
            {QStringLiteral("first_answer_to_last_thumbnail_ms"), lastShown - firstByte},
            {QStringLiteral("stall_max_ms"), probe.maxMs()},
            {QStringLiteral("stall_p99_ms"), probe.percentileMs(0.99)},
            {QStringLiteral("probe_samples"), probe.samples()},
            {QStringLiteral("stalls_over_16ms"), probe.stallsOver(16)}});
    return 0;
}

} // namespace

int main(int argc, char* argv[])
{
    elapsedMs();
    tuneAllocatorForImages(); // as pixapi-studio's main() does
    QApplication qtApp(argc, argv);
    warmUpInBackground();
    const QStringList args = QCoreApplication::arguments();
    const QString mode = args.value(1);
    if (mode == QLatin1String("idle"))
        return runIdle(args.value(2, QStringLiteral("3000")).toInt());
    if ((mode == QLatin1String("burst") || mode == QLatin1String("single")) && args.size() >= 4)
        return runGenerations(mode == QLatin1String("burst"), args.at(2).toInt(), args.at(3).toInt(),
                              args.contains(QStringLiteral("--photo")));
    QTextStream(stderr)
        << "usage: bench_generation idle [MS] | burst COUNT EDGE [--photo] | single COUNT EDGE [--photo]" << Qt::endl;
    return 2;
}
