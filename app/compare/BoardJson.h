#pragma once

#include "api/ApiError.h"
#include "api/ApiTypes.h"
#include "compare/BoardSpec.h"

#include <QJsonObject>
#include <QString>

// How BoardStore writes a board's setup, its cells' requests and their errors into the library index, and reads them
// back. Pure functions (fuzzed in tests/fuzz): any text reads as something sane, and what was written reads back the
// same.
namespace Pixapi::BoardJson {

QJsonObject paramsToJson(const GenerationParams& params);
// Missing or wrong-typed fields fall back to the defaults; n is at least 1.
GenerationParams paramsFromJson(const QJsonObject& json);

// A cell's error, so that reading it back gives the same kind (and so the same sentence, in the language of the day)
// rather than a frozen English string.
QString errorToJson(const ApiError& error);
// Text not written by errorToJson() reads as a server error with the text as the server's words.
ApiError errorFromText(const QString& text);

QString specToJson(const BoardSpec& spec);
BoardSpec specFromJson(const QString& text);

} // namespace Pixapi::BoardJson
