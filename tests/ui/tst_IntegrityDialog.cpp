#include "common/IntegrityNotice.h"
#include "dialogs/IntegrityDialog.h"
#include "generation/TaskStore.h"
#include "library/ImageMetadata.h"
#include "library/Library.h"

#include "TestEnv.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace Pixapi;

// A real library with two images whose files were deleted and one stray PNG dropped into images/ by hand.
class tst_IntegrityDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void noticeShowsBothCounts();
    void noticeStaysHiddenForACleanLibrary();
    void dialogListsWhatIsWrong();
    void removeMissingDropsTheRows();
    void addUnindexedImportsAndReportsSkipped();
    void verifyFindsChangedContent();
    void rebuildRestoresRowsAndKeepsABackup();
    void rebuildCanBeDeclined();
    void rebuildRefusedByTheGuard();
    void rebuildKeepsTheTasksOfTheStore();

private:
    LibraryRecord store(const QString& prompt, QColor color);
    // Waits for the dialog's running check or repair to end.
    static bool waitIdle(IntegrityDialog& dialog, QSignalSpy& idle, int count);
    static QStringList column(QTreeWidget* list, int column);
    template <typename T>
    static T* child(QObject& parent, const char* name);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Library> m_library;
    QString m_root;
    QList<LibraryRecord> m_stored;
    QString m_stray;
};

template <typename T>
T* tst_IntegrityDialog::child(QObject& parent, const char* name)
{
    auto* found = parent.findChild<T*>(QString::fromLatin1(name));
    if (!found)
        qFatal("no child %s", name);
    return found;
}

void tst_IntegrityDialog::initTestCase()
{
    TestEnv::init();
}

LibraryRecord tst_IntegrityDialog::store(const QString& prompt, QColor color)
{
    QImage pixels(16, 16, QImage::Format_RGB32);
    pixels.fill(color);
    ImageToStore image;
    image.bytes = TestEnv::encodedImage(pixels);
    image.prompt = prompt;
    image.model = QStringLiteral("gpt-image-1.5");
    image.createdAt = QDateTime::currentDateTimeUtc();
    auto future = m_library->store(std::move(image));
    future.waitForFinished();
    if (!future.result().ok())
        qFatal("cannot store a test image");
    return future.result().value();
}

void tst_IntegrityDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_root = m_dir->filePath(QStringLiteral("library"));
    m_library = std::make_unique<Library>(m_root);
    QVERIFY(m_library->open().ok());
    m_stored = {store(QStringLiteral("kept"), Qt::red), store(QStringLiteral("lost one"), Qt::green),
                store(QStringLiteral("lost two"), Qt::blue)};
    QVERIFY(QFile::remove(m_stored.at(1).filePath));
    QVERIFY(QFile::remove(m_stored.at(2).filePath));

    // An exported image (with its settings embedded) copied back into the library by hand.
    QImage stray(12, 12, QImage::Format_RGB32);
    stray.fill(Qt::magenta);
    ImageMetadata metadata;
    metadata.prompt = QStringLiteral("a stray cat");
    metadata.model = QStringLiteral("flux-dev");
    metadata.createdAt = QDateTime::currentDateTimeUtc();
    metadata.embed(stray);
    m_stray = m_root + QStringLiteral("/images/stray.png");
    QVERIFY(stray.save(m_stray, "PNG"));
    QCOMPARE(m_library->count(), 3);
}

void tst_IntegrityDialog::cleanup()
{
    m_library.reset();
    m_dir.reset();
}

bool tst_IntegrityDialog::waitIdle(IntegrityDialog& dialog, QSignalSpy& idle, int count)
{
    return QTest::qWaitFor([&] { return idle.count() >= count && !dialog.isBusy(); }, 30000);
}

QStringList tst_IntegrityDialog::column(QTreeWidget* list, int column)
{
    QStringList texts;
    for (int row = 0; row < list->topLevelItemCount(); ++row)
        texts << list->topLevelItem(row)->text(column);
    texts.sort();
    return texts;
}

void tst_IntegrityDialog::noticeShowsBothCounts()
{
    IntegrityNotice notice;
    QSignalSpy finished(&notice, &IntegrityNotice::checkFinished);
    QSignalSpy review(&notice, &IntegrityNotice::reviewRequested);
    QVERIFY(notice.isHidden());
    notice.checkLibrary(m_root);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.count(), 1);
    QVERIFY(!notice.isHidden());
    const QString text = child<QLabel>(notice, "integrityNoticeLabel")->text();
    QVERIFY2(text.contains(QLatin1String("2 image")) && text.contains(QLatin1String("1 file")), qPrintable(text));

    child<QPushButton>(notice, "integrityNoticeReviewButton")->click();
    QCOMPARE(review.count(), 1);
    child<QToolButton>(notice, "integrityNoticeDismissButton")->click();
    QVERIFY(notice.isHidden());
}

void tst_IntegrityDialog::noticeStaysHiddenForACleanLibrary()
{
    QTemporaryDir other;
    Library clean(other.filePath(QStringLiteral("library")));
    QVERIFY(clean.open().ok());
    IntegrityNotice notice;
    QSignalSpy finished(&notice, &IntegrityNotice::checkFinished);
    notice.checkLibrary(clean.rootDir());
    QVERIFY(finished.wait(30000));
    QVERIFY(notice.isHidden());

    // No library at all: the check fails, and the banner says nothing rather than something wrong.
    notice.checkLibrary(other.filePath(QStringLiteral("nowhere")));
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.count(), 2);
    QVERIFY(notice.isHidden());
}

void tst_IntegrityDialog::dialogListsWhatIsWrong()
{
    IntegrityDialog dialog(m_root, m_library.get());
    QSignalSpy idle(&dialog, &IntegrityDialog::idle);
    QSignalSpy reports(&dialog, &IntegrityDialog::reportChanged);
    dialog.show();
    QVERIFY(waitIdle(dialog, idle, 1));
    QCOMPARE(idle.count(), 1);
    QCOMPARE(reports.count(), 1);
    QCOMPARE(column(child<QTreeWidget>(dialog, "integrityMissingList"), 1),
             (QStringList {QStringLiteral("lost one"), QStringLiteral("lost two")}));
    auto* unindexed = child<QTreeWidget>(dialog, "integrityUnindexedList");
    QCOMPARE(column(unindexed, 0), QStringList {QStringLiteral("images/stray.png")});
    QCOMPARE(column(unindexed, 1), QStringList {QStringLiteral("a stray cat")}); // read from the file
    QCOMPARE(column(unindexed, 2), QStringList {QStringLiteral("flux-dev")});
    QCOMPARE(child<QTreeWidget>(dialog, "integrityChangedList")->topLevelItemCount(), 0);
    QVERIFY(child<QPushButton>(dialog, "integrityRemoveMissingButton")->isEnabled());
    QVERIFY(child<QPushButton>(dialog, "integrityAddUnindexedButton")->isEnabled());
    QVERIFY(child<QLabel>(dialog, "integrityErrorLabel")->isHidden());
}

void tst_IntegrityDialog::removeMissingDropsTheRows()
{
    IntegrityDialog dialog(m_root, m_library.get());
    QSignalSpy idle(&dialog, &IntegrityDialog::idle);
    QSignalSpy changed(&dialog, &IntegrityDialog::libraryChanged);
    QVERIFY(waitIdle(dialog, idle, 1));

    child<QPushButton>(dialog, "integrityRemoveMissingButton")->click();
    QVERIFY(dialog.isBusy());
    QVERIFY(!child<QPushButton>(dialog, "integrityRebuildButton")->isEnabled());
    QVERIFY(waitIdle(dialog, idle, 2));
    QCOMPARE(idle.count(), 2);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_library->count(), 1);
    QCOMPARE(child<QTreeWidget>(dialog, "integrityMissingList")->topLevelItemCount(), 0); // checked again
    QVERIFY(!child<QPushButton>(dialog, "integrityRemoveMissingButton")->isEnabled());
    QCOMPARE(child<QTreeWidget>(dialog, "integrityUnindexedList")->topLevelItemCount(), 1);
    QVERIFY(child<QLabel>(dialog, "integrityMessageLabel")->text().contains(QLatin1String("2")));
}

void tst_IntegrityDialog::addUnindexedImportsAndReportsSkipped()
{
    // Not an image: it cannot be indexed and is reported with the reason.
    const QString junk = m_root + QStringLiteral("/images/notes.png");
    QFile file(junk);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a picture");
    file.close();

    IntegrityDialog dialog(m_root, m_library.get());
    QSignalSpy idle(&dialog, &IntegrityDialog::idle);
    QSignalSpy changed(&dialog, &IntegrityDialog::libraryChanged);
    QVERIFY(waitIdle(dialog, idle, 1));
    QCOMPARE(child<QTreeWidget>(dialog, "integrityUnindexedList")->topLevelItemCount(), 2);

    child<QPushButton>(dialog, "integrityAddUnindexedButton")->click();
    QVERIFY(waitIdle(dialog, idle, 2));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_library->count(), 4);
    bool found = false;
    for (const LibraryRecord& record : m_library->recent(10))
        found = found || (record.prompt == QLatin1String("a stray cat") && record.model == QLatin1String("flux-dev"));
    QVERIFY(found);
    const QString message = child<QLabel>(dialog, "integrityMessageLabel")->text();
    QVERIFY2(message.contains(QLatin1String("notes.png")), qPrintable(message));
    // The junk file stays unindexed; the stray one is gone from the list.
    QCOMPARE(column(child<QTreeWidget>(dialog, "integrityUnindexedList"), 0),
             QStringList {QStringLiteral("images/notes.png")});
}

void tst_IntegrityDialog::verifyFindsChangedContent()
{
    // Same size, other bytes: only the slow check can see it.
    QFile kept(m_stored.at(0).filePath);
    QVERIFY(kept.open(QIODevice::ReadWrite));
    QByteArray bytes = kept.readAll();
    bytes[bytes.size() - 5] = char(bytes.at(bytes.size() - 5) ^ 0x5a);
    kept.seek(0);
    kept.write(bytes);
    kept.close();

    IntegrityDialog dialog(m_root, m_library.get());
    QSignalSpy idle(&dialog, &IntegrityDialog::idle);
    QVERIFY(waitIdle(dialog, idle, 1));
    QCOMPARE(child<QTreeWidget>(dialog, "integrityChangedList")->topLevelItemCount(), 0);
    child<QPushButton>(dialog, "integrityVerifyButton")->click();
    QVERIFY(dialog.isBusy());
    QVERIFY(child<QProgressBar>(dialog, "integrityBusyBar")->isVisibleTo(&dialog));
    QVERIFY(waitIdle(dialog, idle, 2));
    QCOMPARE(column(child<QTreeWidget>(dialog, "integrityChangedList"), 1), QStringList {QStringLiteral("kept")});
    QVERIFY(child<QProgressBar>(dialog, "integrityBusyBar")->isHidden());
}

void tst_IntegrityDialog::rebuildRestoresRowsAndKeepsABackup()
{
    IntegrityDialog dialog(m_root, m_library.get());
    QSignalSpy idle(&dialog, &IntegrityDialog::idle);
    QSignalSpy rebuilt(&dialog, &IntegrityDialog::libraryRebuilt);
    dialog.show();
    QVERIFY(waitIdle(dialog, idle, 1));

    child<QPushButton>(dialog, "integrityRebuildButton")->click();
    auto* confirm = dialog.findChild<QMessageBox*>(QStringLiteral("integrityRebuildConfirm"));
    QVERIFY(confirm);
    QTRY_VERIFY(confirm->isVisible());
    QVERIFY(confirm->text().contains(QLatin1String("backup")));
    child<QPushButton>(*confirm, "integrityRebuildConfirmButton")->click();
    QVERIFY(dialog.isBusy());
    QVERIFY(!child<QPushButton>(dialog, "integrityCloseButton")->isEnabled());
    QVERIFY(waitIdle(dialog, idle, 2));
    QCOMPARE(rebuilt.count(), 1);

    // The rows are the files: the kept image and the stray one; the lost ones are gone.
    QVERIFY(m_library->isOpen());
    QCOMPARE(m_library->count(), 2);
    QStringList prompts;
    for (const LibraryRecord& record : m_library->recent(10))
        prompts << record.prompt;
    prompts.sort();
    QCOMPARE(prompts, (QStringList {QStringLiteral("a stray cat"), QStringLiteral("kept")}));
    QCOMPARE(QDir(m_root).entryList({QStringLiteral("library.sqlite.bak-*")}, QDir::Files).size(), 1);
    QVERIFY(dialog.report().isClean());
    QVERIFY(child<QPushButton>(dialog, "integrityCloseButton")->isEnabled());

    // The library works as before after the reopen.
    QVERIFY(store(QStringLiteral("after the rebuild"), Qt::black).id > 0);
    QCOMPARE(m_library->count(), 3);
}

void tst_IntegrityDialog::rebuildCanBeDeclined()
{
    IntegrityDialog dialog(m_root, m_library.get());
    QSignalSpy idle(&dialog, &IntegrityDialog::idle);
    QSignalSpy rebuilt(&dialog, &IntegrityDialog::libraryRebuilt);
    dialog.show();
    QVERIFY(waitIdle(dialog, idle, 1));
    child<QPushButton>(dialog, "integrityRebuildButton")->click();
    auto* confirm = dialog.findChild<QMessageBox*>(QStringLiteral("integrityRebuildConfirm"));
    QVERIFY(confirm);
    confirm->button(QMessageBox::Cancel)->click();
    QVERIFY(!dialog.isBusy());
    QCOMPARE(rebuilt.count(), 0);
    QVERIFY(m_library->isOpen());
    QCOMPARE(m_library->count(), 3);
    QVERIFY(QDir(m_root).entryList({QStringLiteral("library.sqlite.bak-*")}, QDir::Files).isEmpty());
}

void tst_IntegrityDialog::rebuildRefusedByTheGuard()
{
    const QString reason = QStringLiteral("Wait until the running generations have finished.");
    QString answer = reason;
    int asked = 0;
    IntegrityDialog dialog(m_root, m_library.get());
    dialog.setRebuildGuard([&answer, &asked] {
        ++asked;
        return answer;
    });
    QSignalSpy idle(&dialog, &IntegrityDialog::idle);
    QSignalSpy rebuilt(&dialog, &IntegrityDialog::libraryRebuilt);
    dialog.show();
    QVERIFY(waitIdle(dialog, idle, 1));
    auto* errorLabel = child<QLabel>(dialog, "integrityErrorLabel");

    // Refused before the question is asked.
    child<QPushButton>(dialog, "integrityRebuildButton")->click();
    QCOMPARE(asked, 1);
    QVERIFY(!dialog.findChild<QMessageBox*>(QStringLiteral("integrityRebuildConfirm")));
    QVERIFY(!dialog.isBusy());
    QVERIFY(errorLabel->isVisibleTo(&dialog));
    QVERIFY2(errorLabel->text().contains(reason), qPrintable(errorLabel->text()));

    // Allowed when asked, refused when confirmed: a generation started while the question was open.
    answer.clear();
    child<QPushButton>(dialog, "integrityRebuildButton")->click();
    auto* confirm = dialog.findChild<QMessageBox*>(QStringLiteral("integrityRebuildConfirm"));
    QVERIFY(confirm);
    answer = reason;
    child<QPushButton>(*confirm, "integrityRebuildConfirmButton")->click();
    QCOMPARE(asked, 3);
    QVERIFY(!dialog.isBusy());
    QVERIFY2(errorLabel->text().contains(reason), qPrintable(errorLabel->text()));

    QCOMPARE(idle.count(), 1);
    QCOMPARE(rebuilt.count(), 0);
    QVERIFY(m_library->isOpen());
    QCOMPARE(m_library->count(), 3);
    QVERIFY(QDir(m_root).entryList({QStringLiteral("library.sqlite.bak-*")}, QDir::Files).isEmpty());
}

void tst_IntegrityDialog::rebuildKeepsTheTasksOfTheStore()
{
    TaskStore store(m_root);
    QVERIFY(store.open().ok());
    GenerationParams params;
    params.model = QStringLiteral("nano-banana");
    params.prompt = QStringLiteral("paid for, still running");
    const qint64 id = store.insertSubmitting(params, {}).value();
    QVERIFY(store.setRemoteId(id, QStringLiteral("task_123"), QStringLiteral("processing")));

    IntegrityDialog dialog(m_root, m_library.get());
    dialog.setTaskStore(&store);
    dialog.setRebuildGuard([] { return QString(); });
    QSignalSpy idle(&dialog, &IntegrityDialog::idle);
    QSignalSpy rebuilt(&dialog, &IntegrityDialog::libraryRebuilt);
    dialog.show();
    QVERIFY(waitIdle(dialog, idle, 1));
    child<QPushButton>(dialog, "integrityRebuildButton")->click();
    auto* confirm = dialog.findChild<QMessageBox*>(QStringLiteral("integrityRebuildConfirm"));
    QVERIFY(confirm);
    child<QPushButton>(*confirm, "integrityRebuildConfirmButton")->click();
    QVERIFY(dialog.isBusy());
    QVERIFY(!store.isOpen()); // closed with the library while the file is swapped
    QVERIFY(waitIdle(dialog, idle, 2));
    QCOMPARE(rebuilt.count(), 1);
    QVERIFY(child<QLabel>(dialog, "integrityErrorLabel")->isHidden());

    QVERIFY(store.isOpen());
    const QList<TaskRow> pending = store.pending();
    QCOMPARE(pending.size(), 1);
    QCOMPARE(pending.at(0).id, id);
    QCOMPARE(pending.at(0).remoteId, QStringLiteral("task_123"));
    QCOMPARE(pending.at(0).params.prompt, params.prompt);

    // The reopened store writes to the new index, not to the backup: a restart sees the new row.
    const qint64 later = store.insertSubmitting(params, {}).value();
    TaskStore afterRestart(m_root);
    QVERIFY(afterRestart.open().ok());
    QVERIFY(afterRestart.find(later));
    QCOMPARE(afterRestart.pending().size(), 2);
}

QTEST_MAIN(tst_IntegrityDialog)
#include "tst_IntegrityDialog.moc"
