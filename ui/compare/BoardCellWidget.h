#pragma once

#include "compare/ComparisonRun.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace Pixapi {

// One cell of the board: the model and the variant, the image once it is in the library (decoded off the UI
// thread), and how the request went: waiting, generating, seconds and credits, or the error, in the cell itself.
class BoardCellWidget : public QFrame
{
    Q_OBJECT

public:
    static constexpr int ImageEdge = 320;

    BoardCellWidget(const QString& title, const QString& subtitle, QWidget* parent = nullptr);

    void showCell(const BoardCell& cell);
    bool hasImage() const { return m_hasImage; }
    QString statusText() const;
    // Blind review: the model, the variant and the figures are hidden behind "Image A", "Image B", ...
    void setBlind(bool blind, const QString& alias);
    bool isBlind() const { return m_blind; }
    QString shownTitle() const;
    void setPicked(bool picked);
    bool isPicked() const;

Q_SIGNALS:
    // The designer picked (or unpicked) this cell as the board's winner.
    void pickClicked();

private:
    void loadImage(const LibraryRecord& record);

    QString m_title;
    QLabel* m_heading;
    QLabel* m_variant;
    QLabel* m_image;
    QLabel* m_status;
    QPushButton* m_pick;
    bool m_blind = false;
    qint64 m_shownId = 0;
    bool m_hasImage = false;
};

} // namespace Pixapi
