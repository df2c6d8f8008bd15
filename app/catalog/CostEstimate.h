#pragma once

#include "api/ApiTypes.h"

#include <QCoreApplication>
#include <QString>

namespace Pixapi {

// What a request will cost before it is sent, from the model's published prices: its credits_table cell (row: the
// exact size, else the tier by long edge; column: the quality, empty = "auto", auto billed as high) or its flat
// credits_per_image, times n. `known` is false when the model publishes no price for the request.
struct CostEstimate
{
    bool known = false;
    double perImage = 0;
    double total = 0;
    int n = 1;
    QString priceRow;    // table row used ("2K", or an exact size); empty for a flat price
    QString priceColumn; // table column used ("medium"); empty when the price does not depend on quality
    QString text;        // short and translated: "12 credits", "Cost unknown"
    QString detail;      // translated: "3 images × 4 credits each (2K, medium)" or why the cost is unknown

    static CostEstimate estimate(const GenerationParams& params, const ModelInfo& model);
    // An amount as people read it: "1 credit", "14 credits", "2.5 credits".
    static QString creditsText(double amount);
    // The price per image recorded with the images when the server reports no cost: the estimate, else the
    // catalog's flat price (if any).
    static std::optional<double> perImageToRecord(const GenerationParams& params, const ModelInfo& model);

    Q_DECLARE_TR_FUNCTIONS(Pixapi::CostEstimate)
};

} // namespace Pixapi
