#pragma once

#include "library/Library.h"

#include <QList>
#include <QObject>
#include <QString>

namespace Pixapi {

// Puts library images on the system clipboard. One image: decoded off the UI thread, then the pixels, the file URL
// and the prompt go up together, so a paste works in image editors, file managers and text fields alike. Several
// images: their URLs and prompts only (decoding them all would be slow and most targets take one image anyway).
// Each copy reports exactly one copied() or failed(); a copy started while an earlier one is still decoding replaces
// it, and the replaced one reports nothing.
class ImageClipboard : public QObject
{
    Q_OBJECT

public:
    explicit ImageClipboard(QObject* parent = nullptr);

    void copy(const LibraryRecord& record);
    void copy(const QList<LibraryRecord>& records);

Q_SIGNALS:
    void copied();
    void failed(const QString& message);

private:
    quint64 m_generation = 0; // the copy whose result may still reach the clipboard
};

} // namespace Pixapi
