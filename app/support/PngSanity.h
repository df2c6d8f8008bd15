#pragma once

#include <QByteArray>

class QIODevice;

namespace Pixapi::PngSanity {

// Call before handing untrusted bytes to QImageReader. False for PNG data with a chunk (other than IDAT) that claims
// more bytes than the data has: libpng 1.6.39 allocates and zeroes a buffer of the claimed size before it finds out,
// so a 169-byte file costs 2 GB of memory (found by fuzz_image). True for anything else, PNG or not.
bool chunksFit(const QByteArray& bytes);
// The same for a random-access device (a file); its position is left where it was.
bool chunksFit(QIODevice* device);

} // namespace Pixapi::PngSanity
