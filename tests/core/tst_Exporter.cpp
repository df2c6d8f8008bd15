#include "TestEnv.h"
#include "library/Exporter.h"
#include "library/ImageMetadata.h"

#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QImage>
#include <QImageReader>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <unistd.h>

using namespace Pixapi;

namespace {

const QDateTime kCreatedAt(QDate(2024, 3, 5), QTime(10, 11, 12), Qt::UTC);

// A record with a real PNG file (with alpha, so the JPEG path has to flatten it).
LibraryRecord writeRecord(const QString& dir, qint64 id, const QString& prompt, QSize size = QSize(20, 10))
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(QColor(10, 200, 30, 128));
    for (int x = 0; x < size.width(); ++x)
        image.setPixelColor(x, (x * 7) % size.height(), QColor(x % 256, 0, 0)); // something for the encoder to do
    LibraryRecord record;
    record.id = id;
    record.filePath = dir + QStringLiteral("/source-") + QString::number(id) + QStringLiteral(".png");
    if (!image.save(record.filePath, "png"))
        qFatal("cannot write a source image");
    record.prompt = prompt;
    record.model = QStringLiteral("Nano Banana/Pro");
    record.params = QJsonObject {{QStringLiteral("size"), QStringLiteral("20x10")},
                                 {QStringLiteral("revised_prompt"), QString(QStringLiteral("revised ") + prompt)}};
    record.requestId = QStringLiteral("req-") + QString::number(id);
    record.createdAt = kCreatedAt;
    record.sha256 = QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    record.width = 20;
    record.height = 10;
    record.format = QStringLiteral("png");
    return record;
}

QList<ExportItemResult> run(const QList<LibraryRecord>& records, const ExportOptions& options)
{
    QFuture<ExportItemResult> future = Exporter::exportRecords(records, options);
    QFutureWatcher<ExportItemResult> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    if (finished.count() == 0 && !finished.wait(30000))
        qFatal("export did not finish");
    return future.results();
}

QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
}

} // namespace

class tst_Exporter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void slugify()
    {
        QCOMPARE(Exporter::slugify(QStringLiteral("  A Lighthouse, at DUSK!! "), 50),
                 QStringLiteral("a-lighthouse-at-dusk"));
        QCOMPARE(Exporter::slugify(QStringLiteral("Café déjà vu"), 50), QStringLiteral("cafe-deja-vu"));
        QCOMPARE(Exporter::slugify(QStringLiteral("東京の夜 night"), 50), QStringLiteral("東京の夜-night"));
        QCOMPARE(Exporter::slugify(QStringLiteral("abcdef ghij"), 8), QStringLiteral("abcdef-g"));
        QCOMPARE(Exporter::slugify(QStringLiteral("?!"), 8), QString());
    }

    void pattern()
    {
        LibraryRecord record;
        record.id = 77;
        record.prompt = QStringLiteral("A red fox jumping over the lazy dog in the snow");
        record.model = QStringLiteral("gpt-image-1");
        record.sha256 = QStringLiteral("deadbeefcafe");
        record.createdAt = kCreatedAt;
        const QDateTime local = kCreatedAt.toLocalTime();
        QCOMPARE(Exporter::expandPattern(QStringLiteral("{date}_{time}"), record, 1, 1),
                 local.toString(QStringLiteral("yyyy-MM-dd")) + QLatin1Char('_')
                     + local.toString(QStringLiteral("HHmmss")));
        QCOMPARE(
            Exporter::expandPattern(QStringLiteral("{model}-{prompt:12}-{index}-{id}-{sha8}{unknown}"), record, 3, 120),
            QStringLiteral("gpt-image-1-a-red-fox-ju-003-77-deadbeef{unknown}"));
    }

    void exportsPngWithMetadataAndNeverOverwrites()
    {
        QTemporaryDir sources;
        QTemporaryDir target;
        const QList<LibraryRecord> records {writeRecord(sources.path(), 1, QStringLiteral("Héllo wörld 日本")),
                                            writeRecord(sources.path(), 2, QStringLiteral("Héllo wörld 日本"))};
        // A file already there with the first name: it must survive untouched.
        QFile existing(target.filePath(QStringLiteral("hello-world-日本.png")));
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("keep me");
        existing.close();

        ExportOptions options;
        options.targetDir = target.path();
        options.namePattern = QStringLiteral("{prompt}");
        const auto results = run(records, options);
        QCOMPARE(results.size(), 2);
        QVERIFY(results.at(0).ok());
        QVERIFY(results.at(1).ok());
        QCOMPARE(results.at(0).recordId, 1);
        QCOMPARE(QFileInfo(results.at(0).outputPath).fileName(), QStringLiteral("hello-world-日本_2.png"));
        QCOMPARE(QFileInfo(results.at(1).outputPath).fileName(), QStringLiteral("hello-world-日本_3.png"));
        QCOMPARE(entries(target.path()),
                 QStringList({QStringLiteral("hello-world-日本.png"), QStringLiteral("hello-world-日本_2.png"),
                              QStringLiteral("hello-world-日本_3.png")}));
        QFile kept(existing.fileName());
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("keep me"));

        const auto metadata = ImageMetadata::read(results.at(1).outputPath);
        QVERIFY(metadata);
        QCOMPARE(metadata->prompt, records.at(1).prompt);
        QCOMPARE(metadata->model, records.at(1).model);
        QCOMPARE(metadata->params, records.at(1).params);
        QCOMPARE(metadata->requestId, QStringLiteral("req-2"));
        QCOMPARE(QImage(results.at(1).outputPath).size(), QSize(20, 10));
    }

    void exportsJpegStripped()
    {
        QTemporaryDir sources;
        QTemporaryDir target;
        ExportOptions options;
        options.targetDir = target.filePath(QStringLiteral("new/sub")); // created on demand
        options.namePattern = QStringLiteral("{id}_{sha8}");
        options.format = "jpeg";
        options.quality = 80;
        options.stripPrompt = true;
        const auto results = run({writeRecord(sources.path(), 5, QStringLiteral("secret prompt"))}, options);
        QCOMPARE(results.size(), 1);
        QVERIFY(results.at(0).ok());
        QCOMPARE(QFileInfo(results.at(0).outputPath).fileName(), QStringLiteral("5_01234567.jpg"));
        QFile file(results.at(0).outputPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(!bytes.contains("secret"));
        QCOMPARE(QImageReader(results.at(0).outputPath).format(), QByteArray("jpeg"));
        const auto metadata = ImageMetadata::fromBytes(bytes);
        QVERIFY(metadata);
        QVERIFY(metadata->prompt.isEmpty());
        QVERIFY(!metadata->params.contains(QStringLiteral("revised_prompt")));
        QCOMPARE(metadata->model, QStringLiteral("Nano Banana/Pro"));
    }

    void withoutMetadata()
    {
        QTemporaryDir sources;
        QTemporaryDir target;
        ExportOptions options;
        options.targetDir = target.path();
        options.embedMetadata = false;
        const auto results = run({writeRecord(sources.path(), 9, QStringLiteral("plain"))}, options);
        QCOMPARE(results.size(), 1);
        QVERIFY(results.at(0).ok());
        QVERIFY(!ImageMetadata::read(results.at(0).outputPath));
    }

    void webpWhenAvailable()
    {
        if (!Exporter::availableFormats().contains("webp"))
            QSKIP("no WebP plugin");
        QTemporaryDir sources;
        QTemporaryDir target;
        ExportOptions options;
        options.targetDir = target.path();
        options.format = "webp";
        const auto results = run({writeRecord(sources.path(), 3, QStringLiteral("w"))}, options);
        QCOMPARE(results.size(), 1);
        QVERIFY(results.at(0).ok());
        QVERIFY(results.at(0).outputPath.endsWith(QLatin1String(".webp")));
        QCOMPARE(QImageReader(results.at(0).outputPath).format(), QByteArray("webp"));
    }

    void failuresLeaveNothingBehind()
    {
        QTemporaryDir sources;
        QTemporaryDir target;
        LibraryRecord missing = writeRecord(sources.path(), 2, QStringLiteral("gone"));
        QVERIFY(QFile::remove(missing.filePath));
        LibraryRecord garbage = writeRecord(sources.path(), 3, QStringLiteral("garbage"));
        {
            QFile file(garbage.filePath);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write("\x89PNG\r\n\x1a\n truncated");
        }
        ExportOptions options;
        options.targetDir = target.path();
        options.namePattern = QStringLiteral("{id}");
        const auto results = run({writeRecord(sources.path(), 1, QStringLiteral("ok")), missing, garbage}, options);
        QCOMPARE(results.size(), 3);
        QVERIFY(results.at(0).ok());
        QVERIFY(!results.at(1).ok());
        QCOMPARE(results.at(1).error->kind, ApiError::Kind::InvalidImage);
        QVERIFY(!results.at(2).ok());
        QCOMPARE(entries(target.path()), QStringList({QStringLiteral("1.png")})); // no temporary file either

        // A target that cannot be a folder (a file is in the way): every item fails, nothing is written.
        options.targetDir = target.filePath(QStringLiteral("1.png/sub"));
        const auto blocked = run({writeRecord(sources.path(), 4, QStringLiteral("x"))}, options);
        QCOMPARE(blocked.size(), 1);
        QCOMPARE(blocked.at(0).error->kind, ApiError::Kind::StorageError);
        QCOMPARE(entries(target.path()), QStringList({QStringLiteral("1.png")}));

        // An unwritable folder (meaningless for root, who may write anywhere).
        if (QFileInfo(target.path()).isWritable() && ::geteuid() != 0) {
            QVERIFY(QFile::setPermissions(target.path(), QFile::ReadOwner | QFile::ExeOwner));
            options.targetDir = target.path();
            const auto denied = run({writeRecord(sources.path(), 6, QStringLiteral("y"))}, options);
            QFile::setPermissions(target.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            QCOMPARE(denied.size(), 1);
            QCOMPARE(denied.at(0).error->kind, ApiError::Kind::StorageError);
            QCOMPARE(entries(target.path()), QStringList({QStringLiteral("1.png")}));
        }
    }

    void concurrentExportsNeverShareAName()
    {
        QTemporaryDir sources;
        QTemporaryDir target;
        QList<LibraryRecord> records;
        for (int i = 1; i <= 6; ++i)
            records.append(writeRecord(sources.path(), i, QStringLiteral("same name")));
        ExportOptions options;
        options.targetDir = target.path();
        options.namePattern = QStringLiteral("{prompt}");
        QThreadPool pool;
        pool.setMaxThreadCount(2);
        QFuture<ExportItemResult> first = Exporter::exportRecords(records, options, &pool);
        QFuture<ExportItemResult> second = Exporter::exportRecords(records, options, &pool);
        pool.waitForDone();
        QSet<QString> paths;
        for (const auto& results : {first.results(), second.results()}) {
            QCOMPARE(results.size(), 6);
            for (const ExportItemResult& item : results) {
                QVERIFY(item.ok());
                paths.insert(item.outputPath);
            }
        }
        QCOMPARE(paths.size(), 12);
        QCOMPARE(entries(target.path()).size(), 12);
    }

    void progressAndCancel()
    {
        QTemporaryDir sources;
        QTemporaryDir target;
        QList<LibraryRecord> records;
        for (int i = 1; i <= 40; ++i)
            records.append(writeRecord(sources.path(), i, QStringLiteral("p"), QSize(700, 700)));
        ExportOptions options;
        options.targetDir = target.path();
        options.namePattern = QStringLiteral("{index}");

        QThreadPool pool;
        pool.setMaxThreadCount(1);
        QFutureWatcher<ExportItemResult> watcher;
        QSignalSpy progress(&watcher, &QFutureWatcherBase::progressValueChanged);
        QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
        QFuture<ExportItemResult> future = Exporter::exportRecords(records, options, &pool);
        // Cancelled as soon as the first item is reported; the worker is on the next one by then.
        connect(&watcher, &QFutureWatcherBase::resultReadyAt, &watcher, [&future] { future.cancel(); });
        watcher.setFuture(future);
        QVERIFY(finished.count() == 1 || finished.wait(30000));
        QCOMPARE(finished.count(), 1);
        pool.waitForDone();
        QVERIFY(future.isCanceled());
        QCOMPARE(future.progressMaximum(), 40);
        const int written = int(entries(target.path()).size());
        QVERIFY2(written < 40, "cancel did not stop the export");
        QVERIFY(written >= 1);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(entries(target.path()).first(), QStringLiteral("01.png"));
    }
};

QTEST_GUILESS_MAIN(tst_Exporter)
#include "tst_Exporter.moc"
