// libFuzzer harness for the inputs of an edit: mask files (EditMask::checkPng / fromPng), the images a user picks,
// pastes or drops (EditInputPrep::prepare: header sniffing, limits, downscaling, the mask scaled along) and the
// mask painting that turns pointer positions into pixels. The first byte picks the entry point:
//   0  mask file: [flags][PNG…]            flags bit 0: check it against its own header size, else against 4×3
//   1  inputs:    [flags][edge][bytes][image…]  flags: bit 0 downscale, bit 1 a painted mask, bit 2 the image is
//                                          also the mask file, bit 3 two sources; edge/bytes pick the model's limits
//   2  painting:  a mask size, then strokes, dots, inverts, clears and undos with arbitrary coordinates
// Invariants: what prepare() accepts decodes, fits the limits and has a matching MIME type and a mask that passes
// checkPng(); a mask read from a file writes back the same; the painted count is always the exact pixel count.
#include "FuzzSupport.h"
#include "edit/EditInputPrep.h"
#include "edit/EditMask.h"

#include <QBuffer>
#include <QImage>
#include <QImageReader>

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {

using Pixapi::EditMask;

// Decoding and downscaling cost grows with the pixel count: inputs whose header claims more are not worth a run.
constexpr qint64 MaxFuzzPixels = 1 << 20;

QSize headerSize(const QByteArray& bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    return reader.size();
}

qint64 countPainted(const QImage& image)
{
    qint64 count = 0;
    for (int y = 0; y < image.height(); ++y) {
        const uchar* row = image.constScanLine(y);
        for (int x = 0; x < image.width(); ++x) {
            FUZZ_CHECK(row[x] == 0 || row[x] == 255); // binary, always
            count += row[x] == 255 ? 1 : 0;
        }
    }
    return count;
}

void checkMask(const EditMask& mask)
{
    if (mask.isNull()) {
        FUZZ_CHECK(mask.paintedPixels() == 0);
        return;
    }
    FUZZ_CHECK(mask.image().format() == QImage::Format_Grayscale8);
    FUZZ_CHECK(mask.paintedPixels() == countPainted(mask.image()));
    FUZZ_CHECK(mask.coverage() >= 0 && mask.coverage() <= 1);
}

void maskFile(const QByteArray& input)
{
    if (input.isEmpty())
        return;
    const QByteArray png = input.mid(1);
    const QSize header = headerSize(png);
    if (header.isValid() && qint64(header.width()) * header.height() > MaxFuzzPixels)
        return;
    const QSize imageSize = (input.at(0) & 1) && header.isValid() ? header : QSize(4, 3);
    const auto checked = EditMask::checkPng(png, imageSize);
    const auto read = EditMask::fromPng(png, imageSize);
    FUZZ_CHECK(bool(checked) == bool(read));
    if (!read) {
        FUZZ_CHECK(!read.error().isEmpty() && read.error() == checked.error());
        return;
    }
    const EditMask& mask = read.value();
    FUZZ_CHECK(checked.value() == imageSize && mask.size() == imageSize);
    checkMask(mask);
    // What the app sends for it reads back as the same mask.
    const auto again = EditMask::fromPng(mask.toPng(), imageSize);
    FUZZ_CHECK(again && again.value().image() == mask.image());
    checkMask(mask.scaledTo(QSize(std::max(1, imageSize.width() / 3), imageSize.height() + 1)));
}

void inputs(const QByteArray& input)
{
    if (input.size() < 3)
        return;
    const auto flags = quint8(input.at(0));
    const QByteArray image = input.mid(3);
    const QSize header = headerSize(image);
    if (header.isValid() && qint64(header.width()) * header.height() > MaxFuzzPixels)
        return;

    Pixapi::EditInputRequest request;
    request.model.id = QStringLiteral("fuzz-model");
    request.model.supportsEdits = true;
    request.model.supportsMask = true;
    static constexpr int Edges[] = {64, 97, 300, 0};            // 0: the default (4096)
    static constexpr qint64 Bytes[] = {1500, 20000, 300000, 0}; // 0: the default (20 MiB)
    request.model.maxInputEdge = Edges[quint8(input.at(1)) % 4];
    request.model.maxInputBytes = Bytes[quint8(input.at(2)) % 4];
    request.downscale = flags & 1;
    request.sources << Pixapi::EditSource::fromBytes(image, QStringLiteral("input.png"));
    if (flags & 8)
        request.sources << Pixapi::EditSource::fromBytes(image);
    if ((flags & 2) && header.isValid() && !header.isEmpty()) {
        request.mask = EditMask(header);
        request.mask.paintDot(QPointF(header.width() / 2.0, header.height() / 2.0), 2, EditMask::Tool::Brush);
    } else if (flags & 4) {
        request.maskPng = image;
    }

    const auto prepared = Pixapi::EditInputPrep::prepare(request);
    if (!prepared) {
        FUZZ_CHECK(!prepared.error().message.isEmpty());
        FUZZ_CHECK(prepared.error().sourceIndex >= -1 && prepared.error().sourceIndex < request.sources.size());
        return;
    }
    const Pixapi::EditLimits limits = Pixapi::EditLimits::forModel(request.model);
    const Pixapi::EditInputs& sent = prepared.value();
    FUZZ_CHECK(sent.images.size() == request.sources.size());
    QSize firstSize;
    for (const Pixapi::EditImage& file : sent.images) {
        FUZZ_CHECK(file.mimeType == "image/png" || file.mimeType == "image/jpeg" || file.mimeType == "image/webp");
        FUZZ_CHECK(!file.fileName.isEmpty());
        FUZZ_CHECK(file.bytes.size() <= limits.maxBytes);
        const QImage decoded = QImage::fromData(file.bytes);
        FUZZ_CHECK(!decoded.isNull());
        FUZZ_CHECK(std::max(decoded.width(), decoded.height()) <= limits.maxEdge);
        if (firstSize.isEmpty())
            firstSize = decoded.size();
    }
    FUZZ_CHECK(sent.maskPng.isEmpty() == !request.hasMask());
    if (!sent.maskPng.isEmpty())
        FUZZ_CHECK(EditMask::checkPng(sent.maskPng, firstSize));
}

void painting(const QByteArray& input)
{
    FuzzedDataProvider fdp(reinterpret_cast<const uint8_t*>(input.constData()), size_t(input.size()));
    const int width = fdp.ConsumeIntegralInRange(0, 64);
    const int height = fdp.ConsumeIntegralInRange(0, 64);
    EditMask mask {QSize(width, height)};
    const auto coordinate = [&fdp] {
        // Mostly on or near the image; sometimes anything a double can be (infinities, NaN, huge).
        return fdp.ConsumeBool() ? fdp.ConsumeFloatingPointInRange(-8.0, 72.0) : fdp.ConsumeFloatingPoint<double>();
    };
    while (fdp.remaining_bytes() > 0) {
        const auto tool = fdp.ConsumeBool() ? EditMask::Tool::Brush : EditMask::Tool::Eraser;
        switch (fdp.ConsumeIntegralInRange(0, 7)) {
        case 0:
        case 1: {
            const QPointF from(coordinate(), coordinate());
            const QPointF to(coordinate(), coordinate());
            mask.paintStroke(from, to, coordinate(), tool);
            break;
        }
        case 2: {
            const QPointF center(coordinate(), coordinate());
            mask.paintDot(center, coordinate(), tool);
            break;
        }
        case 3:
            mask.invert();
            break;
        case 4:
            mask.clear();
            break;
        case 5:
            mask.undo();
            break;
        case 6:
            mask.beginStroke();
            break;
        case 7:
            mask.endStroke();
            break;
        }
        checkMask(mask);
    }
    checkMask(mask.scaledTo(QSize(fdp.ConsumeIntegralInRange(0, 80), 7)));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    PixapiFuzz::init(argc, argv);
    QImageReader::setAllocationLimit(32); // MB
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const PixapiFuzz::Selected selected = PixapiFuzz::select(data, size, 3);
    switch (selected.entry) {
    case 0:
        maskFile(selected.input);
        break;
    case 1:
        inputs(selected.input);
        break;
    default:
        painting(selected.input);
        break;
    }
    return 0;
}
