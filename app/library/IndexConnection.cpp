#include "library/IndexConnection.h"

#include "library/LibraryDatabase.h"
#include "support/Logging.h"

#include <QDir>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

namespace Pixapi {

IndexConnection::IndexConnection(QString libraryRoot, QString what)
    : m_root(QDir::cleanPath(QDir(libraryRoot).absolutePath()))
    , m_what(std::move(what))
{ }

IndexConnection::~IndexConnection() = default;

Result<bool, ApiError> IndexConnection::open()
{
    if (m_db)
        return true;
    if (!QDir().mkpath(m_root))
        return Result<bool, ApiError>::failure(
            ApiError::make(ApiError::Kind::StorageError, QStringLiteral("cannot create the library directory")));
    static std::atomic<quint64> counter {0};
    auto db = std::make_unique<LibraryDatabase>(m_root,
                                                QStringLiteral("pixapi.%1s.").arg(m_what) + QString::number(++counter));
    if (auto opened = db->open(); !opened)
        return opened;
    if (auto migrated = db->migrate(); !migrated)
        return migrated;
    m_db = std::move(db);
    return true;
}

void IndexConnection::close()
{
    m_db.reset(); // LibraryDatabase closes and removes its connection
}

bool IndexConnection::isOpen() const
{
    return m_db != nullptr;
}

QSqlDatabase IndexConnection::connection() const
{
    return m_db ? m_db->connection() : QSqlDatabase();
}

ApiError IndexConnection::notOpen() const
{
    return ApiError::make(ApiError::Kind::StorageError, QStringLiteral("the %1 store is not open").arg(m_what));
}

Result<bool, ApiError> IndexConnection::write(const QString& statement, const QVariantList& values)
{
    if (!m_db)
        return Result<bool, ApiError>::failure(notOpen());
    QSqlQuery query(m_db->connection());
    query.prepare(statement);
    for (const QVariant& value : values)
        query.addBindValue(value);
    if (!query.exec()) {
        qCWarning(lcLibrary).noquote() << m_what << "store write failed:" << query.lastError().text();
        return Result<bool, ApiError>::failure(
            ApiError::make(ApiError::Kind::StorageError,
                           QStringLiteral("cannot write the %1: ").arg(m_what) + query.lastError().text()));
    }
    return true;
}

} // namespace Pixapi
