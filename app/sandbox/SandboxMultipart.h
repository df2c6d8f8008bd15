#pragma once

#include "support/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace Pixapi {

// One part of a multipart/form-data body (RFC 7578).
struct SandboxMultipartPart
{
    QByteArray name;     // Content-Disposition name (required)
    QByteArray filename; // Content-Disposition filename; see hasFilename
    bool hasFilename = false;
    QByteArray contentType; // the part's Content-Type, empty when it has none
    QByteArray body;
};

// A small multipart/form-data parser (Qt has no public one). Linear in the body size and safe on any bytes (it is
// fuzzed): every failure is a short English error text the sandbox sends back as a 400 message.
// Lenient where clients differ: bare LF line ends, transport padding after a boundary, a preamble and an epilogue.
class SandboxMultipart
{
public:
    using Parts = QList<SandboxMultipartPart>;

    static constexpr qsizetype MaxHeaderBlock = 8192; // the header lines of one part
    static constexpr qsizetype MaxParts = 1000;
    static constexpr qsizetype MaxBoundary = 70; // RFC 2046

    // The boundary of a Content-Type "multipart/form-data; boundary=..." (quoted or not). Fails when the media type
    // is not multipart/form-data ("... must be multipart/form-data ...") or the boundary is missing or invalid.
    static Result<QByteArray, QString> boundaryOf(QByteArrayView contentType);

    // The parts between the first and the closing boundary.
    static Result<Parts, QString> parseBody(QByteArrayView body, QByteArrayView boundary);

    // boundaryOf + parseBody.
    static Result<Parts, QString> parse(QByteArrayView contentType, QByteArrayView body);
};

} // namespace Pixapi
