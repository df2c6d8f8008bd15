#pragma once

#include "api/ApiError.h"
#include "library/Library.h"
#include "library/LibraryQuery.h"
#include "support/Result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <functional>
#include <optional>

namespace Pixapi {

// One SQLite connection to rootDir/library.sqlite: schema migrations and the queries of the image index.
// A QSqlDatabase connection belongs to the thread that created it, so every thread needs its own instance; the
// connection name must be unique in the process. The destructor closes and removes the connection.
class LibraryDatabase
{
public:
    // The version written to PRAGMA user_version by migrate(). Later schema changes append a migration step.
    static constexpr int SchemaVersion = 6;

    LibraryDatabase(QString rootDir, QString connectionName);
    ~LibraryDatabase();
    Q_DISABLE_COPY_MOVE(LibraryDatabase)

    static QString databasePath(const QString& rootDir);

    // Opens the connection and sets its per-connection pragmas (foreign keys, busy timeout).
    Result<bool, ApiError> open();
    // Switches the file to WAL and migrates the schema up to SchemaVersion; refuses a newer schema.
    Result<bool, ApiError> migrate();

    // Inserts the row for a file already written under rootDir with its lineage links; returns the new id. Sets
    // record.parentIds to the parents actually linked: ids of images that do not exist (purged) are dropped.
    Result<qint64, ApiError> insertImage(LibraryRecord& record);
    // Newest first, trashed images left out; empty when the query fails (logged).
    QList<LibraryRecord> recent(int limit) const;
    // Images not in the trash; -1 when the query fails (logged).
    int count() const;
    Result<QList<LibraryRecord>, ApiError> search(const LibraryQuery& query) const;
    Result<int, ApiError> countMatching(const LibraryQuery& query) const; // ignores limit and offset
    Result<LibraryRecord, ApiError> record(qint64 id) const;              // NotFound when there is none
    // The image stored from data[index] of the response `requestId`, if any (trashed ones included).
    Result<std::optional<LibraryRecord>, ApiError> imageOfResponse(const QString& requestId, int index) const;
    Result<Lineage, ApiError> lineage(qint64 id) const; // NotFound when there is no such image
    // Sorted case-insensitively: models of images not in the trash (no empty one), tags some image carries, all
    // collections.
    Result<QStringList, ApiError> modelNames() const;
    Result<QStringList, ApiError> tagNames() const;
    Result<QStringList, ApiError> collectionNames() const;

    // Edits of one image: NotFound when there is no image with that id, BadRequest for a value out of range.
    Result<bool, ApiError> setFavorite(qint64 id, bool favorite);
    Result<bool, ApiError> setStars(qint64 id, int stars);
    Result<bool, ApiError> addTag(qint64 id, const QString& tag);    // creates the tag; a tag already there is fine
    Result<bool, ApiError> removeTag(qint64 id, const QString& tag); // a tag not there is fine
    Result<bool, ApiError> createCollection(const QString& name);    // BadRequest when the name is taken
    // Creates the collection when there is none of that name (then *created is set); BadRequest for an empty name.
    Result<bool, ApiError> addToCollection(qint64 id, const QString& collection, bool* created = nullptr);
    // NotFound when there is no such image or collection; an image not in the collection is fine.
    Result<bool, ApiError> removeFromCollection(qint64 id, const QString& collection);
    // Moves the image to the trash at `at`, or out of it when `at` is invalid.
    Result<bool, ApiError> setTrashed(qint64 id, const QDateTime& at);
    // Deletes the row of a trashed image (BadRequest when not trashed) with its tags, collection entries and search
    // entry. removeFile(absolute path) runs inside the transaction; when it returns false the row stays.
    Result<bool, ApiError> deleteTrashed(qint64 id, const std::function<bool(const QString&)>& removeFile);

    // The open connection, for stores of other tables in the same file (TaskStore).
    QSqlDatabase connection() const { return m_db; }

private:
    Result<int, ApiError> userVersion() const;
    Result<bool, ApiError> exec(const QString& statement) const;
    Result<bool, ApiError> applyMigrations();
    Result<bool, ApiError> requireImage(qint64 id) const;
    // Creates the collection unless one of that name exists; the value says whether it was created.
    Result<bool, ApiError> insertCollection(const QString& name);
    Result<bool, ApiError> insertParents(qint64 id, LibraryRecord& record);
    // The rows of these ids with their tags, collections and parents, in the order of ids (unknown ids skipped).
    Result<QList<LibraryRecord>, ApiError> recordsByIds(const QList<qint64>& ids) const;
    Result<QList<qint64>, ApiError> ids(const QString& sql, const QVariantList& binds) const;
    Result<QList<qint64>, ApiError> promptPageIds(const LibraryQuery& request) const;
    Result<QStringList, ApiError> names(const QString& sql) const;
    Result<bool, ApiError> updateImage(qint64 id, const QString& assignment, const QVariant& value);
    Result<bool, ApiError> inTransaction(const std::function<Result<bool, ApiError>()>& work);

    const QString m_rootDir;
    const QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace Pixapi
