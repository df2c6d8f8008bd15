#pragma once

#include "api/ApiTypes.h"
#include "compare/PromptMatrix.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pixapi {

class ModelCatalog;

// A value of the board's optional second axis: a size and/or a quality, or one prompt of a prompt matrix. What a
// variant leaves empty stays the board's (a size column keeps the board's quality).
struct BoardVariant
{
    QString size;
    QString quality;
    // Initialised here so that BoardVariant{size, quality} needs no more (no missing-field-initializers warning).
    QString prompt {};      // the filled prompt of this column; empty = the board's base prompt
    QString promptLabel {}; // the values it was filled with: "sneaker · marble"

    QString label() const; // "sneaker · marble", "1024x1024 · high", "Default"
    bool hasPrompt() const { return !prompt.isEmpty(); }
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

    // Prompt (the template, with its {variables}, on a prompt-matrix board), n, size / quality without a second axis,
    // response format; `model` is unused.
    GenerationParams base;
    QStringList models;
    QList<BoardVariant> variants; // empty: no second axis
    // A prompt-matrix board's variables and their values (to set the board up again as it was); else empty.
    QList<PromptVariable> promptVariables;

    int columns() const { return variants.isEmpty() ? 1 : int(variants.size()); }
    int cellCount() const { return int(models.size()) * columns(); }
    // Columns of the board as shown (on screen and on a contact sheet): one per variant; without a second axis the
    // cells wrap in a near-square grid of at most four columns.
    int layoutColumns() const;
    // The request of each cell, in cell order.
    QList<GenerationParams> cellParams() const;
    // Why the board cannot run (translated), or nothing: the prompt, the number of models and variants, duplicates.
    std::optional<QString> problem() const;
    bool hasPromptAxis() const; // the variants are prompts

    // A board of a prompt matrix: a column per prompt (base.prompt keeps the template for the header and the saved
    // board); a matrix of one prompt is a plain board of that prompt. Check the matrix's problem() first: a matrix
    // without prompts (a variable without values, too many combinations) gives a board without a prompt.
    static BoardSpec fromMatrix(const PromptMatrix& matrix, const GenerationParams& base, const QStringList& models);

    Q_DECLARE_TR_FUNCTIONS(Pixapi::BoardSpec)
};

// The whole board's (or batch's) price before anything is sent: the sum of the cells' catalog prices.
struct BoardCost
{
    bool known = false;   // every cell's price is known
    double total = 0;     // of the cells whose price is known
    QStringList unpriced; // models whose price is unknown (or that the catalog lacks)

    static BoardCost estimate(const BoardSpec& spec, const ModelCatalog& catalog);
    // The same for any list of requests (a prompt-matrix batch).
    static BoardCost estimate(const QList<GenerationParams>& cells, const ModelCatalog& catalog);
    // Whether to ask before sending: with a threshold set (0 = never ask), above it or when the price is not known.
    bool needsConfirmation(double threshold) const;
};

} // namespace Pixapi
