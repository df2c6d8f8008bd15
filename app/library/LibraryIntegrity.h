#pragma once

#include "api/ApiError.h"
#include "library/Library.h"
#include "support/Result.h"

#include <QFuture>
#include <QList>
#include <QStringList>

class QThreadPool;

namespace Pixapi {

// What check() found. Paths are absolute.
struct IntegrityReport
{
    int rowsChecked = 0;
    int filesChecked = 0;
    QList<LibraryRecord> missing; // rows whose file is gone (id, filePath, fileSize, sha256, prompt, model, createdAt)
    QList<LibraryRecord> mismatched; // rows whose file has another size or hash than indexed
    QStringList orphans;             // files under images/ that no row names
    bool isClean() const { return missing.isEmpty() && mismatched.isEmpty() && orphans.isEmpty(); }
};

struct OrphanImport
{
    QList<LibraryRecord> imported;
    QStringList skipped; // "path: reason", for files that are not valid images or could not be indexed
};

// Checks and repairs the index of a library against its files. Every call runs on the pool (the global one when
// null) with a private SQLite connection; none touches the caller's thread, so it is safe to call from the UI.
//
// A file without a row is imported with the settings embedded in it: the library's own PNG and JPEG files carry
// prompt, model, params, request id and creation time since schema 4 (Library::store), exported images carry them too.
// Other files (WebP, older library files) become a minimal row: the creation time is taken from the library file name
// (yyyyMMdd-HHmmss, UTC), else from the file's modification time. Lineage, curation and costs live only in the index.
// A check racing with Library::store() may see a just-written file as an orphan; importing it then fails on the
// unique file name and is reported as skipped.
class LibraryIntegrity
{
public:
    // verifyHashes re-reads every file to compare its SHA-256; without it only sizes are compared.
    static QFuture<Result<IntegrityReport, ApiError>> check(QString rootDir, bool verifyHashes = true,
                                                            QThreadPool* pool = nullptr);
    // Deletes the rows of the given ids whose file is still missing; returns how many were deleted.
    static QFuture<Result<int, ApiError>> dropMissing(QString rootDir, QList<qint64> ids, QThreadPool* pool = nullptr);
    // Indexes the given files (which must lie under rootDir/images) in place, without copying them.
    static QFuture<Result<OrphanImport, ApiError>> importOrphans(QString rootDir, QStringList paths,
                                                                 QThreadPool* pool = nullptr);
    // Builds a fresh index from the files under images/ and swaps it in; the old index file is kept as
    // library.sqlite.bak-<UTC time>. Every task and comparison board of the old index is copied into the new one (a
    // board's links to images follow their files); when the old index cannot be read the rebuild goes on without them
    // (a warning is logged; they stay in the backup). No Library, TaskStore or BoardStore may have this root open
    // meanwhile. Returns the number of image rows in the new index.
    static QFuture<Result<int, ApiError>> rebuildIndex(QString rootDir, QThreadPool* pool = nullptr);
};

} // namespace Pixapi
