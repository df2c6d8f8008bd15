#include "library/ImageMetadata.h"

#include "support/PngSanity.h"

#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QJsonDocument>
#include <QtEndian>

#include <zlib.h>

namespace Pixapi {

namespace {

const QString kRevisedPrompt = QStringLiteral("revised_prompt");

const QByteArray kPngSignature("\x89PNG\r\n\x1a\n", 8);
constexpr qsizetype kIhdrEnd = 8 + 4 + 4 + 13 + 4; // signature, then IHDR: length, type, 13 bytes of data, CRC
constexpr qsizetype kMaxJpegSegment = 0xffff - 2;  // a segment's length field counts itself

QByteArray bigEndian32(quint32 value)
{
    QByteArray bytes(4, '\0');
    qToBigEndian(value, bytes.data());
    return bytes;
}

// A PNG chunk: length, type, data, CRC-32 of type and data.
QByteArray pngChunk(const QByteArray& type, const QByteArray& data)
{
    const QByteArray typed = type + data;
    const uLong crc =
        crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(typed.constData()), uInt(typed.size()));
    return bigEndian32(quint32(data.size())) + typed + bigEndian32(quint32(crc));
}

QByteArray embedInPng(const QByteArray& bytes, const QByteArray& payload)
{
    if (bytes.size() < kIhdrEnd || bytes.mid(12, 4) != "IHDR" || qFromBigEndian<quint32>(bytes.constData() + 8) != 13)
        return bytes;
    // iTXt: keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translated keyword, NUL, text.
    const QByteArray data = ImageMetadata::payloadKey().toLatin1() + QByteArray("\0\0\0\0\0", 5) + payload;
    return bytes.left(kIhdrEnd) + pngChunk("iTXt", data) + bytes.mid(kIhdrEnd);
}

QByteArray embedInJpeg(const QByteArray& bytes, const QByteArray& payload)
{
    // Qt's reader splits a comment at the first ": " into key and value.
    const QByteArray comment = ImageMetadata::payloadKey().toLatin1() + ": " + payload;
    if (comment.size() > kMaxJpegSegment)
        return bytes;
    QByteArray length(2, '\0');
    qToBigEndian(quint16(comment.size() + 2), length.data());
    // After SOI and the APPn segments that follow it: JFIF and Exif readers expect their APP0 / APP1 first.
    qsizetype at = 2;
    while (at + 4 <= bytes.size() && quint8(bytes.at(at)) == 0xff && (quint8(bytes.at(at + 1)) & 0xf0) == 0xe0) {
        const qsizetype length = qFromBigEndian<quint16>(bytes.constData() + at + 2);
        if (length < 2) // a damaged header (a length counts its own two bytes): leave it alone
            return bytes;
        at += 2 + length;
    }
    if (at > bytes.size())
        return bytes; // a damaged header: leave it alone
    return bytes.left(at) + QByteArray("\xff\xfe", 2) + length + comment + bytes.mid(at);
}

// Whether the data of a text chunk or comment names our key ("PixapiMetadata\0..." or "PixapiMetadata: ...").
bool namesPayload(const QByteArray& data, char separator)
{
    const QByteArray key = ImageMetadata::payloadKey().toLatin1();
    return data.startsWith(key) && data.size() > key.size() && data.at(key.size()) == separator;
}

// Scans every chunk (a payload may sit after IDAT, where QImageReader::text() does not look before decoding).
bool pngHasPayload(const QByteArray& bytes)
{
    for (qsizetype at = kPngSignature.size(); at + 12 <= bytes.size();) {
        const qsizetype length = qFromBigEndian<quint32>(bytes.constData() + at);
        const QByteArray type = bytes.mid(at + 4, 4);
        if (type == "IEND" || length > bytes.size() - at - 12)
            break;
        if ((type == "tEXt" || type == "iTXt" || type == "zTXt") && namesPayload(bytes.mid(at + 8, length), '\0'))
            return true;
        at += 12 + length;
    }
    return false;
}

// Scans the segments before the image data (start of scan) for a comment with our key. Like libjpeg (which reads
// the comments Qt returns), it skips bytes between segments that are not a marker: a payload after such bytes is
// still read, so it must still be found (else a second one would be added, and readers would see the old one).
bool jpegHasPayload(const QByteArray& bytes)
{
    for (qsizetype at = 2; at + 4 <= bytes.size();) {
        const quint8 marker = quint8(bytes.at(at + 1));
        if (quint8(bytes.at(at)) != 0xff || marker == 0xff || marker == 0x00) { // not (yet) a marker
            ++at;
            continue;
        }
        if (marker == 0xda || marker == 0xd9) // start of scan, end of image
            break;
        if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { // markers without a length
            at += 2;
            continue;
        }
        const qsizetype length = qFromBigEndian<quint16>(bytes.constData() + at + 2);
        if (length < 2)
            break;
        if (marker == 0xfe && namesPayload(bytes.mid(at + 4, length - 2), ':'))
            return true;
        at += 2 + length;
    }
    return false;
}

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

QByteArray ImageMetadata::payload() const
{
    QJsonObject object;
    object.insert(QLatin1String("prompt"), prompt);
    object.insert(QLatin1String("model"), model);
    object.insert(QLatin1String("params"), params);
    object.insert(QLatin1String("request_id"), requestId);
    if (createdAt.isValid())
        object.insert(QLatin1String("created"), createdAt.toUTC().toString(Qt::ISODateWithMs));
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toBase64();
}

void ImageMetadata::embed(QImage& image) const
{
    image.setText(payloadKey(), QString::fromLatin1(payload()));
    // simplified(): a blank line inside a JPEG comment would split it into bogus keys when read.
    if (!prompt.isEmpty())
        image.setText(QStringLiteral("Description"), prompt.simplified());
    image.setText(QStringLiteral("Software"), QStringLiteral("Pixapi Studio"));
}

QByteArray ImageMetadata::embedInEncoded(const QByteArray& bytes) const
{
    // Never a second payload: readers would see only one of them.
    if (bytes.startsWith(kPngSignature))
        return pngHasPayload(bytes) ? bytes : embedInPng(bytes, payload());
    if (bytes.startsWith("\xff\xd8\xff"))
        return jpegHasPayload(bytes) ? bytes : embedInJpeg(bytes, payload());
    return bytes;
}

std::optional<ImageMetadata> ImageMetadata::read(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !PngSanity::chunksFit(&file))
        return std::nullopt;
    QImageReader reader(&file);
    reader.setDecideFormatFromContent(true);
    return readFrom(reader);
}

std::optional<ImageMetadata> ImageMetadata::fromBytes(const QByteArray& bytes)
{
    if (!PngSanity::chunksFit(bytes))
        return std::nullopt;
    QByteArray data = bytes; // shallow copy: QBuffer wants a non-const array
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setDecideFormatFromContent(true);
    return readFrom(reader);
}

} // namespace Pixapi
