#include "BenchProbe.h"

#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

#include <algorithm>
#include <chrono>

namespace Pixapi::Bench {

namespace {
qint64 statusField(const QByteArray& name)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(name))
            return line.mid(name.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

double elapsedMs()
{
    static const qint64 t0 = [] {
        bool ok = false;
        const qint64 given = qEnvironmentVariable("PIXAPI_BENCH_T0_NS").toLongLong(&ok);
        return ok ? given : nowNs();
    }();
    return double(nowNs() - t0) / 1e6;
}

qint64 rssKiB()
{
    return statusField("VmRSS:");
}

qint64 peakRssKiB()
{
    return statusField("VmHWM:");
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto mid = values.size() / 2;
    return values.size() % 2 ? values.at(mid) : (values.at(mid - 1) + values.at(mid)) / 2;
}

void report(const QJsonObject& figures)
{
    QTextStream(stdout) << QString::fromUtf8(QJsonDocument(figures).toJson(QJsonDocument::Compact)) << Qt::endl;
}

} // namespace Pixapi::Bench
