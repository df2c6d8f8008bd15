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

namespace Pixapi {

// One SQLite connection to rootDir/library.sqlite: schema migrations and the queries of the image index.
// A QSqlDatabase connection belongs to the thread that created it, so every thread needs its own instance; the
// connection name must be unique in the process. The destructor closes and removes the connection.
class LibraryDatabase
{
public:
    // The version written to PRAGMA user_version by migrate(). Later schema changes append a migration step.
    static constexpr int SchemaVersion = 3;

    LibraryDatabase(QString rootDir, QString connectionName);
    ~LibraryDatabase();
    Q_DISABLE_COPY_MOVE(LibraryDatabase)

    static QString databasePath(const QString& rootDir);

    // Opens the connection and sets its per-connection pragmas (foreign keys, busy timeout).
    Result<bool, ApiError> open();
    // Switches the file to WAL and migrates the schema up to SchemaVersion; refuses a newer schema.
    Result<bool, ApiError> migrate();

    // Inserts the row for a file already written under rootDir; returns the new id.
    Result<qint64, ApiError> insertImage(const LibraryRecord& record);
    // Newest first, trashed images left out; empty when the query fails (logged).
    QList<LibraryRecord> recent(int limit) const;
    // Images not in the trash; -1 when the query fails (logged).
    int count() const;
    Result<QList<LibraryRecord>, ApiError> search(const LibraryQuery& query) const;

    // Edits of one image: NotFound when there is no image with that id, BadRequest for a value out of range.
    Result<bool, ApiError> setFavorite(qint64 id, bool favorite);
    Result<bool, ApiError> setStars(qint64 id, int stars);
    Result<bool, ApiError> addTag(qint64 id, const QString& tag);    // creates the tag; a tag already there is fine
    Result<bool, ApiError> removeTag(qint64 id, const QString& tag); // a tag not there is fine
    Result<bool, ApiError> createCollection(const QString& name);    // BadRequest when the name is taken
    Result<bool, ApiError> addToCollection(qint64 id, const QString& collection); // NotFound: no such collection
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
    Result<bool, ApiError> updateImage(qint64 id, const QString& assignment, const QVariant& value);
    Result<bool, ApiError> inTransaction(const std::function<Result<bool, ApiError>()>& work);

    const QString m_rootDir;
    const QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace Pixapi
