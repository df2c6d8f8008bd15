// libFuzzer harness for every response parser: none may crash, hang or read out of bounds on any input.
// Build: cmake -DCMAKE_CXX_COMPILER=clang++ -DPIXAPI_FUZZ=ON …; run: fuzz_parsers -max_total_time=60 tests/data
#include "api/Parsers.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    using namespace Pixapi::Parsers;
    (void)parseModelList(bytes);
    (void)parseGenerationResponse(bytes);
    (void)parseBalance(bytes);
    (void)parseErrorResponse(size > 0 ? 400 + data[0] % 200 : 500, bytes);
    (void)decodeBase64Image(bytes);
    return 0;
}
