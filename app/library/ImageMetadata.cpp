#include "library/ImageMetadata.h"

#include <QBuffer>
#include <QImageReader>
#include <QJsonDocument>

namespace Pixapi {

namespace {

const QString kRevisedPrompt = QStringLiteral("revised_prompt");

std::optional<ImageMetadata> readFrom(QImageReader& reader)
{
    const QString payload = reader.text(ImageMetadata::payloadKey());
    if (payload.isEmpty())
        return std::nullopt;
    const QByteArray json = QByteArray::fromBase64(payload.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();

    ImageMetadata metadata;
    metadata.prompt = object.value(QLatin1String("prompt")).toString();
    metadata.model = object.value(QLatin1String("model")).toString();
    metadata.params = object.value(QLatin1String("params")).toObject();
    metadata.requestId = object.value(QLatin1String("request_id")).toString();
    metadata.createdAt = QDateTime::fromString(object.value(QLatin1String("created")).toString(), Qt::ISODateWithMs);
    return metadata;
}

} // namespace

ImageMetadata ImageMetadata::fromRecord(const LibraryRecord& record)
{
    return {record.prompt, record.model, record.params, record.requestId, record.createdAt};
}

ImageMetadata ImageMetadata::withoutPrompt() const
{
    ImageMetadata stripped = *this;
    stripped.prompt.clear();
    stripped.params.remove(kRevisedPrompt);
    return stripped;
}

bool ImageMetadata::isEmpty() const
{
    return prompt.isEmpty() && model.isEmpty() && params.isEmpty() && requestId.isEmpty() && !createdAt.isValid();
}

QString ImageMetadata::payloadKey()
{
    return QStringLiteral("PixapiMetadata");
}

bool ImageMetadata::formatCarriesText(const QByteArray& format)
{
    const QByteArray lower = format.toLower();
    return lower == "png" || lower == "jpeg" || lower == "jpg";
}

void ImageMetadata::embed(QImage& image) const
{
    QJsonObject object;
    object.insert(QLatin1String("prompt"), prompt);
    object.insert(QLatin1String("model"), model);
    object.insert(QLatin1String("params"), params);
    object.insert(QLatin1String("request_id"), requestId);
    if (createdAt.isValid())
        object.insert(QLatin1String("created"), createdAt.toUTC().toString(Qt::ISODateWithMs));
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    image.setText(payloadKey(), QString::fromLatin1(json.toBase64()));
    // simplified(): a blank line inside a JPEG comment would split it into bogus keys when read.
    if (!prompt.isEmpty())
        image.setText(QStringLiteral("Description"), prompt.simplified());
    image.setText(QStringLiteral("Software"), QStringLiteral("Pixapi Studio"));
}

std::optional<ImageMetadata> ImageMetadata::read(const QString& path)
{
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    return readFrom(reader);
}

std::optional<ImageMetadata> ImageMetadata::fromBytes(const QByteArray& bytes)
{
    QByteArray data = bytes; // shallow copy: QBuffer wants a non-const array
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setDecideFormatFromContent(true);
    return readFrom(reader);
}

} // namespace Pixapi
