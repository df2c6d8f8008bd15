#include "support/PngSanity.h"

#include <QIODevice>
#include <QtEndian>

namespace Pixapi::PngSanity {
namespace {

const QByteArray kSignature("\x89PNG\r\n\x1a\n", 8);

// Walks the chunk headers: `read(at, 8)` returns the 8 bytes at `at` (fewer at the end), `size` is the data's size.
template <typename Read>
bool walk(qint64 size, Read read)
{
    if (read(0, 8) != kSignature)
        return true; // not a PNG: not our concern
    for (qint64 at = 8; at + 8 <= size;) {
        const QByteArray header = read(at, 8);
        if (header.size() < 8)
            return true;
        const qint64 length = qFromBigEndian<quint32>(header.constData());
        const QByteArray type = header.mid(4, 4);
        // IDAT is read in small pieces whatever its length (and a truncated one is a truncated image, not a bomb).
        if (type != "IDAT" && length > size - at - 12)
            return false;
        if (type == "IEND")
            return true;
        at += 12 + length;
    }
    return true;
}

} // namespace

bool chunksFit(const QByteArray& bytes)
{
    return walk(bytes.size(), [&bytes](qint64 at, qint64 count) { return bytes.mid(at, count); });
}

bool chunksFit(QIODevice* device)
{
    if (!device || !device->isOpen() || device->isSequential())
        return true;
    const qint64 position = device->pos();
    const bool fits = walk(device->size(), [device](qint64 at, qint64 count) {
        return device->seek(at) ? device->read(count) : QByteArray();
    });
    device->seek(position);
    return fits;
}

} // namespace Pixapi::PngSanity
