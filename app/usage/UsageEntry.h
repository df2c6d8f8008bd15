#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Pixapi {

// One generation request as the usage ledger keeps it: what was asked, what it cost and how it went. Never holds a
// prompt or a key.
struct UsageEntry
{
    qint64 id = 0;     // the ledger's row id; 0 until appended
    QDateTime at;      // UTC: when the request was sent
    QString accountId; // the account that pays; empty for requests without one (the sandbox)
    QString model;
    int n = 1;      // images asked for
    int images = 0; // images saved
    QString size;
    QString quality;
    std::optional<double> credits; // charged or estimated (see creditsEstimated); nothing when no price is known
    bool creditsEstimated = false; // true: the catalog's price, because the server reported no cost
    qint64 durationMs = -1;        // -1: unknown
    int httpStatus = 0;            // 0: no HTTP answer
    QString errorKind;             // ApiError::kindName(); empty on success
    QString requestId;
    bool mayHaveBeenCharged = false; // a failed request the server may have billed anyway
    QString source;                  // what sent it: "generate", "board", "batch" or "cli"

    bool succeeded() const { return errorKind.isEmpty(); }
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::UsageEntry)
