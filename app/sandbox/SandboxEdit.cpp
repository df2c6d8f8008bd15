#include "sandbox/SandboxEdit.h"

#include "sandbox/SandboxMultipart.h"
#include "sandbox/SandboxRenderer.h"
#include "support/PngSanity.h"

#include <QBuffer>
#include <QImageReader>
#include <QJsonDocument>

#include <cmath>
#include <limits>

namespace Pixapi {

namespace {

using Parsed = Result<SandboxGeneration, SandboxApiError>;

// Below QImageReader's 256 MB allocation limit at 4 bytes a pixel, so a refusal says why instead of "not an image".
constexpr qint64 kMaxDecodePixels = 40'000'000;
// Images 2..N only become thumbnails; decoding them small bounds the memory an async task keeps.
constexpr int kThumbnailEdge = 512;

SandboxApiError invalid(const QString& message)
{
    return {400, QByteArrayLiteral("invalid_request_error"), message};
}

bool isImageField(const QByteArray& name)
{
    return name == "image" || name == "image[]";
}

bool isFileField(const QByteArray& name)
{
    return isImageField(name) || name == "mask";
}

QJsonObject textFields(const SandboxMultipart::Parts& parts)
{
    QJsonObject json;
    for (const SandboxMultipartPart& part : parts) {
        if (isFileField(part.name))
            continue;
        const QString name = QString::fromUtf8(part.name);
        const QString value = QString::fromUtf8(part.body);
        bool number = false;
        const double n = value.trimmed().toDouble(&number);
        if (name == QLatin1String("n") && number)
            json.insert(name, n);
        else
            json.insert(name, value);
    }
    return json;
}

QString mib(qint64 bytes)
{
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}

QString pixels(const QSize& size)
{
    return QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
}

struct Decoded
{
    QImage image;
    QSize original;
    QByteArray format;
};

// Decodes `bytes` by their content (never the part's Content-Type), scaled down to `fitEdge` on the long side.
Result<Decoded, QString> decode(const QByteArray& bytes, const QString& what, int fitEdge)
{
    using R = Result<Decoded, QString>;
    const QString notImage = QStringLiteral("%1 is not a PNG, JPEG or WebP image.").arg(what);
    if (!PngSanity::chunksFit(bytes)) // before libpng sees it: it would allocate what the chunk claims
        return R::failure(notImage);
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setDecideFormatFromContent(true);
    Decoded out;
    out.format = reader.format();
    out.original = reader.size();
    static const QList<QByteArray> formats {QByteArrayLiteral("png"), QByteArrayLiteral("jpeg"),
                                            QByteArrayLiteral("webp")};
    if (!formats.contains(out.format) || !out.original.isValid())
        return R::failure(notImage);
    if (qint64(out.original.width()) * out.original.height() > kMaxDecodePixels) {
        return R::failure(QStringLiteral("%1 is %2 pixels; the sandbox decodes at most %3 megapixels.")
                              .arg(what, pixels(out.original))
                              .arg(kMaxDecodePixels / 1'000'000));
    }
    if (qMax(out.original.width(), out.original.height()) > fitEdge)
        reader.setScaledSize(out.original.scaled(fitEdge, fitEdge, Qt::KeepAspectRatio));
    out.image = reader.read();
    if (out.image.isNull())
        return R::failure(notImage);
    return out;
}

// The model's output size nearest the input: same aspect ratio first, then area ("auto" is no size of its own).
QString closestSize(const SandboxModel& model, const QSize& input)
{
    const double aspect = std::log(double(input.width()) / input.height());
    const double area = std::log(double(input.width()) * input.height());
    QString best = SandboxCatalog::defaultSize(model);
    double bestAspect = std::numeric_limits<double>::infinity();
    double bestArea = bestAspect;
    constexpr double epsilon = 1e-9;
    for (const QStringList* list : {&model.sizes, &model.aspectRatios}) {
        for (const QString& size : *list) {
            if (size == QLatin1String("auto"))
                continue;
            const QSize candidate = SandboxRenderer::sizeFor(size);
            const double a = std::abs(std::log(double(candidate.width()) / candidate.height()) - aspect);
            const double r = std::abs(std::log(double(candidate.width()) * candidate.height()) - area);
            if (a < bestAspect - epsilon || (a < bestAspect + epsilon && r < bestArea - epsilon)) {
                best = size;
                bestAspect = a;
                bestArea = r;
            }
        }
    }
    return best;
}

SandboxEditPartRecord recordOf(const SandboxMultipartPart& part)
{
    return {QString::fromUtf8(part.name), QString::fromUtf8(part.filename), part.contentType, part.body.size(), {}};
}

} // namespace

QJsonObject SandboxEdit::fieldsOf(const QByteArray& contentType, const QByteArray& body)
{
    if (SandboxMultipart::boundaryOf(contentType)) {
        const auto parts = SandboxMultipart::parse(contentType, body);
        return parts ? textFields(parts.value()) : QJsonObject();
    }
    return QJsonDocument::fromJson(body).object();
}

Parsed SandboxEdit::parse(const QByteArray& contentType, const QByteArray& body, std::optional<SandboxEditRecord>& seen)
{
    seen.reset();
    const auto parsedParts = SandboxMultipart::parse(contentType, body);
    if (!parsedParts)
        return Parsed::failure(invalid(parsedParts.error()));
    const SandboxMultipart::Parts& parts = parsedParts.value();

    SandboxEditRecord& record = seen.emplace();
    QList<const SandboxMultipartPart*> images;
    QList<const SandboxMultipartPart*> masks;
    for (const SandboxMultipartPart& part : parts) {
        if (isImageField(part.name)) {
            images.append(&part);
            record.images.append(recordOf(part));
        } else if (part.name == "mask") {
            masks.append(&part);
            record.hasMask = true;
            record.mask = recordOf(part);
        } else {
            record.fields.insert(QString::fromUtf8(part.name), QString::fromUtf8(part.body));
        }
    }
    record.model = record.fields.value(QStringLiteral("model"));
    record.prompt = record.fields.value(QStringLiteral("prompt"));
    const auto fail = [&record](const SandboxApiError& error) {
        record.error = error.message;
        return Parsed::failure(error);
    };

    const QJsonObject fields = textFields(parts);
    auto validated = SandboxGeneration::fromFields(fields, SandboxGeneration::Kind::Edit);
    if (!validated)
        return fail(validated.error());
    SandboxGeneration request = std::move(validated).value();
    const SandboxModel& model = *request.model;

    if (images.isEmpty())
        return fail(invalid(QStringLiteral("'image' is required: send the image as a file part named 'image' "
                                           "(several as 'image[]').")));
    if (images.size() > model.maxInputImages) {
        return fail(invalid(QStringLiteral("Too many images: %1 sent, but the model '%2' takes at most %3.")
                                .arg(images.size())
                                .arg(model.id)
                                .arg(model.maxInputImages)));
    }
    if (!masks.isEmpty() && !model.supportsMask)
        return fail(invalid(QStringLiteral("The model '%1' does not support a mask.").arg(model.id)));
    if (masks.size() > 1)
        return fail(invalid(QStringLiteral("Send at most one 'mask'.")));

    const auto tooLarge = [&model](const QString& what, qint64 bytes) {
        return invalid(QStringLiteral("%1 is %2, but the model '%3' takes at most %4 per image.")
                           .arg(what, mib(bytes), model.id, mib(model.maxInputBytes)));
    };
    auto inputs = std::make_shared<SandboxEditInputs>();
    QSize firstOriginal;
    for (int i = 0; i < int(images.size()); ++i) {
        const QString what = QStringLiteral("Image %1").arg(i + 1);
        const QByteArray& bytes = images.at(i)->body;
        if (bytes.size() > model.maxInputBytes)
            return fail(tooLarge(what, bytes.size()));
        const auto decoded = decode(bytes, what, i == 0 ? model.maxInputEdge : kThumbnailEdge);
        if (!decoded)
            return fail(invalid(decoded.error()));
        record.images[i].imageSize = decoded.value().original;
        if (i == 0) {
            firstOriginal = decoded.value().original;
            inputs->first = decoded.value().image;
        } else {
            inputs->others.append(decoded.value().image);
        }
    }

    if (!masks.isEmpty()) {
        const QByteArray& bytes = masks.constFirst()->body;
        if (bytes.size() > model.maxInputBytes)
            return fail(tooLarge(QStringLiteral("The mask"), bytes.size()));
        const auto decoded = decode(bytes, QStringLiteral("The mask"), model.maxInputEdge);
        if (!decoded || decoded.value().format != "png")
            return fail(invalid(QStringLiteral("The mask must be a PNG image with an alpha channel.")));
        record.mask.imageSize = decoded.value().original;
        if (decoded.value().original != firstOriginal) {
            return fail(invalid(QStringLiteral("The mask is %1 but the image is %2; they must be the same size.")
                                    .arg(pixels(decoded.value().original), pixels(firstOriginal))));
        }
        if (!decoded.value().image.hasAlphaChannel()) {
            return fail(invalid(QStringLiteral("The mask has no alpha channel: its transparent pixels mark where to "
                                               "edit.")));
        }
        inputs->mask = decoded.value().image;
    }

    const QString size = fields.value(QLatin1String("size")).toString();
    if (!fields.contains(QLatin1String("size")))
        request.size = closestSize(model, firstOriginal);
    const bool automatic = size == QLatin1String("auto");
    inputs->outputSize = SandboxRenderer::sizeFor(automatic ? closestSize(model, firstOriginal) : request.size);
    record.outputSize = inputs->outputSize;
    request.edit = std::move(inputs);
    return request;
}

} // namespace Pixapi
