#pragma once

#include "OutputDirectory.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace Pixapi {

class CliConsole;
struct LibraryRecord;

// Where pixapi-cli puts each stored image: its path in the library on stdout, or a copy in --out (written atomically)
// whose path is printed. With --no-library the library is a temporary one; an image that cannot be copied keeps it
// from being removed, and the message says where the image is.
class ImageDelivery
{
public:
    explicit ImageDelivery(CliConsole* console);

    // Creates --out (when given) and, with noLibrary, the temporary library. Returns the library's root
    // (`libraryDir` or the temporary one), or nothing after reporting why. Call before anything is sent.
    std::optional<QString> prepare(const QString& outDir, bool noLibrary, const QString& libraryDir);
    // Prints the image's path, or copies it into --out under `baseName` (its own file name when empty) and prints that.
    void deliver(const LibraryRecord& record, const QString& baseName = {});
    int copyFailures() const { return m_copyFailures; }

private:
    CliConsole* m_console;
    std::optional<OutputDirectory> m_out;
    std::unique_ptr<QTemporaryDir> m_scratch;
    int m_copyFailures = 0;
};

} // namespace Pixapi
