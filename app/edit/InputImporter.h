#pragma once

#include "library/Library.h"

#include <QObject>
#include <QPointer>

namespace Pixapi {

// Puts an image the user brings for an edit (a file, the clipboard, a drop from a file manager) into the library
// first, so the edit can send it like any library image and its results link to it (lineage): the source of an
// edit is never lost, and the viewer can compare the result with it. The file is read on a worker; the library
// validates and stores it (atomically) before imported() is emitted.
class InputImporter : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InputImporter)

public:
    explicit InputImporter(Library* library, QObject* parent = nullptr);

    void importFile(const QString& filePath);
    // Encoded image bytes (PNG from the clipboard, ...); `name` is recorded as where it came from.
    void importBytes(const QByteArray& bytes, const QString& name);

Q_SIGNALS:
    void imported(const Pixapi::LibraryRecord& record);
    // Translated, names the file.
    void failed(const QString& message);

private:
    void store(const QByteArray& bytes, const QString& name);

    QPointer<Library> m_library;
};

} // namespace Pixapi
