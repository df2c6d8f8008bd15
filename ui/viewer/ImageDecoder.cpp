#include "viewer/ImageDecoder.h"

#include "support/BackgroundWork.h"
#include "support/Logging.h"
#include "support/WhenFinished.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QTimer>

#include <algorithm>

namespace Pixapi {

namespace {
constexpr int CachedImages = 3;                          // the current image and its neighbours
constexpr qint64 CacheBudgetBytes = 256LL * 1024 * 1024; // a few 4k images with their halves
constexpr int SmallestHalf = 256;                        // no halves below this edge

qint64 bytesOf(const DecodedImage& decoded)
{
    qint64 bytes = decoded.image.sizeInBytes();
    for (const QImage& half : decoded.halves)
        bytes += half.sizeInBytes();
    return bytes;
}
} // namespace

ImageDecoder::ImageDecoder(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<DecodedImage>();
    m_pool.setMaxThreadCount(2); // the current image and one preload
}

ImageDecoder::~ImageDecoder()
{
    m_pool.clear();
    m_pool.waitForDone();
}

DecodedImage ImageDecoder::decode(const QString& filePath)
{
    DecodedImage result;
    if (!QFileInfo::exists(filePath)) {
        result.error = QCoreApplication::translate("Pixapi::ImageDecoder", "The image file is missing:\n%1")
                           .arg(QDir::toNativeSeparators(filePath));
        return result;
    }
    QImageReader reader(filePath);
    reader.setAutoTransform(true);
    QImage image = reader.read();
    if (image.isNull()) {
        result.error = QCoreApplication::translate("Pixapi::ImageDecoder", "This image could not be read (%1):\n%2")
                           .arg(reader.errorString(), QDir::toNativeSeparators(filePath));
        return result;
    }
    // Premultiplied / RGB32 are the formats the raster paint engine draws without converting.
    image = image.convertToFormat(image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32);
    QImage level = image;
    while (qMax(level.width(), level.height()) / 2 >= SmallestHalf) {
        level = level.scaled(level.size() / 2, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        result.halves << level;
    }
    result.image = std::move(image);
    return result;
}

bool ImageDecoder::isCached(const QString& filePath) const
{
    return std::any_of(m_cache.cbegin(), m_cache.cend(),
                       [&filePath](const auto& entry) { return entry.first == filePath; });
}

void ImageDecoder::request(const QString& filePath)
{
    for (qsizetype i = 0; i < m_cache.size(); ++i) {
        if (m_cache.at(i).first != filePath)
            continue;
        m_cache.move(i, m_cache.size() - 1);
        const DecodedImage result = m_cache.last().second;
        // Never from inside the call: the caller may not be ready for the answer yet.
        QTimer::singleShot(0, this, [this, filePath, result] { Q_EMIT decoded(filePath, result); });
        return;
    }
    if (m_running.contains(filePath))
        return; // decoded() follows when it is done
    start(filePath);
}

void ImageDecoder::preload(const QString& filePath)
{
    if (filePath.isEmpty() || isCached(filePath) || m_running.contains(filePath))
        return;
    start(filePath);
}

void ImageDecoder::start(const QString& filePath)
{
    m_running.insert(filePath);
    whenFinished(this, runOnPool(&m_pool, &ImageDecoder::decode, filePath),
                 [this, filePath](const DecodedImage& result) {
                     m_running.remove(filePath);
                     if (result.isNull())
                         qCInfo(lcUi) << "image could not be decoded";
                     else
                         remember(filePath, result); // failures are not kept: the file may come back
                     Q_EMIT decoded(filePath, result);
                 });
}

void ImageDecoder::remember(const QString& filePath, const DecodedImage& result)
{
    m_cache.append({filePath, result});
    qint64 total = 0;
    for (const auto& entry : std::as_const(m_cache))
        total += bytesOf(entry.second);
    // The newest entry always stays: it is the one just asked for.
    while (m_cache.size() > 1 && (m_cache.size() > CachedImages || total > CacheBudgetBytes)) {
        total -= bytesOf(m_cache.first().second);
        m_cache.removeFirst();
    }
}

} // namespace Pixapi
