#pragma once

#include "edit/EditMask.h"
#include "library/Library.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QToolButton;

namespace Pixapi {

// The input images of an edit, under the prompt: a row of buttons to bring images in (a file, the clipboard) and to
// paint the mask, then the chosen images ("Use as reference", drops, imports) as small thumbnails with a remove button
// each; the first one carries a "Mask" badge while a mask is painted on it. Thumbnails are decoded off the UI thread
// (QImageReader scaled in QtConcurrent) unless the caller has one. With images here the next request is an edit.
class ReferenceStrip : public QWidget
{
    Q_OBJECT

public:
    static constexpr int MaxReferences = 8;
    static constexpr int ThumbnailEdge = 56;

    enum class AddResult { Added, AlreadyThere, Full };

    explicit ReferenceStrip(QWidget* parent = nullptr);

    AddResult addReference(const LibraryRecord& record, const QImage& thumbnail = {});
    bool removeReference(qint64 id);
    void clear();
    const QList<LibraryRecord>& references() const { return m_references; }
    // True once the thumbnail of `id` is shown (given, or decoded).
    bool hasThumbnail(qint64 id) const;

    // The mask painted on the first input image; null when there is none. It is dropped (maskChanged()) when the
    // first image is removed or another one takes its place.
    const EditMask& mask() const { return m_mask; }
    bool hasMask() const { return !m_mask.isNull() && !m_mask.isEmpty(); }
    void setMask(const EditMask& mask);
    void clearMask();
    // Paint Mask…: the editor over the first image, opened without blocking (a child named "maskEditorDialog").
    void openMaskEditor();
    // Add Image…: a file dialog; the chosen files are asked for with importFilesRequested().
    void chooseFiles();
    // Paste: the clipboard's image (encoded bytes as they are, a bitmap encoded to PNG off the UI thread) or image
    // files copied in a file manager.
    void pasteFromClipboard();

Q_SIGNALS:
    void referencesChanged();
    void maskChanged();
    // Images to bring into the library and add here (the window does: InputImporter).
    void importFilesRequested(const QStringList& paths);
    void importBytesRequested(const QByteArray& bytes, const QString& name);
    // Something to tell the user (the clipboard holds no image, ...).
    void notice(const QString& text);

private:
    QWidget* makeTile(const LibraryRecord& record);
    QToolButton* makeButton(const QString& objectName, const QString& text, const QString& tip);
    void updateState();
    void placeBadge();
    qint64 firstId() const;
    void decodeThumbnail(qint64 id, const QString& filePath, int edge);
    void showThumbnail(qint64 id, const QImage& image);

    QHBoxLayout* m_tiles;
    QWidget* m_tileRow;
    QLabel* m_title;
    QToolButton* m_paintMask;
    QToolButton* m_clearMask;
    QLabel* m_maskBadge;
    EditMask m_mask;
    qint64 m_maskImageId = 0; // the input image the mask was painted on
    QList<LibraryRecord> m_references;
    QHash<qint64, QWidget*> m_tileOf;
    QHash<qint64, QLabel*> m_imageOf;
    QList<qint64> m_withThumbnail;
};

} // namespace Pixapi
