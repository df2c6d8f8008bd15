#pragma once

// What every libFuzzer harness shares: invariant checks that fail like a crash, and a quiet Qt.

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>
#include <QtGlobal>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

// An invariant of the code under test. A violation aborts, which libFuzzer reports (and keeps the input) like a crash.
#define FUZZ_CHECK(condition)                                                                        \
    do {                                                                                             \
        if (!(condition)) {                                                                          \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #condition, __FILE__, __LINE__); \
            std::abort();                                                                            \
        }                                                                                            \
    } while (false)

namespace PixapiFuzz {

// A QCoreApplication for code that wants one (translations, plugins), and no log output: warnings on bad input are
// expected by the million and would only slow the fuzzer down. PIXAPI_FUZZ_VERBOSE=1 keeps them (to debug a crash).
inline void init(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv);
    if (qEnvironmentVariableIntValue("PIXAPI_FUZZ_VERBOSE") == 0) {
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
            if (type == QtFatalMsg) { // a failed Q_ASSERT: say which one before aborting
                std::fprintf(stderr, "%s\n", qPrintable(message));
                std::abort();
            }
        });
    }
}

inline QByteArray bytesOf(const uint8_t* data, size_t size)
{
    return QByteArray(reinterpret_cast<const char*>(data), qsizetype(size));
}

// Harnesses with several entry points: the first byte picks one, the rest is its input.
struct Selected
{
    int entry = 0;
    QByteArray input;
};

inline Selected select(const uint8_t* data, size_t size, int entries)
{
    if (size == 0)
        return {};
    return {data[0] % entries, bytesOf(data + 1, size - 1)};
}

// The input cut at the first `separator`: {before, after}; no separator: {all, empty}.
inline QPair<QByteArray, QByteArray> splitOnce(const QByteArray& input, char separator)
{
    const qsizetype at = input.indexOf(separator);
    if (at < 0)
        return {input, QByteArray()};
    return {input.left(at), input.mid(at + 1)};
}

} // namespace PixapiFuzz
