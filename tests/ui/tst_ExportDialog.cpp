#include "dialogs/ExportDialog.h"
#include "library/Exporter.h"
#include "library/ImageMetadata.h"
#include "library/Library.h"
#include "settings/Settings.h"
#include "support/BackgroundWork.h"

#include "TestEnv.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

using namespace Pixapi;

// The export dialog driven as a user would, over images stored in a real temporary library.
class tst_ExportDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void exportsJpegWithPatternNamesAndMetadata();
    void stripPromptLeavesNoPrompt();
    void cancelStopsAndReportsWhatWasWritten();
    void missingFolderIsRefused();
    void settingsAreRememberedAndEnterExports();
    void controlsFollowFormatAndEmbed();
    void failuresAreListedWithReasons();

private:
    QList<LibraryRecord> storeImages(int count);
    // Fills the options as a user would: folder, format (by data), pattern.
    static void fillOptions(ExportDialog& dialog, const QString& folder, const QString& format, const QString& pattern);
    static QStringList filesIn(const QString& folder);
    template <typename T>
    static T* child(QObject& parent, const char* name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<Library> m_library;
};

template <typename T>
T* tst_ExportDialog::child(QObject& parent, const char* name)
{
    auto* found = parent.findChild<T*>(QString::fromLatin1(name));
    if (!found)
        qFatal("no child %s", name);
    return found;
}

void tst_ExportDialog::initTestCase()
{
    TestEnv::init();
}

void tst_ExportDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_library = std::make_unique<Library>(m_dir->filePath(QStringLiteral("library")));
    QVERIFY(m_library->open().ok());
}

void tst_ExportDialog::cleanup()
{
    m_library.reset();
    m_settings.reset();
    m_dir.reset();
}

QList<LibraryRecord> tst_ExportDialog::storeImages(int count)
{
    QList<LibraryRecord> records;
    for (int i = 0; i < count; ++i) {
        QImage pixels(24, 16, QImage::Format_RGB32);
        pixels.fill(QColor::fromHsv((i * 37) % 360, 200, 200));
        ImageToStore image;
        image.bytes = TestEnv::encodedImage(pixels);
        image.prompt = QStringLiteral("a lighthouse number %1 at dusk").arg(i + 1);
        image.model = QStringLiteral("gpt-image-1.5");
        image.requestId = QStringLiteral("req-%1").arg(i);
        image.index = i;
        image.createdAt = QDateTime::currentDateTimeUtc().addSecs(-60LL * i);
        auto future = m_library->store(std::move(image));
        future.waitForFinished();
        if (!future.result().ok())
            qFatal("cannot store a test image");
        records.append(future.result().value());
    }
    return records;
}

void tst_ExportDialog::fillOptions(ExportDialog& dialog, const QString& folder, const QString& format,
                                   const QString& pattern)
{
    child<QLineEdit>(dialog, "exportFolderEdit")->setText(folder);
    auto* formats = child<QComboBox>(dialog, "exportFormatCombo");
    formats->setCurrentIndex(formats->findData(format));
    QVERIFY(formats->currentIndex() >= 0);
    child<QLineEdit>(dialog, "exportPatternEdit")->setText(pattern);
}

QStringList tst_ExportDialog::filesIn(const QString& folder)
{
    return QDir(folder).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

void tst_ExportDialog::exportsJpegWithPatternNamesAndMetadata()
{
    const QList<LibraryRecord> records = storeImages(3);
    const QString out = m_dir->filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(out));
    ExportDialog dialog(records, m_settings.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    fillOptions(dialog, out, QStringLiteral("jpeg"), QStringLiteral("{prompt:20}_{index}"));
    child<QCheckBox>(dialog, "exportEmbedCheck")->setChecked(true);
    child<QCheckBox>(dialog, "exportStripCheck")->setChecked(false);
    QCOMPARE(child<QLabel>(dialog, "exportPreviewLabel")->text(),
             Exporter::expandPattern(QStringLiteral("{prompt:20}_{index}"), records.first(), 1, 3)
                 + QStringLiteral(".jpg"));
    auto* exportButton = child<QPushButton>(dialog, "exportButton");
    QVERIFY(exportButton->text().contains(QLatin1String("3")));

    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.count(), 1);

    QStringList expected;
    for (int i = 0; i < records.size(); ++i)
        expected << Exporter::expandPattern(QStringLiteral("{prompt:20}_{index}"), records.at(i), i + 1, 3)
                        + QStringLiteral(".jpg");
    expected.sort();
    QCOMPARE(filesIn(out), expected);
    QCOMPARE(dialog.writtenFiles().size(), 3);
    for (int i = 0; i < records.size(); ++i) {
        const QString path =
            QDir(out).filePath(Exporter::expandPattern(QStringLiteral("{prompt:20}_{index}"), records.at(i), i + 1, 3)
                               + QStringLiteral(".jpg"));
        QCOMPARE(QImageReader(path).format(), QByteArray("jpeg"));
        const auto metadata = ImageMetadata::read(path);
        QVERIFY(metadata.has_value());
        QCOMPARE(metadata->prompt, records.at(i).prompt);
        QCOMPARE(metadata->model, records.at(i).model);
    }
    QCOMPARE(child<QStackedWidget>(dialog, "exportPages")->currentWidget()->objectName(),
             QStringLiteral("exportSummaryPage"));
    const QString summary = child<QLabel>(dialog, "exportSummaryLabel")->text();
    QVERIFY2(summary.contains(QDir::toNativeSeparators(QDir(out).absolutePath())), qPrintable(summary));
    QVERIFY(summary.startsWith(QLatin1String("3 ")));
    QVERIFY(child<QListWidget>(dialog, "exportFailuresList")->isHidden());
    QVERIFY(child<QPushButton>(dialog, "exportShowFolderButton")->isVisible());
    QCOMPARE(child<QPushButton>(dialog, "exportCancelButton")->text(), QStringLiteral("Close"));
}

void tst_ExportDialog::stripPromptLeavesNoPrompt()
{
    const QList<LibraryRecord> records = storeImages(2);
    const QString out = m_dir->filePath(QStringLiteral("stripped"));
    QVERIFY(QDir().mkpath(out));
    ExportDialog dialog(records, m_settings.get());
    fillOptions(dialog, out, QStringLiteral("png"), QStringLiteral("{id}"));
    child<QCheckBox>(dialog, "exportEmbedCheck")->setChecked(true);
    child<QCheckBox>(dialog, "exportStripCheck")->setChecked(true);
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    child<QPushButton>(dialog, "exportButton")->click();
    QVERIFY(finished.wait(30000));

    QCOMPARE(filesIn(out).size(), 2);
    for (const LibraryRecord& record : records) {
        const auto metadata =
            ImageMetadata::read(QDir(out).filePath(QString::number(record.id) + QStringLiteral(".png")));
        QVERIFY(metadata.has_value());
        QVERIFY(metadata->prompt.isEmpty());
        QCOMPARE(metadata->model, record.model); // the rest of the settings stays
    }
}

void tst_ExportDialog::cancelStopsAndReportsWhatWasWritten()
{
    // Many records over one large noisy file: each PNG encode takes long enough to cancel in between.
    QImage noise(1600, 1600, QImage::Format_RGB32);
    quint32 seed = 12345;
    for (int y = 0; y < noise.height(); ++y) {
        auto* line = reinterpret_cast<QRgb*>(noise.scanLine(y));
        for (int x = 0; x < noise.width(); ++x) {
            seed = seed * 1664525u + 1013904223u;
            line[x] = seed | 0xff000000u;
        }
    }
    const QString source = m_dir->filePath(QStringLiteral("noise.png"));
    QVERIFY(noise.save(source, "PNG", 100));
    QList<LibraryRecord> records;
    for (int i = 0; i < 60; ++i) {
        LibraryRecord record;
        record.id = i + 1;
        record.filePath = source;
        record.prompt = QStringLiteral("noise");
        record.createdAt = QDateTime::currentDateTimeUtc();
        records.append(record);
    }
    const QString out = m_dir->filePath(QStringLiteral("cancelled"));
    QVERIFY(QDir().mkpath(out));
    ExportDialog dialog(records, m_settings.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    fillOptions(dialog, out, QStringLiteral("png"), QStringLiteral("{index}"));
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    child<QPushButton>(dialog, "exportButton")->click();
    QVERIFY(dialog.isExporting());
    QTRY_VERIFY_WITH_TIMEOUT(child<QProgressBar>(dialog, "exportProgressBar")->value() >= 1, 30000);

    QTest::keyClick(&dialog, Qt::Key_Escape); // cancels the export, does not close the dialog
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.count(), 1);
    QVERIFY(dialog.isVisible());
    const QStringList written = filesIn(out);
    QVERIFY2(written.size() >= 1 && written.size() < 60, qPrintable(QString::number(written.size())));
    // Every file on disk is reported, including the one that was being written when Cancel came.
    QCOMPARE(dialog.writtenFiles().size(), written.size());
    const QString summary = child<QLabel>(dialog, "exportSummaryLabel")->text();
    QVERIFY2(summary.contains(QLatin1String("cancelled")), qPrintable(summary));
    QVERIFY2(summary.contains(QString::number(written.size()) + QLatin1Char(' ')), qPrintable(summary));
    // Nothing more appears afterwards.
    backgroundPool()->waitForDone();
    QCOMPARE(filesIn(out), written);

    QTest::keyClick(&dialog, Qt::Key_Escape); // now it closes
    QVERIFY(!dialog.isVisible());
}

void tst_ExportDialog::missingFolderIsRefused()
{
    const QList<LibraryRecord> records = storeImages(1);
    const QString missing = m_dir->filePath(QStringLiteral("no/such/folder"));
    ExportDialog dialog(records, m_settings.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    fillOptions(dialog, missing, QStringLiteral("png"), QStringLiteral("{index}"));
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    child<QPushButton>(dialog, "exportButton")->click();

    auto* error = child<QLabel>(dialog, "exportErrorLabel");
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QLatin1String("does not exist")), qPrintable(error->text()));
    QVERIFY(!dialog.isExporting());
    QCOMPARE(child<QStackedWidget>(dialog, "exportPages")->currentWidget()->objectName(),
             QStringLiteral("exportOptionsPage"));
    QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("no"))));
    QCOMPARE(finished.count(), 0);
    // Nothing was remembered from a refused export.
    QVERIFY(m_settings->value(Settings::Key::ExportFolder).toString().isEmpty());

    // A file is not a folder either.
    const QString file = m_dir->filePath(QStringLiteral("a-file"));
    QFile(file).open(QIODevice::WriteOnly);
    child<QLineEdit>(dialog, "exportFolderEdit")->setText(file);
    QVERIFY(error->isHidden()); // editing the folder clears the old complaint
    child<QPushButton>(dialog, "exportButton")->click();
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QLatin1String("not a folder")), qPrintable(error->text()));
    QVERIFY(!dialog.isExporting());
}

void tst_ExportDialog::settingsAreRememberedAndEnterExports()
{
    const QList<LibraryRecord> records = storeImages(2);
    const QString out = m_dir->filePath(QStringLiteral("remembered"));
    QVERIFY(QDir().mkpath(out));
    {
        ExportDialog dialog(records, m_settings.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        fillOptions(dialog, out, QStringLiteral("jpeg"), QStringLiteral("{model}-{index}"));
        child<QSpinBox>(dialog, "exportQualitySpin")->setValue(55);
        child<QCheckBox>(dialog, "exportEmbedCheck")->setChecked(true);
        child<QCheckBox>(dialog, "exportStripCheck")->setChecked(true);
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        QTest::keyClick(child<QLineEdit>(dialog, "exportPatternEdit"), Qt::Key_Return); // Enter = Export
        QVERIFY(finished.wait(30000));
        QCOMPARE(filesIn(out).size(), 2);
    }
    ExportDialog second(records, m_settings.get());
    QCOMPARE(QDir::fromNativeSeparators(child<QLineEdit>(second, "exportFolderEdit")->text()),
             QDir(out).absolutePath());
    QCOMPARE(child<QComboBox>(second, "exportFormatCombo")->currentData().toString(), QStringLiteral("jpeg"));
    QCOMPARE(child<QSpinBox>(second, "exportQualitySpin")->value(), 55);
    QCOMPARE(child<QLineEdit>(second, "exportPatternEdit")->text(), QStringLiteral("{model}-{index}"));
    QVERIFY(child<QCheckBox>(second, "exportEmbedCheck")->isChecked());
    QVERIFY(child<QCheckBox>(second, "exportStripCheck")->isChecked());
}

void tst_ExportDialog::controlsFollowFormatAndEmbed()
{
    const QList<LibraryRecord> records = storeImages(1);
    ExportDialog dialog(records, m_settings.get());
    auto* formats = child<QComboBox>(dialog, "exportFormatCombo");
    auto* quality = child<QSpinBox>(dialog, "exportQualitySpin");
    auto* embed = child<QCheckBox>(dialog, "exportEmbedCheck");
    auto* strip = child<QCheckBox>(dialog, "exportStripCheck");
    formats->setCurrentIndex(formats->findData(QStringLiteral("png")));
    QVERIFY(!quality->isEnabled());
    formats->setCurrentIndex(formats->findData(QStringLiteral("jpeg")));
    QVERIFY(quality->isEnabled());
    embed->setChecked(false);
    QVERIFY(!strip->isEnabled());
    embed->setChecked(true);
    QVERIFY(strip->isEnabled());
    QCOMPARE(formats->findData(QStringLiteral("webp")) >= 0, Exporter::availableFormats().contains("webp"));
    // Default folder without a remembered one: Pictures.
    QCOMPARE(QDir::fromNativeSeparators(child<QLineEdit>(dialog, "exportFolderEdit")->text()),
             QStandardPaths::writableLocation(QStandardPaths::PicturesLocation));
}

void tst_ExportDialog::failuresAreListedWithReasons()
{
    QList<LibraryRecord> records = storeImages(2);
    QVERIFY(QFile::remove(records.at(1).filePath)); // gone since the grid showed it
    const QString out = m_dir->filePath(QStringLiteral("partial"));
    QVERIFY(QDir().mkpath(out));
    ExportDialog dialog(records, m_settings.get());
    fillOptions(dialog, out, QStringLiteral("png"), QStringLiteral("{id}"));
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
    child<QPushButton>(dialog, "exportButton")->click();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.count(), 1);

    QCOMPARE(filesIn(out), QStringList {QString::number(records.at(0).id) + QStringLiteral(".png")});
    QCOMPARE(dialog.writtenFiles().size(), 1);
    auto* failures = child<QListWidget>(dialog, "exportFailuresList");
    QVERIFY(!failures->isHidden());
    QCOMPARE(failures->count(), 1);
    const QString line = failures->item(0)->text();
    QVERIFY2(line.startsWith(QFileInfo(records.at(1).filePath).fileName() + QStringLiteral(": ")), qPrintable(line));
    QVERIFY(child<QLabel>(dialog, "exportSummaryLabel")->text().startsWith(QLatin1String("1 ")));
}

QTEST_MAIN(tst_ExportDialog)
#include "tst_ExportDialog.moc"
