#include "StallProbe.h"

#include "BenchProbe.h"

#include <algorithm>
#include <chrono>

namespace Pixapi::Bench {

StallProbe::StallProbe(QObject* parent)
    : QObject(parent)
{ }

StallProbe::~StallProbe()
{
    stop();
}

void StallProbe::start()
{
    stop();
    m_latencyMs.clear();
    m_postedMs.clear();
    m_outstanding = false;
    m_running = true;
    m_poster = std::thread([this] {
        while (m_running) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            // One probe in flight at a time: during a stall the waiting one measures it, no pile-up behind it.
            if (m_outstanding.exchange(true))
                continue;
            const double posted = elapsedMs();
            QMetaObject::invokeMethod(
                this,
                [this, posted] {
                    m_latencyMs.append(elapsedMs() - posted);
                    m_postedMs.append(posted);
                    m_outstanding = false;
                },
                Qt::QueuedConnection);
        }
    });
}

void StallProbe::stop()
{
    m_running = false;
    if (m_poster.joinable())
        m_poster.join();
}

double StallProbe::maxMs() const
{
    return m_latencyMs.isEmpty() ? 0 : *std::max_element(m_latencyMs.cbegin(), m_latencyMs.cend());
}

double StallProbe::percentileMs(double p) const
{
    if (m_latencyMs.isEmpty())
        return 0;
    QList<double> sorted = m_latencyMs;
    std::sort(sorted.begin(), sorted.end());
    return sorted.at(std::min<qsizetype>(sorted.size() - 1, qsizetype(p * double(sorted.size()))));
}

QJsonArray StallProbe::stallsOver(double thresholdMs) const
{
    QJsonArray stalls;
    for (qsizetype i = 0; i < m_latencyMs.size(); ++i) {
        if (m_latencyMs.at(i) > thresholdMs)
            stalls.append(QJsonArray {m_postedMs.at(i), m_latencyMs.at(i)});
    }
    return stalls;
}

} // namespace Pixapi::Bench
