#include "catalog/SizeSpec.h"

#include <QStringList>

#include <array>
#include <cmath>
#include <numeric>

namespace Pixapi {
namespace {

struct Ratio
{
    int w;
    int h;
};

// The ratios the Gemini and GPT Image models name (contract §3.1, §10); sizes close to one of them carry its name.
constexpr std::array<Ratio, 14> kCommonRatios = {{{1, 1},
                                                  {2, 3},
                                                  {3, 2},
                                                  {3, 4},
                                                  {4, 3},
                                                  {4, 5},
                                                  {5, 4},
                                                  {9, 16},
                                                  {16, 9},
                                                  {21, 9},
                                                  {1, 4},
                                                  {4, 1},
                                                  {1, 8},
                                                  {8, 1}}};

bool positivePair(const QString& text, QChar separator, int* a, int* b)
{
    const QStringList parts = text.split(separator);
    if (parts.size() != 2)
        return false;
    bool okA = false;
    bool okB = false;
    *a = parts[0].trimmed().toInt(&okA);
    *b = parts[1].trimmed().toInt(&okB);
    return okA && okB && *a > 0 && *b > 0;
}

int longEdgeOf(const QString& tier)
{
    if (tier == QLatin1String("512"))
        return 512;
    if (tier == QLatin1String("2K"))
        return 2048;
    if (tier == QLatin1String("4K"))
        return 4096;
    return 1024;
}

} // namespace

SizeSpec SizeSpec::parse(const QString& text)
{
    SizeSpec spec;
    const QString s = text.trimmed().toLower();
    if (s.isEmpty())
        return spec;
    if (s == QLatin1String("auto")) {
        spec.kind = Kind::Auto;
        return spec;
    }
    if (s == QLatin1String("512") || s == QLatin1String("1k") || s == QLatin1String("2k") || s == QLatin1String("4k")) {
        spec.kind = Kind::Tier;
        spec.tier = s.toUpper();
        return spec;
    }
    if (positivePair(s, QLatin1Char('x'), &spec.width, &spec.height)
        || positivePair(s, QChar(0x00D7), &spec.width, &spec.height)) { // "×"
        spec.kind = Kind::Pixels;
        return spec;
    }
    if (positivePair(s, QLatin1Char(':'), &spec.width, &spec.height)) {
        spec.kind = Kind::Ratio;
        return spec;
    }
    spec = {};
    spec.kind = Kind::Other;
    return spec;
}

QString SizeSpec::tierForLongEdge(int longEdge)
{
    if (longEdge <= 512)
        return QStringLiteral("512");
    if (longEdge <= 1536)
        return QStringLiteral("1K");
    return longEdge <= 2048 ? QStringLiteral("2K") : QStringLiteral("4K");
}

QString SizeSpec::outputTier() const
{
    switch (kind) {
    case Kind::Pixels:
        return tierForLongEdge(qMax(width, height));
    case Kind::Tier:
        return tier;
    case Kind::Empty:
    case Kind::Auto:
    case Kind::Ratio:
        return QStringLiteral("1K");
    case Kind::Other:
        break;
    }
    return {};
}

QString SizeSpec::ratioName() const
{
    if (kind != Kind::Pixels && kind != Kind::Ratio)
        return {};
    const double value = double(width) / height;
    for (const Ratio& common : kCommonRatios) {
        if (std::abs(value / (double(common.w) / common.h) - 1.0) <= 0.03)
            return QStringLiteral("%1:%2").arg(common.w).arg(common.h);
    }
    const int divisor = std::gcd(width, height);
    return QStringLiteral("%1:%2").arg(width / divisor).arg(height / divisor);
}

QString SizeSpec::pixelsFor(const QString& ratio, const QString& tier)
{
    const SizeSpec spec = parse(ratio.isEmpty() ? QStringLiteral("1:1") : ratio);
    const int edge = longEdgeOf(tier);
    if (spec.kind != Kind::Ratio)
        return QStringLiteral("%1x%1").arg(edge);
    const auto shortEdge = [edge](int small, int large) {
        return qMax(16, int(std::lround(double(edge) * small / large / 16.0)) * 16);
    };
    if (spec.width >= spec.height)
        return QStringLiteral("%1x%2").arg(edge).arg(shortEdge(spec.height, spec.width));
    return QStringLiteral("%1x%2").arg(shortEdge(spec.width, spec.height)).arg(edge);
}

} // namespace Pixapi
