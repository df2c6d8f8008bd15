#include "ImageDelivery.h"

#include "CliConsole.h"
#include "library/Library.h"

#include <QCoreApplication>

namespace Pixapi {

ImageDelivery::ImageDelivery(CliConsole* console)
    : m_console(console)
{ }

std::optional<QString> ImageDelivery::prepare(const QString& outDir, bool noLibrary, const QString& libraryDir)
{
    if (!outDir.isEmpty()) {
        m_out.emplace(outDir);
        if (const auto created = m_out->create(); !created) {
            m_console->printError(QCoreApplication::translate("pixapi-cli", "cannot use output directory %1: %2")
                                      .arg(outDir, created.error()));
            return std::nullopt;
        }
    }
    if (!noLibrary)
        return libraryDir;
    // In the system temp dir, not in --out: a killed process must not leave anything behind in --out.
    m_scratch = std::make_unique<QTemporaryDir>();
    if (!m_scratch->isValid()) {
        m_console->printError(QCoreApplication::translate("pixapi-cli", "cannot create a temporary library: %1")
                                  .arg(m_scratch->errorString()));
        return std::nullopt;
    }
    return m_scratch->path();
}

void ImageDelivery::deliver(const LibraryRecord& record, const QString& baseName)
{
    if (!m_out) {
        m_console->printLine(record.filePath);
        return;
    }
    const auto copied = m_out->copyIn(record.filePath, baseName);
    if (copied) {
        m_console->printLine(copied.value());
        return;
    }
    ++m_copyFailures;
    QString message = QCoreApplication::translate("pixapi-cli", "could not copy an image into %1: %2")
                          .arg(m_out->path(), copied.error());
    if (m_scratch) {
        m_scratch->setAutoRemove(false); // the only copy of a paid image: keep it and say where
        message +=
            QLatin1Char(' ') + QCoreApplication::translate("pixapi-cli", "It is kept at %1").arg(record.filePath);
    } else {
        message += QLatin1Char(' ')
                   + QCoreApplication::translate("pixapi-cli", "It is in the library at %1").arg(record.filePath);
    }
    m_console->printError(message);
}

} // namespace Pixapi
