#pragma once

#include "library/Library.h"

#include <QList>
#include <QListWidget>

namespace Pixapi {

class ThumbnailLoader;

// A row of small thumbnails of related images (the parents or the children of the shown one). Clicking one, or
// Enter on it, asks to show that image.
class LineageStrip : public QListWidget
{
    Q_OBJECT

public:
    explicit LineageStrip(QWidget* parent = nullptr);

    void setRecords(const QList<LibraryRecord>& records);
    LibraryRecord recordAt(int row) const;

Q_SIGNALS:
    void recordActivated(const Pixapi::LibraryRecord& record);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void activate(int row);
    void onThumbnailLoaded(const QString& key, int edge, const QImage& image);

    QList<LibraryRecord> m_records;
    ThumbnailLoader* m_loader;
};

} // namespace Pixapi
