#include "library/Library.h"

#include "library/ImageMetadata.h"
#include "library/ImageStore.h"
#include "library/LibraryDatabase.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"
#include "support/WhenFinished.h"

#include <QDir>
#include <QFile>
#include <QThreadPool>

#include <atomic>

namespace Pixapi {

namespace {

using StoreResult = Result<LibraryRecord, ApiError>;

// QSqlDatabase connection names are process-global; every Library and every store job gets its own.
QString nextConnectionName()
{
    static std::atomic<quint64> counter {0};
    return QStringLiteral("pixapi.library.") + QString::number(++counter);
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

StoreResult failed(const ApiError& error, const ImageToStore& image)
{
    qCWarning(lcLibrary).noquote() << "could not store image of request" << image.requestId << "index" << image.index
                                   << '-' << ApiError::kindName(error.kind) << '-' << error.detail;
    return StoreResult::failure(error);
}

// The whole of store(), on a pool thread: validate, open a connection of this thread, write the file, index it.
StoreResult storeOnWorker(ImageStore& files, const QString& connectionName, const ImageToStore& image)
{
    const auto info = ImageStore::inspect(image.bytes);
    if (!info)
        return failed(info.error(), image);

    LibraryRecord record;
    record.prompt = image.prompt;
    record.model = image.model;
    record.params = image.params;
    record.requestId = image.requestId;
    record.createdAt = image.createdAt.isValid() ? image.createdAt.toUTC() : QDateTime::currentDateTimeUtc();
    record.width = info.value().width;
    record.height = info.value().height;
    record.format = info.value().format;
    record.credits = image.credits;
    record.durationMs = image.durationMs;
    record.accountId = image.accountId;
    record.parentIds = image.parentIds;
    // The file carries its own settings, so the index can be rebuilt from the files alone.
    const QByteArray bytes = ImageMetadata::fromRecord(record).embedInEncoded(image.bytes);
    record.fileSize = bytes.size();
    record.sha256 = ImageStore::sha256Hex(bytes);

    // Connect before writing, so an unusable index never costs a file write and a rollback.
    LibraryDatabase db(files.rootDir(), connectionName);
    if (const auto opened = db.open(); !opened)
        return failed(opened.error(), image);
    if (image.replay && !image.requestId.isEmpty()) {
        const auto stored = db.imageOfResponse(image.requestId, image.index);
        if (!stored)
            return failed(stored.error(), image);
        if (stored.value()) {
            qCInfo(lcLibrary) << "image" << image.index << "of request" << image.requestId << "is already stored";
            return *stored.value();
        }
    }

    const QString fileName =
        ImageStore::relativeFileName(record.createdAt, record.sha256, image.index, info.value().extension);
    // A crash between the file and its row leaves the file: a replay of the same bytes takes it over.
    const QString leftOver = files.rootDir() + QLatin1Char('/') + fileName;
    if (image.replay && ImageStore::sha256Hex(fileBytes(leftOver)) == record.sha256) {
        record.filePath = leftOver;
    } else {
        const auto written = files.write(bytes, fileName);
        if (!written)
            return failed(written.error(), image);
        record.filePath = written.value();
    }

    const auto id = db.insertImage(record);
    if (!id) {
        files.remove(record.filePath); // no file without its row
        return failed(id.error(), image);
    }
    record.id = id.value();
    qCInfo(lcLibrary).nospace() << "stored image " << record.id << " (" << record.format << ' ' << record.width << 'x'
                                << record.height << ", " << record.fileSize << " bytes, request " << record.requestId
                                << ')';
    return record;
}

using EditResult = Result<bool, ApiError>;
using SearchResult = Result<QList<LibraryRecord>, ApiError>;
using NamesResult = Result<QStringList, ApiError>;

ApiError notOpen()
{
    return ApiError::make(ApiError::Kind::StorageError, QStringLiteral("the library is not open"));
}

// Runs work with a connection of its own on a pool thread (a QSqlDatabase belongs to the thread that opened it).
template <typename T, typename Work>
QFuture<Result<T, ApiError>> runWithDatabase(QThreadPool* pool, const QString& rootDir, Work work)
{
    return runOnPool(pool, [rootDir, connectionName = nextConnectionName(), work = std::move(work)] {
        LibraryDatabase db(rootDir, connectionName);
        if (const auto opened = db.open(); !opened)
            return Result<T, ApiError>::failure(opened.error());
        return work(db);
    });
}

// Calls notify on the library's thread once the edit has succeeded (a watcher, as the continuation is the caller's).
QFuture<EditResult> notifyOnSuccess(Library* library, QFuture<EditResult> future, std::function<void()> notify)
{
    whenFinished(library, future, [notify = std::move(notify)](const EditResult& result) {
        if (result.ok())
            notify();
        else
            qCWarning(lcLibrary).noquote()
                << "library edit failed -" << ApiError::kindName(result.error().kind) << '-' << result.error().detail;
    });
    return future;
}

} // namespace

struct Library::Private
{
    explicit Private(const QString& root)
        : rootDir(root)
        , files(root)
    {
        pool.setMaxThreadCount(2); // decoding and hashing are CPU-bound; leave the other cores to the UI
    }

    const QString rootDir;
    ImageStore files;
    std::unique_ptr<LibraryDatabase> db; // the connection of the Library's thread (recent, count)
    QThreadPool pool;
};

Library::Library(QString rootDir, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(QDir::cleanPath(QDir(rootDir).absolutePath())))
{ }

Library::~Library()
{
    d->pool.waitForDone(); // jobs use d->files; their futures still complete, imageStored is no longer emitted
}

QString Library::rootDir() const
{
    return d->rootDir;
}

bool Library::isOpen() const
{
    return d->db != nullptr;
}

void Library::close()
{
    if (!d->db)
        return;
    d->db.reset(); // first, so no new work starts; running jobs hold connections of their own
    d->pool.waitForDone();
    qCInfo(lcLibrary) << "library closed";
}

Result<bool, ApiError> Library::open()
{
    if (d->db)
        return true;
    if (!QDir(d->rootDir).mkpath(QStringLiteral("images")))
        return Result<bool, ApiError>::failure(
            ApiError::make(ApiError::Kind::StorageError, QStringLiteral("cannot create the library directory")));

    auto db = std::make_unique<LibraryDatabase>(d->rootDir, nextConnectionName());
    if (auto opened = db->open(); !opened)
        return opened;
    if (auto migrated = db->migrate(); !migrated)
        return migrated;
    d->db = std::move(db);
    qCInfo(lcLibrary) << "library opened with" << d->db->count() << "images";
    return true;
}

QFuture<Result<LibraryRecord, ApiError>> Library::store(ImageToStore image)
{
    if (!d->db)
        return QtFuture::makeReadyFuture(StoreResult::failure(
            ApiError::make(ApiError::Kind::StorageError, QStringLiteral("the library is not open"))));

    QFuture<StoreResult> future =
        runOnPool(&d->pool, [files = &d->files, connectionName = nextConnectionName(), image = std::move(image)] {
            return storeOnWorker(*files, connectionName, image);
        });

    // A watcher rather than QFuture::then(): a future holds only one continuation, and that one is the caller's.
    whenFinished(this, future, [this](const StoreResult& result) {
        if (result.ok())
            Q_EMIT imageStored(result.value());
    });
    return future;
}

QList<LibraryRecord> Library::recent(int limit) const
{
    return d->db ? d->db->recent(limit) : QList<LibraryRecord>();
}

int Library::count() const
{
    return d->db ? d->db->count() : -1;
}

QFuture<Result<QList<LibraryRecord>, ApiError>> Library::search(LibraryQuery query)
{
    if (!d->db)
        return QtFuture::makeReadyFuture(SearchResult::failure(notOpen()));
    return runWithDatabase<QList<LibraryRecord>>(
        &d->pool, d->rootDir, [query = std::move(query)](LibraryDatabase& db) { return db.search(query); });
}

QFuture<Result<int, ApiError>> Library::countMatching(LibraryQuery query)
{
    if (!d->db)
        return QtFuture::makeReadyFuture(Result<int, ApiError>::failure(notOpen()));
    return runWithDatabase<int>(&d->pool, d->rootDir,
                                [query = std::move(query)](LibraryDatabase& db) { return db.countMatching(query); });
}

QFuture<Result<LibraryRecord, ApiError>> Library::record(qint64 id)
{
    if (!d->db)
        return QtFuture::makeReadyFuture(Result<LibraryRecord, ApiError>::failure(notOpen()));
    return runWithDatabase<LibraryRecord>(&d->pool, d->rootDir, [id](LibraryDatabase& db) { return db.record(id); });
}

QFuture<Result<Lineage, ApiError>> Library::lineage(qint64 id)
{
    if (!d->db)
        return QtFuture::makeReadyFuture(Result<Lineage, ApiError>::failure(notOpen()));
    return runWithDatabase<Lineage>(&d->pool, d->rootDir, [id](LibraryDatabase& db) { return db.lineage(id); });
}

QFuture<Result<QStringList, ApiError>> Library::modelNames()
{
    if (!d->db)
        return QtFuture::makeReadyFuture(NamesResult::failure(notOpen()));
    return runWithDatabase<QStringList>(&d->pool, d->rootDir, [](LibraryDatabase& db) { return db.modelNames(); });
}

QFuture<Result<QStringList, ApiError>> Library::tagNames()
{
    if (!d->db)
        return QtFuture::makeReadyFuture(NamesResult::failure(notOpen()));
    return runWithDatabase<QStringList>(&d->pool, d->rootDir, [](LibraryDatabase& db) { return db.tagNames(); });
}

QFuture<Result<QStringList, ApiError>> Library::collectionNames()
{
    if (!d->db)
        return QtFuture::makeReadyFuture(NamesResult::failure(notOpen()));
    return runWithDatabase<QStringList>(&d->pool, d->rootDir, [](LibraryDatabase& db) { return db.collectionNames(); });
}

QFuture<Result<bool, ApiError>> Library::editRecord(qint64 id, std::function<EditResult(LibraryDatabase&)> work)
{
    if (!d->db)
        return QtFuture::makeReadyFuture(EditResult::failure(notOpen()));
    return notifyOnSuccess(this, runWithDatabase<bool>(&d->pool, d->rootDir, std::move(work)),
                           [this, id] { Q_EMIT recordChanged(id); });
}

QFuture<Result<bool, ApiError>> Library::setFavorite(qint64 id, bool favorite)
{
    return editRecord(id, [id, favorite](LibraryDatabase& db) { return db.setFavorite(id, favorite); });
}

QFuture<Result<bool, ApiError>> Library::setStars(qint64 id, int stars)
{
    return editRecord(id, [id, stars](LibraryDatabase& db) { return db.setStars(id, stars); });
}

QFuture<Result<bool, ApiError>> Library::addTag(qint64 id, QString tag)
{
    return editRecord(id, [id, tag = std::move(tag)](LibraryDatabase& db) { return db.addTag(id, tag); });
}

QFuture<Result<bool, ApiError>> Library::removeTag(qint64 id, QString tag)
{
    return editRecord(id, [id, tag = std::move(tag)](LibraryDatabase& db) { return db.removeTag(id, tag); });
}

QFuture<Result<bool, ApiError>> Library::addToCollection(qint64 id, QString collection)
{
    if (!d->db)
        return QtFuture::makeReadyFuture(EditResult::failure(notOpen()));
    // Written on the worker, read on this thread after the future finished (the watcher orders the two).
    auto created = std::make_shared<bool>(false);
    auto future = runWithDatabase<bool>(&d->pool, d->rootDir,
                                        [id, collection = std::move(collection), created](LibraryDatabase& db) {
                                            return db.addToCollection(id, collection, created.get());
                                        });
    return notifyOnSuccess(this, future, [this, id, created] {
        if (*created)
            Q_EMIT collectionsChanged();
        Q_EMIT recordChanged(id);
    });
}

QFuture<Result<bool, ApiError>> Library::removeFromCollection(qint64 id, QString collection)
{
    return editRecord(id, [id, collection = std::move(collection)](LibraryDatabase& db) {
        return db.removeFromCollection(id, collection);
    });
}

QFuture<Result<bool, ApiError>> Library::trash(qint64 id)
{
    return editRecord(id, [id](LibraryDatabase& db) { return db.setTrashed(id, QDateTime::currentDateTimeUtc()); });
}

QFuture<Result<bool, ApiError>> Library::restore(qint64 id)
{
    return editRecord(id, [id](LibraryDatabase& db) { return db.setTrashed(id, QDateTime()); });
}

QFuture<Result<bool, ApiError>> Library::createCollection(QString name)
{
    if (!d->db)
        return QtFuture::makeReadyFuture(EditResult::failure(notOpen()));
    auto future = runWithDatabase<bool>(
        &d->pool, d->rootDir, [name = std::move(name)](LibraryDatabase& db) { return db.createCollection(name); });
    return notifyOnSuccess(this, future, [this] { Q_EMIT collectionsChanged(); });
}

QFuture<Result<bool, ApiError>> Library::purge(qint64 id)
{
    if (!d->db)
        return QtFuture::makeReadyFuture(EditResult::failure(notOpen()));
    auto future = runWithDatabase<bool>(&d->pool, d->rootDir, [id, files = &d->files](LibraryDatabase& db) {
        // A file already gone (removed by hand) is no reason to keep its row.
        return db.deleteTrashed(id,
                                [files](const QString& path) { return !QFile::exists(path) || files->remove(path); });
    });
    return notifyOnSuccess(this, future, [this, id] { Q_EMIT recordsRemoved({id}); });
}

} // namespace Pixapi
