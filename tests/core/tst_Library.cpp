#include "TestEnv.h"
#include "library/ImageMetadata.h"
#include "library/Library.h"
#include "library/LibraryDatabase.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QFutureWatcher>
#include <QImage>
#include <QJsonDocument>
#include <QPainter>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Pixapi;

namespace {

using StoreResult = Result<LibraryRecord, ApiError>;

const QDateTime kCreatedAt(QDate(2024, 3, 5), QTime(10, 11, 12, 345), Qt::UTC);

QByteArray encode(const QImage& image, const char* format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, format))
        qFatal("cannot encode test image as %s", format);
    return bytes;
}

QImage solidImage(int width, int height, QColor color)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(color);
    return image;
}

// Noise compresses badly, so a cut PNG is missing pixel data (not just trailing chunks).
QImage noiseImage(int width, int height, quint32 seed)
{
    QImage image(width, height, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, random.generate() | 0xff000000u);
    return image;
}

ImageToStore imageToStore(const QByteArray& bytes, int index = 0)
{
    ImageToStore image;
    image.bytes = bytes;
    image.prompt = QStringLiteral("a lighthouse at dusk");
    image.model = QStringLiteral("nano-banana");
    image.params = QJsonObject {
        {QStringLiteral("size"), QStringLiteral("64x48")}, {QStringLiteral("n"), 1}, {QStringLiteral("index"), index}};
    image.requestId = QStringLiteral("req-123");
    image.createdAt = kCreatedAt;
    image.index = index;
    return image;
}

// The bytes store() writes for an image: the same encoding with its settings embedded.
QByteArray asStored(const ImageToStore& image)
{
    return ImageMetadata {image.prompt, image.model, image.params, image.requestId, image.createdAt}.embedInEncoded(
        image.bytes);
}

template <typename T>
std::optional<T> await(const QFuture<T>& future)
{
    QFutureWatcher<T> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    if (finished.count() == 0 && !finished.wait(30000))
        return std::nullopt;
    return future.result();
}

QList<qint64> idsOf(const QList<LibraryRecord>& records)
{
    QList<qint64> ids;
    for (const LibraryRecord& record : records)
        ids.append(record.id);
    return ids;
}

QString sha256(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

// Waits for a store future through the event loop (imageStored needs it). Empty on timeout.
std::optional<StoreResult> waitFor(const QFuture<StoreResult>& future)
{
    QFutureWatcher<StoreResult> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    if (finished.count() == 0 && !finished.wait(30000))
        return std::nullopt;
    return future.result();
}

// Every file under rootDir/images, relative to rootDir (temporary files included: they are what we look for).
QStringList filesUnder(const QString& rootDir)
{
    QStringList files;
    QDirIterator it(rootDir + QStringLiteral("/images"), QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(rootDir).relativeFilePath(it.next());
    files.sort();
    return files;
}

// A connection of the test's own, to look at the database behind the Library's back.
class RawDb
{
public:
    explicit RawDb(const QString& rootDir)
        : m_name(QStringLiteral("tst_Library.raw.") + QString::number(++s_counter))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(rootDir + QStringLiteral("/library.sqlite"));
        if (!m_db.open())
            qFatal("cannot open the test's own connection");
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }

    bool exec(const QString& statement)
    {
        QSqlQuery query(m_db);
        if (query.exec(statement))
            return true;
        qWarning() << "raw statement failed:" << query.lastError().text();
        return false;
    }
    QVariant value(const QString& statement)
    {
        QSqlQuery query(m_db);
        return query.exec(statement) && query.next() ? query.value(0) : QVariant();
    }
    QStringList column(const QString& statement)
    {
        QStringList values;
        QSqlQuery query(m_db);
        query.exec(statement);
        while (query.next())
            values << query.value(0).toString();
        values.sort();
        return values;
    }
    std::optional<QSqlRecord> row(const QString& statement)
    {
        QSqlQuery query(m_db);
        if (!query.exec(statement) || !query.next())
            return std::nullopt;
        return query.record();
    }

private:
    static inline int s_counter = 0;
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace

class tst_Library : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void openCreatesSchemaAndIsIdempotent();
    void storesPngWithAllFields();
    void storesJpegAndNullsForUnknownFields();
    void rejectsInvalidImages_data();
    void rejectsInvalidImages();
    void blockedDirectoryIsStorageError();
    void failedInsertRemovesTheFile();
    void identicalImagesGetDistinctFiles();
    void concurrentStoresAllLand();
    void secondInstanceSeesRows();
    void storeBeforeOpenFails();
    void newerSchemaIsRefused();
    void destroyingWaitsForPendingStores();
    void recordsLineage();
    void purgeDropsLineageLinks();
    void recordByIdAndCount();
    void closeWaitsAndReopens();

private:
    // The files on disk are exactly the files of the rows: no temporary, partial or orphan file.
    static void verifyFilesMatchRows(const QString& rootDir);
};

void tst_Library::initTestCase()
{
    TestEnv::init();
}

void tst_Library::verifyFilesMatchRows(const QString& rootDir)
{
    RawDb raw(rootDir);
    QCOMPARE(filesUnder(rootDir), raw.column(QStringLiteral("SELECT file FROM images")));
}

void tst_Library::openCreatesSchemaAndIsIdempotent()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString rootDir = root.path() + QStringLiteral("/nested/library");
    {
        Library library(rootDir);
        QVERIFY(!library.isOpen());
        const auto opened = library.open();
        QVERIFY(opened.ok());
        QVERIFY(library.isOpen());
        QVERIFY(QFileInfo(rootDir + QStringLiteral("/images")).isDir());
        QVERIFY(QFileInfo::exists(rootDir + QStringLiteral("/library.sqlite")));
        QCOMPARE(library.count(), 0);
        QVERIFY(library.open().ok()); // again: nothing happens

        RawDb raw(rootDir);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), LibraryDatabase::SchemaVersion);
        QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        const QStringList objects =
            raw.column(QStringLiteral("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"));
        QCOMPARE(objects, (QStringList {QStringLiteral("batch_items"),
                                        QStringLiteral("board_cells"),
                                        QStringLiteral("board_images"),
                                        QStringLiteral("board_images_image"),
                                        QStringLiteral("boards"),
                                        QStringLiteral("collection_images"),
                                        QStringLiteral("collection_images_image"),
                                        QStringLiteral("collections"),
                                        QStringLiteral("image_parents"),
                                        QStringLiteral("image_parents_parent"),
                                        QStringLiteral("image_tags"),
                                        QStringLiteral("image_tags_fts_delete"),
                                        QStringLiteral("image_tags_fts_insert"),
                                        QStringLiteral("image_tags_tag"),
                                        QStringLiteral("images"),
                                        QStringLiteral("images_created_at"),
                                        QStringLiteral("images_fts"),
                                        QStringLiteral("images_fts_config"),
                                        QStringLiteral("images_fts_content"),
                                        QStringLiteral("images_fts_data"),
                                        QStringLiteral("images_fts_delete"),
                                        QStringLiteral("images_fts_docsize"),
                                        QStringLiteral("images_fts_idx"),
                                        QStringLiteral("images_fts_insert"),
                                        QStringLiteral("images_fts_update"),
                                        QStringLiteral("images_model"),
                                        QStringLiteral("images_model_nocase"),
                                        QStringLiteral("images_prompt"),
                                        QStringLiteral("images_trashed_at"),
                                        QStringLiteral("tags"),
                                        QStringLiteral("tasks"),
                                        QStringLiteral("tasks_state")}));

        const auto stored = waitFor(library.store(imageToStore(encode(solidImage(8, 8, Qt::red), "PNG"))));
        QVERIFY(stored && stored->ok());
    }
    Library reopened(rootDir);
    QVERIFY(reopened.open().ok());
    QCOMPARE(reopened.count(), 1);
    QCOMPARE(RawDb(rootDir).value(QStringLiteral("PRAGMA user_version")).toInt(), LibraryDatabase::SchemaVersion);
    verifyFilesMatchRows(rootDir);
}

void tst_Library::storesPngWithAllFields()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    QSignalSpy stored(&library, &Library::imageStored);

    const QByteArray bytes = encode(solidImage(64, 48, QColor(20, 120, 200)), "PNG");
    ImageToStore image = imageToStore(bytes);
    image.credits = 0.5;
    image.durationMs = 1234;
    image.accountId = QStringLiteral("account-1");
    const auto result = waitFor(library.store(image));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().detail));
    const LibraryRecord& record = result->value();

    // The file is the response's encoding plus the embedded settings; hash and size are of the file.
    const QByteArray written = asStored(image);
    QVERIFY(written.size() > bytes.size());
    const QString sha = sha256(written);
    QCOMPARE(record.filePath, root.path() + QStringLiteral("/images/2024/03/20240305-101112-") + sha.left(12)
                                  + QStringLiteral("-0.png"));
    QFile file(record.filePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), written);
    QCOMPARE(record.sha256, sha);
    QCOMPARE(record.width, 64);
    QCOMPARE(record.height, 48);
    QCOMPARE(record.fileSize, qint64(written.size()));
    const auto embedded = ImageMetadata::read(record.filePath);
    QVERIFY(embedded);
    QCOMPARE(embedded->prompt, image.prompt);
    QCOMPARE(embedded->model, image.model);
    QCOMPARE(embedded->params, image.params);
    QCOMPARE(embedded->requestId, image.requestId);
    QCOMPARE(embedded->createdAt, kCreatedAt);
    QCOMPARE(QImage(record.filePath), QImage::fromData(bytes));
    QCOMPARE(record.format, QStringLiteral("png"));
    QCOMPARE(record.createdAt, kCreatedAt);
    QVERIFY(record.id > 0);

    QCOMPARE(stored.count(), 1);
    QCOMPARE(stored.at(0).at(0).value<LibraryRecord>().id, record.id);

    RawDb raw(root.path());
    const auto row = raw.row(QStringLiteral("SELECT * FROM images"));
    QVERIFY(row);
    QCOMPARE(row->value(QStringLiteral("id")).toLongLong(), record.id);
    QCOMPARE(row->value(QStringLiteral("file")).toString(), QDir(root.path()).relativeFilePath(record.filePath));
    QCOMPARE(row->value(QStringLiteral("prompt")).toString(), image.prompt);
    QCOMPARE(row->value(QStringLiteral("model")).toString(), image.model);
    QCOMPARE(QJsonDocument::fromJson(row->value(QStringLiteral("params_json")).toString().toUtf8()).object(),
             image.params);
    QCOMPARE(row->value(QStringLiteral("request_id")).toString(), image.requestId);
    QCOMPARE(row->value(QStringLiteral("created_at")).toLongLong(), kCreatedAt.toMSecsSinceEpoch());
    QCOMPARE(row->value(QStringLiteral("width")).toInt(), 64);
    QCOMPARE(row->value(QStringLiteral("height")).toInt(), 48);
    QCOMPARE(row->value(QStringLiteral("file_size")).toLongLong(), qint64(written.size()));
    QCOMPARE(row->value(QStringLiteral("sha256")).toString(), sha);
    QCOMPARE(row->value(QStringLiteral("format")).toString(), QStringLiteral("png"));
    QCOMPARE(row->value(QStringLiteral("credits")).toDouble(), 0.5);
    QCOMPARE(row->value(QStringLiteral("duration_ms")).toLongLong(), qint64(1234));
    QCOMPARE(row->value(QStringLiteral("account_id")).toString(), QStringLiteral("account-1"));

    const QList<LibraryRecord> recent = library.recent(10);
    QCOMPARE(recent.size(), 1);
    QCOMPARE(recent.at(0).id, record.id);
    QCOMPARE(recent.at(0).filePath, record.filePath);
    QCOMPARE(recent.at(0).params, image.params);
    QCOMPARE(recent.at(0).createdAt, kCreatedAt);
    QVERIFY(recent.at(0).credits == 0.5);
    QCOMPARE(recent.at(0).durationMs, qint64(1234));
    QCOMPARE(recent.at(0).accountId, QStringLiteral("account-1"));
    QCOMPARE(recent.at(0).sha256, sha);
    QCOMPARE(library.count(), 1);
    verifyFilesMatchRows(root.path());
}

void tst_Library::storesJpegAndNullsForUnknownFields()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    QSignalSpy stored(&library, &Library::imageStored);

    const QByteArray bytes = encode(solidImage(40, 30, Qt::darkGreen), "JPEG");
    const auto result = waitFor(library.store(imageToStore(bytes, 3)));
    QVERIFY(result && result->ok());
    const LibraryRecord& record = result->value();
    QCOMPARE(record.format, QStringLiteral("jpeg"));
    const QByteArray written = asStored(imageToStore(bytes, 3));
    QVERIFY(record.filePath.endsWith(sha256(written).left(12) + QStringLiteral("-3.jpg")));
    QCOMPARE(ImageMetadata::read(record.filePath).value_or(ImageMetadata()).prompt, imageToStore(bytes).prompt);
    QCOMPARE(record.width, 40);
    QCOMPARE(record.height, 30);
    QCOMPARE(stored.count(), 1);

    RawDb raw(root.path());
    const auto row = raw.row(QStringLiteral("SELECT credits, duration_ms, account_id FROM images"));
    QVERIFY(row);
    QVERIFY(row->isNull(0));
    QVERIFY(row->isNull(1));
    QVERIFY(row->isNull(2));
    const LibraryRecord fromDb = library.recent(1).value(0);
    QVERIFY(!fromDb.credits);
    QCOMPARE(fromDb.durationMs, qint64(-1));
    QVERIFY(fromDb.accountId.isEmpty());
    verifyFilesMatchRows(root.path());
}

void tst_Library::rejectsInvalidImages_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray png = encode(noiseImage(64, 64, 7), "PNG");
    QTest::newRow("text") << QByteArray("this is not an image, just some text from a broken server");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("truncated png") << png.left(png.size() * 6 / 10);
    QTest::newRow("png header only") << png.left(33);
    QTest::newRow("html error page") << QByteArray("<html><body>502 Bad Gateway</body></html>");
    QTest::newRow("svg (readable, not accepted)")
        << QByteArray("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" "
                      "height=\"10\"/></svg>");
}

void tst_Library::rejectsInvalidImages()
{
    QFETCH(QByteArray, bytes);
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    QSignalSpy stored(&library, &Library::imageStored);

    const auto result = waitFor(library.store(imageToStore(bytes)));
    QVERIFY(result);
    QVERIFY(!result->ok());
    QCOMPARE(result->error().kind, ApiError::Kind::InvalidImage);
    QVERIFY(!result->error().detail.isEmpty());
    QCOMPARE(stored.count(), 0);
    QCOMPARE(library.count(), 0);
    QCOMPARE(filesUnder(root.path()), QStringList());
}

void tst_Library::blockedDirectoryIsStorageError()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    QSignalSpy stored(&library, &Library::imageStored);

    // Root ignores permissions, so block the path instead: a file where the year directory must go.
    QFile blocker(root.path() + QStringLiteral("/images/2024"));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();

    const auto result = waitFor(library.store(imageToStore(encode(solidImage(16, 16, Qt::blue), "PNG"))));
    QVERIFY(result);
    QVERIFY(!result->ok());
    QCOMPARE(result->error().kind, ApiError::Kind::StorageError);
    QVERIFY(!result->error().userMessage().contains(root.path()));
    QCOMPARE(stored.count(), 0);
    QCOMPARE(library.count(), 0);
    QCOMPARE(filesUnder(root.path()), QStringList {QStringLiteral("images/2024")});
}

void tst_Library::failedInsertRemovesTheFile()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    QSignalSpy stored(&library, &Library::imageStored);
    {
        RawDb raw(root.path());
        QVERIFY(raw.exec(QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON images "
                                        "BEGIN SELECT RAISE(ABORT, 'refused by test'); END")));
    }

    const QByteArray bytes = encode(solidImage(16, 16, Qt::yellow), "PNG");
    const auto result = waitFor(library.store(imageToStore(bytes)));
    QVERIFY(result);
    QVERIFY(!result->ok());
    QCOMPARE(result->error().kind, ApiError::Kind::StorageError);
    QVERIFY(!result->error().userMessage().contains(QLatin1String("INSERT")));
    QCOMPARE(stored.count(), 0);
    QCOMPARE(library.count(), 0);
    QCOMPARE(filesUnder(root.path()), QStringList()); // the committed file was rolled back

    // The library recovers once the index accepts rows again.
    QVERIFY(RawDb(root.path()).exec(QStringLiteral("DROP TRIGGER refuse")));
    const auto retried = waitFor(library.store(imageToStore(bytes)));
    QVERIFY(retried && retried->ok());
    QCOMPARE(stored.count(), 1);
    verifyFilesMatchRows(root.path());
}

void tst_Library::identicalImagesGetDistinctFiles()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());

    // Same bytes, time and index: the same wanted name, written concurrently.
    const QByteArray bytes = encode(solidImage(16, 16, Qt::cyan), "PNG");
    const QFuture<StoreResult> first = library.store(imageToStore(bytes));
    const QFuture<StoreResult> second = library.store(imageToStore(bytes));
    const auto a = waitFor(first);
    const auto b = waitFor(second);
    QVERIFY(a && a->ok() && b && b->ok());
    QVERIFY(a->value().filePath != b->value().filePath);
    const QString wanted = root.path() + QStringLiteral("/images/2024/03/20240305-101112-")
                           + sha256(asStored(imageToStore(bytes))).left(12);
    QCOMPARE(QSet<QString>({a->value().filePath, b->value().filePath}),
             QSet<QString>({wanted + QStringLiteral("-0.png"), wanted + QStringLiteral("-0_2.png")}));
    QCOMPARE(library.count(), 2);
    verifyFilesMatchRows(root.path());
}

void tst_Library::concurrentStoresAllLand()
{
    QTemporaryDir root;
    // Two instances on one root: four workers and two processes' worth of writers contend for the WAL lock.
    Library first(root.path());
    Library second(root.path());
    QVERIFY(first.open().ok());
    QVERIFY(second.open().ok());
    QSignalSpy storedFirst(&first, &Library::imageStored);
    QSignalSpy storedSecond(&second, &Library::imageStored);

    QList<QFuture<StoreResult>> futures;
    for (int i = 0; i < 20; ++i) {
        const QByteArray bytes = encode(noiseImage(32 + i, 24, quint32(i)), i % 3 == 0 ? "JPEG" : "PNG");
        futures << (i % 2 ? second : first).store(imageToStore(bytes, i % 4));
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(futures.cbegin(), futures.cend(), [](const auto& f) { return f.isFinished(); }), 60000);
    QTRY_COMPARE(storedFirst.count() + storedSecond.count(), 20);

    QSet<QString> paths;
    QSet<qint64> ids;
    for (const auto& future : futures) {
        const StoreResult result = future.result();
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().detail));
        QVERIFY(QFileInfo::exists(result.value().filePath));
        paths.insert(result.value().filePath);
        ids.insert(result.value().id);
    }
    QCOMPARE(paths.size(), 20);
    QCOMPARE(ids.size(), 20);
    QCOMPARE(storedFirst.count(), 10);
    QCOMPARE(storedSecond.count(), 10);
    QSet<qint64> emittedIds;
    for (const QSignalSpy* spy : {&storedFirst, &storedSecond})
        for (const QList<QVariant>& emission : *spy)
            emittedIds.insert(emission.at(0).value<LibraryRecord>().id);
    QCOMPARE(emittedIds, ids);
    QCOMPARE(first.count(), 20);
    QCOMPARE(first.recent(50).size(), 20);
    verifyFilesMatchRows(root.path());
}

void tst_Library::secondInstanceSeesRows()
{
    QTemporaryDir root;
    Library writer(root.path());
    QVERIFY(writer.open().ok());
    const auto stored = waitFor(writer.store(imageToStore(encode(solidImage(10, 10, Qt::magenta), "PNG"))));
    QVERIFY(stored && stored->ok());

    Library reader(root.path()); // while the first one is open
    QVERIFY(reader.open().ok());
    QCOMPARE(reader.count(), 1);
    QCOMPARE(reader.recent(1).value(0).id, stored->value().id);

    const auto more = waitFor(reader.store(imageToStore(encode(solidImage(12, 10, Qt::gray), "PNG"))));
    QVERIFY(more && more->ok());
    QCOMPARE(writer.count(), 2);
    QCOMPARE(writer.recent(1).value(0).id, std::max(stored->value().id, more->value().id));
}

void tst_Library::storeBeforeOpenFails()
{
    QTemporaryDir root;
    Library library(root.path());
    QSignalSpy stored(&library, &Library::imageStored);
    const auto result = waitFor(library.store(imageToStore(encode(solidImage(8, 8, Qt::red), "PNG"))));
    QVERIFY(result);
    QVERIFY(!result->ok());
    QCOMPARE(result->error().kind, ApiError::Kind::StorageError);
    QCOMPARE(stored.count(), 0);
    QCOMPARE(library.count(), -1);
    QVERIFY(library.recent(5).isEmpty());
    QVERIFY(!QFileInfo::exists(root.path() + QStringLiteral("/images")));
}

void tst_Library::newerSchemaIsRefused()
{
    QTemporaryDir root;
    {
        Library library(root.path());
        QVERIFY(library.open().ok());
    }
    QVERIFY(RawDb(root.path()).exec(QStringLiteral("PRAGMA user_version = 99")));
    Library library(root.path());
    const auto opened = library.open();
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().kind, ApiError::Kind::StorageError);
    QVERIFY(opened.error().detail.contains(QLatin1String("99")));
    QVERIFY(!library.isOpen());
    QCOMPARE(RawDb(root.path()).value(QStringLiteral("PRAGMA user_version")).toInt(), 99); // left untouched
}

void tst_Library::destroyingWaitsForPendingStores()
{
    QTemporaryDir root;
    auto library = std::make_unique<Library>(root.path());
    QVERIFY(library->open().ok());
    QList<QFuture<StoreResult>> futures;
    for (int i = 0; i < 6; ++i)
        futures << library->store(imageToStore(encode(noiseImage(48, 48, quint32(100 + i)), "PNG"), i));
    library.reset();
    for (const auto& future : futures) {
        QVERIFY(future.isFinished());
        QVERIFY(future.result().ok());
    }
    QCOMPARE(RawDb(root.path()).value(QStringLiteral("SELECT COUNT(*) FROM images")).toInt(), 6);
    verifyFilesMatchRows(root.path());
}

void tst_Library::recordsLineage()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    ImageToStore first = imageToStore(encode(solidImage(8, 8, Qt::red), "PNG"));
    ImageToStore second = imageToStore(encode(solidImage(8, 8, Qt::green), "PNG"));
    second.createdAt = kCreatedAt.addSecs(60);
    const auto a = waitFor(library.store(first));
    const auto b = waitFor(library.store(second));
    QVERIFY(a && a->ok() && b && b->ok());
    const qint64 aId = a->value().id;
    const qint64 bId = b->value().id;

    // Made from both (listed out of order, one twice) and from an id that does not exist: that one is dropped.
    ImageToStore child = imageToStore(encode(solidImage(8, 8, Qt::blue), "PNG"));
    child.createdAt = kCreatedAt.addSecs(120);
    child.parentIds = {bId, 9999, aId, bId};
    const auto c = waitFor(library.store(child));
    QVERIFY(c && c->ok());
    QCOMPARE(c->value().parentIds, (QList<qint64> {aId, bId}));
    ImageToStore grandchild = imageToStore(encode(solidImage(8, 8, Qt::cyan), "PNG"));
    grandchild.createdAt = kCreatedAt.addSecs(180);
    grandchild.parentIds = {c->value().id};
    const auto d = waitFor(library.store(grandchild));
    QVERIFY(d && d->ok());

    // Records read back carry the parents; the trash does not hide lineage.
    QCOMPARE(library.recent(1).value(0).parentIds, QList<qint64> {c->value().id});
    QVERIFY(await(library.trash(aId)).value_or(Result<bool, ApiError>(false)).ok());
    const auto lineage = await(library.lineage(c->value().id));
    QVERIFY(lineage && lineage->ok());
    QCOMPARE(idsOf(lineage->value().parents), (QList<qint64> {aId, bId})); // oldest first
    QVERIFY(lineage->value().parents.at(0).isTrashed());
    QCOMPARE(idsOf(lineage->value().children), QList<qint64> {d->value().id});
    const auto ofA = await(library.lineage(aId));
    QVERIFY(ofA && ofA->ok());
    QVERIFY(ofA->value().parents.isEmpty());
    QCOMPARE(idsOf(ofA->value().children), QList<qint64> {c->value().id});

    const auto missing = await(library.lineage(4242));
    QVERIFY(missing && !missing->ok());
    QCOMPARE(missing->error().kind, ApiError::Kind::NotFound);
}

void tst_Library::purgeDropsLineageLinks()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto parent = waitFor(library.store(imageToStore(encode(solidImage(8, 8, Qt::red), "PNG"))));
    QVERIFY(parent && parent->ok());
    ImageToStore made = imageToStore(encode(solidImage(8, 8, Qt::green), "PNG"));
    made.parentIds = {parent->value().id};
    const auto child = waitFor(library.store(made));
    QVERIFY(child && child->ok());
    ImageToStore other = imageToStore(encode(solidImage(8, 8, Qt::blue), "PNG"));
    other.parentIds = {parent->value().id};
    const auto sibling = waitFor(library.store(other));
    QVERIFY(sibling && sibling->ok());
    QCOMPARE(RawDb(root.path()).value(QStringLiteral("SELECT COUNT(*) FROM image_parents")).toInt(), 2);

    // Purging a child takes its own links.
    QVERIFY(await(library.trash(sibling->value().id)).value_or(Result<bool, ApiError>(false)).ok());
    QVERIFY(await(library.purge(sibling->value().id)).value_or(Result<bool, ApiError>(false)).ok());
    QCOMPARE(RawDb(root.path()).value(QStringLiteral("SELECT COUNT(*) FROM image_parents")).toInt(), 1);
    // Purging a parent takes the links to it; the child stays.
    QVERIFY(await(library.trash(parent->value().id)).value_or(Result<bool, ApiError>(false)).ok());
    QVERIFY(await(library.purge(parent->value().id)).value_or(Result<bool, ApiError>(false)).ok());
    QCOMPARE(RawDb(root.path()).value(QStringLiteral("SELECT COUNT(*) FROM image_parents")).toInt(), 0);
    const auto rest = await(library.record(child->value().id));
    QVERIFY(rest && rest->ok());
    QVERIFY(rest->value().parentIds.isEmpty());

    // A parent purged before its child is stored is dropped silently.
    ImageToStore late = imageToStore(encode(solidImage(8, 8, Qt::yellow), "PNG"));
    late.parentIds = {parent->value().id};
    const auto orphan = waitFor(library.store(late));
    QVERIFY(orphan && orphan->ok());
    QVERIFY(orphan->value().parentIds.isEmpty());
}

void tst_Library::recordByIdAndCount()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto stored = waitFor(library.store(imageToStore(encode(solidImage(8, 8, Qt::red), "PNG"))));
    QVERIFY(stored && stored->ok());
    QVERIFY(await(library.trash(stored->value().id)).value_or(Result<bool, ApiError>(false)).ok());

    const auto found = await(library.record(stored->value().id)); // trashed ones too
    QVERIFY(found && found->ok());
    QCOMPARE(found->value().filePath, stored->value().filePath);
    QCOMPARE(found->value().prompt, stored->value().prompt);
    QVERIFY(found->value().isTrashed());
    const auto missing = await(library.record(stored->value().id + 1));
    QVERIFY(missing && !missing->ok());
    QCOMPARE(missing->error().kind, ApiError::Kind::NotFound);
}

void tst_Library::closeWaitsAndReopens()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    QList<QFuture<StoreResult>> futures;
    for (int i = 0; i < 4; ++i)
        futures << library.store(imageToStore(encode(noiseImage(48, 48, quint32(300 + i)), "PNG"), i));
    library.close();
    QVERIFY(!library.isOpen());
    for (const auto& future : futures) {
        QVERIFY(future.isFinished());
        QVERIFY(future.result().ok());
    }
    QCOMPARE(library.count(), -1);
    const auto refused = await(library.search(LibraryQuery()));
    QVERIFY(refused && !refused->ok());
    QCOMPARE(refused->error().kind, ApiError::Kind::StorageError);

    QVERIFY(library.open().ok());
    QCOMPARE(library.count(), 4);
    library.close();
    library.close(); // twice: nothing happens
    QVERIFY(!library.isOpen());
}

QTEST_GUILESS_MAIN(tst_Library)
#include "tst_Library.moc"
