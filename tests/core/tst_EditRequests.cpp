// Image edits end to end (issue #7): the real client, queue, input preparation and importer against the sandbox over
// loopback HTTP, with a real SQLite library in a temporary directory. The evidence is what the sandbox saw
// (lastEdit(), its request log and ledger), what came back (decoded pixels) and what the library recorded. Input
// colours are mixed ones, so a match cannot come from the sandbox's own picture by chance.
#include "CannedServer.h"
#include "SandboxFixture.h"
#include "TestEnv.h"
#include "api/PixapiClient.h"
#include "edit/EditInputPrep.h"
#include "edit/EditMask.h"
#include "edit/InputImporter.h"
#include "generation/GenerationQueue.h"
#include "generation/TaskStore.h"
#include "library/Library.h"
#include "net/HttpTypes.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxRenderer.h"
#include "sandbox/SandboxServer.h"
#include "usage/UsageRecorder.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFuture>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

using namespace Pixapi;
using K = ApiError::Kind;
using ES = QueueEntry::State;

namespace {

constexpr int kWaitMs = 30'000;
constexpr QRgb kSlate = 0x3366cc;
constexpr QRgb kPlum = 0xaa3377;
constexpr QRgb kMoss = 0x669933;

const QString kGpt = QStringLiteral("gpt-image-1.5");           // edits, a mask, up to 16 inputs
const QString kNano = QStringLiteral("gemini-2.5-flash-image"); // edits (up to 3 inputs), no mask
const QString kSketch = QStringLiteral("sandbox-sketch");       // text to image only
const QString kEdits = QStringLiteral("/v1/images/edits");
const QString kAsyncEdits = QStringLiteral("/v1/async/images/edits");
const QString kAsyncGenerations = QStringLiteral("/v1/async/images/generations");

// Where pixels are checked, as fractions of an image's size. Inside: the middle of the stroke strokeMask() paints.
// Away: far from the stroke, from the label band along the bottom and from the thumbnails at the top right.
constexpr QPointF kInside(0.5, 0.5);
constexpr QPointF kInsideToo(0.3, 0.5);
constexpr QPointF kAway(0.125, 0.125);

// Seeded noise: it compresses badly, so a small file-size limit is easy to exceed.
QImage noise(QSize size)
{
    QRandomGenerator rng(7);
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        auto* row = reinterpret_cast<QRgb*>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x)
            row[x] = 0xff000000u | (rng.generate() & 0xffffffu);
    }
    return image;
}

EditImage input(const QByteArray& bytes, const QString& fileName, const QByteArray& mimeType = "image/png")
{
    return {bytes, fileName, mimeType};
}

GenerationParams params(const QString& model, const QString& responseFormat = QStringLiteral("b64_json"))
{
    GenerationParams p;
    p.model = model;
    p.prompt = QStringLiteral("put a lantern on the table");
    p.responseFormat = responseFormat;
    return p;
}

// A horizontal bar through the middle, a fifth of the height thick: kInside and kInsideToo are in it, kAway is not.
EditMask strokeMask(QSize size = {256, 256})
{
    EditMask mask(size);
    const qreal y = size.height() / 2.0;
    mask.beginStroke();
    mask.paintStroke({size.width() / 4.0, y}, {size.width() * 3 / 4.0, y}, size.height() / 10.0, EditMask::Tool::Brush);
    mask.endStroke();
    return mask;
}

QRgb rgbAt(const QImage& image, QPointF fraction)
{
    const QPoint at(static_cast<int>(image.width() * fraction.x()), static_cast<int>(image.height() * fraction.y()));
    return image.pixel(at) & 0xffffffu;
}

// Every channel within `tolerance` (lossy formats and smooth scaling only come close).
bool near(QRgb actual, QRgb expected, int tolerance)
{
    return std::abs(qRed(actual) - qRed(expected)) <= tolerance
           && std::abs(qGreen(actual) - qGreen(expected)) <= tolerance
           && std::abs(qBlue(actual) - qBlue(expected)) <= tolerance;
}

QString hex(QRgb rgb)
{
    return QStringLiteral("#%1").arg(rgb & 0xffffffu, 6, 16, QLatin1Char('0'));
}

QList<qint64> idsOf(const QJsonValue& value)
{
    QList<qint64> ids;
    for (const QJsonValue& id : value.toArray())
        ids << id.toInteger();
    return ids;
}

template <typename Part, typename Field>
QList<Field> column(const QList<Part>& parts, Field Part::*field)
{
    QList<Field> out;
    for (const Part& part : parts)
        out << part.*field;
    return out;
}

QStringList filesUnder(const QString& dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

} // namespace

class tst_EditRequests : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    // PixapiClient against the sandbox.
    void generate_oneImage_data();
    void generate_oneImage();
    void generate_severalImagesInOrder();
    void generate_paintedMask();
    void generate_refused_data();
    void generate_refused();
    void submitAsync_postsToAsyncEdits();

    // The multipart form.
    void editForm_parts_data();
    void editForm_parts();
    void editForm_fileNameQuoting_data();
    void editForm_fileNameQuoting();

    // The queue and the library.
    void queue_syncEditRecordsInputs_data();
    void queue_syncEditRecordsInputs();
    void queue_asyncEditLandsInLibrary();
    void queue_resumedAsyncEditKeepsInputs();
    void queue_retriedOrphanStaysAnEdit();

    // Inputs: preparation, the model's limits, importing.
    void prep_jpegAndPngSent();
    void prep_oversizeInput_data();
    void prep_oversizeInput();
    void openAI_modelListEditLimits_data();
    void openAI_modelListEditLimits();
    void importer_storesFile();
    void importer_refuses_data();
    void importer_refuses();

private:
    template <typename Job>
    typename Job::ResultType run(Job* job);
    Result<GenerationResponse, ApiError> generate(const GenerationParams& p, const EditInputs& edit);
    QImage imageOf(const GeneratedImage& image);
    std::optional<ModelInfo> catalogModel(const QString& id);
    GenerationOutcome runQueued(const GenerationQueue::Request& request, quint64* entryId = nullptr);
    std::optional<LibraryRecord> storeInput(QRgb rgb, const QString& name);
    std::optional<LibraryRecord> importFile(const QString& path, QString* failure = nullptr);
    QString writeInput(const QString& name, const QByteArray& bytes) const;
    int postsTo(const QString& path) const;
    void newQueue();

    std::unique_ptr<QTemporaryDir> m_dir;
    SandboxFixture m_sandbox;
    std::unique_ptr<Library> m_library;
    std::unique_ptr<TaskStore> m_store;
    std::unique_ptr<GenerationQueue> m_queue;
};

// ---- Helpers ------------------------------------------------------------------------------------------------------

// Runs a job to completion and checks that it finished exactly once.
template <typename Job>
typename Job::ResultType tst_EditRequests::run(Job* job)
{
    QSignalSpy spy(job, &ApiJob::finished);
    std::optional<typename Job::ResultType> result;
    connect(job, &ApiJob::finished, this, [&result, job] { result = job->result(); });
    [&] { QVERIFY(spy.wait(kWaitMs)); }();
    QTest::qWait(20); // a (wrong) second emission would show up here
    [&] { QCOMPARE(spy.count(), 1); }();
    if (!result)
        return Job::ResultType::failure(ApiError::make(K::NetworkError, QStringLiteral("no result")));
    return *result;
}

Result<GenerationResponse, ApiError> tst_EditRequests::generate(const GenerationParams& p, const EditInputs& edit)
{
    return run(m_sandbox.client->generate(p, edit));
}

// The image of a response item: decoded from base64, or downloaded from its URL.
QImage tst_EditRequests::imageOf(const GeneratedImage& image)
{
    if (!image.bytes.isEmpty())
        return QImage::fromData(image.bytes, "PNG");
    const auto downloaded = run(m_sandbox.client->downloadImage(image.url));
    return downloaded.ok() ? QImage::fromData(downloaded.value(), "PNG") : QImage();
}

// A model as the client reads it from the sandbox's GET /v1/models.
std::optional<ModelInfo> tst_EditRequests::catalogModel(const QString& id)
{
    const auto models = run(m_sandbox.client->listModels());
    if (!models.ok())
        return std::nullopt;
    for (const ModelInfo& model : models.value()) {
        if (model.id == id)
            return model;
    }
    return std::nullopt;
}

// Enqueues a request and waits for its entryFinished().
GenerationOutcome tst_EditRequests::runQueued(const GenerationQueue::Request& request, quint64* entryId)
{
    quint64 id = 0;
    std::optional<GenerationOutcome> outcome;
    const auto connection = connect(m_queue.get(), &GenerationQueue::entryFinished, this,
                                    [&](quint64 finished, const GenerationOutcome& result) {
                                        if (finished == id)
                                            outcome = result;
                                    });
    m_queue->enqueue(request, [&id](quint64 added) { id = added; });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), kWaitMs); }();
    disconnect(connection);
    if (entryId)
        *entryId = id;
    return outcome.value_or(GenerationOutcome {});
}

// A solid-colour PNG stored in the library directly, as an earlier result the user now edits. (Not through
// InputImporter: its own test shows it cannot store anything yet, and these tests are about the queue.)
std::optional<LibraryRecord> tst_EditRequests::storeInput(QRgb rgb, const QString& name)
{
    ImageToStore image;
    image.bytes = TestEnv::solidPng(rgb);
    image.prompt = QStringLiteral("input ") + name;
    image.model = kGpt;
    image.createdAt = QDateTime::currentDateTimeUtc();
    const QFuture<Result<LibraryRecord, ApiError>> stored = m_library->store(std::move(image));
    [&] { QTRY_VERIFY_WITH_TIMEOUT(stored.isFinished(), kWaitMs); }();
    if (!stored.isFinished() || !stored.result().ok())
        return std::nullopt;
    return stored.result().value();
}

// Imports a file with InputImporter: the record, or nothing with the failure message; exactly one signal.
std::optional<LibraryRecord> tst_EditRequests::importFile(const QString& path, QString* failure)
{
    InputImporter importer(m_library.get());
    QSignalSpy imported(&importer, &InputImporter::imported);
    QSignalSpy failed(&importer, &InputImporter::failed);
    importer.importFile(path);
    [&] { QTRY_VERIFY_WITH_TIMEOUT(imported.count() + failed.count() > 0, kWaitMs); }();
    QTest::qWait(20);
    [&] { QCOMPARE(imported.count() + failed.count(), 1); }();
    if (failure && !failed.isEmpty())
        *failure = failed.first().first().toString();
    if (imported.isEmpty())
        return std::nullopt;
    return imported.first().first().value<LibraryRecord>();
}

QString tst_EditRequests::writeInput(const QString& name, const QByteArray& bytes) const
{
    const QString path = m_dir->filePath(QStringLiteral("inputs/") + name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qWarning("cannot write %s", qPrintable(path));
    return path;
}

int tst_EditRequests::postsTo(const QString& path) const
{
    const QList<SandboxRequestRecord> records = m_sandbox.server->requests();
    return static_cast<int>(std::count_if(records.cbegin(), records.cend(), [&path](const SandboxRequestRecord& r) {
        return r.method == QLatin1String("POST") && r.path == path;
    }));
}

// A new queue on the same library and task store: what the app has after a restart.
void tst_EditRequests::newQueue()
{
    m_queue.reset();
    m_queue = std::make_unique<GenerationQueue>(m_sandbox.client.get(), m_library.get(), m_store.get());
    m_queue->setPollPolicy({30, 1.5, 120, 20'000});
}

void tst_EditRequests::initTestCase()
{
    TestEnv::init();
    qRegisterMetaType<LibraryRecord>();
    qRegisterMetaType<GenerationOutcome>();
}

void tst_EditRequests::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(m_sandbox.start());
    m_sandbox.server->setTaskTimings(50, 100);
    const QString root = m_dir->filePath(QStringLiteral("library"));
    m_library = std::make_unique<Library>(root);
    QVERIFY(m_library->open().ok());
    m_store = std::make_unique<TaskStore>(root);
    QVERIFY(m_store->open().ok());
    newQueue();
}

void tst_EditRequests::cleanup()
{
    m_queue.reset();
    m_store.reset();
    m_library.reset();
    m_sandbox.reset();
    m_dir.reset();
}

// ---- PixapiClient against the sandbox -----------------------------------------------------------------------------

void tst_EditRequests::generate_oneImage_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("size");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("n");
    QTest::addColumn<QSize>("output");
    QTest::addColumn<QStringList>("fields"); // the text fields the sandbox must see, sorted

    QTest::newRow("b64_json, explicit size")
        << kGpt << QStringLiteral("1024x1536") << QStringLiteral("b64_json") << 1 << QSize(1024, 1536)
        << QStringList {QStringLiteral("model"), QStringLiteral("n"), QStringLiteral("prompt"),
                        QStringLiteral("response_format"), QStringLiteral("size")};
    // Nothing optional set: no size and no response_format go out (the sandbox then answers URLs, 1024² here).
    QTest::newRow("server defaults, two images")
        << QStringLiteral("nano-banana") << QString() << QString() << 2 << QSize(1024, 1024)
        << QStringList {QStringLiteral("model"), QStringLiteral("n"), QStringLiteral("prompt")};
}

void tst_EditRequests::generate_oneImage()
{
    QFETCH(QString, model);
    QFETCH(QString, size);
    QFETCH(QString, format);
    QFETCH(int, n);
    QFETCH(QSize, output);
    QFETCH(QStringList, fields);

    GenerationParams p = params(model, format);
    p.size = size;
    p.n = n;
    EditInputs edit;
    edit.images << input(TestEnv::solidPng(kSlate), QStringLiteral("slate swatch.png"));
    const auto result = generate(p, edit);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().serverMessage));

    const std::optional<SandboxEditRecord> seen = m_sandbox.server->lastEdit();
    QVERIFY(seen);
    QCOMPARE(seen->path, kEdits);
    QVERIFY2(seen->error.isEmpty(), qPrintable(seen->error));
    QCOMPARE(seen->fields.keys(), fields);
    QCOMPARE(seen->fields.value(QStringLiteral("model")), model);
    QCOMPARE(seen->fields.value(QStringLiteral("prompt")), p.prompt);
    QCOMPARE(seen->fields.value(QStringLiteral("n")), QString::number(n));
    if (!size.isEmpty())
        QCOMPARE(seen->fields.value(QStringLiteral("size")), size);
    if (!format.isEmpty())
        QCOMPARE(seen->fields.value(QStringLiteral("response_format")), format);
    QCOMPARE(seen->images.size(), 1);
    const SandboxEditPartRecord& part = seen->images.first();
    QCOMPARE(part.name, QStringLiteral("image"));
    QCOMPARE(part.filename, QStringLiteral("slate swatch.png"));
    QCOMPARE(part.contentType, QByteArrayLiteral("image/png"));
    QCOMPARE(part.bytes, edit.images.first().bytes.size());
    QCOMPARE(part.imageSize, QSize(256, 256));
    QVERIFY(!seen->hasMask);
    QCOMPARE(postsTo(kEdits), 1);
    QCOMPARE(postsTo(QStringLiteral("/v1/images/generations")), 0);

    // The answer: n images in the format asked for, each the edit of the input (its colour where nothing is masked).
    QCOMPARE(result.value().images.size(), n);
    for (const GeneratedImage& item : result.value().images) {
        QCOMPARE(!item.bytes.isEmpty(), format == QLatin1String("b64_json"));
        const QImage out = imageOf(item);
        QCOMPARE(out.size(), output);
        QCOMPARE(hex(rgbAt(out, kAway)), hex(kSlate));
        QCOMPARE(hex(rgbAt(out, kInside)), hex(kSlate));
    }
}

void tst_EditRequests::generate_severalImagesInOrder()
{
    EditInputs edit;
    edit.images << input(TestEnv::solidPng(kSlate), QStringLiteral("1-slate.png"))
                << input(TestEnv::solidPng(kPlum, {300, 200}), QStringLiteral("2-plum.png"))
                << input(TestEnv::solidPng(kMoss, {128, 128}), QStringLiteral("3-moss.png"));
    const auto result = generate(params(kGpt), edit);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().serverMessage));

    const std::optional<SandboxEditRecord> seen = m_sandbox.server->lastEdit();
    QVERIFY(seen);
    QCOMPARE(column(seen->images, &SandboxEditPartRecord::name), QStringList(3, QStringLiteral("image[]")));
    QCOMPARE(column(seen->images, &SandboxEditPartRecord::filename),
             (QStringList {QStringLiteral("1-slate.png"), QStringLiteral("2-plum.png"), QStringLiteral("3-moss.png")}));
    QCOMPARE(column(seen->images, &SandboxEditPartRecord::imageSize),
             (QList<QSize> {QSize(256, 256), QSize(300, 200), QSize(128, 128)}));
    QCOMPARE(column(seen->images, &SandboxEditPartRecord::bytes),
             (QList<qint64> {edit.images.at(0).bytes.size(), edit.images.at(1).bytes.size(),
                             edit.images.at(2).bytes.size()}));

    // The sandbox renders over the first input and shows the others as thumbnails, in the order they came.
    const QImage out = imageOf(result.value().images.first());
    QCOMPARE(hex(rgbAt(out, kAway)), hex(kSlate));
    const QRgb second = out.pixel(SandboxRenderer::thumbnailRect(out.size(), 0).center());
    const QRgb third = out.pixel(SandboxRenderer::thumbnailRect(out.size(), 1).center());
    QVERIFY2(near(second, kPlum, 3), qPrintable(hex(second)));
    QVERIFY2(near(third, kMoss, 3), qPrintable(hex(third)));
}

void tst_EditRequests::generate_paintedMask()
{
    const EditMask mask = strokeMask();
    QVERIFY(!mask.isEmpty());
    EditInputs edit;
    edit.images << input(TestEnv::solidPng(kSlate), QStringLiteral("slate.png"));
    edit.maskPng = mask.toPng();
    const auto result = generate(params(kGpt), edit);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().serverMessage));

    const std::optional<SandboxEditRecord> seen = m_sandbox.server->lastEdit();
    QVERIFY(seen);
    QVERIFY2(seen->error.isEmpty(), qPrintable(seen->error));
    QVERIFY(seen->hasMask);
    QCOMPARE(seen->mask.name, QStringLiteral("mask"));
    QCOMPARE(seen->mask.filename, QStringLiteral("mask.png"));
    QCOMPARE(seen->mask.contentType, QByteArrayLiteral("image/png"));
    QCOMPARE(seen->mask.bytes, edit.maskPng.size());
    QCOMPARE(seen->mask.imageSize, QSize(256, 256));
    QCOMPARE(seen->images.size(), 1);

    // Outside the stroke the input stays; inside it the model's picture shows.
    const QImage out = imageOf(result.value().images.first());
    QCOMPARE(hex(rgbAt(out, kAway)), hex(kSlate));
    QVERIFY2(rgbAt(out, kInside) != kSlate, qPrintable(hex(rgbAt(out, kInside))));
    QVERIFY2(rgbAt(out, kInsideToo) != kSlate, qPrintable(hex(rgbAt(out, kInsideToo))));

    // The same request without the mask keeps the input there too: the difference is the mask's doing.
    edit.maskPng.clear();
    const auto plain = generate(params(kGpt), edit);
    QVERIFY(plain.ok());
    QCOMPARE(hex(rgbAt(imageOf(plain.value().images.first()), kInside)), hex(kSlate));
}

void tst_EditRequests::generate_refused_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QSize>("maskSize"); // invalid: no mask
    QTest::addColumn<QString>("reason");

    QTest::newRow("model without edits") << kSketch << QSize()
                                         << QStringLiteral("The model 'sandbox-sketch' does not support edits.");
    QTest::newRow("mask on Nano Banana") << kNano << QSize(256, 256)
                                         << QStringLiteral(
                                                "The model 'gemini-2.5-flash-image' does not support a mask.");
    QTest::newRow("mask of the wrong size")
        << kGpt << QSize(512, 512) << QStringLiteral("The mask is 512x512 but the image is 256x256");
}

void tst_EditRequests::generate_refused()
{
    QFETCH(QString, model);
    QFETCH(QSize, maskSize);
    QFETCH(QString, reason);

    m_sandbox.server->setBalance(50);
    EditInputs edit;
    edit.images << input(TestEnv::solidPng(kSlate), QStringLiteral("slate.png"));
    if (maskSize.isValid())
        edit.maskPng = strokeMask(maskSize).toPng();
    const auto result = generate(params(model), edit);
    QVERIFY(!result.ok());
    const ApiError& error = result.error();
    QCOMPARE(error.kind, K::BadRequest);
    QCOMPARE(error.httpStatus, 400);
    QCOMPARE(error.code, QStringLiteral("invalid_request_error"));
    QVERIFY2(error.serverMessage.contains(reason), qPrintable(error.serverMessage));
    QVERIFY(!error.requestId.isEmpty());
    QVERIFY(!error.mayHaveBeenProcessed); // a refusal is not "maybe charged"

    const std::optional<SandboxEditRecord> seen = m_sandbox.server->lastEdit();
    QVERIFY(seen);
    QCOMPARE(seen->path, kEdits);
    QCOMPARE(seen->error, error.serverMessage);
    QCOMPARE(seen->hasMask, maskSize.isValid());
    QCOMPARE(m_sandbox.server->postCount(), 1); // sent once, never retried
    QCOMPARE(m_sandbox.server->creditsCharged(model), 0.0);
    QCOMPARE(m_sandbox.server->balance(), 50.0);
}

void tst_EditRequests::submitAsync_postsToAsyncEdits()
{
    EditInputs edit;
    edit.images << input(TestEnv::solidPng(kSlate), QStringLiteral("slate.png"));
    edit.maskPng = strokeMask().toPng();
    const auto submitted = run(m_sandbox.client->submitAsync(params(kGpt), edit));
    QVERIFY2(submitted.ok(), qPrintable(submitted.ok() ? QString() : submitted.error().serverMessage));
    const QString taskId = submitted.value().id;
    QVERIFY(taskId.startsWith(QLatin1String("task_")));

    const std::optional<SandboxEditRecord> seen = m_sandbox.server->lastEdit();
    QVERIFY(seen);
    QCOMPARE(seen->path, kAsyncEdits);
    QVERIFY2(seen->error.isEmpty(), qPrintable(seen->error));
    QCOMPARE(seen->images.size(), 1);
    QCOMPARE(seen->images.first().name, QStringLiteral("image"));
    QVERIFY(seen->hasMask);
    QCOMPARE(postsTo(kAsyncEdits), 1);
    QCOMPARE(postsTo(kAsyncGenerations), 0);
    QCOMPARE(postsTo(kEdits), 0);

    // The task's result is the edit.
    TaskInfo task;
    QDeadlineTimer deadline(kWaitMs);
    while (!deadline.hasExpired()) {
        const auto polled = run(m_sandbox.client->fetchTask(taskId));
        QVERIFY(polled.ok());
        task = polled.value();
        if (task.isTerminal())
            break;
        QTest::qWait(30);
    }
    QCOMPARE(task.status, TaskInfo::Status::Completed);
    QVERIFY(task.result);
    QCOMPARE(task.result->images.size(), 1);
    const QImage out = imageOf(task.result->images.first());
    QCOMPARE(hex(rgbAt(out, kAway)), hex(kSlate));
    QVERIFY(rgbAt(out, kInside) != kSlate);
}

// ---- The multipart form -------------------------------------------------------------------------------------------

void tst_EditRequests::editForm_parts_data()
{
    QTest::addColumn<QString>("size");
    QTest::addColumn<QString>("quality");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("images");
    QTest::addColumn<bool>("mask");
    QTest::addColumn<QStringList>("fields");    // the text parts, sorted
    QTest::addColumn<QStringList>("fileParts"); // the file parts' names, in order

    const QStringList required {QStringLiteral("model"), QStringLiteral("n"), QStringLiteral("prompt")};
    QTest::newRow("one image, every field")
        << QStringLiteral("1024x1024") << QStringLiteral("high") << QStringLiteral("b64_json") << 1 << false
        << (QStringList(required) << QStringLiteral("quality") << QStringLiteral("response_format")
                                  << QStringLiteral("size"))
        << QStringList {QStringLiteral("image")};
    QTest::newRow("two images and a mask, defaults")
        << QString() << QString() << QString() << 2 << true << required
        << QStringList {QStringLiteral("image[]"), QStringLiteral("image[]"), QStringLiteral("mask")};
    QTest::newRow("three images, url") << QStringLiteral("auto") << QString() << QStringLiteral("url") << 3 << false
                                       << (QStringList(required)
                                           << QStringLiteral("response_format") << QStringLiteral("size"))
                                       << QStringList(3, QStringLiteral("image[]"));
}

void tst_EditRequests::editForm_parts()
{
    QFETCH(QString, size);
    QFETCH(QString, quality);
    QFETCH(QString, format);
    QFETCH(int, images);
    QFETCH(bool, mask);
    QFETCH(QStringList, fields);
    QFETCH(QStringList, fileParts);

    GenerationParams p = params(kGpt, format);
    p.n = 3;
    p.size = size;
    p.quality = quality;
    EditInputs edit;
    for (int i = 0; i < images; ++i) {
        edit.images << input("bytes of " + QByteArray::number(i), QStringLiteral("in%1.png").arg(i),
                             i % 2 ? "image/jpeg" : "image/png");
    }
    if (mask)
        edit.maskPng = "mask bytes";
    const QList<FormPart> parts = PixapiClient::editForm(p, edit);

    // Every text field first, then the files; the text fields are exactly the JSON body's, as text.
    QMap<QString, QString> text;
    qsizetype firstFile = parts.size();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const FormPart& part = parts.at(i);
        if (!part.fileName.isEmpty()) {
            firstFile = std::min(firstFile, i);
            continue;
        }
        QVERIFY2(i < firstFile, "a text field after a file");
        QVERIFY(part.contentType.isEmpty());
        text.insert(QString::fromUtf8(part.name), QString::fromUtf8(part.data));
    }
    QCOMPARE(text.keys(), fields);
    const QJsonObject body = QJsonDocument::fromJson(PixapiClient::generationBody(p)).object();
    QCOMPARE(body.keys(), fields);
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        const QJsonValue value = it.value();
        QCOMPARE(text.value(it.key()), value.isDouble() ? QString::number(value.toInt()) : value.toString());
    }
    QCOMPARE(text.value(QStringLiteral("n")), QStringLiteral("3"));
    QCOMPARE(text.value(QStringLiteral("prompt")), p.prompt);

    // The files as given, in order; the mask last, as mask.png.
    const QList<FormPart> files = parts.mid(firstFile);
    QStringList names;
    for (const FormPart& part : files)
        names << QString::fromUtf8(part.name);
    QCOMPARE(names, fileParts);
    for (int i = 0; i < images; ++i) {
        QCOMPARE(files.at(i).data, edit.images.at(i).bytes);
        QCOMPARE(files.at(i).fileName, edit.images.at(i).fileName);
        QCOMPARE(files.at(i).contentType, edit.images.at(i).mimeType);
    }
    if (mask) {
        QCOMPARE(files.constLast().data, edit.maskPng);
        QCOMPARE(files.constLast().fileName, QStringLiteral("mask.png"));
        QCOMPARE(files.constLast().contentType, QByteArrayLiteral("image/png"));
    }
}

void tst_EditRequests::editForm_fileNameQuoting_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("expected"); // as the sandbox reads it back from Content-Disposition

    const auto same = [](const QString& name) { QTest::newRow(qPrintable(name)) << name << name; };
    same(QStringLiteral("say \"cheese\".png"));
    same(QStringLiteral("back\\slash.png"));
    same(QStringLiteral("x\\\"y.png")); // a backslash right before a quote
    same(QStringLiteral("trailing\\"));
    same(QStringLiteral("a; name=\"evil\"; b=.png"));
    same(QString::fromUtf8("Straße – ☀.png"));
    // A line break would end the header: it becomes a space, so no header can be injected.
    QTest::newRow("line break") << QStringLiteral("two\r\nlines.png") << QStringLiteral("two  lines.png");
}

void tst_EditRequests::editForm_fileNameQuoting()
{
    QFETCH(QString, fileName);
    QFETCH(QString, expected);

    EditInputs edit;
    edit.images << input(TestEnv::solidPng(kSlate), fileName);
    edit.maskPng = strokeMask().toPng();
    const auto result = generate(params(kGpt), edit);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().serverMessage));
    const std::optional<SandboxEditRecord> seen = m_sandbox.server->lastEdit();
    QVERIFY(seen);
    QCOMPARE(seen->images.size(), 1);
    QCOMPARE(seen->images.first().name, QStringLiteral("image"));
    QCOMPARE(seen->images.first().filename, expected);
    QCOMPARE(seen->images.first().contentType, QByteArrayLiteral("image/png"));
    // Nothing after the name was disturbed.
    QCOMPARE(seen->mask.filename, QStringLiteral("mask.png"));
    QCOMPARE(seen->model, kGpt);
}

// ---- The queue and the library ------------------------------------------------------------------------------------

void tst_EditRequests::queue_syncEditRecordsInputs_data()
{
    QTest::addColumn<bool>("masked");
    QTest::newRow("without a mask") << false;
    QTest::newRow("with a mask") << true;
}

void tst_EditRequests::queue_syncEditRecordsInputs()
{
    QFETCH(bool, masked);

    const auto plum = storeInput(kPlum, QStringLiteral("plum"));
    const auto slate = storeInput(kSlate, QStringLiteral("slate"));
    QVERIFY(plum && slate);
    QVERIFY(plum->id < slate->id);

    GenerationQueue::Request request;
    request.params = params(kGpt);
    request.source = QStringLiteral("edit");
    request.parentIds = {slate->id, plum->id}; // descending: the order sent, not the library's
    request.edit.images << input(TestEnv::solidPng(kSlate), QStringLiteral("slate.png"))
                        << input(TestEnv::solidPng(kPlum), QStringLiteral("plum.png"));
    if (masked)
        request.edit.maskPng = strokeMask().toPng();
    quint64 entryId = 0;
    const GenerationOutcome outcome = runQueued(request, &entryId);
    QVERIFY2(outcome.complete(), outcome.error ? qPrintable(outcome.error->serverMessage) : "incomplete");
    QCOMPARE(outcome.saved.size(), 1);

    const LibraryRecord& record = outcome.saved.first();
    QCOMPARE(record.model, kGpt);
    QCOMPARE(record.parentIds, (QList<qint64> {plum->id, slate->id})); // lineage: a set, kept ascending
    QCOMPARE(idsOf(record.params.value(QLatin1String("input_ids"))), (QList<qint64> {slate->id, plum->id}));
    QCOMPARE(record.params.value(QLatin1String("input_images")).toInt(-1), 2);
    QVERIFY(record.params.value(QLatin1String("mask")).isBool());
    QCOMPARE(record.params.value(QLatin1String("mask")).toBool(), masked);
    QCOMPARE(m_library->count(), 3);

    // What went out: one edit, the inputs in the same order.
    QCOMPARE(postsTo(kEdits), 1);
    const std::optional<SandboxEditRecord> seen = m_sandbox.server->lastEdit();
    QVERIFY(seen);
    QCOMPARE(column(seen->images, &SandboxEditPartRecord::filename),
             (QStringList {QStringLiteral("slate.png"), QStringLiteral("plum.png")}));
    QCOMPARE(seen->hasMask, masked);

    // The stored image is the edit of the first input.
    const QImage stored(record.filePath);
    QCOMPARE(hex(rgbAt(stored, kAway)), hex(kSlate));
    QCOMPARE(rgbAt(stored, kInside) == kSlate, !masked);

    // The usage ledger sees the request as the queue kept it.
    const std::optional<GenerationQueue::Request> kept = m_queue->request(entryId);
    QVERIFY(kept);
    QCOMPARE(kept->source, QStringLiteral("edit"));
    QCOMPARE(kept->edit.images.size(), 2);
    QCOMPARE(UsageRecorder::entryFor(*kept, outcome, QDateTime::currentDateTimeUtc(), -1).source,
             QStringLiteral("edit"));
}

void tst_EditRequests::queue_asyncEditLandsInLibrary()
{
    const auto slate = storeInput(kSlate, QStringLiteral("slate"));
    QVERIFY(slate);

    GenerationQueue::Request request;
    request.params = params(kGpt, {}); // the sandbox's default: a URL, downloaded at once
    request.async = true;
    request.source = QStringLiteral("edit");
    request.parentIds = {slate->id};
    request.edit.images << input(TestEnv::solidPng(kSlate), QStringLiteral("slate.png"));
    request.edit.maskPng = strokeMask().toPng();
    quint64 entryId = 0;
    const GenerationOutcome outcome = runQueued(request, &entryId);
    QVERIFY2(outcome.complete(), outcome.error ? qPrintable(outcome.error->serverMessage) : "incomplete");
    QCOMPARE(outcome.saved.size(), 1);

    QCOMPARE(postsTo(kAsyncEdits), 1);
    QCOMPARE(postsTo(kAsyncGenerations), 0);
    QCOMPARE(m_sandbox.server->lastEdit()->path, kAsyncEdits);

    const LibraryRecord& record = outcome.saved.first();
    const QueueEntry* entry = m_queue->model()->find(entryId);
    QVERIFY(entry);
    QCOMPARE(entry->state, ES::Completed);
    QVERIFY(entry->taskId.startsWith(QLatin1String("task_")));
    QCOMPARE(record.params.value(QLatin1String("task_id")).toString(), entry->taskId);
    QCOMPARE(m_store->find(entry->taskRowId)->state, TaskRow::State::Completed);
    QCOMPARE(record.parentIds, QList<qint64> {slate->id});
    QCOMPARE(idsOf(record.params.value(QLatin1String("input_ids"))), QList<qint64> {slate->id});
    QCOMPARE(record.params.value(QLatin1String("input_images")).toInt(-1), 1);
    QCOMPARE(record.params.value(QLatin1String("mask")).toBool(), true);
    QCOMPARE(m_library->count(), 2);

    const QImage stored(record.filePath);
    QCOMPARE(hex(rgbAt(stored, kAway)), hex(kSlate));
    QVERIFY(rgbAt(stored, kInside) != kSlate);
}

void tst_EditRequests::queue_resumedAsyncEditKeepsInputs()
{
    m_sandbox.server->setTaskTimings(600, 600);
    const auto slate = storeInput(kSlate, QStringLiteral("slate"));
    QVERIFY(slate);
    GenerationQueue::Request request;
    request.params = params(kGpt);
    request.async = true;
    request.source = QStringLiteral("edit");
    request.parentIds = {slate->id};
    request.edit.images << input(TestEnv::solidPng(kSlate), QStringLiteral("slate.png"));
    request.edit.maskPng = strokeMask().toPng();
    const quint64 sent = m_queue->enqueue(request);
    QTRY_VERIFY_WITH_TIMEOUT(!m_queue->model()->find(sent)->taskId.isEmpty(), kWaitMs);
    const qint64 row = m_queue->model()->find(sent)->taskRowId;

    newQueue(); // the app quits while the task runs, and starts again
    QSignalSpy saved(m_queue.get(), &GenerationQueue::imageSaved);
    QCOMPARE(m_queue->resumePending(), 1);
    const quint64 resumed = m_queue->model()->at(0).id;
    QCOMPARE(m_queue->model()->at(0).taskRowId, row);
    QTRY_COMPARE_WITH_TIMEOUT(m_queue->model()->find(resumed)->state, ES::Completed, kWaitMs);
    QCOMPARE(saved.count(), 1);
    QCOMPARE(postsTo(kAsyncEdits), 1); // polled, never resubmitted

    const auto record = saved.first().first().value<LibraryRecord>();
    QCOMPARE(record.parentIds, QList<qint64> {slate->id}); // kept in the task row
    // The task row keeps what the edit was (not its files): the resumed job records its image as the edit it is.
    QCOMPARE(record.params.value(QLatin1String("input_images")).toInt(-1), 1);
    QCOMPARE(idsOf(record.params.value(QLatin1String("input_ids"))), QList<qint64> {slate->id});
    QCOMPARE(m_queue->request(resumed)->source, QStringLiteral("edit"));
}

void tst_EditRequests::queue_retriedOrphanStaysAnEdit()
{
    // The submit's answer is unreadable: the task may exist and be charged, but its id is lost (an orphan).
    SandboxFault fault;
    fault.kind = SandboxFault::Kind::MalformedJson;
    fault.pathPrefix = kAsyncEdits;
    fault.remaining = 1;
    m_sandbox.server->addFault(fault);
    GenerationQueue::Request request;
    request.params = params(kGpt);
    request.async = true;
    request.source = QStringLiteral("edit");
    request.edit.images << input(TestEnv::solidPng(kSlate), QStringLiteral("slate.png"));
    const quint64 orphan = m_queue->enqueue(request);
    QTRY_COMPARE_WITH_TIMEOUT(m_queue->model()->find(orphan)->state, ES::Orphaned, kWaitMs);
    QCOMPARE(postsTo(kAsyncEdits), 1);

    // Retried in the same session: the same edit again.
    const quint64 again = m_queue->retry(orphan);
    QVERIFY(again != 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_queue->model()->find(again)->state, ES::Completed, kWaitMs);
    QCOMPARE(postsTo(kAsyncEdits), 2);
    QCOMPARE(postsTo(kAsyncGenerations), 0);

    // After a restart the orphan is listed from the task store without its files: it cannot be sent again (its
    // parameters alone would be a different, charged text-to-image request), and the list says so.
    newQueue();
    QCOMPARE(m_queue->resumePending(), 1);
    const QueueEntry listed = m_queue->model()->at(0);
    QCOMPARE(listed.state, ES::Orphaned);
    QVERIFY(!listed.retryable);
    QVERIFY(!m_queue->model()->index(0).data(GenerationQueueModel::CanRetryRole).toBool());
    QCOMPARE(m_queue->retry(listed.id), 0u);
    QTest::qWait(100);
    QCOMPARE(postsTo(kAsyncGenerations), 0);
    QCOMPARE(postsTo(kAsyncEdits), 2);
}

// ---- Inputs -------------------------------------------------------------------------------------------------------

void tst_EditRequests::prep_jpegAndPngSent()
{
    const std::optional<ModelInfo> model = catalogModel(kGpt);
    QVERIFY(model);
    QVERIFY(model->supportsEdits && model->supportsMask);
    QCOMPARE(model->maxInputImages, 16);

    const QByteArray jpeg = TestEnv::encodedImage(TestEnv::solidImage(kMoss, {300, 200}), "JPEG");
    const QByteArray pngBytes = TestEnv::solidPng(kPlum);
    const QByteArray misnamed = TestEnv::solidPng(kSlate, {128, 128}); // a PNG called .jpg: the content decides
    EditInputRequest request;
    request.model = *model;
    request.sources << EditSource::fromFile(writeInput(QStringLiteral("moss.jpg"), jpeg))
                    << EditSource::fromFile(writeInput(QStringLiteral("plum.png"), pngBytes))
                    << EditSource::fromFile(writeInput(QStringLiteral("slate.jpg"), misnamed));
    const auto prepared = EditInputPrep::prepare(request);
    QVERIFY2(prepared.ok(), qPrintable(prepared.ok() ? QString() : prepared.error().message));
    const QList<EditImage>& images = prepared.value().images;
    QCOMPARE(column(images, &EditImage::mimeType), (QList<QByteArray> {"image/jpeg", "image/png", "image/png"}));
    QCOMPARE(column(images, &EditImage::bytes), (QList<QByteArray> {jpeg, pngBytes, misnamed})); // sent as they are
    QVERIFY(prepared.value().maskPng.isEmpty());

    const auto result = generate(params(kGpt), prepared.value());
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().serverMessage));
    const std::optional<SandboxEditRecord> seen = m_sandbox.server->lastEdit();
    QVERIFY(seen);
    QCOMPARE(column(seen->images, &SandboxEditPartRecord::contentType),
             (QList<QByteArray> {"image/jpeg", "image/png", "image/png"}));
    QCOMPARE(column(seen->images, &SandboxEditPartRecord::filename),
             (QStringList {QStringLiteral("moss.jpg"), QStringLiteral("plum.png"), QStringLiteral("slate.png")}));
    QCOMPARE(column(seen->images, &SandboxEditPartRecord::imageSize),
             (QList<QSize> {QSize(300, 200), QSize(256, 256), QSize(128, 128)}));
    const QImage out = imageOf(result.value().images.first());
    QVERIFY2(near(rgbAt(out, kAway), kMoss, 8), qPrintable(hex(rgbAt(out, kAway))));
}

void tst_EditRequests::prep_oversizeInput_data()
{
    QTest::addColumn<qint64>("maxBytes"); // 0: the model's own
    QTest::addColumn<int>("maxEdge");     // 0: the model's own
    QTest::addColumn<QString>("reason");

    QTest::newRow("over the byte limit") << qint64(60'000) << 0 << QStringLiteral("takes files up to");
    QTest::newRow("over the edge limit") << qint64(0) << 200 << QStringLiteral("pixels on the longest side");
}

void tst_EditRequests::prep_oversizeInput()
{
    QFETCH(qint64, maxBytes);
    QFETCH(int, maxEdge);
    QFETCH(QString, reason);

    const QSize original(512, 256);
    const QByteArray bytes = TestEnv::encodedImage(noise(original));
    QVERIFY(bytes.size() > 300'000);
    std::optional<ModelInfo> model = catalogModel(kGpt);
    QVERIFY(model);
    if (maxBytes > 0)
        model->maxInputBytes = maxBytes;
    if (maxEdge > 0)
        model->maxInputEdge = maxEdge;
    EditInputRequest request;
    request.model = *model;
    request.sources << EditSource::fromFile(writeInput(QStringLiteral("noise.png"), bytes));
    request.mask = strokeMask(original);

    const auto refused = EditInputPrep::prepare(request);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().canDownscale);
    QCOMPARE(refused.error().sourceIndex, 0);
    QVERIFY2(refused.error().message.contains(QLatin1String("noise.png")), qPrintable(refused.error().message));
    QVERIFY2(refused.error().message.contains(reason), qPrintable(refused.error().message));

    request.downscale = true;
    const auto prepared = EditInputPrep::prepare(request);
    QVERIFY2(prepared.ok(), qPrintable(prepared.ok() ? QString() : prepared.error().message));
    const EditImage& shrunk = prepared.value().images.first();
    QCOMPARE(shrunk.mimeType, QByteArrayLiteral("image/jpeg")); // opaque: re-encoded as JPEG
    QCOMPARE(shrunk.fileName, QStringLiteral("noise.jpg"));
    if (maxBytes > 0)
        QVERIFY2(shrunk.bytes.size() <= maxBytes, qPrintable(QString::number(shrunk.bytes.size())));

    QCOMPARE(m_sandbox.server->postCount(), 0); // nothing sent while refused
    const auto result = generate(params(kGpt), prepared.value());
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().serverMessage));
    const std::optional<SandboxEditRecord> seen = m_sandbox.server->lastEdit();
    QVERIFY(seen);
    QVERIFY2(seen->error.isEmpty(), qPrintable(seen->error));
    const SandboxEditPartRecord& sent = seen->images.first();
    QCOMPARE(sent.contentType, QByteArrayLiteral("image/jpeg"));
    QCOMPARE(sent.bytes, shrunk.bytes.size());
    QVERIFY2(sent.imageSize.width() < original.width() && sent.imageSize.height() < original.height(),
             qPrintable(QStringLiteral("%1x%2").arg(sent.imageSize.width()).arg(sent.imageSize.height())));
    QVERIFY(std::abs(sent.imageSize.width() - 2 * sent.imageSize.height()) <= 1); // the aspect ratio kept
    if (maxEdge > 0)
        QCOMPARE(sent.imageSize, QSize(200, 100));
    // The mask was scaled along with the image, so the sandbox took it.
    QVERIFY(seen->hasMask);
    QCOMPARE(seen->mask.imageSize, sent.imageSize);
}

void tst_EditRequests::openAI_modelListEditLimits_data()
{
    QTest::addColumn<QByteArray>("body");

    // OpenAI's own shape: bare ids, chat and audio models mixed in. gpt-image-1.5 brings fields of its own.
    const QByteArray entries = R"([{"id":"gpt-4o","object":"model","owned_by":"system"},)"
                               R"({"id":"gpt-image-1","object":"model","owned_by":"system"},)"
                               R"({"id":"chatgpt-image-latest","object":"model"},)"
                               R"({"id":"dall-e-2","object":"model"},{"id":"dall-e-3","object":"model"},)"
                               R"({"id":"whisper-1","object":"model"},)"
                               R"({"id":"gpt-image-1.5","max_input_images":4,"supports_mask":false}])";
    QTest::newRow("object with data") << QByteArray(R"({"object":"list","data":)" + entries + '}');
    QTest::newRow("bare array") << entries;
}

void tst_EditRequests::openAI_modelListEditLimits()
{
    QFETCH(QByteArray, body);
    CannedServer server(body);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    NetworkAccess network;
    PixapiClient client(&network);
    client.setBaseUrl(server.baseUrl());
    client.setServerKind(ServerKind::OpenAICompatible);
    client.setApiKey(QStringLiteral("sk-test-edit-limits"));
    client.setRetryBaseDelayMs(20);

    const auto models = run(client.listModels());
    QVERIFY2(models.ok(), qPrintable(models.ok() ? QString() : models.error().detail));
    QHash<QString, ModelInfo> byId;
    for (const ModelInfo& model : models.value())
        byId.insert(model.id, model);
    QStringList ids = byId.keys();
    ids.sort();
    QCOMPARE(ids, (QStringList {QStringLiteral("chatgpt-image-latest"), QStringLiteral("dall-e-2"),
                                QStringLiteral("dall-e-3"), QStringLiteral("gpt-image-1"),
                                QStringLiteral("gpt-image-1.5")}));

    struct Expected
    {
        const char* id;
        bool edits;
        bool mask;
        int images;
        qint64 bytes;
    };
    const Expected expected[] = {
        {"gpt-image-1", true, true, 16, 50'000'000},   {"chatgpt-image-latest", true, true, 16, 50'000'000},
        {"gpt-image-1.5", true, false, 4, 50'000'000}, // what the server sends wins
        {"dall-e-2", true, true, 1, 4'000'000},        {"dall-e-3", false, false, 0, 0},
    };
    for (const Expected& e : expected) {
        const ModelInfo model = byId.value(QLatin1String(e.id));
        QVERIFY2(model.supportsEdits == e.edits, e.id);
        QVERIFY2(model.supportsMask == e.mask, e.id);
        QVERIFY2(model.maxInputImages == e.images, e.id);
        QVERIFY2(model.maxInputBytes == e.bytes, e.id);
    }
}

void tst_EditRequests::importer_storesFile()
{
    const QString path = writeInput(QStringLiteral("holiday photo.png"), TestEnv::solidPng(kMoss, {64, 48}));
    QString failure;
    const std::optional<LibraryRecord> record = importFile(path, &failure);
    QVERIFY2(record, qPrintable(failure));
    QCOMPARE(record->params.value(QLatin1String("imported_from")).toString(), QStringLiteral("holiday photo.png"));
    QVERIFY(record->model.isEmpty());
    QVERIFY(record->prompt.isEmpty());
    QCOMPARE(QSize(record->width, record->height), QSize(64, 48));
    QCOMPARE(record->format, QStringLiteral("png"));
    QVERIFY(record->filePath.startsWith(m_library->rootDir()));
    QCOMPARE(hex(QImage(record->filePath).pixel(10, 10)), hex(kMoss));
    QCOMPARE(m_library->count(), 1);
    QCOMPARE(m_library->recent(1).first().id, record->id);
    QVERIFY(m_sandbox.server->requests().isEmpty()); // a local import sends nothing
}

void tst_EditRequests::importer_refuses_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<bool>("exists");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("reason");

    QTest::newRow("text renamed .png") << QStringLiteral("notes.png") << true
                                       << QByteArrayLiteral("eggs, flour, milk\n")
                                       << QStringLiteral("is not a PNG, JPEG or WebP image");
    QTest::newRow("empty file") << QStringLiteral("empty.png") << true << QByteArray()
                                << QStringLiteral("is not a PNG, JPEG or WebP image");
    QTest::newRow("missing file") << QStringLiteral("gone.png") << false << QByteArray()
                                  << QStringLiteral("could not be read");
}

void tst_EditRequests::importer_refuses()
{
    QFETCH(QString, fileName);
    QFETCH(bool, exists);
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);

    const QString path = exists ? writeInput(fileName, content) : m_dir->filePath(fileName);
    QString failure;
    const std::optional<LibraryRecord> record = importFile(path, &failure);
    QVERIFY(!record);
    QVERIFY2(failure.contains(fileName), qPrintable(failure));
    QVERIFY2(failure.contains(reason), qPrintable(failure));
    QVERIFY2(!failure.contains(QLatin1String("server"), Qt::CaseInsensitive), qPrintable(failure));
    QCOMPARE(m_library->count(), 0);
    QCOMPARE(filesUnder(m_library->rootDir() + QStringLiteral("/images")), QStringList());
}

QTEST_GUILESS_MAIN(tst_EditRequests)
#include "tst_EditRequests.moc"
