#pragma once

#include "api/ApiError.h"
#include "support/Result.h"

#include <QSqlDatabase>
#include <QString>
#include <QVariantList>

#include <memory>

namespace Pixapi {

class LibraryDatabase;

// A connection of its own to the library's index file, for the stores of other tables in it (TaskStore,
// BoardStore): opened and migrated like Library::open(), closed around an index rebuild (which swaps the file).
// Small synchronous statements on the thread that opened it.
class IndexConnection
{
public:
    // `what` names a row in messages: "task", "board".
    IndexConnection(QString libraryRoot, QString what);
    ~IndexConnection();
    Q_DISABLE_COPY_MOVE(IndexConnection)

    Result<bool, ApiError> open();
    void close();
    bool isOpen() const;
    // The open connection (invalid when closed).
    QSqlDatabase connection() const;
    // The index's own queries (LibraryDatabase::record, ...); null when closed.
    const LibraryDatabase* database() const { return m_db.get(); }
    // StorageError "the <what> store is not open".
    ApiError notOpen() const;
    // One statement with positional values; StorageError "cannot write the <what>: ..." (logged) on failure.
    Result<bool, ApiError> write(const QString& statement, const QVariantList& values);

private:
    const QString m_root;
    const QString m_what;
    std::unique_ptr<LibraryDatabase> m_db;
};

} // namespace Pixapi
