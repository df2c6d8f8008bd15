#pragma once

#include "library/Library.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QWidget>

class QHBoxLayout;
class QLabel;

namespace Pixapi {

// The images chosen with "Use as reference", as small thumbnails with a remove button each, under the prompt.
// Thumbnails are decoded off the UI thread (QImageReader scaled in QtConcurrent) unless the caller has one.
// References are recorded as the source of the next images; sending them to a model comes with image edits.
// Hidden while empty.
class ReferenceStrip : public QWidget
{
    Q_OBJECT

public:
    static constexpr int MaxReferences = 4;
    static constexpr int ThumbnailEdge = 56;

    enum class AddResult { Added, AlreadyThere, Full };

    explicit ReferenceStrip(QWidget* parent = nullptr);

    AddResult addReference(const LibraryRecord& record, const QImage& thumbnail = {});
    bool removeReference(qint64 id);
    void clear();
    const QList<LibraryRecord>& references() const { return m_references; }
    // True once the thumbnail of `id` is shown (given, or decoded).
    bool hasThumbnail(qint64 id) const;

Q_SIGNALS:
    void referencesChanged();

private:
    QWidget* makeTile(const LibraryRecord& record);
    void decodeThumbnail(qint64 id, const QString& filePath, int edge);
    void showThumbnail(qint64 id, const QImage& image);

    QHBoxLayout* m_tiles;
    QList<LibraryRecord> m_references;
    QHash<qint64, QWidget*> m_tileOf;
    QHash<qint64, QLabel*> m_imageOf;
    QList<qint64> m_withThumbnail;
};

} // namespace Pixapi
