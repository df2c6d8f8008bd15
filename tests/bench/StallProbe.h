#pragma once

#include <QJsonArray>
#include <QList>
#include <QObject>

#include <atomic>
#include <thread>

namespace Pixapi::Bench {

// Event-loop latency probe: a thread posts a timestamped event to the thread the probe lives on (the UI thread) every
// millisecond, one at a time, and the probe notes how long each waited before that thread handled it. The longest
// wait is the longest stall of the event loop: the time a click or a paint would have waited.
class StallProbe : public QObject
{
public:
    explicit StallProbe(QObject* parent = nullptr);
    ~StallProbe() override;

    void start(); // clears the samples
    void stop();

    int samples() const { return int(m_latencyMs.size()); }
    double maxMs() const;
    double percentileMs(double p) const; // p in [0, 1]
    // Waits longer than `thresholdMs`, as [posted at (elapsedMs()), waited] pairs: to find their cause in a profile
    // (perf record -k CLOCK_MONOTONIC with PIXAPI_BENCH_T0_NS=0 puts both on one clock).
    QJsonArray stallsOver(double thresholdMs) const;

private:
    std::thread m_poster;
    std::atomic<bool> m_running {false};
    std::atomic<bool> m_outstanding {false};
    QList<double> m_latencyMs;
    QList<double> m_postedMs;
};

} // namespace Pixapi::Bench
