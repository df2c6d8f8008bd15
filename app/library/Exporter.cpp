#include "library/Exporter.h"

#include "library/ImageMetadata.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QMutex>
#include <QMutexLocker>
#include <QPainter>
#include <QPromise>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QThreadPool>

namespace Pixapi {

namespace {

constexpr int DefaultPromptSlugLength = 50;
constexpr int MaxFileNameLength = 200; // stays under the 255-byte limit of common file systems with suffixes

ApiError storageError(const QString& detail)
{
    return ApiError::make(ApiError::Kind::StorageError, detail);
}

Result<QImage, ApiError> decode(const QString& path)
{
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    reader.setAutoTransform(true);
    QImage image;
    if (!reader.read(&image))
        return Result<QImage, ApiError>::failure(ApiError::make(
            ApiError::Kind::InvalidImage, Exporter::tr("Cannot read %1: %2").arg(path, reader.errorString())));
    return image;
}

// JPEG has no alpha: flatten on white rather than let the encoder turn transparency black.
QImage flattenForJpeg(const QImage& image)
{
    if (!image.hasAlphaChannel())
        return image;
    QImage flat(image.size(), QImage::Format_RGB32);
    flat.fill(Qt::white);
    QPainter painter(&flat);
    painter.drawImage(0, 0, image);
    painter.end();
    return flat;
}

Result<QByteArray, ApiError> encode(QImage image, const LibraryRecord& record, const ExportOptions& options)
{
    if (options.format == "jpeg")
        image = flattenForJpeg(image);
    if (options.embedMetadata && ImageMetadata::formatCarriesText(options.format)) {
        const ImageMetadata metadata = ImageMetadata::fromRecord(record);
        (options.stripPrompt ? metadata.withoutPrompt() : metadata).embed(image);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, options.format);
    writer.setQuality(options.quality);
    if (!writer.write(image))
        return Result<QByteArray, ApiError>::failure(
            storageError(Exporter::tr("Cannot encode the image: %1").arg(writer.errorString())));
    return bytes;
}

// Paths being written by any export of this process: two exports into one folder must not pick the same name
// (QSaveFile::commit() replaces an existing file).
QMutex inFlightMutex;
QSet<QString> inFlight;

// Reserves a name used neither by a file in the folder nor by a write in flight; release it once written.
QString reservePath(const QDir& dir, const QString& baseName, const QString& extension)
{
    QMutexLocker locker(&inFlightMutex);
    QString candidate = dir.filePath(baseName + QLatin1Char('.') + extension);
    for (int n = 2; inFlight.contains(candidate) || QFileInfo::exists(candidate); ++n)
        candidate = dir.filePath(baseName + QLatin1Char('_') + QString::number(n) + QLatin1Char('.') + extension);
    inFlight.insert(candidate);
    return candidate;
}

void releasePath(const QString& path)
{
    QMutexLocker locker(&inFlightMutex);
    inFlight.remove(path);
}

Result<QString, ApiError> writeAtomically(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Result<QString, ApiError>::failure(
            storageError(Exporter::tr("Cannot create %1: %2").arg(path, file.errorString())));
    // Without commit() the QSaveFile destructor removes its temporary file.
    if (file.write(bytes) != bytes.size() || !file.commit())
        return Result<QString, ApiError>::failure(
            storageError(Exporter::tr("Cannot write %1: %2").arg(path, file.errorString())));
    return path;
}

// Characters that are invalid in file names on some system, and control characters.
QString safeFileName(const QString& name)
{
    static const QRegularExpression invalid(QStringLiteral("[\\\\/:*?\"<>|\\x00-\\x1f]"));
    QString safe = name;
    safe.replace(invalid, QStringLiteral("_"));
    safe = safe.trimmed().left(MaxFileNameLength);
    while (safe.startsWith(QLatin1Char('.')))
        safe.remove(0, 1); // no hidden files
    return safe.isEmpty() ? QStringLiteral("image") : safe;
}

ExportItemResult exportOne(const LibraryRecord& record, const ExportOptions& options, int index, int total)
{
    ExportItemResult item;
    item.recordId = record.id;
    const auto decoded = decode(record.filePath);
    if (!decoded) {
        item.error = decoded.error();
        return item;
    }
    const auto bytes = encode(decoded.value(), record, options);
    if (!bytes) {
        item.error = bytes.error();
        return item;
    }
    const QString baseName = safeFileName(Exporter::expandPattern(options.namePattern, record, index, total));
    const QString path = reservePath(QDir(options.targetDir), baseName, Exporter::extensionFor(options.format));
    const auto written = writeAtomically(path, bytes.value());
    releasePath(path); // committed (the file now exists) or abandoned
    if (written)
        item.outputPath = written.value();
    else
        item.error = written.error();
    return item;
}

void exportAll(QPromise<ExportItemResult>& promise, const QList<LibraryRecord>& records, const ExportOptions& options)
{
    lowerThreadPriority();
    const int total = int(records.size());
    promise.setProgressRange(0, total);
    if (!QDir().mkpath(options.targetDir)) {
        for (const LibraryRecord& record : records)
            promise.addResult(ExportItemResult {
                record.id, {}, storageError(Exporter::tr("Cannot create the folder %1").arg(options.targetDir))});
        promise.setProgressValue(total);
        return;
    }
    for (int i = 0; i < total; ++i) {
        if (promise.isCanceled())
            return;
        const ExportItemResult item = exportOne(records.at(i), options, i + 1, total);
        if (!item.ok())
            qCWarning(lcLibrary).noquote() << "export of image" << item.recordId << "failed:" << item.error->detail;
        promise.addResult(item);
        promise.setProgressValue(i + 1);
    }
}

} // namespace

QFuture<ExportItemResult> Exporter::exportRecords(QList<LibraryRecord> records, ExportOptions options,
                                                  QThreadPool* pool)
{
    // QtConcurrent's own run: exportAll reports through a QPromise, which runOnPool does not pass on.
    return QtConcurrent::run(pool ? pool : backgroundPool(), &exportAll, std::move(records), std::move(options));
}

QList<QByteArray> Exporter::availableFormats()
{
    QList<QByteArray> formats {"png", "jpeg"};
    if (QImageWriter::supportedImageFormats().contains("webp"))
        formats.append("webp");
    return formats;
}

QString Exporter::extensionFor(const QByteArray& format)
{
    return format == "jpeg" ? QStringLiteral("jpg") : QString::fromLatin1(format);
}

QString Exporter::slugify(const QString& text, int maxLength)
{
    QString slug;
    bool pendingDash = false;
    // Decomposed, so accents fall away as marks and "é" becomes "e".
    for (const QChar c : text.normalized(QString::NormalizationForm_KD)) {
        if (c.isMark())
            continue;
        if (c.isLetterOrNumber()) {
            if (pendingDash && !slug.isEmpty())
                slug += QLatin1Char('-');
            pendingDash = false;
            slug += c.toLower();
        } else {
            pendingDash = true;
        }
        if (slug.size() >= maxLength)
            break;
    }
    return slug.left(maxLength);
}

QString Exporter::expandPattern(const QString& pattern, const LibraryRecord& record, int index, int total)
{
    static const QRegularExpression token(QStringLiteral("\\{(date|time|model|prompt|index|id|sha8)(?::(\\d+))?\\}"));
    const QDateTime local = record.createdAt.toLocalTime();
    const int indexWidth = int(QString::number(qMax(total, 1)).size());

    QString name;
    qsizetype last = 0;
    for (auto it = token.globalMatch(pattern); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        name += pattern.mid(last, match.capturedStart() - last);
        last = match.capturedEnd();
        const QString key = match.captured(1);
        if (key == QLatin1String("date"))
            name += local.toString(QStringLiteral("yyyy-MM-dd"));
        else if (key == QLatin1String("time"))
            name += local.toString(QStringLiteral("HHmmss"));
        else if (key == QLatin1String("model"))
            name += slugify(record.model, DefaultPromptSlugLength);
        else if (key == QLatin1String("prompt"))
            name += slugify(record.prompt, match.hasCaptured(2) ? match.captured(2).toInt() : DefaultPromptSlugLength);
        else if (key == QLatin1String("index"))
            name += QStringLiteral("%1").arg(index, indexWidth, 10, QLatin1Char('0'));
        else if (key == QLatin1String("id"))
            name += QString::number(record.id);
        else
            name += record.sha256.left(8);
    }
    name += pattern.mid(last);
    return name;
}

} // namespace Pixapi
