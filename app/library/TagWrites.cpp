#include "library/TagWrites.h"

#include "library/Library.h"
#include "support/Logging.h"
#include "support/WhenFinished.h"

namespace Pixapi {

TagWrites::TagWrites(Library* library, QObject* parent)
    : QObject(parent)
    , m_library(library)
{ }

void TagWrites::add(const QList<LibraryRecord>& records, const QStringList& tags)
{
    if (!m_library)
        return;
    for (const LibraryRecord& record : records) {
        for (const QString& tag : tags) {
            ++m_pending;
            whenFinished(
                this, m_library->addTag(record.id, tag), [this, id = record.id](const Result<bool, ApiError>& added) {
                    if (!added)
                        qCWarning(lcLibrary).noquote() << "could not tag image" << id << '-' << added.error().detail;
                    if (--m_pending == 0)
                        Q_EMIT settled();
                });
        }
    }
}

} // namespace Pixapi
