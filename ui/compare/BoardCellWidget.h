#pragma once

#include "compare/ComparisonRun.h"

#include <QFrame>

class QLabel;

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

private:
    void loadImage(const LibraryRecord& record);

    QLabel* m_image;
    QLabel* m_status;
    qint64 m_shownId = 0;
    bool m_hasImage = false;
};

} // namespace Pixapi
