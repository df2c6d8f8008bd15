#include "catalog/CostEstimate.h"

#include "catalog/SizeSpec.h"

#include <QLocale>

#include <cmath>

namespace Pixapi {
namespace {

QString credits(double value)
{
    return QLocale().toString(value, 'g', 6);
}

// The table row for a size: the exact string first (per-size tables), then its tier; 512 bills as 1K when the model
// has no 512 row.
QString rowFor(const QMap<QString, QMap<QString, double>>& table, const QString& size)
{
    if (!size.isEmpty() && table.contains(size))
        return size;
    QString tier = SizeSpec::parse(size).outputTier();
    if (tier == QLatin1String("512") && !table.contains(tier))
        tier = QStringLiteral("1K");
    return table.contains(tier) ? tier : QString();
}

} // namespace

CostEstimate CostEstimate::estimate(const GenerationParams& params, const ModelInfo& model)
{
    CostEstimate e;
    e.n = qMax(1, params.n);
    if (!model.creditsTable.isEmpty()) {
        e.priceRow = rowFor(model.creditsTable, params.size);
        const QMap<QString, double> row = model.creditsTable.value(e.priceRow);
        const QString quality = params.quality.isEmpty() ? QStringLiteral("auto") : params.quality;
        if (row.contains(QString())) {
            e.known = true;
            e.perImage = row.value(QString());
        } else if (row.contains(quality)) {
            e.known = true;
            e.priceColumn = quality;
            e.perImage = row.value(quality);
        } else if (quality == QLatin1String("auto") && row.contains(QStringLiteral("high"))) {
            e.known = true; // contract §3.1: auto is billed as high
            e.priceColumn = QStringLiteral("high");
            e.perImage = row.value(e.priceColumn);
        }
        if (!e.known) {
            e.priceRow.clear();
            e.text = tr("Cost unknown");
            e.detail = tr("%1 lists no price for this size and quality.").arg(model.displayName());
            return e;
        }
    } else if (model.creditsPerImage) {
        e.known = true;
        e.perImage = *model.creditsPerImage;
    } else {
        e.text = tr("Cost unknown");
        e.detail = tr("%1 publishes no price.").arg(model.displayName());
        return e;
    }

    e.total = e.perImage * e.n;
    e.text = creditsText(e.total);
    QStringList labels;
    for (const QString& label : {e.priceRow, e.priceColumn}) {
        if (!label.isEmpty())
            labels << label;
    }
    e.detail = labels.isEmpty() ? tr("%n image(s) × %1 credits each", nullptr, e.n).arg(credits(e.perImage))
                                : tr("%n image(s) × %1 credits each (%2)", nullptr, e.n)
                                      .arg(credits(e.perImage), labels.join(QLatin1String(", ")));
    return e;
}

QString CostEstimate::creditsText(double amount)
{
    return amount == std::floor(amount) && std::abs(amount) < 1e9
               ? tr("%n credit(s)", nullptr, static_cast<int>(amount))
               : tr("%1 credits").arg(credits(amount));
}

std::optional<double> CostEstimate::perImageToRecord(const GenerationParams& params, const ModelInfo& model)
{
    const CostEstimate cost = estimate(params, model);
    return cost.known ? std::optional(cost.perImage) : model.creditsPerImage;
}

} // namespace Pixapi
