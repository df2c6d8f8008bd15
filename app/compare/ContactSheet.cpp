#include "compare/ContactSheet.h"

#include "catalog/CostEstimate.h"
#include "compare/BoardSpec.h"
#include "compare/ComparisonRun.h"
#include "support/BackgroundWork.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QImageReader>
#include <QLocale>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

namespace Pixapi {

namespace {

// Layout in pixels of a 150 dpi page (PNG at this size; the PDF maps it onto A4 landscape or portrait).
constexpr int CellImage = 420;
constexpr int Gap = 24;
constexpr int CaptionLine = 22;
constexpr int CaptionLines = 3;
constexpr int Margin = 40;
constexpr int PromptHeight = 90;

QSize pageSize(const ContactSheet::Sheet& sheet)
{
    const int columns = qMax(1, sheet.columns);
    const int rows = int((sheet.cells.size() + columns - 1) / columns);
    const int cellHeight = CellImage + CaptionLine * (CaptionLines + 1);
    return {2 * Margin + columns * CellImage + (columns - 1) * Gap,
            2 * Margin + PromptHeight + rows * cellHeight + qMax(0, rows - 1) * Gap};
}

QImage decodeFitting(const QString& path, int edge)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize stored = reader.size();
    if (stored.isValid() && (stored.width() > edge || stored.height() > edge))
        reader.setScaledSize(stored.scaled(edge, edge, Qt::KeepAspectRatio));
    return reader.read();
}

void paint(QPainter& painter, const ContactSheet::Sheet& sheet)
{
    const QSize page = pageSize(sheet);
    painter.fillRect(QRect(QPoint(), page), Qt::white);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    QFont font = painter.font();
    font.setPixelSize(20);
    QFont bold = font;
    bold.setBold(true);

    painter.setPen(QColor(0x20, 0x22, 0x26));
    painter.setFont(bold);
    painter.drawText(QRect(Margin, Margin, page.width() - 2 * Margin, PromptHeight - 10),
                     Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, sheet.prompt);

    const int columns = qMax(1, sheet.columns);
    const int cellHeight = CellImage + CaptionLine * (CaptionLines + 1);
    for (int i = 0; i < sheet.cells.size(); ++i) {
        const ContactSheet::Cell& cell = sheet.cells.at(i);
        const QPoint at(Margin + (i % columns) * (CellImage + Gap),
                        Margin + PromptHeight + (i / columns) * (cellHeight + Gap));
        const QRect box(at, QSize(CellImage, CellImage));
        painter.fillRect(box, QColor(0xee, 0xef, 0xf2));
        const QImage image = cell.imagePath.isEmpty() ? QImage() : decodeFitting(cell.imagePath, CellImage);
        if (!image.isNull()) {
            const QRect fitted(box.center() - QPoint(image.width() / 2, image.height() / 2), image.size());
            painter.drawImage(fitted, image);
        } else {
            painter.setFont(font);
            painter.setPen(QColor(0x80, 0x84, 0x8c));
            painter.drawText(box, Qt::AlignCenter, ContactSheet::tr("No image"));
        }
        if (cell.winner) {
            painter.setPen(QPen(QColor(0x5b, 0x5e, 0xf7), 6));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(box.adjusted(3, 3, -3, -3));
        }
        painter.setPen(QColor(0x20, 0x22, 0x26));
        painter.setFont(bold);
        const QString title = painter.fontMetrics().elidedText(
            cell.winner ? ContactSheet::tr("%1 (winner)").arg(cell.title) : cell.title, Qt::ElideMiddle, CellImage);
        painter.drawText(QRect(at.x(), box.bottom() + 6, CellImage, CaptionLine), Qt::AlignLeft, title);
        painter.setFont(font);
        painter.setPen(QColor(0x50, 0x54, 0x5c));
        for (int line = 0; line < qMin(CaptionLines, int(cell.caption.size())); ++line) {
            const QString text = painter.fontMetrics().elidedText(cell.caption.at(line), Qt::ElideRight, CellImage);
            painter.drawText(QRect(at.x(), box.bottom() + 6 + (line + 1) * CaptionLine, CellImage, CaptionLine),
                             Qt::AlignLeft, text);
        }
    }
}

ApiError storageError(const QString& what)
{
    return ApiError::make(ApiError::Kind::StorageError, what);
}

Result<QString, ApiError> writeSheet(const ContactSheet::Sheet& sheet, const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("pdf"))
        return Result<QString, ApiError>::failure(
            ApiError::make(ApiError::Kind::BadRequest, QStringLiteral("a contact sheet is a .png or a .pdf")));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Result<QString, ApiError>::failure(storageError(file.errorString()));
    const QSize page = pageSize(sheet);
    if (suffix == QLatin1String("png")) {
        QImage image(page, QImage::Format_RGB32);
        QPainter painter(&image);
        paint(painter, sheet);
        painter.end();
        if (!image.save(&file, "PNG"))
            return Result<QString, ApiError>::failure(storageError(QStringLiteral("cannot encode the sheet")));
    } else {
        QPdfWriter pdf(&file);
        pdf.setResolution(150);
        pdf.setPageSize(QPageSize(QSizeF(page) / 150.0, QPageSize::Inch));
        pdf.setPageMargins({});
        pdf.setTitle(sheet.prompt);
        pdf.setCreator(QCoreApplication::applicationName());
        QPainter painter(&pdf);
        paint(painter, sheet);
        painter.end();
    }
    if (!file.commit())
        return Result<QString, ApiError>::failure(storageError(file.errorString()));
    return path;
}

} // namespace

ContactSheet::Sheet ContactSheet::fromBoard(const BoardSpec& spec, const QList<BoardCell>& cells,
                                            const std::function<QString(const QString&)>& nameOf,
                                            std::optional<int> winner)
{
    Sheet sheet;
    sheet.prompt = spec.base.prompt;
    sheet.columns = spec.layoutColumns();
    for (int i = 0; i < cells.size(); ++i) {
        const BoardCell& board = cells.at(i);
        Cell cell;
        cell.title = nameOf ? nameOf(board.params.model) : board.params.model;
        if (!spec.variants.isEmpty())
            cell.caption << spec.variants.at(i % spec.columns()).label();
        QStringList figures;
        if (board.latencyMs >= 0)
            figures << tr("%1 s").arg(QLocale().toString(double(board.latencyMs) / 1000.0, 'f', 1));
        if (board.credits)
            figures << CostEstimate::creditsText(*board.credits);
        if (!figures.isEmpty())
            cell.caption << figures.join(QStringLiteral(" · "));
        if (board.error)
            cell.caption << board.error->userMessage();
        if (!board.images.isEmpty())
            cell.imagePath = board.images.constFirst().filePath;
        cell.winner = winner == i;
        sheet.cells << cell;
    }
    return sheet;
}

QFuture<Result<QString, ApiError>> ContactSheet::write(Sheet sheet, QString path)
{
    // Text needs the font database, which only a QGuiApplication has (a command-line run would abort in Qt).
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return QtFuture::makeReadyFuture(Result<QString, ApiError>::failure(ApiError::make(
            ApiError::Kind::BadRequest, QStringLiteral("a contact sheet needs a GUI application (fonts)"))));
    return runInBackground([sheet = std::move(sheet), path = std::move(path)] { return writeSheet(sheet, path); });
}

} // namespace Pixapi
