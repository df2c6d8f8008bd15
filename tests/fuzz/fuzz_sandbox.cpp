// libFuzzer harness for the embedded sandbox's request parsing (it listens on 127.0.0.1, so any local process can
// send it anything): generation bodies (SandboxGeneration::parse), edit bodies (SandboxEdit::parse: multipart text
// fields, decoding of the input images and the mask), the text fields of either (SandboxEdit::fieldsOf) and `size`
// strings (SandboxRenderer::sizeFor). The multipart parser itself has fuzz_multipart. The first byte picks:
//   0  a JSON generation body
//   1  an edit: "<Content-Type>\n<body>"
//   2  fieldsOf: "<Content-Type>\n<body>"
//   3  a size string
// Invariants: an accepted request names a model that takes it, n within 1..max_n, a size the model lists, a finite
// price, and (edits) a decoded first image within the model's edge and an output size within the renderer's limits.
#include "FuzzSupport.h"
#include "sandbox/SandboxEdit.h"
#include "sandbox/SandboxGeneration.h"
#include "sandbox/SandboxMultipart.h"
#include "sandbox/SandboxRenderer.h"

#include <QImageReader>

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {

using namespace Pixapi;

bool sideInRange(int side)
{
    return side >= 1 && side <= SandboxRenderer::MaxSide;
}

void checkRequest(const SandboxGeneration& request)
{
    FUZZ_CHECK(request.model != nullptr);
    const SandboxModel& model = *request.model;
    FUZZ_CHECK(model.isImage && !model.asyncOnly);
    FUZZ_CHECK(request.n >= 1 && request.n <= model.maxN);
    FUZZ_CHECK(!request.prompt.trimmed().isEmpty());
    FUZZ_CHECK(SandboxCatalog::acceptsSize(model, request.size) || request.size == SandboxCatalog::defaultSize(model));
    FUZZ_CHECK(request.quality.isEmpty() || model.qualities.contains(request.quality)
               || request.quality == SandboxCatalog::defaultQuality(model));
    const double cost = request.cost();
    FUZZ_CHECK(std::isfinite(cost) && cost >= 0);
    const QSize size = SandboxRenderer::sizeFor(request.size);
    FUZZ_CHECK(sideInRange(size.width()) && sideInRange(size.height()));
}

void checkFailure(const SandboxApiError& error)
{
    FUZZ_CHECK(error.status == 400 || error.status == 404);
    FUZZ_CHECK(!error.code.isEmpty() && !error.message.isEmpty());
}

void generation(const QByteArray& body)
{
    const auto parsed = SandboxGeneration::parse(body);
    if (!parsed) {
        checkFailure(parsed.error());
        return;
    }
    checkRequest(parsed.value());
    FUZZ_CHECK(!parsed.value().edit);
}

void edit(const QByteArray& input)
{
    const auto [contentType, body] = PixapiFuzz::splitOnce(input, '\n');
    std::optional<SandboxEditRecord> seen;
    const auto parsed = SandboxEdit::parse(contentType, body, seen);
    if (!parsed) {
        checkFailure(parsed.error());
        FUZZ_CHECK(!seen || seen->error == parsed.error().message);
        return;
    }
    const SandboxGeneration& request = parsed.value();
    checkRequest(request);
    const SandboxModel& model = *request.model;
    FUZZ_CHECK(model.supportsEdits);
    FUZZ_CHECK(seen && seen->error.isEmpty());
    FUZZ_CHECK(!seen->images.isEmpty() && seen->images.size() <= model.maxInputImages);
    FUZZ_CHECK(!seen->hasMask || model.supportsMask);
    FUZZ_CHECK(request.edit != nullptr);
    const SandboxEditInputs& inputs = *request.edit;
    FUZZ_CHECK(!inputs.first.isNull());
    FUZZ_CHECK(std::max(inputs.first.width(), inputs.first.height()) <= model.maxInputEdge);
    FUZZ_CHECK(inputs.others.size() == seen->images.size() - 1);
    FUZZ_CHECK(inputs.mask.isNull() == !seen->hasMask);
    if (seen->hasMask)
        FUZZ_CHECK(seen->mask.imageSize == seen->images.constFirst().imageSize && inputs.mask.hasAlphaChannel());
    FUZZ_CHECK(sideInRange(inputs.outputSize.width()) && sideInRange(inputs.outputSize.height()));
    FUZZ_CHECK(seen->outputSize == inputs.outputSize);
}

void fields(const QByteArray& input)
{
    const auto [contentType, body] = PixapiFuzz::splitOnce(input, '\n');
    const QJsonObject json = SandboxEdit::fieldsOf(contentType, body);
    if (!SandboxMultipart::boundaryOf(contentType))
        return; // a JSON body: whatever object it holds
    for (const QString& name : {QStringLiteral("image"), QStringLiteral("image[]"), QStringLiteral("mask")})
        FUZZ_CHECK(!json.contains(name)); // file parts are never text fields
}

void size(const QByteArray& input)
{
    const QSize pixels = SandboxRenderer::sizeFor(QString::fromUtf8(input));
    FUZZ_CHECK(sideInRange(pixels.width()) && sideInRange(pixels.height()));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    PixapiFuzz::init(argc, argv);
    QImageReader::setAllocationLimit(64); // MB; the sandbox itself allows 40 megapixels
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const PixapiFuzz::Selected selected = PixapiFuzz::select(data, size, 4);
    switch (selected.entry) {
    case 0:
        generation(selected.input);
        break;
    case 1:
        edit(selected.input);
        break;
    case 2:
        fields(selected.input);
        break;
    default:
        ::size(selected.input);
        break;
    }
    return 0;
}
