#pragma once

#include "library/ImageMetadata.h"

#include <QList>
#include <QObject>

class QLabel;
class QMimeData;
class QWidget;

namespace Pixapi {

// Takes drops onto the prompt panel: library tiles (GalleryModel::recordIdsMimeType()) and image files from a file
// manager or from an export. A file's settings are read off the UI thread (ImageMetadata::read); the panel learns
// the outcome through the signals: an exported image restores its settings, any other image becomes an input image.
// Shows a highlight over the panel while a drag it takes is over it. Text drags are left alone, so the prompt editor
// still takes dropped text.
class PromptDropTarget : public QObject
{
    Q_OBJECT

public:
    explicit PromptDropTarget(QWidget* panel);

    // Also take drops on `widget` (the prompt editor's viewport: it would insert a dropped file's path as text).
    void watch(QWidget* widget);
    bool isHighlighted() const;

Q_SIGNALS:
    void recordsDropped(const QList<qint64>& ids);
    void settingsRead(const Pixapi::ImageMetadata& metadata, const QString& fileName);
    // An image without Pixapi settings (a photo, a product shot): the panel takes it as an input image.
    void plainImageDropped(const QString& filePath);
    void notAnImage(const QString& fileName);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class Kind { None, Records, File };
    static Kind kindOf(const QMimeData* mime);
    static QString firstLocalFile(const QMimeData* mime);
    void drop(const QMimeData* mime);
    void readFile(const QString& path);
    void setHighlight(Kind kind);

    QWidget* m_panel;
    QLabel* m_highlight;
    quint64 m_lastRead = 0; // only the newest drop's answer is shown
};

} // namespace Pixapi
