// libFuzzer harness for the sandbox's multipart/form-data parser: no crash, hang or out-of-bounds read on any body.
// Build: cmake -DCMAKE_CXX_COMPILER=clang++ -DPIXAPI_FUZZ=ON …; run: fuzz_multipart -max_total_time=60
#include "sandbox/SandboxMultipart.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using Pixapi::SandboxMultipart;
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    // The first line is the Content-Type header, the rest the body: both sides of the parser are fuzzed.
    const qsizetype lf = bytes.indexOf('\n');
    const QByteArrayView contentType = lf < 0 ? QByteArrayView(bytes) : QByteArrayView(bytes).first(lf);
    const QByteArrayView body = lf < 0 ? QByteArrayView() : QByteArrayView(bytes).sliced(lf + 1);
    (void)SandboxMultipart::parse(contentType, body);
    // And a fixed boundary, so the body side is reached without the fuzzer having to find a valid header first.
    (void)SandboxMultipart::parseBody(bytes, "XyZ");
    return 0;
}
