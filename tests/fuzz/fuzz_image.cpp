// libFuzzer harness for the image bytes the app takes in: ImageStore::inspect (every image a server sends, before it
// is stored) and ImageMetadata (the settings embedded in our PNG/JPEG files: fromBytes when a file is dropped or the
// index is rebuilt, embedInEncoded on every stored image). The whole input is one image file.
// Invariants: an image that inspect() accepts decodes with QImage at the size it reported; embedding our metadata
// never damages it (inspect() still accepts it, same size and format), reads back as written, and happens once.
// Seeds: corpus_image (small PNG, JPEG, WebP, GIF files, with and without our metadata).
#include "FuzzSupport.h"
#include "library/ImageMetadata.h"
#include "library/ImageStore.h"

#include <QImage>
#include <QImageReader>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>

namespace {

Pixapi::ImageMetadata sampleMetadata()
{
    Pixapi::ImageMetadata m;
    m.prompt = QStringLiteral("a lighthouse at dusk, \u00fcn\u00efc\u00f8d\u00e9 \U0001F30A\nsecond line");
    m.model = QStringLiteral("gpt-image-2");
    m.params = QJsonObject {{QStringLiteral("n"), 2},
                            {QStringLiteral("size"), QStringLiteral("1024x1024")},
                            {QStringLiteral("revised_prompt"), QStringLiteral("a tall lighthouse")}};
    m.requestId = QStringLiteral("req_123");
    m.createdAt = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
    return m;
}

bool sameMetadata(const Pixapi::ImageMetadata& a, const Pixapi::ImageMetadata& b)
{
    return a.prompt == b.prompt && a.model == b.model && a.params == b.params && a.requestId == b.requestId
           && a.createdAt == b.createdAt;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    PixapiFuzz::init(argc, argv);
    QImageReader::setAllocationLimit(32); // MB: a forged header must not make every run allocate hundreds of MB
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace Pixapi;
    const QByteArray bytes = PixapiFuzz::bytesOf(data, size);
    static const ImageMetadata metadata = sampleMetadata();

    (void)ImageMetadata::fromBytes(bytes);

    const QByteArray embedded = metadata.embedInEncoded(bytes);
    FUZZ_CHECK(embedded == bytes || embedded.size() > bytes.size());
    // The signature stays (the format does not change): a PNG chunk goes after IHDR, a JPEG segment after SOI.
    FUZZ_CHECK(embedded.left(bytes.startsWith("\x89PNG") ? 33 : 2) == bytes.left(bytes.startsWith("\x89PNG") ? 33 : 2));
    FUZZ_CHECK(metadata.embedInEncoded(embedded) == embedded); // never a second payload

    const auto info = ImageStore::inspect(bytes);
    if (!info)
        return 0;
    FUZZ_CHECK(info.value().width > 0 && info.value().height > 0);
    FUZZ_CHECK(!info.value().extension.isEmpty());
    const QImage decoded = QImage::fromData(bytes);
    FUZZ_CHECK(!decoded.isNull());
    FUZZ_CHECK(decoded.width() == info.value().width && decoded.height() == info.value().height);

    // What the library stores: the same image, with our settings in it.
    const auto stored = ImageStore::inspect(embedded);
    FUZZ_CHECK(stored);
    FUZZ_CHECK(stored.value().width == info.value().width && stored.value().height == info.value().height);
    FUZZ_CHECK(stored.value().format == info.value().format);
    if (embedded != bytes) {
        const auto read = ImageMetadata::fromBytes(embedded);
        FUZZ_CHECK(read && sameMetadata(*read, metadata));
    }
    return 0;
}
