#include "library/LibraryDatabase.h"

#include "support/Logging.h"

#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <limits>

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
        // 3: curation (favorite, stars, tags, collections), the trash, and full-text search over prompt, model and
        // tags. images_fts keeps its own copy of the text (tags are no column of images); triggers keep it in sync.
        {
            QStringLiteral(
                "ALTER TABLE images ADD COLUMN favorite INTEGER NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1))"),
            QStringLiteral(
                "ALTER TABLE images ADD COLUMN stars INTEGER NOT NULL DEFAULT 0 CHECK (stars BETWEEN 0 AND 5)"),
            QStringLiteral("ALTER TABLE images ADD COLUMN trashed_at INTEGER"), // unix ms (UTC); NULL = not trashed
            QStringLiteral("CREATE INDEX images_trashed_at ON images(trashed_at)"),
            QStringLiteral("CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE)"),
            QStringLiteral("CREATE TABLE image_tags ("
                           " image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
                           " tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
                           " PRIMARY KEY (image_id, tag_id)) WITHOUT ROWID"),
            QStringLiteral("CREATE INDEX image_tags_tag ON image_tags(tag_id)"),
            QStringLiteral("CREATE TABLE collections ("
                           " id INTEGER PRIMARY KEY,"
                           " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
                           " created_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE TABLE collection_images ("
                           " collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,"
                           " image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
                           " added_at INTEGER NOT NULL,"
                           " PRIMARY KEY (collection_id, image_id)) WITHOUT ROWID"),
            QStringLiteral("CREATE INDEX collection_images_image ON collection_images(image_id)"),
            QStringLiteral("CREATE VIRTUAL TABLE images_fts USING fts5(prompt, model, tags,"
                           " tokenize = 'unicode61 remove_diacritics 2')"),
            QStringLiteral(
                "INSERT INTO images_fts (rowid, prompt, model, tags) SELECT id, prompt, model, '' FROM images"),
            QStringLiteral(
                "CREATE TRIGGER images_fts_insert AFTER INSERT ON images BEGIN"
                " INSERT INTO images_fts (rowid, prompt, model, tags) VALUES (NEW.id, NEW.prompt, NEW.model, '');"
                " END"),
            QStringLiteral("CREATE TRIGGER images_fts_update AFTER UPDATE OF prompt, model ON images BEGIN"
                           " UPDATE images_fts SET prompt = NEW.prompt, model = NEW.model WHERE rowid = NEW.id;"
                           " END"),
            QStringLiteral("CREATE TRIGGER images_fts_delete AFTER DELETE ON images BEGIN"
                           " DELETE FROM images_fts WHERE rowid = OLD.id;"
                           " END"),
            QStringLiteral(
                "CREATE TRIGGER image_tags_fts_insert AFTER INSERT ON image_tags BEGIN"
                " UPDATE images_fts SET tags = (SELECT group_concat(t.name, ' ') FROM image_tags it"
                " JOIN tags t ON t.id = it.tag_id WHERE it.image_id = NEW.image_id) WHERE rowid = NEW.image_id;"
                " END"),
            QStringLiteral(
                "CREATE TRIGGER image_tags_fts_delete AFTER DELETE ON image_tags BEGIN"
                " UPDATE images_fts SET tags = coalesce((SELECT group_concat(t.name, ' ') FROM image_tags it"
                " JOIN tags t ON t.id = it.tag_id WHERE it.image_id = OLD.image_id), '') WHERE rowid = OLD.image_id;"
                " END"),
        },
        // 4: lineage, and what the grouped sorts need. A purge of either side removes a link (foreign keys are on
        // for every connection). response_index copies params.index (the position in the response) so sorts need
        // not parse JSON per row; the indexes let model and prompt groups be read in order.
        {
            QStringLiteral("CREATE TABLE image_parents ("
                           " image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
                           " parent_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
                           " PRIMARY KEY (image_id, parent_id)) WITHOUT ROWID"),
            QStringLiteral("CREATE INDEX image_parents_parent ON image_parents(parent_id)"),
            QStringLiteral("ALTER TABLE images ADD COLUMN response_index INTEGER NOT NULL DEFAULT 0"),
            QStringLiteral("UPDATE images SET response_index = coalesce(json_extract(params_json, '$.index'), 0)"
                           " WHERE json_valid(params_json)"),
            QStringLiteral("CREATE INDEX images_model_nocase ON images(model COLLATE NOCASE, model, created_at DESC)"),
            QStringLiteral("CREATE INDEX images_prompt ON images(prompt, created_at DESC)"),
        },
        // 5: comparison boards (BoardStore). A cell keeps its request and how it went; its images stay normal
        // gallery items, linked (a purged image drops its link, the cell keeps its figures). winner_cell is the
        // picked cell's index, NULL until one is picked.
        {
            QStringLiteral("CREATE TABLE boards ("
                           " id INTEGER PRIMARY KEY,"
                           " created_at INTEGER NOT NULL,"
                           " prompt TEXT NOT NULL,"
                           " spec_json TEXT NOT NULL,"
                           " winner_cell INTEGER,"
                           " note TEXT NOT NULL DEFAULT '')"),
            QStringLiteral("CREATE TABLE board_cells ("
                           " board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,"
                           " cell_index INTEGER NOT NULL,"
                           " model TEXT NOT NULL,"
                           " params_json TEXT NOT NULL,"
                           " state TEXT NOT NULL,"
                           " latency_ms INTEGER,"
                           " credits REAL,"
                           " error TEXT NOT NULL DEFAULT '',"
                           " PRIMARY KEY (board_id, cell_index)) WITHOUT ROWID"),
            QStringLiteral("CREATE TABLE board_images ("
                           " board_id INTEGER NOT NULL,"
                           " cell_index INTEGER NOT NULL,"
                           " image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,"
                           " PRIMARY KEY (board_id, cell_index, image_id),"
                           " FOREIGN KEY (board_id, cell_index) REFERENCES board_cells(board_id, cell_index)"
                           " ON DELETE CASCADE) WITHOUT ROWID"),
            QStringLiteral("CREATE INDEX board_images_image ON board_images(image_id)"),
        },
        // 6: batch journals (BatchJournal). One row per request of a batch, written before the request is sent, so a
        // re-run never sends (and pays for) a finished or possibly charged request again. updated_at: unix ms (UTC).
        {
            QStringLiteral("CREATE TABLE batch_items ("
                           " batch TEXT NOT NULL,"
                           " item_key TEXT NOT NULL,"
                           " line INTEGER NOT NULL,"
                           " model TEXT NOT NULL,"
                           " state TEXT NOT NULL,"
                           " images INTEGER NOT NULL DEFAULT 0,"
                           " credits REAL,"
                           " error TEXT NOT NULL DEFAULT '',"
                           " updated_at INTEGER NOT NULL,"
                           " PRIMARY KEY (batch, item_key)) WITHOUT ROWID"),
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

using RecordsResult = Result<QList<LibraryRecord>, ApiError>;

// The columns readRecords() reads, in order, of images aliased as i. Tags and collections come joined by the unit
// separator, parent ids by commas. Only used for the rows of one page (recordsByIds), so the subqueries stay cheap.
QString recordColumns()
{
    return QStringLiteral(
        "i.id, i.file, i.prompt, i.model, i.params_json, i.request_id, i.created_at, i.width, i.height, i.file_size,"
        " i.sha256, i.format, i.credits, i.duration_ms, i.account_id, i.favorite, i.stars, i.trashed_at,"
        " (SELECT group_concat(t.name, char(31)) FROM image_tags it JOIN tags t ON t.id = it.tag_id"
        " WHERE it.image_id = i.id),"
        " (SELECT group_concat(c.name, char(31)) FROM collection_images ci JOIN collections c"
        " ON c.id = ci.collection_id WHERE ci.image_id = i.id),"
        " (SELECT group_concat(p.parent_id) FROM image_parents p WHERE p.image_id = i.id)");
}

QList<LibraryRecord> readRecords(QSqlQuery& query, const QString& rootDir)
{
    QList<LibraryRecord> records;
    while (query.next()) {
        LibraryRecord record;
        record.id = query.value(0).toLongLong();
        record.filePath = QDir::cleanPath(rootDir + QLatin1Char('/') + query.value(1).toString());
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
        record.favorite = query.value(15).toInt() != 0;
        record.stars = query.value(16).toInt();
        if (!query.isNull(17))
            record.trashedAt = QDateTime::fromMSecsSinceEpoch(query.value(17).toLongLong(), Qt::UTC);
        record.tags = query.value(18).toString().split(QChar(31), Qt::SkipEmptyParts);
        record.tags.sort(Qt::CaseInsensitive);
        record.collections = query.value(19).toString().split(QChar(31), Qt::SkipEmptyParts);
        record.collections.sort(Qt::CaseInsensitive);
        const QStringList parents = query.value(20).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& parent : parents)
            record.parentIds.append(parent.toLongLong());
        std::sort(record.parentIds.begin(), record.parentIds.end());
        records.append(record);
    }
    return records;
}

// A list of ids as one bound JSON array, read back with json_each (no statement per id, no limit on the count).
QString jsonIds(const QList<qint64>& ids)
{
    QStringList numbers;
    numbers.reserve(ids.size());
    for (const qint64 id : ids)
        numbers.append(QString::number(id));
    return QLatin1Char('[') + numbers.join(QLatin1Char(',')) + QLatin1Char(']');
}

// The ORDER BY terms of a sort (see LibraryQuery::Sort). Images of one request share created_at; they stay together
// (request id) in response order (response_index, a copy of params.index), as GalleryModel shows them.
QString orderTerms(LibraryQuery::Sort sort)
{
    const QString newest = QStringLiteral("i.created_at DESC, i.request_id DESC, i.response_index ASC, i.id DESC");
    switch (sort) {
    case LibraryQuery::Sort::Newest:
        return newest;
    case LibraryQuery::Sort::Oldest:
        return QStringLiteral("i.created_at ASC, i.request_id ASC, i.response_index ASC, i.id ASC");
    case LibraryQuery::Sort::ModelThenNewest:
        // The exact model second: ids differing only in case stay in separate runs.
        return QStringLiteral("i.model COLLATE NOCASE ASC, i.model ASC, ") + newest;
    case LibraryQuery::Sort::PromptThenNewest:
        return QStringLiteral("g.key, ") + newest; // g: the page's prompts in group order, see promptPageIds()
    }
    return newest;
}

ApiError badRequest(const QString& detail)
{
    return ApiError::make(ApiError::Kind::BadRequest, detail);
}

// Tag and collection names: trimmed, inner whitespace collapsed; empty is refused by the callers.
QString cleanName(const QString& name)
{
    return name.simplified();
}

// " WHERE ..." for the filters of a query on images aliased as i (not its sort or page); appends the values to bind.
QString whereClause(const LibraryQuery& request, QVariantList& binds)
{
    QString sql = QStringLiteral(" WHERE 1");
    const QString match = LibraryQuery::matchExpression(request.text);
    if (!match.isEmpty()) {
        sql += QStringLiteral(" AND i.id IN (SELECT rowid FROM images_fts WHERE images_fts MATCH ?)");
        binds.append(match);
    }
    if (!request.models.isEmpty()) {
        QStringList marks;
        for (const QString& model : request.models) {
            marks.append(QStringLiteral("?"));
            binds.append(model);
        }
        sql += QStringLiteral(" AND i.model IN (") + marks.join(QLatin1Char(',')) + QLatin1Char(')');
    }
    if (request.from.isValid()) {
        sql += QStringLiteral(" AND i.created_at >= ?");
        binds.append(request.from.toMSecsSinceEpoch());
    }
    if (request.to.isValid()) {
        sql += QStringLiteral(" AND i.created_at < ?");
        binds.append(request.to.toMSecsSinceEpoch());
    }
    if (request.favoritesOnly)
        sql += QStringLiteral(" AND i.favorite = 1");
    if (request.minStars > 0) {
        sql += QStringLiteral(" AND i.stars >= ?");
        binds.append(request.minStars);
    }
    if (const QString tag = cleanName(request.tag); !tag.isEmpty()) {
        sql += QStringLiteral(" AND EXISTS (SELECT 1 FROM image_tags it JOIN tags t ON t.id = it.tag_id"
                              " WHERE it.image_id = i.id AND t.name = ?)");
        binds.append(tag);
    }
    if (const QString collection = cleanName(request.collection); !collection.isEmpty()) {
        sql += QStringLiteral(" AND EXISTS (SELECT 1 FROM collection_images ci JOIN collections c"
                              " ON c.id = ci.collection_id WHERE ci.image_id = i.id AND c.name = ?)");
        binds.append(collection);
    }
    if (request.trashOnly)
        sql += QStringLiteral(" AND i.trashed_at IS NOT NULL");
    else if (!request.includeTrashed) // '+': nearly every row matches, so the trash index would only slow the sort
        sql += QStringLiteral(" AND +i.trashed_at IS NULL");
    return sql;
}

ApiError notFound(const QString& detail)
{
    return ApiError::make(ApiError::Kind::NotFound, detail);
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

Result<qint64, ApiError> LibraryDatabase::insertImage(LibraryRecord& record)
{
    const auto insert = [this, &record]() -> Result<bool, ApiError> {
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral(
            "INSERT INTO images (file, prompt, model, params_json, request_id, created_at, width, height, file_size,"
            " sha256, format, credits, duration_ms, account_id, response_index)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
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
        query.addBindValue(record.params.value(QLatin1String("index")).toInt());
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot index the image"), query.lastError()));
        record.id = query.lastInsertId().toLongLong();
        return insertParents(record.id, record);
    };
    // One transaction when there are links: a parent purged meanwhile cannot slip between its check and its link.
    const auto inserted = record.parentIds.isEmpty() ? insert() : inTransaction(insert);
    if (!inserted)
        return Result<qint64, ApiError>::failure(inserted.error());
    return record.id;
}

Result<bool, ApiError> LibraryDatabase::insertParents(qint64 id, LibraryRecord& record)
{
    if (record.parentIds.isEmpty())
        return true;
    QSqlQuery query(m_db);
    // Unknown ids (a parent purged meanwhile) are dropped by the join, not refused.
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO image_parents (image_id, parent_id) SELECT ?, i.id"
                                 " FROM images i WHERE i.id IN (SELECT value FROM json_each(?)) AND i.id != ?"));
    query.addBindValue(id);
    query.addBindValue(jsonIds(record.parentIds));
    query.addBindValue(id);
    if (!query.exec())
        return Result<bool, ApiError>::failure(
            storageError(QStringLiteral("cannot record the image's lineage"), query.lastError()));
    const auto linked =
        ids(QStringLiteral("SELECT parent_id FROM image_parents WHERE image_id = ? ORDER BY parent_id"), {id});
    if (!linked)
        return Result<bool, ApiError>::failure(linked.error());
    record.parentIds = linked.value();
    return true;
}

QList<LibraryRecord> LibraryDatabase::recent(int limit) const
{
    LibraryQuery query;
    query.limit = limit;
    auto records = search(query);
    if (!records) {
        qCWarning(lcLibrary).noquote() << "cannot read recent images:" << records.error().detail;
        return {};
    }
    return records.value();
}

int LibraryDatabase::count() const
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM images WHERE trashed_at IS NULL")) || !query.next()) {
        qCWarning(lcLibrary) << "cannot count images:" << query.lastError().text();
        return -1;
    }
    return query.value(0).toInt();
}

Result<QList<qint64>, ApiError> LibraryDatabase::ids(const QString& sql, const QVariantList& binds) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant& value : binds)
        query.addBindValue(value);
    if (!query.exec())
        return Result<QList<qint64>, ApiError>::failure(
            storageError(QStringLiteral("cannot search the library"), query.lastError()));
    QList<qint64> found;
    while (query.next())
        found.append(query.value(0).toLongLong());
    return found;
}

Result<QList<LibraryRecord>, ApiError> LibraryDatabase::recordsByIds(const QList<qint64>& wanted) const
{
    if (wanted.isEmpty())
        return QList<LibraryRecord>();
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT ") + recordColumns()
                  + QStringLiteral(" FROM images i WHERE i.id IN (SELECT value FROM json_each(?))"));
    query.addBindValue(jsonIds(wanted));
    if (!query.exec())
        return RecordsResult::failure(storageError(QStringLiteral("cannot read the images"), query.lastError()));
    const QList<LibraryRecord> rows = readRecords(query, m_rootDir);
    QHash<qint64, qsizetype> rowOf;
    for (qsizetype i = 0; i < rows.size(); ++i)
        rowOf.insert(rows.at(i).id, i);
    QList<LibraryRecord> ordered;
    ordered.reserve(rows.size());
    for (const qint64 id : wanted) {
        if (const auto it = rowOf.constFind(id); it != rowOf.cend())
            ordered.append(rows.at(*it));
    }
    return ordered;
}

// Two steps: the page's ids in order (a narrow sort over the filtered rows), then the full rows of those ids only,
// so tags, collections and parents are gathered for one page and never for every filtered row.
Result<QList<LibraryRecord>, ApiError> LibraryDatabase::search(const LibraryQuery& request) const
{
    const auto page = request.sort == LibraryQuery::Sort::PromptThenNewest ? promptPageIds(request) : [&] {
        QVariantList binds;
        const QString sql = QStringLiteral("SELECT i.id FROM images i") + whereClause(request, binds)
                            + QStringLiteral(" ORDER BY ") + orderTerms(request.sort)
                            + QStringLiteral(" LIMIT ? OFFSET ?");
        binds.append(request.limit > 0 ? request.limit : -1);
        binds.append(qMax(0, request.offset));
        return ids(sql, binds);
    }();
    if (!page)
        return RecordsResult::failure(page.error());
    return recordsByIds(page.value());
}

// Sorting every filtered row by its group's newest time costs a sort of the whole library per page. Instead: the
// groups in order with their sizes (one pass along images_prompt), then only the rows of the groups the page
// overlaps, read by prompt and sorted within that handful.
Result<QList<qint64>, ApiError> LibraryDatabase::promptPageIds(const LibraryQuery& request) const
{
    QVariantList binds;
    QSqlQuery groups(m_db);
    groups.setForwardOnly(true);
    groups.prepare(QStringLiteral("SELECT i.prompt, COUNT(*) FROM images i") + whereClause(request, binds)
                   + QStringLiteral(" GROUP BY i.prompt ORDER BY MAX(i.created_at) DESC, i.prompt"));
    for (const QVariant& value : std::as_const(binds))
        groups.addBindValue(value);
    if (!groups.exec())
        return Result<QList<qint64>, ApiError>::failure(
            storageError(QStringLiteral("cannot search the library"), groups.lastError()));
    const qint64 offset = qMax(0, request.offset);
    const qint64 end = request.limit > 0 ? offset + request.limit : std::numeric_limits<qint64>::max();
    qint64 before = 0; // rows in the groups passed so far
    qint64 skip = 0;   // rows of the first chosen group that lie before the page
    QJsonArray prompts;
    while (before < end && groups.next()) {
        const qint64 size = groups.value(1).toLongLong();
        if (before + size > offset) {
            if (prompts.isEmpty())
                skip = offset - before;
            prompts.append(groups.value(0).toString());
        }
        before += size;
    }
    if (prompts.isEmpty())
        return QList<qint64>();

    QVariantList pageBinds {QString::fromUtf8(QJsonDocument(prompts).toJson(QJsonDocument::Compact))};
    const QString sql = QStringLiteral("SELECT i.id FROM json_each(?) g JOIN images i ON i.prompt = g.value")
                        + whereClause(request, pageBinds) + QStringLiteral(" ORDER BY ") + orderTerms(request.sort)
                        + QStringLiteral(" LIMIT ? OFFSET ?");
    pageBinds.append(request.limit > 0 ? request.limit : -1);
    pageBinds.append(skip);
    return ids(sql, pageBinds);
}

Result<int, ApiError> LibraryDatabase::countMatching(const LibraryQuery& request) const
{
    QVariantList binds;
    const QString sql = QStringLiteral("SELECT COUNT(*) FROM images i") + whereClause(request, binds);
    const auto counted = ids(sql, binds);
    if (!counted)
        return Result<int, ApiError>::failure(counted.error());
    return int(counted.value().value(0));
}

Result<LibraryRecord, ApiError> LibraryDatabase::record(qint64 id) const
{
    const auto rows = recordsByIds({id});
    if (!rows)
        return Result<LibraryRecord, ApiError>::failure(rows.error());
    if (rows.value().isEmpty())
        return Result<LibraryRecord, ApiError>::failure(notFound(QStringLiteral("no image with id %1").arg(id)));
    return rows.value().constFirst();
}

Result<std::optional<LibraryRecord>, ApiError> LibraryDatabase::imageOfResponse(const QString& requestId,
                                                                                int index) const
{
    using Found = Result<std::optional<LibraryRecord>, ApiError>;
    const auto found =
        ids(QStringLiteral("SELECT id FROM images WHERE request_id = ? AND response_index = ? ORDER BY id LIMIT 1"),
            {requestId, index});
    if (!found)
        return Found::failure(found.error());
    if (found.value().isEmpty())
        return std::optional<LibraryRecord>();
    const auto stored = record(found.value().constFirst());
    if (!stored)
        return Found::failure(stored.error());
    return std::optional<LibraryRecord>(stored.value());
}

Result<Lineage, ApiError> LibraryDatabase::lineage(qint64 id) const
{
    if (auto found = requireImage(id); !found)
        return Result<Lineage, ApiError>::failure(found.error());
    const auto parentIds = ids(QStringLiteral("SELECT p.parent_id FROM image_parents p JOIN images i ON i.id ="
                                              " p.parent_id WHERE p.image_id = ? ORDER BY i.created_at, i.id"),
                               {id});
    const auto childIds = ids(QStringLiteral("SELECT p.image_id FROM image_parents p JOIN images i ON i.id ="
                                             " p.image_id WHERE p.parent_id = ? ORDER BY i.created_at, i.id"),
                              {id});
    if (!parentIds || !childIds)
        return Result<Lineage, ApiError>::failure(parentIds ? childIds.error() : parentIds.error());
    auto parents = recordsByIds(parentIds.value());
    auto children = recordsByIds(childIds.value());
    if (!parents || !children)
        return Result<Lineage, ApiError>::failure(parents ? children.error() : parents.error());
    return Lineage {parents.value(), children.value()};
}

Result<QStringList, ApiError> LibraryDatabase::names(const QString& sql) const
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (!query.exec(sql))
        return Result<QStringList, ApiError>::failure(
            storageError(QStringLiteral("cannot read the library"), query.lastError()));
    QStringList found;
    while (query.next())
        found.append(query.value(0).toString());
    found.sort(Qt::CaseInsensitive); // in Qt rather than COLLATE NOCASE, which folds ASCII only
    return found;
}

Result<QStringList, ApiError> LibraryDatabase::modelNames() const
{
    return names(QStringLiteral("SELECT DISTINCT model FROM images WHERE trashed_at IS NULL AND model != ''"));
}

Result<QStringList, ApiError> LibraryDatabase::tagNames() const
{
    // A tag outlives a purged image's cascade; only tags some image still carries are offered.
    return names(
        QStringLiteral("SELECT t.name FROM tags t WHERE EXISTS (SELECT 1 FROM image_tags it WHERE it.tag_id = t.id)"));
}

Result<QStringList, ApiError> LibraryDatabase::collectionNames() const
{
    return names(QStringLiteral("SELECT name FROM collections"));
}

Result<bool, ApiError> LibraryDatabase::requireImage(qint64 id) const
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT 1 FROM images WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return Result<bool, ApiError>::failure(
            storageError(QStringLiteral("cannot read the image"), query.lastError()));
    if (!query.next())
        return Result<bool, ApiError>::failure(
            ApiError::make(ApiError::Kind::NotFound, QStringLiteral("no image with id %1").arg(id)));
    return true;
}

Result<bool, ApiError> LibraryDatabase::updateImage(qint64 id, const QString& assignment, const QVariant& value)
{
    if (auto found = requireImage(id); !found)
        return found;
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE images SET ") + assignment + QStringLiteral(" WHERE id = ?"));
    query.addBindValue(value);
    query.addBindValue(id);
    if (!query.exec())
        return Result<bool, ApiError>::failure(
            storageError(QStringLiteral("cannot update the image"), query.lastError()));
    return true;
}

Result<bool, ApiError> LibraryDatabase::inTransaction(const std::function<Result<bool, ApiError>()>& work)
{
    if (auto begun = exec(QStringLiteral("BEGIN IMMEDIATE")); !begun)
        return begun;
    auto done = work();
    if (done)
        done = exec(QStringLiteral("COMMIT"));
    if (!done)
        exec(QStringLiteral("ROLLBACK"));
    return done;
}

Result<bool, ApiError> LibraryDatabase::setFavorite(qint64 id, bool favorite)
{
    return updateImage(id, QStringLiteral("favorite = ?"), favorite ? 1 : 0);
}

Result<bool, ApiError> LibraryDatabase::setStars(qint64 id, int stars)
{
    if (stars < 0 || stars > 5)
        return Result<bool, ApiError>::failure(badRequest(QStringLiteral("stars must be 0 to 5, not %1").arg(stars)));
    return updateImage(id, QStringLiteral("stars = ?"), stars);
}

Result<bool, ApiError> LibraryDatabase::setTrashed(qint64 id, const QDateTime& at)
{
    return updateImage(id, QStringLiteral("trashed_at = ?"),
                       at.isValid() ? QVariant(at.toMSecsSinceEpoch()) : QVariant());
}

Result<bool, ApiError> LibraryDatabase::addTag(qint64 id, const QString& tag)
{
    const QString name = cleanName(tag);
    if (name.isEmpty())
        return Result<bool, ApiError>::failure(badRequest(QStringLiteral("a tag needs a name")));
    return inTransaction([this, id, &name]() -> Result<bool, ApiError> {
        if (auto found = requireImage(id); !found)
            return found;
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("INSERT OR IGNORE INTO tags (name) VALUES (?)"));
        query.addBindValue(name);
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot add the tag"), query.lastError()));
        query.prepare(QStringLiteral(
            "INSERT OR IGNORE INTO image_tags (image_id, tag_id) SELECT ?, id FROM tags WHERE name = ?"));
        query.addBindValue(id);
        query.addBindValue(name);
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot tag the image"), query.lastError()));
        return true;
    });
}

Result<bool, ApiError> LibraryDatabase::removeTag(qint64 id, const QString& tag)
{
    const QString name = cleanName(tag);
    return inTransaction([this, id, &name]() -> Result<bool, ApiError> {
        if (auto found = requireImage(id); !found)
            return found;
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral(
            "DELETE FROM image_tags WHERE image_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)"));
        query.addBindValue(id);
        query.addBindValue(name);
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot untag the image"), query.lastError()));
        // A tag no image carries any more is gone (it would only clutter tag lists).
        query.prepare(QStringLiteral(
            "DELETE FROM tags WHERE name = ? AND NOT EXISTS (SELECT 1 FROM image_tags WHERE tag_id = tags.id)"));
        query.addBindValue(name);
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot drop the tag"), query.lastError()));
        return true;
    });
}

Result<bool, ApiError> LibraryDatabase::createCollection(const QString& name)
{
    const QString cleaned = cleanName(name);
    if (cleaned.isEmpty())
        return Result<bool, ApiError>::failure(badRequest(QStringLiteral("a collection needs a name")));
    const auto created = insertCollection(cleaned);
    if (created && !created.value())
        return Result<bool, ApiError>::failure(
            badRequest(QStringLiteral("a collection named \"%1\" already exists").arg(cleaned)));
    return created;
}

Result<bool, ApiError> LibraryDatabase::insertCollection(const QString& name)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO collections (name, created_at) VALUES (?, ?)"));
    query.addBindValue(name);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!query.exec())
        return Result<bool, ApiError>::failure(
            storageError(QStringLiteral("cannot create the collection"), query.lastError()));
    return query.numRowsAffected() == 1;
}

Result<bool, ApiError> LibraryDatabase::addToCollection(qint64 id, const QString& collection, bool* created)
{
    const QString name = cleanName(collection);
    if (name.isEmpty())
        return Result<bool, ApiError>::failure(badRequest(QStringLiteral("a collection needs a name")));
    return inTransaction([this, id, &name, created]() -> Result<bool, ApiError> {
        if (auto found = requireImage(id); !found)
            return found;
        const auto inserted = insertCollection(name);
        if (!inserted)
            return inserted;
        if (created)
            *created = inserted.value();
        // An image already in the collection is fine.
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("INSERT OR IGNORE INTO collection_images (collection_id, image_id, added_at)"
                                     " SELECT id, ?, ? FROM collections WHERE name = ?"));
        query.addBindValue(id);
        query.addBindValue(QDateTime::currentMSecsSinceEpoch());
        query.addBindValue(name);
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot add the image to the collection"), query.lastError()));
        return true;
    });
}

Result<bool, ApiError> LibraryDatabase::removeFromCollection(qint64 id, const QString& collection)
{
    const QString name = cleanName(collection);
    return inTransaction([this, id, &name]() -> Result<bool, ApiError> {
        if (auto found = requireImage(id); !found)
            return found;
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("SELECT id FROM collections WHERE name = ?"));
        query.addBindValue(name);
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot read the collection"), query.lastError()));
        if (!query.next())
            return Result<bool, ApiError>::failure(notFound(QStringLiteral("no collection named \"%1\"").arg(name)));
        const qint64 collectionId = query.value(0).toLongLong();
        query.finish();
        query.prepare(QStringLiteral("DELETE FROM collection_images WHERE collection_id = ? AND image_id = ?"));
        query.addBindValue(collectionId);
        query.addBindValue(id);
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot remove the image from the collection"), query.lastError()));
        return true;
    });
}

Result<bool, ApiError> LibraryDatabase::deleteTrashed(qint64 id, const std::function<bool(const QString&)>& removeFile)
{
    return inTransaction([this, id, &removeFile]() -> Result<bool, ApiError> {
        QSqlQuery query(m_db);
        query.prepare(QStringLiteral("SELECT file, trashed_at FROM images WHERE id = ?"));
        query.addBindValue(id);
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot read the image"), query.lastError()));
        if (!query.next())
            return Result<bool, ApiError>::failure(
                ApiError::make(ApiError::Kind::NotFound, QStringLiteral("no image with id %1").arg(id)));
        if (query.isNull(1))
            return Result<bool, ApiError>::failure(
                badRequest(QStringLiteral("image %1 is not in the trash; only trashed images are purged").arg(id)));
        const QString filePath = QDir::cleanPath(m_rootDir + QLatin1Char('/') + query.value(0).toString());
        query.finish();

        query.prepare(QStringLiteral("DELETE FROM images WHERE id = ?")); // cascades to tags, collections, search
        query.addBindValue(id);
        if (!query.exec())
            return Result<bool, ApiError>::failure(
                storageError(QStringLiteral("cannot delete the image"), query.lastError()));
        // The file goes last, inside the transaction: if it stays, so does the row (no file without a row).
        if (!removeFile(filePath))
            return Result<bool, ApiError>::failure(ApiError::make(
                ApiError::Kind::StorageError, QStringLiteral("cannot remove the file of image %1").arg(id)));
        return true;
    });
}

} // namespace Pixapi
