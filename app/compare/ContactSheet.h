#pragma once

#include "api/ApiError.h"
#include "support/Result.h"

#include <QCoreApplication>
#include <QFuture>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace Pixapi {

struct BoardCell;
struct BoardSpec;

// A board laid out on one page for sharing: the prompt on top, then every cell as image + caption (model,
// variant, seconds, credits, or the error), as a PNG image or a PDF page (QPdfWriter). Made on a worker thread:
// the images are decoded there at the size the sheet shows them.
class ContactSheet
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::ContactSheet)

public:
    struct Cell
    {
        QString title;       // the model's display name
        QStringList caption; // lines under it: variant, "2.3 s · 4 credits", an error
        QString imagePath;   // empty when the cell has no image
        bool winner = false;
    };
    struct Sheet
    {
        QString prompt;
        int columns = 2;
        QList<Cell> cells;
    };

    // The sheet of a board as it stands; names maps model ids to display names (ids when missing).
    static Sheet fromBoard(const BoardSpec& spec, const QList<BoardCell>& cells,
                           const std::function<QString(const QString&)>& nameOf, std::optional<int> winner);
    // Writes PNG or PDF, chosen by the file's suffix (.png / .pdf; anything else is BadRequest). The file is
    // written atomically; the future holds its path.
    static QFuture<Result<QString, ApiError>> write(Sheet sheet, QString path);
};

} // namespace Pixapi
