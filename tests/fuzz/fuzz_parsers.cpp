// libFuzzer harness for every response parser (app/api/Parsers, TaskInfo) and the Retry-After header
// (net/HttpError): none may crash, hang or read out of bounds on any input, and what parses is sane.
// Every entry point gets the whole input. Seeds: tests/data (the JSON samples) and corpus_parsers.
// Build: scripts/fuzz.sh (or cmake -DCMAKE_CXX_COMPILER=clang++ -DPIXAPI_FUZZ=ON …); run: fuzz_parsers
// -max_total_time=60
#include "FuzzSupport.h"
#include "api/Parsers.h"
#include "net/HttpError.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {

bool finiteNonNegative(double value)
{
    return std::isfinite(value) && value >= 0;
}

bool isDecimal(const QByteArray& text)
{
    const QByteArray digits = text.startsWith('+') || text.startsWith('-') ? text.mid(1) : text;
    return !digits.isEmpty()
           && std::all_of(digits.cbegin(), digits.cend(), [](char c) { return c >= '0' && c <= '9'; });
}

void checkModels(const QByteArray& bytes)
{
    const auto models = Pixapi::Parsers::parseModelList(bytes);
    if (!models) {
        FUZZ_CHECK(models.error().kind == Pixapi::ApiError::Kind::MalformedResponse);
        return;
    }
    for (const Pixapi::ModelInfo& m : models.value()) {
        FUZZ_CHECK(!m.id.isEmpty());
        FUZZ_CHECK(m.maxN >= 0 && m.maxN <= 128);
        FUZZ_CHECK(m.maxInputImages >= 0 && m.maxInputImages <= 64);
        FUZZ_CHECK(m.maxInputBytes >= 0);
        FUZZ_CHECK(m.maxInputEdge >= 0);
        FUZZ_CHECK(!m.creditsPerImage || finiteNonNegative(*m.creditsPerImage));
        for (auto row = m.creditsTable.cbegin(); row != m.creditsTable.cend(); ++row) {
            FUZZ_CHECK(!row.key().isEmpty() && !row.value().isEmpty());
            for (const double credits : row.value())
                FUZZ_CHECK(finiteNonNegative(credits));
        }
        for (const QStringList* list : {&m.sizes, &m.aspectRatios, &m.qualities, &m.resolutions, &m.aliases}) {
            for (const QString& entry : *list)
                FUZZ_CHECK(!entry.isEmpty());
        }
    }
}

void checkGeneration(const Pixapi::GenerationResponse& response)
{
    FUZZ_CHECK(!response.images.isEmpty());
    FUZZ_CHECK(response.created >= 0);
    FUZZ_CHECK(!response.credits || finiteNonNegative(*response.credits));
    int readable = 0;
    for (const Pixapi::GeneratedImage& image : response.images) {
        // Exactly one of: the decoded bytes, an absolute URL to fetch, why the item cannot be read.
        FUZZ_CHECK(int(!image.bytes.isEmpty()) + int(!image.url.isEmpty()) + int(image.error.has_value()) == 1);
        FUZZ_CHECK(image.url.isEmpty() || (image.url.isValid() && !image.url.isRelative()));
        readable += !image.error;
    }
    FUZZ_CHECK(readable > 0); // an answer with nothing readable is an error, not a response
}

void checkTask(const QByteArray& bytes)
{
    using Status = Pixapi::TaskInfo::Status;
    const auto task = Pixapi::Parsers::parseTask(bytes);
    if (!task)
        return;
    const Pixapi::TaskInfo& t = task.value();
    FUZZ_CHECK(!t.id.isEmpty());
    FUZZ_CHECK(t.progress >= 0 && t.progress <= 100);
    FUZZ_CHECK(t.createdAt >= 0);
    FUZZ_CHECK(t.status == Pixapi::TaskInfo::statusFromText(t.statusText));
    FUZZ_CHECK((t.status == Status::Completed) == t.result.has_value());
    FUZZ_CHECK((t.status == Status::Failed) == t.error.has_value());
    if (t.result)
        checkGeneration(*t.result);
    if (t.error)
        FUZZ_CHECK(!t.error->code.isEmpty() && t.error->serverMessage.size() <= 500);
    FUZZ_CHECK(Pixapi::TaskInfo::statusFromText(Pixapi::TaskInfo::statusName(t.status)) == t.status);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    PixapiFuzz::init(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    using namespace Pixapi::Parsers;

    checkModels(bytes);

    if (const auto generation = parseGenerationResponse(bytes))
        checkGeneration(generation.value());
    else
        FUZZ_CHECK(generation.error().kind == Pixapi::ApiError::Kind::MalformedResponse
                   || generation.error().kind == Pixapi::ApiError::Kind::InvalidImage);

    checkTask(bytes);

    if (const auto balance = parseBalance(bytes))
        FUZZ_CHECK(finiteNonNegative(balance.value().credits));

    const int status = size > 0 ? 400 + data[0] % 200 : 500;
    const Pixapi::ApiError error = parseErrorResponse(status, bytes);
    FUZZ_CHECK(error.httpStatus == status);
    FUZZ_CHECK(!error.code.isEmpty());
    FUZZ_CHECK(error.serverMessage.size() <= 500);

    if (const auto decoded = decodeBase64Image(bytes)) {
        FUZZ_CHECK(!decoded->isEmpty());
        // Strict: what decodes is exactly what the canonical encoding of the result decodes to.
        FUZZ_CHECK(QByteArray::fromBase64(decoded->toBase64()) == *decoded);
    }

    const int retryAfter = Pixapi::parseRetryAfter(bytes);
    FUZZ_CHECK(retryAfter >= -1);
    // Only the seconds form: optional sign, then digits (QByteArray::toInt stops at a NUL, as a C string would).
    if (retryAfter >= 0)
        FUZZ_CHECK(isDecimal(PixapiFuzz::splitOnce(bytes, '\0').first.trimmed()));
    return 0;
}
