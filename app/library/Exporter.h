#pragma once

#include "api/ApiError.h"
#include "library/Library.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QFuture>
#include <QList>
#include <QString>

#include <optional>

class QThreadPool;

namespace Pixapi {

struct ExportOptions
{
    QString targetDir;
    // Tokens: {date} yyyy-MM-dd, {time} HHmmss (local time of creation), {model}, {prompt} / {prompt:N} (slug of the
    // first N characters, default 50), {index} (1-based position in the export, zero-padded), {id}, {sha8}.
    QString namePattern = QStringLiteral("{date}_{time}_{prompt:30}_{index}");
    QByteArray format = "png"; // "png", "jpeg" or "webp" (when the plugin exists; it carries no metadata)
    int quality = -1;          // 0..100 for JPEG/WebP; -1 is the plugin's default
    bool embedMetadata = true;
    bool stripPrompt = false; // embed everything but the prompt and the revised prompt
};

// The outcome of one exported record, in the order of the input.
struct ExportItemResult
{
    qint64 recordId = 0;
    QString outputPath;            // absolute path of the written file on success
    std::optional<ApiError> error; // InvalidImage (source unreadable) or StorageError (cannot write)
    bool ok() const { return !error.has_value(); }
};

// Exports library images to a folder: decoded, re-encoded (with the metadata embedded or not) and written atomically
// with QSaveFile under a name built from a pattern, never overwriting a file ("_2", "_3", ... appended; names are
// reserved across concurrent exports of this process, not against other processes writing the same folder).
class Exporter
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::Exporter)

public:
    // All the work runs on the pool (the global one when null). The future reports progress (0..count) and one
    // result per processed record; cancel() stops before the next record (records not reached have no result).
    static QFuture<ExportItemResult> exportRecords(QList<LibraryRecord> records, ExportOptions options,
                                                   QThreadPool* pool = nullptr);

    // The formats this build can export to: png, jpeg, and webp when the plugin is installed.
    static QList<QByteArray> availableFormats();
    static QString extensionFor(const QByteArray& format);

    // The file name (without extension) the pattern gives for a record; index is 1-based, total pads it.
    static QString expandPattern(const QString& pattern, const LibraryRecord& record, int index, int total);
    // Lower case, letters and digits kept (any script), every other run of characters becomes one '-'.
    static QString slugify(const QString& text, int maxLength);
};

} // namespace Pixapi
