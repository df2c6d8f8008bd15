#pragma once

#include "api/ApiError.h"
#include "library/LibraryQuery.h"
#include "support/Result.h"

#include <QDateTime>
#include <QFuture>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace Pixapi {

class LibraryDatabase;

// What the generation pipeline hands to the library: the image bytes and everything known about them.
struct ImageToStore
{
    QByteArray bytes;
    QString prompt;
    QString model;
    QJsonObject params; // n, size, quality, response_format, index, ...
    QString requestId;
    QDateTime createdAt;
    std::optional<double> credits;
    qint64 durationMs = -1;
    QString accountId;       // the account that paid for it; empty for the sandbox or unknown
    int index = 0;           // position in the request's data[]; part of the file name
    QList<qint64> parentIds; // library images this one was made from ("Generate again", "Reuse settings", references)
    // Saved again after a crash (a spooled response, a resumed task): when data[index] of requestId is already in the
    // library, that record is the result and nothing is written twice.
    bool replay = false;
};

// One indexed image, as stored.
struct LibraryRecord
{
    qint64 id = 0;
    QString filePath; // absolute path of the stored file
    QString prompt;
    QString model;
    QJsonObject params;
    QString requestId;
    QDateTime createdAt;
    int width = 0;
    int height = 0;
    qint64 fileSize = 0;
    QString sha256; // hex
    QString format; // "png", "jpeg", "webp", ...
    std::optional<double> credits;
    qint64 durationMs = -1;
    QString accountId;
    bool favorite = false;
    int stars = 0;           // 0..5
    QStringList tags;        // sorted case-insensitively
    QDateTime trashedAt;     // invalid when not in the trash
    QStringList collections; // names of the collections it is in, sorted case-insensitively
    QList<qint64> parentIds; // lineage: the images it was made from, ascending
    bool isTrashed() const { return trashedAt.isValid(); }
};

// The images an image was made from and the images made from it (trashed ones included: lineage outlives the trash;
// purged ones are gone). Each list is oldest first.
struct Lineage
{
    QList<LibraryRecord> parents;
    QList<LibraryRecord> children;
};

// The local image library: files under rootDir/images, an SQLite index at rootDir/library.sqlite.
// An image is only reported stored after the file is committed (QSaveFile) and its row inserted.
// Use it from the thread it lives in; the work of store() runs on a private pool of two threads.
class Library : public QObject
{
    Q_OBJECT

public:
    explicit Library(QString rootDir, QObject* parent = nullptr);
    ~Library() override;

    // Creates the directories, opens the database and migrates the schema. Cheap on an existing library; calling it
    // again on an open library does nothing. Fails with StorageError (detail says why).
    Result<bool, ApiError> open();
    // Waits for running work, then closes every connection (isOpen() false) so the index file may be replaced
    // (LibraryIntegrity::rebuildIndex); open() works again afterwards.
    void close();
    bool isOpen() const;
    QString rootDir() const;

    // Validates the bytes as an image, writes the file atomically and inserts the row, all on a worker thread.
    // PNG and JPEG files get the prompt, model, params, request id and creation time embedded (ImageMetadata::
    // embedInEncoded, pixels untouched) so a rebuilt index gets them back; fileSize and sha256 are of the file.
    // Parent ids of images that no longer exist are dropped.
    // The future holds the record, or an ApiError of kind InvalidImage or StorageError (nothing left behind).
    // On success imageStored() is emitted afterwards on this object's thread. Files are named
    // images/YYYY/MM/<yyyyMMdd-HHmmss>-<sha256 prefix>-<index>.<ext> (UTC; "_2", ... appended on a clash).
    QFuture<Result<LibraryRecord, ApiError>> store(ImageToStore image);

    // Newest first, trash left out. Runs on the calling thread: for small reads only. Empty / -1 when not open or
    // unreadable.
    QList<LibraryRecord> recent(int limit) const;
    int count() const;

    // Runs on the worker pool (its own connection). Any user text is safe (see LibraryQuery::matchExpression);
    // StorageError only when the index cannot be read.
    QFuture<Result<QList<LibraryRecord>, ApiError>> search(LibraryQuery query);
    // How many images the query matches, ignoring its limit and offset.
    QFuture<Result<int, ApiError>> countMatching(LibraryQuery query);
    // One image by id (trashed or not); NotFound when there is none.
    QFuture<Result<LibraryRecord, ApiError>> record(qint64 id);
    QFuture<Result<Lineage, ApiError>> lineage(qint64 id);
    // For filter menus, sorted case-insensitively: the models of images not in the trash, every tag in use, every
    // collection (empty ones too).
    QFuture<Result<QStringList, ApiError>> modelNames();
    QFuture<Result<QStringList, ApiError>> tagNames();
    QFuture<Result<QStringList, ApiError>> collectionNames();

    // Edits run on the worker pool. On success recordChanged(id) follows on this object's thread; errors are
    // NotFound (no such image or collection), BadRequest (value out of range, empty name, not trashed) or StorageError.
    QFuture<Result<bool, ApiError>> setFavorite(qint64 id, bool favorite);
    QFuture<Result<bool, ApiError>> setStars(qint64 id, int stars);
    QFuture<Result<bool, ApiError>> addTag(qint64 id, QString tag);
    QFuture<Result<bool, ApiError>> removeTag(qint64 id, QString tag);
    QFuture<Result<bool, ApiError>> addToCollection(qint64 id, QString collection); // created when new
    QFuture<Result<bool, ApiError>> removeFromCollection(qint64 id, QString collection);
    QFuture<Result<bool, ApiError>> trash(qint64 id);   // kept with its file until purged
    QFuture<Result<bool, ApiError>> restore(qint64 id); // out of the trash
    // Names are unique ignoring case. collectionsChanged() follows on success.
    QFuture<Result<bool, ApiError>> createCollection(QString name);
    // Deletes a trashed image for good: its row (tags, collection entries, search entry) and its file. Refuses an
    // image not in the trash. recordsRemoved({id}) follows on success.
    QFuture<Result<bool, ApiError>> purge(qint64 id);

Q_SIGNALS:
    void imageStored(const Pixapi::LibraryRecord& record);
    void recordChanged(qint64 id);
    void recordsRemoved(const QList<qint64>& ids);
    void collectionsChanged();

private:
    QFuture<Result<bool, ApiError>> editRecord(qint64 id, std::function<Result<bool, ApiError>(LibraryDatabase&)> work);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::LibraryRecord)
