#include "library/LibraryIntegrity.h"

#include "library/ImageMetadata.h"
#include "library/ImageStore.h"
#include "library/LibraryDatabase.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QThreadPool>

#include <atomic>
#include <optional>

namespace Pixapi {

namespace {

// QSqlDatabase connection names are process-global; each job has its own.
QString nextConnectionName()
{
    static std::atomic<quint64> counter {0};
    return QStringLiteral("pixapi.integrity.") + QString::number(++counter);
}

QThreadPool* poolOrBackground(QThreadPool* pool)
{
    return pool ? pool : backgroundPool();
}

ApiError storageError(const QString& detail)
{
    return ApiError::make(ApiError::Kind::StorageError, detail);
}

QString cleanRoot(const QString& rootDir)
{
    return QDir::cleanPath(QDir(rootDir).absolutePath());
}

// Every file under rootDir/images, as absolute clean paths.
QStringList imageFiles(const QString& rootDir)
{
    QStringList files;
    QDirIterator it(rootDir + QStringLiteral("/images"), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(QDir::cleanPath(it.next()));
    files.sort();
    return files;
}

std::optional<QString> fileSha256(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return std::nullopt;
    return QString::fromLatin1(hash.result().toHex());
}

// A connection to an existing index; never creates an empty database file where there was none.
Result<bool, ApiError> openExisting(LibraryDatabase& db, const QString& rootDir)
{
    if (!QFileInfo::exists(LibraryDatabase::databasePath(rootDir)))
        return Result<bool, ApiError>::failure(storageError(QStringLiteral("there is no library index in ") + rootDir));
    return db.open();
}

// The rows as the integrity check needs them. A query of its own rather than LibraryDatabase::recent(), which is a
// view for the gallery and need not list every row.
Result<QList<LibraryRecord>, ApiError> allRows(const LibraryDatabase& db, const QString& rootDir)
{
    QSqlQuery query(db.connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, file, file_size, sha256, prompt, model, created_at FROM images"))) {
        return Result<QList<LibraryRecord>, ApiError>::failure(
            storageError(QStringLiteral("cannot read the library index: ") + query.lastError().text()));
    }
    QList<LibraryRecord> rows;
    while (query.next()) {
        LibraryRecord record;
        record.id = query.value(0).toLongLong();
        record.filePath = QDir::cleanPath(rootDir + QLatin1Char('/') + query.value(1).toString());
        record.fileSize = query.value(2).toLongLong();
        record.sha256 = query.value(3).toString();
        record.prompt = query.value(4).toString();
        record.model = query.value(5).toString();
        record.createdAt = QDateTime::fromMSecsSinceEpoch(query.value(6).toLongLong(), Qt::UTC);
        rows.append(record);
    }
    return rows;
}

// The creation time of an image file: embedded, else the library file name, else the modification time.
QDateTime createdAtOf(const QString& path, const std::optional<ImageMetadata>& metadata)
{
    if (metadata && metadata->createdAt.isValid())
        return metadata->createdAt.toUTC();
    static const QRegularExpression stamp(QStringLiteral("^(\\d{8}-\\d{6})-"));
    const auto match = stamp.match(QFileInfo(path).fileName());
    if (match.hasMatch()) {
        QDateTime parsed = QDateTime::fromString(match.captured(1), QStringLiteral("yyyyMMdd-HHmmss"));
        parsed.setTimeSpec(Qt::UTC);
        if (parsed.isValid())
            return parsed;
    }
    return QFileInfo(path).lastModified().toUTC();
}

// The row for an image file, from its bytes (via ImageStore, as store() does) and its embedded metadata.
Result<LibraryRecord, ApiError> recordForFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<LibraryRecord, ApiError>::failure(storageError(file.errorString()));
    const QByteArray bytes = file.readAll();
    const auto info = ImageStore::inspect(bytes);
    if (!info)
        return Result<LibraryRecord, ApiError>::failure(info.error());
    const auto metadata = ImageMetadata::fromBytes(bytes);

    LibraryRecord record;
    record.filePath = path;
    // Never a null QString: it binds as SQL NULL, and prompt and model are NOT NULL columns.
    record.prompt = metadata && !metadata->prompt.isEmpty() ? metadata->prompt : QStringLiteral("");
    record.model = metadata && !metadata->model.isEmpty() ? metadata->model : QStringLiteral("");
    if (metadata) {
        record.params = metadata->params;
        record.requestId = metadata->requestId;
    }
    record.createdAt = createdAtOf(path, metadata);
    record.width = info.value().width;
    record.height = info.value().height;
    record.fileSize = bytes.size();
    record.sha256 = ImageStore::sha256Hex(bytes);
    record.format = info.value().format;
    return record;
}

Result<IntegrityReport, ApiError> checkOnWorker(const QString& rootDir, bool verifyHashes)
{
    LibraryDatabase db(rootDir, nextConnectionName());
    if (auto opened = openExisting(db, rootDir); !opened)
        return Result<IntegrityReport, ApiError>::failure(opened.error());
    const auto rows = allRows(db, rootDir);
    if (!rows)
        return Result<IntegrityReport, ApiError>::failure(rows.error());

    IntegrityReport report;
    report.rowsChecked = int(rows.value().size());
    QSet<QString> indexed;
    for (const LibraryRecord& row : rows.value()) {
        indexed.insert(row.filePath);
        const QFileInfo info(row.filePath);
        if (!info.isFile())
            report.missing.append(row);
        else if (info.size() != row.fileSize || (verifyHashes && fileSha256(row.filePath) != row.sha256))
            report.mismatched.append(row);
    }
    const QStringList files = imageFiles(rootDir);
    report.filesChecked = int(files.size());
    for (const QString& path : files) {
        if (!indexed.contains(path))
            report.orphans.append(path);
    }
    qCInfo(lcLibrary) << "integrity check:" << report.rowsChecked << "rows," << report.filesChecked << "files,"
                      << report.missing.size() << "missing," << report.mismatched.size() << "mismatched,"
                      << report.orphans.size() << "orphans";
    return report;
}

Result<int, ApiError> dropMissingOnWorker(const QString& rootDir, const QList<qint64>& ids)
{
    LibraryDatabase db(rootDir, nextConnectionName());
    if (auto opened = openExisting(db, rootDir); !opened)
        return Result<int, ApiError>::failure(opened.error());
    const auto rows = allRows(db, rootDir);
    if (!rows)
        return Result<int, ApiError>::failure(rows.error());
    const QSet<qint64> wanted(ids.cbegin(), ids.cend());

    int dropped = 0;
    for (const LibraryRecord& row : rows.value()) {
        // Checked again: the file may have come back since the report was made.
        if (!wanted.contains(row.id) || QFileInfo(row.filePath).isFile())
            continue;
        QSqlQuery query(db.connection());
        query.prepare(QStringLiteral("DELETE FROM images WHERE id = ?"));
        query.addBindValue(row.id);
        if (!query.exec())
            return Result<int, ApiError>::failure(
                storageError(QStringLiteral("cannot delete an index row: ") + query.lastError().text()));
        dropped += query.numRowsAffected();
    }
    qCInfo(lcLibrary) << "dropped" << dropped << "rows of missing files";
    return dropped;
}

Result<OrphanImport, ApiError> importOnWorker(const QString& rootDir, const QStringList& paths)
{
    LibraryDatabase db(rootDir, nextConnectionName());
    if (auto opened = openExisting(db, rootDir); !opened)
        return Result<OrphanImport, ApiError>::failure(opened.error());

    const QString imagesDir = rootDir + QStringLiteral("/images/");
    OrphanImport result;
    for (const QString& given : paths) {
        const QString path = QDir::cleanPath(QFileInfo(given).absoluteFilePath());
        if (!path.startsWith(imagesDir)) {
            result.skipped.append(path + QStringLiteral(": not under the library's images folder"));
            continue;
        }
        auto record = recordForFile(path);
        if (record) {
            const auto id = db.insertImage(record.value());
            if (id) {
                record.value().id = id.value();
                result.imported.append(record.value());
                continue;
            }
            record = Result<LibraryRecord, ApiError>::failure(id.error());
        }
        result.skipped.append(path + QStringLiteral(": ") + record.error().detail);
    }
    qCInfo(lcLibrary) << "imported" << result.imported.size() << "orphan files, skipped" << result.skipped.size();
    return result;
}

// Copies every row of the live index's tasks table into the staging index, ids included (jobs and a restart know
// tasks by id). The live connection is query_only rather than read-only: a read-only one cannot checkpoint, and would
// leave -wal and -shm files beside the backup; this one folds a WAL left by a crash into the old file when it closes.
Result<int, ApiError> copyTaskRows(const QString& livePath, const QSqlDatabase& staging)
{
    QStringList columns;
    const QSqlRecord fields = staging.record(QStringLiteral("tasks"));
    for (int i = 0; i < fields.count(); ++i)
        columns.append(fields.fieldName(i));
    if (columns.isEmpty())
        return Result<int, ApiError>::failure(storageError(QStringLiteral("the new index has no task table")));

    const QString name = nextConnectionName();
    auto result = [&]() -> Result<int, ApiError> {
        QSqlDatabase live = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        live.setDatabaseName(livePath);
        if (!live.open())
            return Result<int, ApiError>::failure(storageError(live.lastError().text()));
        QSqlQuery read(live);
        read.setForwardOnly(true);
        if (!read.exec(QStringLiteral("PRAGMA query_only = ON")))
            return Result<int, ApiError>::failure(storageError(read.lastError().text()));
        if (!read.exec(QStringLiteral("SELECT ") + columns.join(QStringLiteral(", ")) + QStringLiteral(" FROM tasks")))
            return Result<int, ApiError>::failure(storageError(read.lastError().text()));

        QSqlDatabase target = staging;
        if (!target.transaction())
            return Result<int, ApiError>::failure(storageError(target.lastError().text()));
        QSqlQuery write(target);
        write.prepare(QStringLiteral("INSERT INTO tasks (") + columns.join(QStringLiteral(", "))
                      + QStringLiteral(") VALUES (")
                      + QStringList(columns.size(), QStringLiteral("?")).join(QLatin1Char(',')) + QLatin1Char(')'));
        int copied = 0;
        while (read.next()) {
            for (int i = 0; i < columns.size(); ++i)
                write.bindValue(i, read.value(i));
            if (!write.exec()) {
                const QString error = write.lastError().text();
                target.rollback();
                return Result<int, ApiError>::failure(storageError(error));
            }
            ++copied;
        }
        // A read that stopped early (a damaged page) must not pass for the whole table.
        if (read.lastError().isValid() || !target.commit()) {
            const QString error = read.lastError().isValid() ? read.lastError().text() : target.lastError().text();
            target.rollback();
            return Result<int, ApiError>::failure(storageError(error));
        }
        return copied;
    }();
    QSqlDatabase::removeDatabase(name); // after every handle of it is gone
    return result;
}

// Boards are no image files either. Their rows come over as they are (ids included); their links to images follow the
// files, since a rebuild gives the images new ids but keeps their file names. Run after copyTaskRows, which has
// folded the live index's WAL into its file.
Result<int, ApiError> copyBoardRows(const QString& livePath, const QSqlDatabase& staging)
{
    QSqlDatabase target = staging;
    QSqlQuery query(target);
    query.prepare(QStringLiteral("ATTACH DATABASE ? AS live"));
    query.addBindValue(livePath);
    if (!query.exec())
        return Result<int, ApiError>::failure(storageError(query.lastError().text()));
    auto result = [&]() -> Result<int, ApiError> {
        if (!target.transaction())
            return Result<int, ApiError>::failure(storageError(target.lastError().text()));
        const QStringList statements {
            QStringLiteral("INSERT INTO main.boards (id, created_at, prompt, spec_json, winner_cell, note)"
                           " SELECT id, created_at, prompt, spec_json, winner_cell, note FROM live.boards"),
            QStringLiteral("INSERT INTO main.board_cells"
                           " (board_id, cell_index, model, params_json, state, latency_ms, credits, error)"
                           " SELECT board_id, cell_index, model, params_json, state, latency_ms, credits, error"
                           " FROM live.board_cells"),
            QStringLiteral("INSERT OR IGNORE INTO main.board_images (board_id, cell_index, image_id)"
                           " SELECT l.board_id, l.cell_index, n.id FROM live.board_images l"
                           " JOIN live.images o ON o.id = l.image_id JOIN main.images n ON n.file = o.file"),
        };
        for (const QString& statement : statements) {
            QSqlQuery copy(target);
            if (!copy.exec(statement)) {
                const QString error = copy.lastError().text();
                target.rollback();
                return Result<int, ApiError>::failure(storageError(error));
            }
        }
        QSqlQuery count(target);
        if (!target.commit() || !count.exec(QStringLiteral("SELECT count(*) FROM main.boards")) || !count.next())
            return Result<int, ApiError>::failure(storageError(target.lastError().text()));
        return count.value(0).toInt();
    }();
    QSqlQuery(target).exec(QStringLiteral("DETACH DATABASE live"));
    return result;
}

// The tasks and boards are no image files, so only the live index has them. A live index that cannot be read (maybe
// why the user rebuilds) does not stop the rebuild: they stay in the backup, and the log says so.
void carryOverRows(const QString& rootDir, const LibraryDatabase& staging)
{
    const QString livePath = LibraryDatabase::databasePath(rootDir);
    if (!QFileInfo::exists(livePath))
        return;
    const auto copied = copyTaskRows(livePath, staging.connection());
    if (copied)
        qCInfo(lcLibrary) << "rebuild carried over" << copied.value() << "tasks";
    else
        qCWarning(lcLibrary).noquote()
            << "the generation tasks of the previous index cannot be carried over (they stay in its backup):"
            << copied.error().detail;
    const auto boards = copyBoardRows(livePath, staging.connection());
    if (boards)
        qCInfo(lcLibrary) << "rebuild carried over" << boards.value() << "comparison boards";
    else
        qCWarning(lcLibrary).noquote()
            << "the comparison boards of the previous index cannot be carried over (they stay in its backup):"
            << boards.error().detail;
}

// Fills a new index in a staging folder; rows name files relative to the real root, as in the live index.
Result<int, ApiError> buildIndex(const QString& rootDir, const QString& stagingDir)
{
    LibraryDatabase db(stagingDir, nextConnectionName());
    if (auto opened = db.open(); !opened)
        return Result<int, ApiError>::failure(opened.error());
    if (auto migrated = db.migrate(); !migrated)
        return Result<int, ApiError>::failure(migrated.error());
    int rows = 0;
    for (const QString& path : imageFiles(rootDir)) {
        auto record = recordForFile(path);
        if (!record) {
            qCWarning(lcLibrary).noquote()
                << "rebuild skips" << QDir(rootDir).relativeFilePath(path) << '-' << record.error().detail;
            continue;
        }
        // insertImage() stores the path relative to its root: give it the staging twin of the file's path.
        record.value().filePath = stagingDir + QLatin1Char('/') + QDir(rootDir).relativeFilePath(path);
        if (const auto id = db.insertImage(record.value()); !id)
            return Result<int, ApiError>::failure(id.error());
        ++rows;
    }
    carryOverRows(rootDir, db);
    return rows;
}

// Moves the old index aside (with its WAL and shared-memory files: a stale WAL next to the new file would be replayed
// into it) and the new one in place. On failure everything is moved back.
Result<bool, ApiError> swapIn(const QString& fresh, const QString& live, const QString& backup)
{
    if (QFileInfo::exists(fresh + QStringLiteral("-wal")))
        return Result<bool, ApiError>::failure(storageError(QStringLiteral("the new index was not checkpointed")));
    QStringList moved;
    const auto undo = [&moved, &live, &backup] {
        for (const QString& suffix : std::as_const(moved))
            QFile::rename(backup + suffix, live + suffix);
    };
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        if (!QFileInfo::exists(live + suffix))
            continue;
        if (!QFile::rename(live + suffix, backup + suffix)) {
            undo();
            return Result<bool, ApiError>::failure(storageError(QStringLiteral("cannot move the old index aside")));
        }
        moved.append(suffix);
    }
    if (!QFile::rename(fresh, live)) {
        undo();
        return Result<bool, ApiError>::failure(storageError(QStringLiteral("cannot move the new index in place")));
    }
    return true;
}

Result<int, ApiError> rebuildOnWorker(const QString& rootDir)
{
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmsszzz"));
    const QString stagingDir = rootDir + QStringLiteral("/.rebuild-") + stamp;
    if (!QDir().mkpath(stagingDir))
        return Result<int, ApiError>::failure(storageError(QStringLiteral("cannot create ") + stagingDir));

    auto result = buildIndex(rootDir, stagingDir); // its connection is closed (and checkpointed) when it returns
    if (result) {
        const QString live = LibraryDatabase::databasePath(rootDir);
        const auto swapped =
            swapIn(LibraryDatabase::databasePath(stagingDir), live, live + QStringLiteral(".bak-") + stamp);
        if (!swapped)
            result = Result<int, ApiError>::failure(swapped.error());
    }
    QDir(stagingDir).removeRecursively();
    if (result)
        qCInfo(lcLibrary) << "library index rebuilt with" << result.value() << "rows";
    return result;
}

} // namespace

QFuture<Result<IntegrityReport, ApiError>> LibraryIntegrity::check(QString rootDir, bool verifyHashes,
                                                                   QThreadPool* pool)
{
    return runOnPool(poolOrBackground(pool),
                     [root = cleanRoot(rootDir), verifyHashes] { return checkOnWorker(root, verifyHashes); });
}

QFuture<Result<int, ApiError>> LibraryIntegrity::dropMissing(QString rootDir, QList<qint64> ids, QThreadPool* pool)
{
    return runOnPool(poolOrBackground(pool),
                     [root = cleanRoot(rootDir), ids = std::move(ids)] { return dropMissingOnWorker(root, ids); });
}

QFuture<Result<OrphanImport, ApiError>> LibraryIntegrity::importOrphans(QString rootDir, QStringList paths,
                                                                        QThreadPool* pool)
{
    return runOnPool(poolOrBackground(pool),
                     [root = cleanRoot(rootDir), paths = std::move(paths)] { return importOnWorker(root, paths); });
}

QFuture<Result<int, ApiError>> LibraryIntegrity::rebuildIndex(QString rootDir, QThreadPool* pool)
{
    return runOnPool(poolOrBackground(pool), [root = cleanRoot(rootDir)] { return rebuildOnWorker(root); });
}

} // namespace Pixapi
