#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace Pixapi {

class Settings;

// The spending limits of Settings → Usage, checked before anything is sent. Every limit is in credits; 0 = none.
struct SpendGuard
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::SpendGuard)

public:
    double dailyCap = 0;          // the spend of one local day, this run included
    double perRunCap = 0;         // one run: a generation, a board or a batch
    double lowBalanceWarning = 0; // a balance below this is "low"

    static SpendGuard fromSettings(const Settings& settings);

    // Why the run must not be sent, for a person (names the numbers and where to change the cap); nothing when it
    // may go. A run of unknown price is refused whenever a cap is set: it cannot be checked against it.
    // spentToday: the account's spend since local midnight (UsageLedger::spentToday).
    std::optional<QString> refusal(double runEstimate, bool estimateKnown, double spentToday) const;
    bool isLow(double balance) const;
};

} // namespace Pixapi
