#include "edit/EditMask.h"

#include "support/PngSanity.h"

#include <QBuffer>
#include <QImageReader>
#include <QImageWriter>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace Pixapi {
namespace {

constexpr uchar Painted = 255;
constexpr uchar Kept = 0;

// A closed range of x (empty when lo > hi).
struct Interval
{
    double lo = 1;
    double hi = 0;

    bool isEmpty() const { return lo > hi; }
};

constexpr double Infinity = std::numeric_limits<double>::infinity();

// The x for which a·x + b lies in [low, high].
Interval solveLinear(double a, double b, double low, double high)
{
    if (a == 0)
        return b >= low && b <= high ? Interval {-Infinity, Infinity} : Interval {};
    const double x1 = (low - b) / a;
    const double x2 = (high - b) / a;
    return {std::min(x1, x2), std::max(x1, x2)};
}

Interval intersect(Interval a, Interval b)
{
    return {std::max(a.lo, b.lo), std::min(a.hi, b.hi)};
}

// Used only for pieces of one convex shape on one line: there the pieces touch, so the hull is their union.
Interval hull(Interval a, Interval b)
{
    if (a.isEmpty())
        return b;
    if (b.isEmpty())
        return a;
    return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
}

// Where the line y = rowY crosses the disc of `radius` around `center`.
Interval discRow(QPointF center, double radius, double rowY)
{
    const double dy = rowY - center.y();
    const double halfWidth2 = radius * radius - dy * dy;
    if (halfWidth2 < 0)
        return {};
    const double halfWidth = std::sqrt(halfWidth2);
    return {center.x() - halfWidth, center.x() + halfWidth};
}

// Clamped before the conversion: the bounds can be infinite or far off the image. They are NaN when huge (finite)
// coordinates overflow (inf - inf, inf / inf): then the span is empty (its first pixel comes after its last).
int pixelAtOrAfter(double centreBound, int limit)
{
    if (std::isnan(centreBound))
        return limit;
    return static_cast<int>(std::ceil(std::clamp(centreBound - 0.5, -1.0, static_cast<double>(limit))));
}

int pixelAtOrBefore(double centreBound, int limit)
{
    if (std::isnan(centreBound))
        return -1;
    return static_cast<int>(std::floor(std::clamp(centreBound - 0.5, -1.0, static_cast<double>(limit))));
}

} // namespace

EditMask::EditMask(QSize size)
{
    if (size.isEmpty())
        return;
    m_image = QImage(size, QImage::Format_Grayscale8);
    m_image.fill(Kept);
}

void EditMask::beginStroke()
{
    endStroke();
    if (isNull())
        return;
    m_strokeOpen = true;
    m_strokeBase = m_image;
    m_strokeRect = QRect();
}

void EditMask::endStroke()
{
    if (!m_strokeOpen)
        return;
    m_strokeOpen = false;
    if (!m_strokeRect.isEmpty())
        pushUndo({m_strokeRect, m_strokeBase.copy(m_strokeRect), false});
    m_strokeBase = QImage();
    m_strokeRect = QRect();
}

QList<EditMask::RowSpan> EditMask::spansOf(QPointF from, QPointF to, qreal radius) const
{
    QList<RowSpan> spans;
    const bool finite = std::isfinite(from.x()) && std::isfinite(from.y()) && std::isfinite(to.x())
                        && std::isfinite(to.y()) && std::isfinite(radius);
    if (isNull() || !finite || radius <= 0)
        return spans;
    const int width = m_image.width();
    const int height = m_image.height();
    const double r = radius;
    const int firstRow = std::max(0, pixelAtOrAfter(std::min(from.y(), to.y()) - r, height));
    const int lastRow = std::min(height - 1, pixelAtOrBefore(std::max(from.y(), to.y()) + r, height));
    const double dx = to.x() - from.x();
    const double dy = to.y() - from.y();
    const double length2 = dx * dx + dy * dy;
    const double length = std::sqrt(length2);
    for (int y = firstRow; y <= lastRow; ++y) {
        const double rowY = y + 0.5; // pixel centres
        // The stroke is a capsule: two discs and the band between them. Its row is one interval because it is convex.
        Interval row = hull(discRow(from, r, rowY), discRow(to, r, rowY));
        if (length2 > 0) {
            const double offsetY = rowY - from.y();
            // Along the segment: 0 ≤ (p − from)·d ≤ |d|². Across: |(p − from) × d| ≤ r·|d|.
            const Interval along = solveLinear(dx, -from.x() * dx + offsetY * dy, 0, length2);
            const Interval across = solveLinear(dy, -from.x() * dy - offsetY * dx, -r * length, r * length);
            row = hull(row, intersect(along, across));
        }
        if (row.isEmpty())
            continue;
        const int first = std::max(0, pixelAtOrAfter(row.lo, width));
        const int last = std::min(width - 1, pixelAtOrBefore(row.hi, width));
        if (first <= last)
            spans.append({y, first, last});
    }
    return spans;
}

void EditMask::paintStroke(QPointF from, QPointF to, qreal radius, Tool tool)
{
    const QList<RowSpan> spans = spansOf(from, to, radius);
    if (spans.isEmpty())
        return;
    QRect touched;
    for (const RowSpan& span : spans)
        touched |= QRect(QPoint(span.first, span.y), QPoint(span.last, span.y));
    if (m_strokeOpen)
        m_strokeRect |= touched;
    else
        pushUndo({touched, m_image.copy(touched), false});

    const uchar value = tool == Tool::Brush ? Painted : Kept;
    const uchar other = tool == Tool::Brush ? Kept : Painted;
    for (const RowSpan& span : spans) {
        uchar* begin = m_image.scanLine(span.y) + span.first;
        uchar* end = begin + (span.last - span.first + 1);
        const qint64 changed = std::count(begin, end, other);
        std::fill(begin, end, value);
        m_paintedPixels += tool == Tool::Brush ? changed : -changed;
    }
}

void EditMask::paintDot(QPointF center, qreal radius, Tool tool)
{
    paintStroke(center, center, radius, tool);
}

void EditMask::invertPixels()
{
    const int width = m_image.width();
    for (int y = 0; y < m_image.height(); ++y) {
        uchar* row = m_image.scanLine(y);
        for (int x = 0; x < width; ++x)
            row[x] = Painted - row[x];
    }
    m_paintedPixels = static_cast<qint64>(width) * m_image.height() - m_paintedPixels;
}

void EditMask::invert()
{
    endStroke();
    if (isNull())
        return;
    invertPixels();
    UndoStep step;
    step.inverted = true;
    pushUndo(std::move(step));
}

void EditMask::clear()
{
    endStroke();
    if (isNull() || isEmpty())
        return;
    // The old image becomes the undo step as it is: no copy.
    pushUndo({m_image.rect(), m_image, false});
    m_image = QImage(m_image.size(), QImage::Format_Grayscale8);
    m_image.fill(Kept);
    m_paintedPixels = 0;
}

void EditMask::pushUndo(UndoStep step)
{
    m_undo.append(std::move(step));
    qint64 bytes = 0;
    for (const UndoStep& kept : std::as_const(m_undo))
        bytes += kept.before.sizeInBytes();
    // The newest step always stays, even alone over the budget: otherwise the last action could not be undone.
    while (m_undo.size() > MaxUndoSteps || (bytes > MaxUndoBytes && m_undo.size() > 1)) {
        bytes -= m_undo.first().before.sizeInBytes();
        m_undo.removeFirst();
    }
}

void EditMask::restore(const UndoStep& step)
{
    if (step.inverted) {
        invertPixels();
        return;
    }
    const QRect& rect = step.rect;
    m_paintedPixels -= countPainted(rect);
    for (int y = 0; y < rect.height(); ++y)
        std::memcpy(m_image.scanLine(rect.top() + y) + rect.left(), step.before.constScanLine(y), rect.width());
    m_paintedPixels += countPainted(rect);
}

bool EditMask::undo()
{
    endStroke();
    if (m_undo.isEmpty())
        return false;
    restore(m_undo.takeLast());
    return true;
}

qint64 EditMask::countPainted(const QRect& rect) const
{
    qint64 count = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y) {
        const uchar* begin = m_image.constScanLine(y) + rect.left();
        count += std::count(begin, begin + rect.width(), Painted);
    }
    return count;
}

double EditMask::coverage() const
{
    const qint64 total = static_cast<qint64>(m_image.width()) * m_image.height();
    return total > 0 ? static_cast<double>(m_paintedPixels) / static_cast<double>(total) : 0.0;
}

EditMask EditMask::scaledTo(QSize size) const
{
    EditMask scaled;
    if (isNull() || size.isEmpty())
        return scaled;
    if (size == this->size()) {
        scaled.m_image = m_image;
        scaled.m_paintedPixels = m_paintedPixels;
        return scaled;
    }
    // Smooth scaling averages the area under each new pixel; the threshold then makes the mask binary again.
    scaled.m_image = m_image.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                         .convertToFormat(QImage::Format_Grayscale8);
    for (int y = 0; y < size.height(); ++y) {
        uchar* row = scaled.m_image.scanLine(y);
        for (int x = 0; x < size.width(); ++x) {
            row[x] = row[x] >= 128 ? Painted : Kept;
            scaled.m_paintedPixels += row[x] == Painted ? 1 : 0;
        }
    }
    return scaled;
}

QByteArray EditMask::toPng() const
{
    if (isNull())
        return {};
    QImage argb(size(), QImage::Format_ARGB32); // not premultiplied: the white of transparent pixels survives
    const QRgb mayChange = qRgba(255, 255, 255, 0);
    const QRgb keep = qRgba(0, 0, 0, 255);
    for (int y = 0; y < argb.height(); ++y) {
        const uchar* source = m_image.constScanLine(y);
        auto* target = reinterpret_cast<QRgb*>(argb.scanLine(y));
        for (int x = 0; x < argb.width(); ++x)
            target[x] = source[x] == Painted ? mayChange : keep;
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    if (!writer.write(argb))
        return {};
    return png;
}

Result<QImage, QString> EditMask::readPng(const QByteArray& png, QSize imageSize)
{
    using Failure = Result<QImage, QString>;
    if (png.isEmpty())
        return Failure::failure(tr("The mask file is empty."));
    if (!PngSanity::chunksFit(png)) // before libpng sees it: it would allocate what the chunk claims
        return Failure::failure(
            tr("The mask PNG is damaged: %1.").arg(QStringLiteral("a chunk is longer than the file")));
    QBuffer buffer;
    buffer.setData(png);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer); // no format given: it is read from the content
    if (reader.format() != "png")
        return Failure::failure(tr("The mask is not a PNG image."));
    // The size comes from the header; the pixels are decoded only once it matches.
    const QSize maskSize = reader.size();
    if (!maskSize.isValid())
        return Failure::failure(tr("The mask PNG cannot be read: %1.").arg(reader.errorString()));
    if (maskSize != imageSize) {
        return Failure::failure(tr("The mask is %1 × %2 pixels but the image is %3 × %4.")
                                    .arg(maskSize.width())
                                    .arg(maskSize.height())
                                    .arg(imageSize.width())
                                    .arg(imageSize.height()));
    }
    QImage image = reader.read();
    if (image.isNull())
        return Failure::failure(tr("The mask PNG is damaged: %1.").arg(reader.errorString()));
    if (!image.hasAlphaChannel()) {
        return Failure::failure(
            tr("The mask has no transparency. Its transparent pixels mark where the image may change."));
    }
    return image;
}

Result<QSize, QString> EditMask::checkPng(const QByteArray& png, QSize imageSize)
{
    const Result<QImage, QString> read = readPng(png, imageSize);
    if (!read)
        return Result<QSize, QString>::failure(read.error());
    return read.value().size();
}

Result<EditMask, QString> EditMask::fromPng(const QByteArray& png, QSize imageSize)
{
    const Result<QImage, QString> read = readPng(png, imageSize);
    if (!read)
        return Result<EditMask, QString>::failure(read.error());
    const QImage argb = read.value().convertToFormat(QImage::Format_ARGB32);
    EditMask mask(argb.size());
    for (int y = 0; y < argb.height(); ++y) {
        const auto* source = reinterpret_cast<const QRgb*>(argb.constScanLine(y));
        uchar* target = mask.m_image.scanLine(y);
        for (int x = 0; x < argb.width(); ++x) {
            const bool painted = qAlpha(source[x]) < 128;
            target[x] = painted ? Painted : Kept;
            mask.m_paintedPixels += painted ? 1 : 0;
        }
    }
    return mask;
}

} // namespace Pixapi
