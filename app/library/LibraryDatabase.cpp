#include "library/LibraryDatabase.h"

#include "support/Logging.h"

#include <QDir>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Pixapi {

namespace {

// Waits this long for another connection's write lock (workers insert concurrently; WAL allows one writer).
constexpr int BusyTimeoutMs = 5000;

// migrationSteps()[i] takes the schema from version i to i + 1. Append new steps; never edit a shipped one.
QList<QStringList> migrationSteps()
{
    return {
        // 1: the image index. created_at is unix milliseconds (UTC); file is relative to the library root.
        {
            QStringLiteral("CREATE TABLE images ("
                           " id INTEGER PRIMARY KEY,"
                           " file TEXT NOT NULL UNIQUE,"
                           " prompt TEXT NOT NULL DEFAULT '',"
                           " model TEXT NOT NULL DEFAULT '',"
                           " params_json TEXT NOT NULL DEFAULT '{}',"
                           " request_id TEXT,"
                           " created_at INTEGER NOT NULL,"
                           " width INTEGER NOT NULL,"
                           " height INTEGER NOT NULL,"
                           " file_size INTEGER NOT NULL,"
                           " sha256 TEXT NOT NULL,"
                           " format TEXT NOT NULL,"
                           " credits REAL,"
                           " duration_ms INTEGER,"
                           " account_id TEXT)"),
            QStringLiteral("CREATE INDEX images_created_at ON images(created_at)"),
            QStringLiteral("CREATE INDEX images_model ON images(model)"),
        },
        // 2: async generation tasks (TaskStore). A row is written before the submit is sent; times are unix ms (UTC).
        {
            QStringLiteral("CREATE TABLE tasks ("
                           " id INTEGER PRIMARY KEY,"
                           " remote_id TEXT,"
                           " params_json TEXT NOT NULL DEFAULT '{}',"
                           " state TEXT NOT NULL,"
                           " remote_status TEXT,"
                           " progress INTEGER NOT NULL DEFAULT 0,"
                           " created_at INTEGER NOT NULL,"
                           " updated_at INTEGER NOT NULL,"
                           " error TEXT,"
                           " error_code TEXT,"
                           " account_id TEXT)"),
            QStringLiteral("CREATE INDEX tasks_state ON tasks(state)"),
        },
    };
}

ApiError storageError(const QString& what, const QSqlError& error)
{
    return ApiError::make(ApiError::Kind::StorageError, what + QStringLiteral(": ") + error.text());
}

QVariant nullIfEmpty(const QString& text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

} // namespace

LibraryDatabase::LibraryDatabase(QString rootDir, QString connectionName)
    : m_rootDir(std::move(rootDir))
    , m_connectionName(std::move(connectionName))
{
    static_assert(SchemaVersion > 0);
    Q_ASSERT(migrationSteps().size() == SchemaVersion);
}

LibraryDatabase::~LibraryDatabase()
{
    if (!m_db.isValid())
        return;
    m_db.close();
    m_db = QSqlDatabase(); // drop the last handle, else removeDatabase() warns that the connection is still in use
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString LibraryDatabase::databasePath(const QString& rootDir)
{
    return rootDir + QStringLiteral("/library.sqlite");
}

Result<bool, ApiError> LibraryDatabase::open()
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(databasePath(m_rootDir));
    if (!m_db.open())
        return Result<bool, ApiError>::failure(
            storageError(QStringLiteral("cannot open the library index"), m_db.lastError()));
    const QStringList pragmas {QStringLiteral("PRAGMA foreign_keys = ON"),
                               QStringLiteral("PRAGMA busy_timeout = ") + QString::number(BusyTimeoutMs)};
    for (const QString& pragma : pragmas) {
        if (auto done = exec(pragma); !done)
            return done;
    }
    return true;
}

Result<bool, ApiError> LibraryDatabase::exec(const QString& statement) const
{
    QSqlQuery query(m_db);
    if (!query.exec(statement))
        return Result<bool, ApiError>::failure(
            storageError(QStringLiteral("library index statement failed"), query.lastError()));
    return true;
}

Result<int, ApiError> LibraryDatabase::userVersion() const
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return Result<int, ApiError>::failure(
            storageError(QStringLiteral("cannot read the schema version"), query.lastError()));
    return query.value(0).toInt();
}

Result<bool, ApiError> LibraryDatabase::migrate()
{
    {
        // WAL lets readers (the UI) and one writer (a worker) work at the same time. It is stored in the file.
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot set the journal mode"), query.lastError()));
        if (query.value(0).toString() != QLatin1String("wal"))
            qCWarning(lcLibrary) << "library index is not in WAL mode:" << query.value(0).toString();
    }

    const auto version = userVersion();
    if (!version)
        return Result<bool, ApiError>::failure(version.error());
    if (version.value() > SchemaVersion)
        return Result<bool, ApiError>::failure(ApiError::make(
            ApiError::Kind::StorageError, QStringLiteral("the library index has schema version %1; this version of the "
                                                         "app knows up to %2")
                                              .arg(version.value())
                                              .arg(SchemaVersion)));
    if (version.value() == SchemaVersion)
        return true;

    // IMMEDIATE takes the write lock now, so two processes opening a new library do not both migrate it.
    if (auto begun = exec(QStringLiteral("BEGIN IMMEDIATE")); !begun)
        return begun;
    auto migrated = applyMigrations();
    if (migrated)
        migrated = exec(QStringLiteral("COMMIT"));
    if (!migrated)
        exec(QStringLiteral("ROLLBACK"));
    return migrated;
}

Result<bool, ApiError> LibraryDatabase::applyMigrations()
{
    const auto version = userVersion(); // again, inside the transaction: another process may have migrated meanwhile
    if (!version)
        return Result<bool, ApiError>::failure(version.error());
    const QList<QStringList> steps = migrationSteps();
    for (int from = version.value(); from < SchemaVersion; ++from) {
        for (const QString& statement : steps.at(from)) {
            if (auto done = exec(statement); !done)
                return done;
        }
        qCInfo(lcLibrary) << "library index migrated to schema version" << from + 1;
    }
    return exec(QStringLiteral("PRAGMA user_version = ") + QString::number(SchemaVersion));
}

Result<qint64, ApiError> LibraryDatabase::insertImage(const LibraryRecord& record)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral(
        "INSERT INTO images (file, prompt, model, params_json, request_id, created_at, width, height, file_size,"
        " sha256, format, credits, duration_ms, account_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(QDir(m_rootDir).relativeFilePath(record.filePath));
    query.addBindValue(record.prompt);
    query.addBindValue(record.model);
    query.addBindValue(QString::fromUtf8(QJsonDocument(record.params).toJson(QJsonDocument::Compact)));
    query.addBindValue(nullIfEmpty(record.requestId));
    query.addBindValue(record.createdAt.toMSecsSinceEpoch());
    query.addBindValue(record.width);
    query.addBindValue(record.height);
    query.addBindValue(record.fileSize);
    query.addBindValue(record.sha256);
    query.addBindValue(record.format);
    query.addBindValue(record.credits ? QVariant(*record.credits) : QVariant());
    query.addBindValue(record.durationMs >= 0 ? QVariant(record.durationMs) : QVariant());
    query.addBindValue(nullIfEmpty(record.accountId));
    if (!query.exec())
        return Result<qint64, ApiError>::failure(
            storageError(QStringLiteral("cannot index the image"), query.lastError()));
    return query.lastInsertId().toLongLong();
}

QList<LibraryRecord> LibraryDatabase::recent(int limit) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT id, file, prompt, model, params_json, request_id, created_at, width, height, file_size, sha256, format,"
        " credits, duration_ms, account_id FROM images ORDER BY created_at DESC, id DESC LIMIT ?"));
    query.addBindValue(limit);
    QList<LibraryRecord> records;
    if (!query.exec()) {
        qCWarning(lcLibrary) << "cannot read recent images:" << query.lastError().text();
        return records;
    }
    while (query.next()) {
        LibraryRecord record;
        record.id = query.value(0).toLongLong();
        record.filePath = QDir::cleanPath(m_rootDir + QLatin1Char('/') + query.value(1).toString());
        record.prompt = query.value(2).toString();
        record.model = query.value(3).toString();
        record.params = QJsonDocument::fromJson(query.value(4).toString().toUtf8()).object();
        record.requestId = query.value(5).toString();
        record.createdAt = QDateTime::fromMSecsSinceEpoch(query.value(6).toLongLong(), Qt::UTC);
        record.width = query.value(7).toInt();
        record.height = query.value(8).toInt();
        record.fileSize = query.value(9).toLongLong();
        record.sha256 = query.value(10).toString();
        record.format = query.value(11).toString();
        if (!query.isNull(12))
            record.credits = query.value(12).toDouble();
        record.durationMs = query.isNull(13) ? -1 : query.value(13).toLongLong();
        record.accountId = query.value(14).toString();
        records.append(record);
    }
    return records;
}

int LibraryDatabase::count() const
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM images")) || !query.next()) {
        qCWarning(lcLibrary) << "cannot count images:" << query.lastError().text();
        return -1;
    }
    return query.value(0).toInt();
}

} // namespace Pixapi
