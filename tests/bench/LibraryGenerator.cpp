#include "LibraryGenerator.h"

#include "library/Library.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QImage>
#include <QPainter>
#include <QTextStream>
#include <QtConcurrent/QtConcurrentMap>

namespace Pixapi::Bench {

namespace {
constexpr int BatchSize = 64;

const QStringList& models()
{
    static const QStringList ids {QStringLiteral("gpt-image-1"), QStringLiteral("gpt-image-2"),
                                  QStringLiteral("nano-banana"), QStringLiteral("gemini-2.5-flash-image"),
                                  QStringLiteral("imagen-4"),    QStringLiteral("flux-1.1-pro")};
    return ids;
}

QString promptFor(int request)
{
    static const QStringList subjects {QStringLiteral("lemon soda can"),     QStringLiteral("running shoe"),
                                       QStringLiteral("summer sale banner"), QStringLiteral("coffee bag"),
                                       QStringLiteral("wrist watch"),        QStringLiteral("sunglasses"),
                                       QStringLiteral("perfume bottle"),     QStringLiteral("headphones")};
    static const QStringList scenes {
        QStringLiteral("on a sandy beach at golden hour"), QStringLiteral("floating over pastel clouds"),
        QStringLiteral("on a marble counter, studio light"), QStringLiteral("in a neon city street at night"),
        QStringLiteral("among tropical leaves, top view")};
    const int variant = request % 211; // a few hundred distinct prompts, each used many times
    return subjects.at(variant % subjects.size()) + QLatin1Char(' ') + scenes.at((variant / 8) % scenes.size())
           + QStringLiteral(", campaign shot %1").arg(variant);
}

QByteArray renderPng(int index, int edge)
{
    QImage image(edge, edge, QImage::Format_RGB32);
    const QColor from = QColor::fromHsv((index * 37) % 360, 120, 230);
    const QColor to = QColor::fromHsv((index * 53 + 180) % 360, 200, 90);
    QPainter painter(&image);
    QLinearGradient gradient(0, 0, edge, edge);
    gradient.setColorAt(0, from);
    gradient.setColorAt(1, to);
    painter.fillRect(image.rect(), gradient);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(QColor::fromHsv((index * 91) % 360, 180, 250));
    painter.setPen(Qt::NoPen);
    const int r = edge / 6 + index % (edge / 6);
    painter.drawEllipse(QPoint(edge / 2 + (index % 7 - 3) * edge / 16, edge / 2), r, r);
    painter.end();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return buffer.data();
}
} // namespace

bool generateLibrary(const QString& libraryDir, int count, int edge)
{
    QTextStream err(stderr);
    Library library(libraryDir);
    if (const auto opened = library.open(); !opened) {
        err << "cannot open the library: " << opened.error().detail << Qt::endl;
        return false;
    }
    const QDateTime newest = QDateTime::currentDateTimeUtc();
    int request = 0;
    int inRequest = 0;
    int requestSize = 1;
    for (int start = 0; start < count; start += BatchSize) {
        QList<int> indexes;
        for (int i = start; i < qMin(count, start + BatchSize); ++i)
            indexes << i;
        const QList<QByteArray> pngs =
            QtConcurrent::blockingMapped(indexes, [edge](int index) { return renderPng(index, edge); });
        QList<QFuture<Result<LibraryRecord, ApiError>>> stores;
        for (int i = 0; i < indexes.size(); ++i) {
            if (inRequest == requestSize) {
                ++request;
                inRequest = 0;
                requestSize = 1 + request % 4;
            }
            ImageToStore image;
            image.bytes = pngs.at(i);
            image.prompt = promptFor(request);
            image.model = models().at(request % models().size());
            image.params = QJsonObject {{QStringLiteral("n"), requestSize},
                                        {QStringLiteral("size"), QStringLiteral("1024x1024")},
                                        {QStringLiteral("index"), inRequest}};
            image.requestId = QStringLiteral("bench-%1").arg(request);
            image.createdAt = newest.addSecs(-qint64(request) * 13 * 60); // ~3 months for 10,000 images
            image.credits = 4;
            image.durationMs = 9000 + request % 5000;
            image.index = inRequest++;
            stores << library.store(std::move(image));
        }
        for (auto& store : stores) {
            store.waitForFinished();
            if (!store.result().ok()) {
                err << "an image was refused: " << store.result().error().detail << Qt::endl;
                return false;
            }
        }
        QCoreApplication::processEvents(); // deliver the queued imageStored() signals of this batch
    }
    return true;
}

} // namespace Pixapi::Bench
