#pragma once

#include "usage/UsageEntry.h"

#include <QList>
#include <QString>

namespace Pixapi {

// What a list of ledger rows adds up to: `pixapi-cli usage` prints it.
struct UsageTotals
{
    struct Model
    {
        QString model;
        int requests = 0;
        int failures = 0;
        int images = 0;
        double credits = 0;
    };

    int requests = 0;
    int failures = 0;
    int mayHaveBeenCharged = 0; // failures the server may have billed anyway
    int unpriced = 0;           // successful requests of unknown cost: not in the credits
    int images = 0;
    double credits = 0;    // charged and estimated
    double estimated = 0;  // the part of credits that is a catalog estimate
    QList<Model> perModel; // most credits first, then most requests, then by name

    static UsageTotals of(const QList<UsageEntry>& entries);
};

} // namespace Pixapi
