#include "usage/SpendGuard.h"

#include "catalog/CostEstimate.h"
#include "settings/Settings.h"

namespace Pixapi {

SpendGuard SpendGuard::fromSettings(const Settings& settings)
{
    SpendGuard guard;
    guard.dailyCap = settings.value(Settings::Key::UsageDailyCap).toDouble();
    guard.perRunCap = settings.value(Settings::Key::UsagePerRunCap).toDouble();
    guard.lowBalanceWarning = settings.value(Settings::Key::UsageLowBalanceWarning).toDouble();
    return guard;
}

std::optional<QString> SpendGuard::refusal(double runEstimate, bool estimateKnown, double spentToday) const
{
    const bool perRunCapped = perRunCap > 0;
    const bool dailyCapped = dailyCap > 0;
    if (!estimateKnown) {
        if (perRunCapped && dailyCapped)
            return tr("The price of this run is unknown, so it cannot be checked against your per-run cap of %1 and "
                      "your daily cap of %2. Nothing was sent. Pick models with a published price, or remove the caps "
                      "in Settings → Usage.")
                .arg(CostEstimate::creditsText(perRunCap), CostEstimate::creditsText(dailyCap));
        if (perRunCapped)
            return tr("The price of this run is unknown, so it cannot be checked against your per-run cap of %1. "
                      "Nothing was sent. Pick models with a published price, or remove the cap in Settings → Usage.")
                .arg(CostEstimate::creditsText(perRunCap));
        if (dailyCapped)
            return tr("The price of this run is unknown, so it cannot be checked against your daily cap of %1. "
                      "Nothing was sent. Pick models with a published price, or remove the cap in Settings → Usage.")
                .arg(CostEstimate::creditsText(dailyCap));
        return std::nullopt;
    }
    if (perRunCapped && runEstimate > perRunCap)
        return tr("This run would cost about %1, above your per-run cap of %2. Nothing was sent. Make the run "
                  "smaller, or change the cap in Settings → Usage.")
            .arg(CostEstimate::creditsText(runEstimate), CostEstimate::creditsText(perRunCap));
    if (dailyCapped && spentToday + runEstimate > dailyCap)
        return tr("This run would cost about %1. With %2 spent today, that passes your daily cap of %3. Nothing was "
                  "sent. Wait until tomorrow, or change the cap in Settings → Usage.")
            .arg(CostEstimate::creditsText(runEstimate), CostEstimate::creditsText(spentToday),
                 CostEstimate::creditsText(dailyCap));
    return std::nullopt;
}

bool SpendGuard::isLow(double balance) const
{
    return lowBalanceWarning > 0 && balance < lowBalanceWarning;
}

} // namespace Pixapi
