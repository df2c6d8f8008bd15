#pragma once

#include "support/Result.h"

#include <QString>

namespace Pixapi {

// The --out directory. Files arrive complete or not at all: each copy is written to a temporary file beside its
// destination and renamed into place (QSaveFile), and an existing file is never overwritten.
class OutputDirectory
{
public:
    explicit OutputDirectory(QString path);

    QString path() const { return m_path; }

    // Creates the directory (and parents) if needed. The error text says why it is unusable.
    Result<bool, QString> create() const;
    // Copies `sourcePath` in under `baseName` plus the source's extension, or under the source's own file name when
    // `baseName` is empty ("_2", "_3", ... before the extension on a clash). Returns the destination path, or the
    // reason the copy failed (nothing is left behind then).
    Result<QString, QString> copyIn(const QString& sourcePath, const QString& baseName = {}) const;

private:
    QString freeName(const QString& fileName) const;

    QString m_path;
};

} // namespace Pixapi
