#pragma once

#include "compare/ComparisonRun.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace Pixapi {

class ImageCanvas;
struct DecodedImage;

// One cell of the board: the model and the variant, the image once it is in the library, and how the request went:
// waiting, generating, seconds and credits, or the error, in the cell itself. The image is a zoomable canvas: a
// thumbnail first, the full image (decoded by the board, off the UI thread) once the zoom asks for more pixels.
class BoardCellWidget : public QFrame
{
    Q_OBJECT

public:
    static constexpr int ImageEdge = 320;

    BoardCellWidget(const QString& title, const QString& subtitle, QWidget* parent = nullptr);

    void showCell(const BoardCell& cell);
    bool hasImage() const { return m_hasImage; }
    ImageCanvas* canvas() const { return m_canvas; }
    // The file shown (empty until the cell has an image).
    QString imagePath() const { return m_shownPath; }
    // The full image of imagePath(), decoded; other paths are ignored.
    void showFullImage(const QString& filePath, const DecodedImage& image);
    QString statusText() const;
    // Blind review: the model, the variant and the figures are hidden behind "Image A", "Image B", ...
    void setBlind(bool blind, const QString& alias);
    bool isBlind() const { return m_blind; }
    QString shownTitle() const;
    // The title with the variant, or the alias in blind mode.
    QString caption() const;
    void setPicked(bool picked);
    bool isPicked() const;

Q_SIGNALS:
    // The designer picked (or unpicked) this cell as the board's winner.
    void pickClicked();
    // The thumbnail is up (the board brings it to the shared zoom).
    void previewShown();
    // The zoom asks for the full image of this file.
    void fullImageWanted(const QString& filePath);

private:
    void loadImage(const LibraryRecord& record);

    QString m_title;
    QLabel* m_heading;
    QLabel* m_variant;
    ImageCanvas* m_canvas;
    QLabel* m_status;
    QPushButton* m_pick;
    bool m_blind = false;
    qint64 m_shownId = 0;
    QString m_shownPath;
    bool m_hasImage = false;
};

} // namespace Pixapi
