#include "TestEnv.h"
#include "edit/EditMask.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QImageReader>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace Pixapi;
using Tool = EditMask::Tool;

namespace {

// The reference for a stroke, computed pixel by pixel and unlike the code under test: the distance from each pixel's
// centre to the segment, by projection.
bool insideStroke(int x, int y, QPointF from, QPointF to, double radius)
{
    const QPointF p(x + 0.5, y + 0.5);
    const QPointF d = to - from;
    const double length2 = QPointF::dotProduct(d, d);
    double t = length2 > 0 ? QPointF::dotProduct(p - from, d) / length2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const QPointF nearest = from + t * d;
    const QPointF offset = p - nearest;
    return std::sqrt(QPointF::dotProduct(offset, offset)) <= radius;
}

bool isPainted(const EditMask& mask, int x, int y)
{
    return mask.image().constScanLine(y)[x] == 255;
}

qint64 countPainted(const QImage& image)
{
    qint64 count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            count += image.constScanLine(y)[x] == 255 ? 1 : 0;
    }
    return count;
}

// Only 0 and 255 occur: the mask is binary.
bool isBinary(const QImage& image)
{
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const uchar value = image.constScanLine(y)[x];
            if (value != 0 && value != 255)
                return false;
        }
    }
    return true;
}

QByteArray encoded(const QImage& image, const char* format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

} // namespace

class tst_EditMask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void newMaskIsEmpty()
    {
        const EditMask mask(QSize(64, 32));
        QCOMPARE(mask.size(), QSize(64, 32));
        QVERIFY(!mask.isNull());
        QVERIFY(mask.isEmpty());
        QCOMPARE(mask.coverage(), 0.0);
        QCOMPARE(mask.image().size(), QSize(64, 32));
        QCOMPARE(countPainted(mask.image()), 0);
        QVERIFY(EditMask().isNull());
        QVERIFY(EditMask(QSize(0, 10)).isNull());
    }

    void strokeCoversExactlyItsPixels_data()
    {
        QTest::addColumn<QPointF>("from");
        QTest::addColumn<QPointF>("to");
        QTest::addColumn<double>("radius");
        // Radii chosen so that no pixel centre lies exactly on the edge.
        QTest::newRow("horizontal") << QPointF(20, 50) << QPointF(180, 50) << 10.3;
        QTest::newRow("vertical") << QPointF(60, 5) << QPointF(60, 95) << 4.7;
        QTest::newRow("diagonal") << QPointF(13.2, 87.9) << QPointF(171.4, 9.6) << 7.77;
        QTest::newRow("steep") << QPointF(101.1, 2.2) << QPointF(109.3, 97.1) << 3.33;
        QTest::newRow("dot") << QPointF(77.7, 33.3) << QPointF(77.7, 33.3) << 12.1;
        QTest::newRow("off the edge") << QPointF(-30, -10) << QPointF(40, 120) << 15.45;
        QTest::newRow("tiny radius") << QPointF(10.5, 10.5) << QPointF(30.5, 10.5) << 0.2;
    }

    void strokeCoversExactlyItsPixels()
    {
        QFETCH(QPointF, from);
        QFETCH(QPointF, to);
        QFETCH(double, radius);
        EditMask mask(QSize(200, 100));
        mask.paintStroke(from, to, radius, Tool::Brush);
        qint64 expected = 0;
        for (int y = 0; y < 100; ++y) {
            for (int x = 0; x < 200; ++x) {
                const bool inside = insideStroke(x, y, from, to, radius);
                expected += inside ? 1 : 0;
                if (isPainted(mask, x, y) != inside)
                    QFAIL(qPrintable(QStringLiteral("pixel %1,%2 should be %3").arg(x).arg(y).arg(inside ? 1 : 0)));
            }
        }
        QVERIFY(expected > 0);
        QVERIFY(isBinary(mask.image()));
        QCOMPARE(mask.paintedPixels(), expected);
        QCOMPARE(mask.coverage(), expected / 20000.0);
        QVERIFY(!mask.isEmpty());
    }

    void strokeInTheRightPlace()
    {
        EditMask mask(QSize(200, 100));
        mask.paintStroke(QPointF(20, 50), QPointF(180, 50), 10.3, Tool::Brush);
        QVERIFY(isPainted(mask, 100, 50));
        QVERIFY(isPainted(mask, 100, 40));  // centre 9.5 away
        QVERIFY(!isPainted(mask, 100, 39)); // 10.5 away
        QVERIFY(!isPainted(mask, 100, 61));
        QVERIFY(isPainted(mask, 10, 50));  // inside the round cap
        QVERIFY(!isPainted(mask, 10, 42)); // beyond the cap's corner
        QVERIFY(!isPainted(mask, 5, 50));
        QVERIFY(!isPainted(mask, 195, 50));
        QVERIFY(!isPainted(mask, 0, 0));
    }

    void eraserRemoves()
    {
        EditMask mask(QSize(100, 100));
        mask.paintDot(QPointF(50, 50), 30.2, Tool::Brush);
        const qint64 before = mask.paintedPixels();
        mask.paintStroke(QPointF(50, 50), QPointF(90, 50), 5.1, Tool::Eraser);
        QVERIFY(!isPainted(mask, 50, 50));
        QVERIFY(!isPainted(mask, 70, 50));
        QVERIFY(isPainted(mask, 50, 30));
        qint64 erased = 0;
        for (int y = 0; y < 100; ++y) {
            for (int x = 0; x < 100; ++x)
                erased += insideStroke(x, y, {50, 50}, {50, 50}, 30.2) && insideStroke(x, y, {50, 50}, {90, 50}, 5.1);
        }
        QCOMPARE(mask.paintedPixels(), before - erased);
        QCOMPARE(mask.paintedPixels(), countPainted(mask.image()));
        // Erasing where nothing is painted changes nothing.
        mask.paintDot(QPointF(5, 5), 3, Tool::Eraser);
        QCOMPARE(mask.paintedPixels(), before - erased);
        mask.paintDot(QPointF(50, 50), 40, Tool::Eraser);
        QVERIFY(mask.isEmpty());
    }

    void invertSwapsPaintedAndKept()
    {
        EditMask mask(QSize(60, 40));
        mask.paintDot(QPointF(20, 20), 8.4, Tool::Brush);
        const QImage before = mask.image().copy();
        const qint64 painted = mask.paintedPixels();
        mask.invert();
        QCOMPARE(mask.paintedPixels(), 60 * 40 - painted);
        QCOMPARE(mask.paintedPixels(), countPainted(mask.image()));
        QVERIFY(!isPainted(mask, 20, 20));
        QVERIFY(isPainted(mask, 50, 5));
        QVERIFY(std::abs(mask.coverage() - (1.0 - painted / 2400.0)) < 1e-12);
        mask.invert();
        QCOMPARE(mask.image(), before);
    }

    void clearEmptiesTheMask()
    {
        EditMask mask(QSize(60, 40));
        mask.paintDot(QPointF(20, 20), 8.4, Tool::Brush);
        QVERIFY(!mask.isEmpty());
        mask.clear();
        QVERIFY(mask.isEmpty());
        QCOMPARE(mask.coverage(), 0.0);
        QCOMPARE(countPainted(mask.image()), 0);
        QCOMPARE(mask.size(), QSize(60, 40));
        mask.invert();
        QCOMPARE(mask.coverage(), 1.0);
    }

    void toPngIsTransparentWherePainted()
    {
        EditMask mask(QSize(120, 80));
        mask.paintStroke(QPointF(10, 10), QPointF(100, 70), 9.1, Tool::Brush);
        const QByteArray png = mask.toPng();
        QVERIFY(png.startsWith("\x89PNG\r\n\x1a\n"));
        QBuffer buffer;
        buffer.setData(png);
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer);
        QCOMPARE(reader.format(), QByteArray("png"));
        const QImage decoded = reader.read();
        QCOMPARE(decoded.size(), QSize(120, 80));
        QVERIFY(decoded.hasAlphaChannel());
        const QImage argb = decoded.convertToFormat(QImage::Format_ARGB32);
        for (int y = 0; y < 80; ++y) {
            for (int x = 0; x < 120; ++x) {
                const QRgb pixel = argb.pixel(x, y);
                if (isPainted(mask, x, y)) {
                    QCOMPARE(qAlpha(pixel), 0);
                    QCOMPARE(pixel, qRgba(255, 255, 255, 0)); // the colour survives: white where it may change
                } else {
                    QCOMPARE(pixel, qRgba(0, 0, 0, 255));
                }
            }
        }
        QVERIFY(EditMask().toPng().isEmpty());
    }

    void pngRoundTrips()
    {
        EditMask mask(QSize(90, 70));
        mask.paintStroke(QPointF(0, 0), QPointF(90, 70), 6.6, Tool::Brush);
        const Result<EditMask, QString> read = EditMask::fromPng(mask.toPng(), QSize(90, 70));
        QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.error()));
        QCOMPARE(read.value().image(), mask.image());
        QCOMPARE(read.value().paintedPixels(), mask.paintedPixels());
        QVERIFY(!EditMask::fromPng(mask.toPng(), QSize(70, 90)).ok());
    }

    void scaledToKeepsTheAreaProportionally_data()
    {
        QTest::addColumn<QSize>("target");
        QTest::newRow("half") << QSize(200, 100);
        QTest::newRow("quarter") << QSize(100, 50);
        QTest::newRow("double") << QSize(800, 400);
        QTest::newRow("same") << QSize(400, 200);
    }

    void scaledToKeepsTheAreaProportionally()
    {
        QFETCH(QSize, target);
        EditMask mask(QSize(400, 200));
        mask.paintDot(QPointF(100, 100), 60, Tool::Brush);
        mask.paintStroke(QPointF(250, 20), QPointF(380, 20), 12, Tool::Brush);
        const EditMask scaled = mask.scaledTo(target);
        QCOMPARE(scaled.size(), target);
        QVERIFY(isBinary(scaled.image()));
        QCOMPARE(scaled.paintedPixels(), countPainted(scaled.image()));
        QVERIFY2(std::abs(scaled.coverage() - mask.coverage()) < 0.02 * mask.coverage(),
                 qPrintable(QStringLiteral("%1 vs %2").arg(scaled.coverage()).arg(mask.coverage())));
        const double fx = target.width() / 400.0;
        const double fy = target.height() / 200.0;
        const auto at = [&](double x, double y) {
            return isPainted(scaled, static_cast<int>(x * fx), static_cast<int>(y * fy));
        };
        QVERIFY(at(100, 100));
        QVERIFY(at(60, 80));
        QVERIFY(at(300, 20));
        QVERIFY(!at(300, 100));
        QVERIFY(!at(20, 20));
        QVERIFY(!at(390, 190));
        QVERIFY(EditMask().scaledTo(target).isNull());
    }

    void checkPngRules_data()
    {
        QTest::addColumn<QByteArray>("png");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("reason");

        EditMask mask(QSize(128, 96));
        mask.paintDot(QPointF(64, 48), 20, Tool::Brush);
        const QByteArray good = mask.toPng();
        QImage opaque(128, 96, QImage::Format_RGB32);
        opaque.fill(Qt::white);
        QImage argbJpeg(128, 96, QImage::Format_ARGB32);
        argbJpeg.fill(Qt::transparent);

        QTest::newRow("a painted mask") << good << true << QString();
        QTest::newRow("nothing painted") << EditMask(QSize(128, 96)).toPng() << true << QString();
        QTest::newRow("wrong size") << EditMask(QSize(64, 64)).toPng() << false
                                    << QStringLiteral("The mask is 64 × 64 pixels but the image is 128 × 96.");
        QTest::newRow("turned") << EditMask(QSize(96, 128)).toPng() << false
                                << QStringLiteral("The mask is 96 × 128 pixels but the image is 128 × 96.");
        QTest::newRow("no alpha (RGB32 PNG)") << encoded(opaque, "PNG") << false << QStringLiteral("no transparency");
        QTest::newRow("JPEG bytes") << encoded(argbJpeg, "JPEG") << false << QStringLiteral("not a PNG");
        QTest::newRow("garbage") << QByteArray("this is not an image at all") << false << QStringLiteral("not a PNG");
        QTest::newRow("empty") << QByteArray() << false << QStringLiteral("empty");
        QTest::newRow("truncated") << good.left(good.size() / 2) << false << QStringLiteral("damaged");
    }

    void checkPngRules()
    {
        QFETCH(QByteArray, png);
        QFETCH(bool, accepted);
        QFETCH(QString, reason);
        const Result<QSize, QString> checked = EditMask::checkPng(png, QSize(128, 96));
        QCOMPARE(checked.ok(), accepted);
        if (accepted) {
            QCOMPARE(checked.value(), QSize(128, 96));
        } else {
            QVERIFY2(checked.error().contains(reason), qPrintable(checked.error()));
            QVERIFY(checked.error().endsWith(QLatin1Char('.')));
        }
    }

    void undoRestoresStrokes()
    {
        EditMask mask(QSize(100, 100));
        QVERIFY(!mask.canUndo());
        QVERIFY(!mask.undo());

        mask.beginStroke();
        mask.paintStroke(QPointF(10, 10), QPointF(50, 10), 4, Tool::Brush);
        mask.paintStroke(QPointF(50, 10), QPointF(50, 60), 4, Tool::Brush);
        mask.endStroke();
        const QImage afterFirst = mask.image().copy();
        const qint64 paintedAfterFirst = mask.paintedPixels();

        mask.beginStroke();
        mask.paintStroke(QPointF(20, 80), QPointF(90, 80), 6, Tool::Brush);
        mask.paintStroke(QPointF(50, 0), QPointF(50, 100), 3, Tool::Eraser);
        mask.endStroke();
        QVERIFY(mask.image() != afterFirst);

        QVERIFY(mask.undo()); // the whole second stroke, brush and eraser
        QCOMPARE(mask.image(), afterFirst);
        QCOMPARE(mask.paintedPixels(), paintedAfterFirst);
        QVERIFY(mask.undo());
        QVERIFY(mask.isEmpty());
        QCOMPARE(countPainted(mask.image()), 0);
        QVERIFY(!mask.undo());
    }

    void undoRestoresInvertClearAndLooseDots()
    {
        EditMask mask(QSize(80, 60));
        mask.paintDot(QPointF(20, 20), 5, Tool::Brush); // outside a stroke: a step by itself
        const QImage one = mask.image().copy();
        mask.paintDot(QPointF(60, 40), 5, Tool::Brush);
        const QImage two = mask.image().copy();
        mask.invert();
        mask.clear();
        QVERIFY(mask.isEmpty());
        QVERIFY(mask.undo()); // clear
        QCOMPARE(mask.paintedPixels(), 80 * 60 - countPainted(two));
        QVERIFY(mask.undo()); // invert
        QCOMPARE(mask.image(), two);
        QCOMPARE(mask.paintedPixels(), countPainted(two));
        QVERIFY(mask.undo());
        QCOMPARE(mask.image(), one);
        QVERIFY(mask.undo());
        QVERIFY(mask.isEmpty());
        QVERIFY(!mask.canUndo());
    }

    void undoClosesAnOpenStroke()
    {
        EditMask mask(QSize(50, 50));
        mask.beginStroke();
        mask.paintDot(QPointF(25, 25), 10, Tool::Brush);
        QVERIFY(mask.canUndo());
        QVERIFY(mask.undo());
        QVERIFY(mask.isEmpty());
        QVERIFY(!mask.canUndo());
    }

    void undoHistoryIsBounded()
    {
        EditMask mask(QSize(64, 64));
        for (int i = 0; i < EditMask::MaxUndoSteps + 15; ++i) {
            mask.beginStroke();
            mask.paintDot(QPointF(i, i), 1.5, Tool::Brush);
            mask.endStroke();
        }
        int undone = 0;
        while (mask.undo())
            ++undone;
        QCOMPARE(undone, EditMask::MaxUndoSteps);
        QVERIFY(!mask.isEmpty()); // the oldest strokes can no longer be undone

        // Full-size steps: the byte budget keeps fewer of them than the step limit.
        EditMask large(QSize(2048, 2048)); // 4 MiB a step
        for (int i = 0; i < EditMask::MaxUndoSteps; ++i) {
            large.paintDot(QPointF(1024, 1024), 3000, Tool::Brush);
            large.clear();
        }
        undone = 0;
        while (large.undo())
            ++undone;
        QVERIFY(undone < EditMask::MaxUndoSteps);
        QVERIFY(undone >= 2);
        QVERIFY(static_cast<qint64>(undone) * 2048 * 2048 <= EditMask::MaxUndoBytes);
    }

    void coverageIsCheapOnLargeMasks()
    {
        EditMask mask(QSize(4096, 4096));
        mask.beginStroke();
        for (int i = 0; i < 200; ++i)
            mask.paintStroke(QPointF(i * 20, i * 20), QPointF(i * 20 + 20, i * 20 + 20), 150, Tool::Brush);
        mask.endStroke();
        QElapsedTimer timer;
        timer.start();
        double sum = 0;
        for (int i = 0; i < 2000; ++i)
            sum += mask.coverage();
        QVERIFY2(timer.elapsed() < 200, "coverage() scans the image");
        QVERIFY(sum > 0);
        QCOMPARE(mask.paintedPixels(), countPainted(mask.image()));
    }
};

QTEST_GUILESS_MAIN(tst_EditMask)
#include "tst_EditMask.moc"
