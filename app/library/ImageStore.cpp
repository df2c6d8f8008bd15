#include "library/ImageStore.h"

#include "support/Logging.h"
#include "support/PngSanity.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QMutexLocker>
#include <QSaveFile>
#include <QScopeGuard>

namespace Pixapi {

namespace {

// The formats an image API returns. Anything else (svg, tga, ico, ...) is refused even if a plugin could read it.
QString extensionForFormat(const QByteArray& format)
{
    if (format == "png")
        return QStringLiteral("png");
    if (format == "jpeg")
        return QStringLiteral("jpg");
    if (format == "webp")
        return QStringLiteral("webp");
    if (format == "gif")
        return QStringLiteral("gif");
    return {};
}

ApiError invalidImage(const QString& detail)
{
    return ApiError::make(ApiError::Kind::InvalidImage, detail);
}

ApiError storageError(const QString& detail)
{
    return ApiError::make(ApiError::Kind::StorageError, detail);
}

} // namespace

ImageStore::ImageStore(QString rootDir)
    : m_rootDir(std::move(rootDir))
{ }

Result<ImageInfo, ApiError> ImageStore::inspect(const QByteArray& bytes)
{
    if (bytes.isEmpty())
        return Result<ImageInfo, ApiError>::failure(invalidImage(QStringLiteral("no image bytes")));
    if (!PngSanity::chunksFit(bytes)) // before libpng sees it: it would allocate what the chunk claims
        return Result<ImageInfo, ApiError>::failure(
            invalidImage(QStringLiteral("a PNG chunk is longer than the data")));

    QByteArray data = bytes; // shallow copy: QBuffer wants a non-const array
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setDecideFormatFromContent(true);

    ImageInfo info;
    info.extension = extensionForFormat(reader.format());
    if (info.extension.isEmpty()) {
        const QString format = QString::fromLatin1(reader.format());
        return Result<ImageInfo, ApiError>::failure(invalidImage(format.isEmpty()
                                                                     ? QStringLiteral("unrecognised image data")
                                                                     : QStringLiteral("unsupported format ") + format));
    }
    info.format = QString::fromLatin1(reader.format());

    const QSize headerSize = reader.size(); // from the header, before any pixel is decoded
    if (reader.supportsOption(QImageIOHandler::Size) && !headerSize.isValid())
        return Result<ImageInfo, ApiError>::failure(invalidImage(QStringLiteral("image header has no valid size")));

    // Decode once to prove the data is complete (a truncated file fails here); the pixels are dropped right away.
    QImage decoded;
    if (!reader.read(&decoded) || decoded.isNull())
        return Result<ImageInfo, ApiError>::failure(
            invalidImage(QStringLiteral("image does not decode: ") + reader.errorString()));
    info.width = decoded.width();
    info.height = decoded.height();
    return info;
}

QString ImageStore::sha256Hex(const QByteArray& bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString ImageStore::relativeFileName(const QDateTime& createdAt, const QString& sha256, int index,
                                     const QString& extension)
{
    const QDateTime utc = createdAt.toUTC();
    return QStringLiteral("images/") + utc.toString(QStringLiteral("yyyy/MM/yyyyMMdd-HHmmss")) + QLatin1Char('-')
           + sha256.left(12) + QLatin1Char('-') + QString::number(index) + QLatin1Char('.') + extension;
}

QString ImageStore::reserveName(const QString& relativeName)
{
    const QFileInfo wanted(relativeName);
    const QString stem = wanted.path() + QLatin1Char('/') + wanted.completeBaseName();
    const QString suffix = QLatin1Char('.') + wanted.suffix();

    QMutexLocker locker(&m_mutex);
    QString candidate = relativeName;
    for (int n = 2; m_inFlight.contains(candidate) || QFileInfo::exists(m_rootDir + QLatin1Char('/') + candidate); ++n)
        candidate = stem + QLatin1Char('_') + QString::number(n) + suffix;
    m_inFlight.insert(candidate);
    return candidate;
}

void ImageStore::releaseName(const QString& relativeName)
{
    QMutexLocker locker(&m_mutex);
    m_inFlight.remove(relativeName);
}

Result<QString, ApiError> ImageStore::write(const QByteArray& bytes, const QString& relativeName)
{
    const QString name = reserveName(relativeName);
    // Released once the file is committed (then it exists on disk) or abandoned.
    const auto release = qScopeGuard([this, &name] { releaseName(name); });

    const QString absolutePath = m_rootDir + QLatin1Char('/') + name;
    const QString relativeDir = QFileInfo(name).path();
    if (!QDir(m_rootDir).mkpath(relativeDir))
        return Result<QString, ApiError>::failure(
            storageError(QStringLiteral("cannot create directory ") + relativeDir));

    QSaveFile file(absolutePath);
    if (!file.open(QIODevice::WriteOnly))
        return Result<QString, ApiError>::failure(
            storageError(QStringLiteral("cannot open ") + name + QStringLiteral(": ") + file.errorString()));
    if (file.write(bytes) != bytes.size()) {
        // Without commit() the QSaveFile destructor discards the temporary file.
        return Result<QString, ApiError>::failure(
            storageError(QStringLiteral("cannot write ") + name + QStringLiteral(": ") + file.errorString()));
    }
    if (!file.commit())
        return Result<QString, ApiError>::failure(
            storageError(QStringLiteral("cannot commit ") + name + QStringLiteral(": ") + file.errorString()));
    return absolutePath;
}

bool ImageStore::remove(const QString& absolutePath)
{
    if (QFile::remove(absolutePath))
        return true;
    qCWarning(lcLibrary) << "could not remove" << QDir(m_rootDir).relativeFilePath(absolutePath);
    return false;
}

} // namespace Pixapi
