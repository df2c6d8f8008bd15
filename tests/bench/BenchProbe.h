#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace Pixapi::Bench {

// Milliseconds since the runner started this process (PIXAPI_BENCH_T0_NS, CLOCK_MONOTONIC nanoseconds, as Python's
// time.monotonic_ns()), or since the first call when run by hand.
double elapsedMs();
// Resident set size now and its peak so far, in KiB (/proc/self/status VmRSS / VmHWM).
qint64 rssKiB();
qint64 peakRssKiB();
// The median of `values` (0 when empty).
double median(QList<double> values);
// One JSON line on stdout: what the runner reads.
void report(const QJsonObject& figures);

} // namespace Pixapi::Bench
