#include "edit/EditInputPrep.h"

#include "support/BackgroundWork.h"
#include "support/PngSanity.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QLocale>
#include <QThreadPool>

#include <algorithm>
#include <cmath>
#include <optional>

namespace Pixapi {
namespace {

using Prepared = Result<EditInputs, EditRefusal>;

// One input after its checks: what is sent, and its pixel size before and after any downscaling.
struct PreparedImage
{
    EditImage image;
    QSize originalSize;
    QSize sentSize;
};

using PreparedSource = Result<PreparedImage, EditRefusal>;

EditRefusal refusalFor(const QString& message, int sourceIndex, bool canDownscale = false)
{
    EditRefusal refusal;
    refusal.message = message;
    refusal.sourceIndex = sourceIndex;
    refusal.canDownscale = canDownscale;
    return refusal;
}

// A format the servers take (contract §9: PNG, WebP, JPEG), under QImageReader's name for it.
struct ImageFormat
{
    QByteArray readerName;
    QByteArray mimeType;
    QString suffix;
};

ImageFormat pngFormat()
{
    return {"png", "image/png", QStringLiteral("png")};
}

ImageFormat jpegFormat()
{
    return {"jpeg", "image/jpeg", QStringLiteral("jpg")};
}

std::optional<ImageFormat> acceptedFormat(const QByteArray& readerFormat)
{
    const QByteArray name = readerFormat.toLower();
    if (name == "png")
        return pngFormat();
    if (name == "jpeg" || name == "jpg")
        return jpegFormat();
    if (name == "webp")
        return ImageFormat {"webp", "image/webp", QStringLiteral("webp")};
    return std::nullopt;
}

// The uploaded file's name: the file's own name (the display name may be a prompt), else the source's name, with a
// suffix that matches the content. Some servers go by the suffix.
QString uploadName(const EditSource& source, const ImageFormat& format)
{
    const QString name = QFileInfo(source.filePath.isEmpty() ? source.name : source.filePath).fileName();
    const QString suffix = QFileInfo(name).suffix().toLower();
    const bool matches =
        suffix == format.suffix
        || (format.readerName == "jpeg" && (suffix == QLatin1String("jpeg") || suffix == QLatin1String("jpe")));
    if (matches && !QFileInfo(name).completeBaseName().isEmpty())
        return name;
    QString base = QFileInfo(name).completeBaseName();
    if (base.isEmpty())
        base = QStringLiteral("image");
    return base + QLatin1Char('.') + format.suffix;
}

QString dataSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes);
}

// An alpha channel whose pixels are all opaque (common in screenshots) does not count: JPEG is much smaller.
bool hasTransparency(const QImage& image)
{
    if (!image.hasAlphaChannel())
        return false;
    const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < argb.height(); ++y) {
        const auto* row = reinterpret_cast<const QRgb*>(argb.constScanLine(y));
        if (std::any_of(row, row + argb.width(), [](QRgb pixel) { return qAlpha(pixel) < 255; }))
            return true;
    }
    return false;
}

QByteArray encode(const QImage& image, const ImageFormat& format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format.readerName);
    if (format.readerName == "jpeg")
        writer.setQuality(EditInputPrep::JpegQuality);
    if (!writer.write(image))
        return {};
    return bytes;
}

// `size` fitted into a square of `edge`, keeping the aspect ratio; never larger, never empty.
QSize fittedSize(QSize size, int edge)
{
    const int longest = std::max(size.width(), size.height());
    if (longest <= edge)
        return size;
    const double factor = static_cast<double>(edge) / longest;
    return {std::max(1, static_cast<int>(std::lround(size.width() * factor))),
            std::max(1, static_cast<int>(std::lround(size.height() * factor)))};
}

// Re-encodes `image` to fit the limits: scaled to the edge limit first, then smaller while the file is too heavy.
PreparedSource shrinkToFit(const QImage& image, const EditSource& source, int index, const EditLimits& limits,
                           const ModelInfo& model)
{
    const ImageFormat format = hasTransparency(image) ? pngFormat() : jpegFormat();
    const QImage pixels = format.readerName == "jpeg" ? image.convertToFormat(QImage::Format_RGB32) : image;
    const int longest = std::max(image.width(), image.height());
    int edge = std::min(longest, limits.maxEdge);
    for (;;) {
        const QSize target = fittedSize(image.size(), edge);
        const QImage scaled =
            target == image.size() ? pixels : pixels.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        const QByteArray encoded = encode(scaled, format);
        if (encoded.isEmpty()) {
            return PreparedSource::failure(
                refusalFor(EditInputPrep::tr("%1 could not be re-encoded.").arg(source.displayName()), index));
        }
        if (encoded.size() <= limits.maxBytes)
            return PreparedImage {{encoded, uploadName(source, format), format.mimeType}, image.size(), scaled.size()};
        if (edge <= EditInputPrep::MinDownscaleEdge) {
            return PreparedSource::failure(
                refusalFor(EditInputPrep::tr("%1 cannot be made small enough for %2 (%3 per file).")
                               .arg(source.displayName(), model.displayName(), dataSize(limits.maxBytes)),
                           index));
        }
        // The encoded size goes roughly with the pixel count, so the edge goes with its square root. Each step
        // shrinks by 10 % at least, so the loop ends quickly.
        const double factor = std::clamp(
            std::sqrt(static_cast<double>(limits.maxBytes) / static_cast<double>(encoded.size())) * 0.95, 0.5, 0.9);
        edge = std::max(EditInputPrep::MinDownscaleEdge, static_cast<int>(edge * factor));
    }
}

Result<QByteArray, EditRefusal> readSource(const EditSource& source, int index)
{
    using Read = Result<QByteArray, EditRefusal>;
    if (source.filePath.isEmpty())
        return source.bytes;
    QFile file(source.filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        return Read::failure(refusalFor(
            EditInputPrep::tr("%1 cannot be read: %2.").arg(source.displayName(), file.errorString()), index));
    }
    if (file.size() > EditInputPrep::MaxSourceBytes) {
        return Read::failure(refusalFor(
            EditInputPrep::tr("%1 is too large to open (%2).").arg(source.displayName(), dataSize(file.size())),
            index));
    }
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        return Read::failure(refusalFor(
            EditInputPrep::tr("%1 cannot be read: %2.").arg(source.displayName(), file.errorString()), index));
    }
    return bytes;
}

PreparedSource prepareSource(const EditSource& source, int index, const EditLimits& limits, const ModelInfo& model,
                             bool downscale)
{
    const QString name = source.displayName();
    Result<QByteArray, EditRefusal> read = readSource(source, index);
    if (!read)
        return PreparedSource::failure(read.error());
    const QByteArray bytes = std::move(read).value();
    if (bytes.isEmpty())
        return PreparedSource::failure(refusalFor(EditInputPrep::tr("%1 is empty.").arg(name), index));
    if (!PngSanity::chunksFit(bytes)) // before libpng sees it: it would allocate what the chunk claims
        return PreparedSource::failure(refusalFor(EditInputPrep::tr("%1 is damaged or incomplete.").arg(name), index));

    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer); // no format given: it is read from the content, never from the name
    // The pixels as stored: the server is not known to apply EXIF orientation, and the mask must match what it sees.
    reader.setAutoTransform(false);
    const std::optional<ImageFormat> format = acceptedFormat(reader.format());
    if (!format) {
        return PreparedSource::failure(
            refusalFor(EditInputPrep::tr("%1 is not an image the server takes (PNG, JPEG or WebP).").arg(name), index));
    }
    // The header's size, read before any pixel is decoded.
    const QSize size = reader.size();
    if (!size.isValid()) {
        return PreparedSource::failure(refusalFor(EditInputPrep::tr("%1 is damaged or incomplete.").arg(name), index));
    }
    if (static_cast<qint64>(size.width()) * size.height() > EditInputPrep::MaxSourcePixels) {
        return PreparedSource::failure(
            refusalFor(EditInputPrep::tr("%1 is too large to open (%2 × %3 pixels).")
                           .arg(name, QString::number(size.width()), QString::number(size.height())),
                       index));
    }
    // Decoded even when the bytes are sent as they are: a damaged file is refused here, not after an upload.
    const QImage image = reader.read();
    if (image.isNull()) {
        return PreparedSource::failure(
            refusalFor(EditInputPrep::tr("%1 is damaged or incomplete: %2.").arg(name, reader.errorString()), index));
    }

    const bool overEdge = std::max(image.width(), image.height()) > limits.maxEdge;
    const bool overBytes = bytes.size() > limits.maxBytes;
    if (!overEdge && !overBytes)
        return PreparedImage {{bytes, uploadName(source, *format), format->mimeType}, image.size(), image.size()};
    if (downscale)
        return shrinkToFit(image, source, index, limits, model);
    if (overEdge) {
        return PreparedSource::failure(
            refusalFor(EditInputPrep::tr("%1 is %2 × %3 pixels; %4 takes images up to %5 pixels on the longest side.")
                           .arg(name, QString::number(image.width()), QString::number(image.height()),
                                model.displayName(), QString::number(limits.maxEdge)),
                       index, true));
    }
    return PreparedSource::failure(
        refusalFor(EditInputPrep::tr("%1 is %2; %3 takes files up to %4.")
                       .arg(name, dataSize(bytes.size()), model.displayName(), dataSize(limits.maxBytes)),
                   index, true));
}

// The mask PNG to send with a first image of `sentSize`. The mask must match the first image as the user chose it
// (`originalSize`); it is scaled along when that image was downscaled.
Result<QByteArray, QString> maskPngFor(const EditInputRequest& request, QSize originalSize, QSize sentSize)
{
    using MaskResult = Result<QByteArray, QString>;
    EditMask mask = request.mask;
    if (mask.isNull()) {
        Result<EditMask, QString> read = EditMask::fromPng(request.maskPng, originalSize);
        if (!read)
            return MaskResult::failure(read.error());
        if (originalSize == sentSize)
            return request.maskPng; // checked, and sent as the user's file
        mask = std::move(read).value();
    }
    if (mask.size() != originalSize) {
        // The same reason checkPng gives; only its text is wanted.
        const Result<QSize, QString> check = EditMask::checkPng(mask.toPng(), originalSize);
        return MaskResult::failure(check ? EditInputPrep::tr("The mask does not fit the first image.") : check.error());
    }
    const QByteArray png = mask.scaledTo(sentSize).toPng();
    if (const Result<QSize, QString> check = EditMask::checkPng(png, sentSize); !check)
        return MaskResult::failure(check.error());
    return png;
}

} // namespace

EditSource EditSource::fromFile(const QString& path)
{
    EditSource source;
    source.filePath = path;
    return source;
}

EditSource EditSource::fromBytes(const QByteArray& bytes, const QString& name)
{
    EditSource source;
    source.bytes = bytes;
    source.name = name;
    return source;
}

QString EditSource::displayName() const
{
    if (!name.isEmpty())
        return name;
    if (!filePath.isEmpty())
        return QFileInfo(filePath).fileName();
    return tr("Pasted image");
}

Result<EditInputs, EditRefusal> EditInputPrep::prepare(const EditInputRequest& request)
{
    const bool hasMask = request.hasMask();
    if (const std::optional<QString> reason =
            EditCapability::refusal(request.model, static_cast<int>(request.sources.size()), hasMask)) {
        return Prepared::failure(refusalFor(*reason, -1));
    }
    const EditLimits limits = EditLimits::forModel(request.model);
    EditInputs inputs;
    QSize firstOriginalSize;
    QSize firstSentSize;
    for (int i = 0; i < request.sources.size(); ++i) {
        PreparedSource prepared = prepareSource(request.sources.at(i), i, limits, request.model, request.downscale);
        if (!prepared)
            return Prepared::failure(prepared.error());
        if (i == 0) {
            firstOriginalSize = prepared.value().originalSize;
            firstSentSize = prepared.value().sentSize;
        }
        inputs.images.append(std::move(prepared).value().image);
    }
    if (hasMask) {
        Result<QByteArray, QString> mask = maskPngFor(request, firstOriginalSize, firstSentSize);
        if (!mask)
            return Prepared::failure(refusalFor(mask.error(), -1));
        inputs.maskPng = std::move(mask).value();
    }
    return inputs;
}

QFuture<Result<EditInputs, EditRefusal>> EditInputPrep::prepareAsync(EditInputRequest request, QThreadPool* pool)
{
    return runOnPool(pool ? pool : backgroundPool(), [request = std::move(request)] { return prepare(request); });
}

} // namespace Pixapi
