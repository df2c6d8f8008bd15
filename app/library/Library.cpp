#include "library/Library.h"

#include "library/ImageStore.h"
#include "library/LibraryDatabase.h"
#include "support/Logging.h"

#include <QDir>
#include <QFutureWatcher>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

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
    record.fileSize = image.bytes.size();
    record.sha256 = ImageStore::sha256Hex(image.bytes);
    record.format = info.value().format;
    record.credits = image.credits;
    record.durationMs = image.durationMs;
    record.accountId = image.accountId;

    // Connect before writing, so an unusable index never costs a file write and a rollback.
    LibraryDatabase db(files.rootDir(), connectionName);
    if (const auto opened = db.open(); !opened)
        return failed(opened.error(), image);

    const auto written = files.write(image.bytes, ImageStore::relativeFileName(record.createdAt, record.sha256,
                                                                               image.index, info.value().extension));
    if (!written)
        return failed(written.error(), image);
    record.filePath = written.value();

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

    QFuture<StoreResult> future = QtConcurrent::run(
        &d->pool, [files = &d->files, connectionName = nextConnectionName(), image = std::move(image)] {
            return storeOnWorker(*files, connectionName, image);
        });

    // A watcher rather than QFuture::then(): a future holds only one continuation, and that one is the caller's.
    auto* watcher = new QFutureWatcher<StoreResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const StoreResult result = watcher->result();
        if (result.ok())
            Q_EMIT imageStored(result.value());
    });
    watcher->setFuture(future);
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

} // namespace Pixapi
