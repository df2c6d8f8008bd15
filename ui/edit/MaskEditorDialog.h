#pragma once

#include "edit/EditMask.h"

#include <QDialog>

class QLabel;
class QSlider;
class QToolButton;

namespace Pixapi {

class MaskCanvas;

// Paints the mask of an edit over its first input image: brush and eraser (B / E, or the right button for the other
// one), size ([ / ] or Ctrl+wheel), invert, clear, undo. The painted area is where the model may change the image;
// the rest is kept. The image is read off the UI thread at screen size; the mask keeps the file's own pixel size (as
// stored, without EXIF rotation: what the server receives).
class MaskEditorDialog : public QDialog
{
    Q_OBJECT

public:
    MaskEditorDialog(const QString& imagePath, const EditMask& mask, QWidget* parent = nullptr);

    // The mask as painted (null until the image is read).
    EditMask mask() const;
    MaskCanvas* canvas() const { return m_canvas; }
    bool isLoaded() const;

Q_SIGNALS:
    // The image was read (ok) or could not be (the dialog says why).
    void loaded(bool ok);

private:
    struct Picture
    {
        QImage preview;
        QSize size;
        QString error;
    };
    static Picture read(const QString& path, int previewEdge);
    QToolButton* addToolButton(const QString& text, const QString& tip, const QKeySequence& key);
    void onRead(const Picture& picture, const EditMask& mask);
    void updateState();

    MaskCanvas* m_canvas;
    QToolButton* m_brush;
    QToolButton* m_eraser;
    QToolButton* m_undo;
    QSlider* m_size;
    QLabel* m_coverage;
    QWidget* m_tools;
};

} // namespace Pixapi
