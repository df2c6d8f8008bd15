#pragma once

#include <QString>

namespace Pixapi::Bench {

// Fills a library with `count` distinct images stored through Library::store (the real path: validation, atomic
// file, index row), spread over three months, six models and a few hundred prompts, in requests of 1–4 images.
// Returns false (with a line on stderr) when the library cannot be opened or an image is refused.
bool generateLibrary(const QString& libraryDir, int count, int edge);

} // namespace Pixapi::Bench
