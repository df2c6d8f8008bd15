#pragma once

#include "api/ApiTypes.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pixapi {

class ModelCatalog;

// A value of the board's optional second axis: a size and/or a quality (empty = the model's default).
struct BoardVariant
{
    QString size;
    QString quality;

    QString label() const; // "1024x1024 · high", "Default"
    bool operator==(const BoardVariant& other) const = default;
};

// What a comparison board asks: one prompt (and its common parameters) for every model, and for every variant when
// there is a second axis. Cells are model-major: all of the first model's variants, then the next model's.
struct BoardSpec
{
    static constexpr int MinModels = 2;
    static constexpr int MaxModels = 8;
    static constexpr int MinVariants = 2;
    static constexpr int MaxVariants = 4;

    GenerationParams base; // prompt, n, size / quality without a second axis, response format; `model` is unused
    QStringList models;
    QList<BoardVariant> variants; // empty: no second axis

    int columns() const { return variants.isEmpty() ? 1 : int(variants.size()); }
    int cellCount() const { return int(models.size()) * columns(); }
    // Columns of the board as shown (on screen and on a contact sheet): one per variant; without a second axis the
    // cells wrap in a near-square grid of at most four columns.
    int layoutColumns() const;
    // The request of each cell, in cell order.
    QList<GenerationParams> cellParams() const;
    // Why the board cannot run (translated), or nothing: the prompt, the number of models and variants, duplicates.
    std::optional<QString> problem() const;

    Q_DECLARE_TR_FUNCTIONS(Pixapi::BoardSpec)
};

// The whole board's price before anything is sent: the sum of the cells' catalog prices.
struct BoardCost
{
    bool known = false;   // every cell's price is known
    double total = 0;     // of the cells whose price is known
    QStringList unpriced; // models whose price is unknown (or that the catalog lacks)

    static BoardCost estimate(const BoardSpec& spec, const ModelCatalog& catalog);
    // Whether to ask before sending: with a threshold set (0 = never ask), above it or when the price is not known.
    bool needsConfirmation(double threshold) const;
};

} // namespace Pixapi
