#pragma once

#include "library/Library.h"

#include <QByteArray>
#include <QDateTime>
#include <QImage>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace Pixapi {

// The generation settings carried inside an image file: exported images (embed) and the library's own files
// (embedInEncoded, at store time), so an image dragged back in or a rebuilt index can restore them.
// PNG and JPEG carry them; the WebP plugin of Qt has no text support, so a WebP file carries nothing.
//
// On disk: "PixapiMetadata" holds base64 of a compact UTF-8 JSON object (prompt, model, params, request_id, created).
// Base64 because Qt's readers collapse whitespace in text values and split keys at the first ':' (so keys such as
// "pixapi:prompt" do not survive a round trip). "Description" (the prompt, whitespace collapsed) and "Software"
// are for other tools; they are written but never read back as settings.
struct ImageMetadata
{
    QString prompt;
    QString model;
    QJsonObject params; // includes "revised_prompt" when the API returned one
    QString requestId;
    QDateTime createdAt;

    static ImageMetadata fromRecord(const LibraryRecord& record);
    // Without the prompt and the revised prompt (the "strip prompt" export option).
    ImageMetadata withoutPrompt() const;
    bool isEmpty() const;

    // The text keys written by embed() and readable back by read().
    static QString payloadKey();
    // True when Qt can write text into this format ("png", "jpeg"/"jpg").
    static bool formatCarriesText(const QByteArray& format);

    // Sets the text keys on the image; QImageWriter writes them as PNG iTXt/tEXt chunks or a JPEG comment.
    void embed(QImage& image) const;
    // The encoded image with the payload key added, without re-encoding a pixel: a PNG gets an iTXt chunk right
    // after IHDR, a JPEG a COM segment after SOI and its APPn segments ("PixapiMetadata: <base64>"). Bytes that carry a
    // payload, WebP (its RIFF container would need rewriting and Qt reads no text from it), any other format and
    // damaged headers are returned unchanged.
    QByteArray embedInEncoded(const QByteArray& bytes) const;
    // Reads the metadata from the header of an image file or of image bytes (no pixel is decoded). Empty when the
    // image carries none, is unreadable, or the payload is damaged.
    static std::optional<ImageMetadata> read(const QString& path);
    static std::optional<ImageMetadata> fromBytes(const QByteArray& bytes);

private:
    QByteArray payload() const; // the value of payloadKey(): base64 of the compact JSON
};

} // namespace Pixapi
