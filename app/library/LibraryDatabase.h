#pragma once

#include "api/ApiError.h"
#include "library/Library.h"
#include "support/Result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace Pixapi {

// One SQLite connection to rootDir/library.sqlite: schema migrations and the queries of the image index.
// A QSqlDatabase connection belongs to the thread that created it, so every thread needs its own instance; the
// connection name must be unique in the process. The destructor closes and removes the connection.
class LibraryDatabase
{
public:
    // The version written to PRAGMA user_version by migrate(). Later schema changes append a migration step.
    static constexpr int SchemaVersion = 2;

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
    // Newest first; empty when the query fails (logged).
    QList<LibraryRecord> recent(int limit) const;
    // -1 when the query fails (logged).
    int count() const;

    // The open connection, for stores of other tables in the same file (TaskStore).
    QSqlDatabase connection() const { return m_db; }

private:
    Result<int, ApiError> userVersion() const;
    Result<bool, ApiError> exec(const QString& statement) const;
    Result<bool, ApiError> applyMigrations();

    const QString m_rootDir;
    const QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace Pixapi
