#include "sandbox/SandboxRenderer.h"

#include "sandbox/SandboxFont.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QImage>
#include <QLinearGradient>
#include <QPainter>
#include <QPolygonF>
#include <QtEndian>

#include <algorithm>
#include <cstdint>

namespace Pixapi {

namespace {

constexpr int kDefaultSide = 1024;
constexpr int kPromptExcerptChars = 32;

// splitmix64: tiny, fast and identical on every platform (unlike std:: distributions).
class Rng
{
public:
    explicit Rng(std::uint64_t seed)
        : m_state(seed)
    { }
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    int bounded(int limit) { return limit <= 0 ? 0 : int(next() % std::uint64_t(limit)); }
    qreal unit() { return qreal(next() >> 11) / qreal(std::uint64_t(1) << 53); }

private:
    std::uint64_t m_state;
};

std::uint64_t seedFor(const QString& modelId, const QString& prompt, const QString& size, int index)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString& part : {modelId, prompt, size, QString::number(index)}) {
        hash.addData(part.toUtf8());
        hash.addData(QByteArrayView("\0", 1));
    }
    return qFromBigEndian<quint64>(hash.result().constData());
}

QColor colorFrom(Rng& rng, int alpha = 255)
{
    return QColor::fromHsv(rng.bounded(360), 120 + rng.bounded(120), 140 + rng.bounded(110), alpha);
}

void paintBackground(QPainter& painter, const QSize& size, Rng& rng)
{
    QLinearGradient gradient(QPointF(rng.unit() * size.width(), 0), QPointF(rng.unit() * size.width(), size.height()));
    gradient.setColorAt(0, colorFrom(rng));
    gradient.setColorAt(0.5, colorFrom(rng));
    gradient.setColorAt(1, colorFrom(rng));
    painter.fillRect(QRect(QPoint(0, 0), size), gradient);
}

void paintShapes(QPainter& painter, const QSize& size, Rng& rng)
{
    const int count = 6 + rng.bounded(8);
    const int minSide = qMin(size.width(), size.height());
    painter.setPen(Qt::NoPen);
    for (int i = 0; i < count; ++i) {
        painter.setBrush(colorFrom(rng, 90 + rng.bounded(120)));
        const int extent = minSide / 10 + rng.bounded(minSide / 2);
        const QRectF box(rng.unit() * size.width() - extent / 2.0, rng.unit() * size.height() - extent / 2.0, extent,
                         extent * (0.5 + rng.unit()));
        switch (rng.bounded(3)) {
        case 0:
            painter.drawEllipse(box);
            break;
        case 1:
            painter.drawRoundedRect(box, extent / 8.0, extent / 8.0);
            break;
        default:
            painter.drawPolygon(
                QPolygonF({box.topLeft() + QPointF(box.width() / 2, 0), box.bottomRight(), box.bottomLeft()}));
            break;
        }
    }
}

// A dark band at the bottom with the model id, a prompt excerpt and the output size, so a person can tell the
// renders apart.
void paintLabel(QPainter& painter, const QSize& size, const QString& modelId, const QString& prompt, int index,
                const QString& note = QString())
{
    QString excerpt = prompt.simplified();
    if (excerpt.size() > kPromptExcerptChars)
        excerpt = excerpt.left(kPromptExcerptChars - 3) + QStringLiteral("...");
    const QStringList lines = {modelId, excerpt,
                               QStringLiteral("#%1  %2X%3").arg(index + 1).arg(size.width()).arg(size.height()) + note};

    int widest = 1;
    for (const QString& line : lines)
        widest = qMax(widest, int(line.size()));
    const int margin = qMax(2, size.width() / 64);
    const int byWidth = (size.width() - 2 * margin) / (widest * SandboxFont::CellWidth);
    const int byHeight = size.height() / 4 / (int(lines.size()) * SandboxFont::CellHeight);
    const int scale = qMax(1, qMin(byWidth, byHeight));

    const int bandHeight = int(lines.size()) * SandboxFont::CellHeight * scale + 2 * margin;
    painter.fillRect(QRect(0, size.height() - bandHeight, size.width(), bandHeight), QColor(0, 0, 0, 170));
    int y = size.height() - bandHeight + margin;
    for (const QString& line : lines) {
        SandboxFont::draw(painter, QPoint(margin, y), line, scale, Qt::white);
        y += SandboxFont::CellHeight * scale;
    }
}

// Background and shapes: the generation's picture, and what an edit paints where its input is masked out.
QImage picture(const QSize& pixels, Rng& rng)
{
    QImage image(pixels, QImage::Format_RGB32);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    paintBackground(painter, pixels, rng);
    paintShapes(painter, pixels, rng);
    return image;
}

QByteArray toPng(const QImage& image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

int clampSide(qint64 side)
{
    return int(std::clamp<qint64>(side, 1, SandboxRenderer::MaxSide));
}

} // namespace

QSize SandboxRenderer::sizeFor(const QString& size)
{
    const QString s = size.trimmed().toLower();
    if (s == QLatin1String("512"))
        return {512, 512};
    if (s == QLatin1String("1k"))
        return {1024, 1024};
    if (s == QLatin1String("2k"))
        return {2048, 2048};
    if (s == QLatin1String("4k"))
        return {4096, 4096};

    for (const QChar separator : {QLatin1Char('x'), QLatin1Char(':')}) {
        const QStringList parts = s.split(separator);
        if (parts.size() != 2)
            continue;
        bool okW = false;
        bool okH = false;
        const qint64 w = parts[0].toLongLong(&okW);
        const qint64 h = parts[1].toLongLong(&okH);
        if (!okW || !okH || w <= 0 || h <= 0)
            continue;
        if (separator == QLatin1Char('x'))
            return {clampSide(w), clampSide(h)};
        // A ratio: 1024 on the long edge. In floating point: 1024 × a 19-digit term overflows qint64 (found by reading
        // what fuzz_sandbox feeds sizeFor; corpus_sandbox/size_huge_ratio.txt). The quotient is at most 1024.
        return w >= h ? QSize(kDefaultSide, clampSide(qint64(double(kDefaultSide) * double(h) / double(w))))
                      : QSize(clampSide(qint64(double(kDefaultSide) * double(w) / double(h))), kDefaultSide);
    }
    return {kDefaultSide, kDefaultSide};
}

QByteArray SandboxRenderer::renderPng(const QString& modelId, const QString& prompt, const QString& size, int index)
{
    const QSize pixels = sizeFor(size);
    Rng rng(seedFor(modelId, prompt, size, index));
    QImage image = picture(pixels, rng);
    {
        QPainter painter(&image);
        paintLabel(painter, pixels, modelId, prompt, index);
    }
    return toPng(image);
}

QByteArray SandboxRenderer::renderEditPng(const QString& modelId, const QString& prompt, const QString& size, int index,
                                          const SandboxEditInputs& inputs)
{
    const QSize pixels = inputs.outputSize;
    Rng rng(seedFor(modelId, prompt, size, index));
    QImage image = picture(pixels, rng);

    // What of the input survives: its own alpha, times the mask's.
    QImage kept = inputs.first.scaled(pixels, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                      .convertToFormat(QImage::Format_ARGB32_Premultiplied);
    if (!inputs.mask.isNull()) {
        QPainter painter(&kept);
        painter.setCompositionMode(QPainter::CompositionMode_DestinationIn);
        painter.drawImage(QPoint(0, 0), inputs.mask.scaled(pixels, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    }

    QPainter painter(&image);
    painter.drawImage(QPoint(0, 0), kept);
    for (int i = 0; i < int(inputs.others.size()); ++i) {
        const QRect box = thumbnailRect(pixels, i);
        const int frame = qMax(1, box.width() / 32);
        painter.fillRect(box.adjusted(-frame, -frame, frame, frame), Qt::white);
        const QImage thumb = inputs.others.at(i).scaled(box.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
        painter.fillRect(box, Qt::black);
        painter.drawImage(
            box.topLeft() + QPoint((box.width() - thumb.width()) / 2, (box.height() - thumb.height()) / 2), thumb);
    }
    const QString note = QStringLiteral("  EDIT %1 IMG%2")
                             .arg(inputs.others.size() + 1)
                             .arg(inputs.mask.isNull() ? QString() : QStringLiteral("+MASK"));
    paintLabel(painter, pixels, modelId, prompt, index, note);
    painter.end();
    return toPng(image);
}

QRect SandboxRenderer::thumbnailRect(const QSize& output, int other)
{
    const int side = qMax(4, qMin(output.width(), output.height()) / 6);
    const int gap = qMax(2, side / 8);
    const int perRow = qMax(1, (output.width() - gap) / (side + gap));
    const int row = other / perRow;
    const int column = other % perRow;
    return {output.width() - (column + 1) * (side + gap), gap + row * (side + gap), side, side};
}

} // namespace Pixapi
