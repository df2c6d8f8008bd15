#include "common/ImageClipboard.h"
#include "library/Library.h"
#include "support/BackgroundWork.h"

#include "TestEnv.h"

#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QUrl>

using namespace Pixapi;

class tst_ImageClipboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void copiesImageUrlAndPrompt();
    void unreadableFileFailsAndLeavesClipboard();
    void severalRecordsCopyUrlsAndPrompts();
    void laterCopyReplacesOneStillDecoding();

private:
    LibraryRecord writeRecord(const QString& name, QColor color, const QString& prompt);
    static const QMimeData* clipboardData() { return QGuiApplication::clipboard()->mimeData(); }

    QTemporaryDir m_dir;
};

void tst_ImageClipboard::initTestCase()
{
    TestEnv::init();
    QVERIFY(m_dir.isValid());
    // The offscreen platform keeps an in-process clipboard; without one there is nothing to verify.
    QGuiApplication::clipboard()->setText(QStringLiteral("probe"));
    if (QGuiApplication::clipboard()->text() != QLatin1String("probe"))
        QSKIP("this platform plugin has no usable clipboard");
}

void tst_ImageClipboard::init()
{
    QGuiApplication::clipboard()->setText(QStringLiteral("before"));
}

LibraryRecord tst_ImageClipboard::writeRecord(const QString& name, QColor color, const QString& prompt)
{
    QImage image(30, 20, QImage::Format_RGB32);
    image.fill(color);
    LibraryRecord record;
    record.id = qHash(name);
    record.filePath = m_dir.filePath(name);
    if (!image.save(record.filePath, "PNG"))
        qFatal("cannot write a test image");
    record.prompt = prompt;
    record.model = QStringLiteral("gpt-image-1.5");
    return record;
}

void tst_ImageClipboard::copiesImageUrlAndPrompt()
{
    const LibraryRecord record = writeRecord(QStringLiteral("red.png"), Qt::red, QStringLiteral("a red square"));
    ImageClipboard clipboard;
    QSignalSpy copied(&clipboard, &ImageClipboard::copied);
    QSignalSpy failed(&clipboard, &ImageClipboard::failed);
    clipboard.copy(record);
    QCOMPARE(clipboardData()->text(), QStringLiteral("before")); // decoding happens off the UI thread first
    QVERIFY(copied.wait(10000));
    QCOMPARE(copied.count(), 1);
    QCOMPARE(failed.count(), 0);

    const QMimeData* data = clipboardData();
    QVERIFY(data->hasImage());
    const QImage image = qvariant_cast<QImage>(data->imageData());
    QCOMPARE(image.size(), QSize(30, 20));
    QCOMPARE(image.pixelColor(5, 5), QColor(Qt::red));
    QCOMPARE(data->urls(), QList<QUrl> {QUrl::fromLocalFile(record.filePath)});
    QCOMPARE(data->text(), QStringLiteral("a red square"));
}

void tst_ImageClipboard::unreadableFileFailsAndLeavesClipboard()
{
    LibraryRecord record;
    record.filePath = m_dir.filePath(QStringLiteral("broken.png"));
    QFile file(record.filePath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("these bytes are not an image");
    file.close();
    record.prompt = QStringLiteral("never shown");

    ImageClipboard clipboard;
    QSignalSpy copied(&clipboard, &ImageClipboard::copied);
    QSignalSpy failed(&clipboard, &ImageClipboard::failed);
    clipboard.copy(record);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(copied.count(), 0);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QLatin1String("broken.png")), qPrintable(message));
    QCOMPARE(clipboardData()->text(), QStringLiteral("before"));
    QVERIFY(!clipboardData()->hasImage());

    // A file that is gone fails the same way.
    record.filePath = m_dir.filePath(QStringLiteral("gone.png"));
    clipboard.copy(record);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.count(), 2);
    QCOMPARE(copied.count(), 0);
}

void tst_ImageClipboard::severalRecordsCopyUrlsAndPrompts()
{
    const LibraryRecord a = writeRecord(QStringLiteral("a.png"), Qt::green, QStringLiteral("first prompt"));
    const LibraryRecord b = writeRecord(QStringLiteral("b.png"), Qt::blue, QStringLiteral("second prompt"));
    ImageClipboard clipboard;
    QSignalSpy copied(&clipboard, &ImageClipboard::copied);
    QSignalSpy failed(&clipboard, &ImageClipboard::failed);
    clipboard.copy(QList<LibraryRecord> {a, b});
    QCOMPARE(copied.count(), 1);
    QCOMPARE(failed.count(), 0);
    const QMimeData* data = clipboardData();
    QVERIFY(!data->hasImage());
    QCOMPARE(data->urls(), (QList<QUrl> {QUrl::fromLocalFile(a.filePath), QUrl::fromLocalFile(b.filePath)}));
    QCOMPARE(data->text(), QStringLiteral("first prompt\n\nsecond prompt"));

    clipboard.copy(QList<LibraryRecord> {});
    QCOMPARE(failed.count(), 1);
    QCOMPARE(copied.count(), 1);
}

void tst_ImageClipboard::laterCopyReplacesOneStillDecoding()
{
    const LibraryRecord first = writeRecord(QStringLiteral("first.png"), Qt::yellow, QStringLiteral("first"));
    const LibraryRecord second = writeRecord(QStringLiteral("second.png"), Qt::cyan, QStringLiteral("second"));
    ImageClipboard clipboard;
    QSignalSpy copied(&clipboard, &ImageClipboard::copied);
    clipboard.copy(first);
    clipboard.copy(second); // before the first decode can be delivered
    QVERIFY(copied.wait(10000));
    backgroundPool()->waitForDone();
    QCoreApplication::processEvents();
    QCOMPARE(copied.count(), 1);
    QCOMPARE(clipboardData()->text(), QStringLiteral("second"));
    QCOMPARE(clipboardData()->urls(), QList<QUrl> {QUrl::fromLocalFile(second.filePath)});
}

QTEST_MAIN(tst_ImageClipboard)
#include "tst_ImageClipboard.moc"
