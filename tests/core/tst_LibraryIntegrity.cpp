#include "TestEnv.h"
#include "compare/BoardStore.h"
#include "generation/TaskStore.h"
#include "library/ImageMetadata.h"
#include "library/Library.h"
#include "library/LibraryIntegrity.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QImage>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Pixapi;

namespace {

QByteArray png(QColor color, const std::optional<ImageMetadata>& metadata = std::nullopt)
{
    QImage image(24, 16, QImage::Format_RGB32);
    image.fill(color);
    if (metadata)
        metadata->embed(image);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "png"))
        qFatal("cannot encode a test image");
    return bytes;
}

// Waits for any future through the event loop.
template <typename T>
T waitFor(QFuture<T> future)
{
    QFutureWatcher<T> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    if (finished.count() == 0 && !finished.wait(30000))
        qFatal("a library job did not finish");
    return future.result();
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        qFatal("cannot write a test file");
}

} // namespace

class tst_LibraryIntegrity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_library = std::make_unique<Library>(m_dir->path());
        QVERIFY(m_library->open());
        const QList<QColor> colors {Qt::red, Qt::green, Qt::blue};
        m_records.clear();
        for (int i = 0; i < colors.size(); ++i) {
            ImageToStore image;
            image.bytes = png(colors.at(i));
            image.prompt = QStringLiteral("stored %1").arg(i);
            image.model = QStringLiteral("nano-banana");
            image.requestId = QStringLiteral("req-%1").arg(i);
            image.params =
                QJsonObject {{QStringLiteral("size"), QStringLiteral("24x16")}, {QStringLiteral("index"), i}};
            image.createdAt = QDateTime(QDate(2024, 3, 5), QTime(10, 0, i), Qt::UTC);
            image.index = i;
            const auto stored = waitFor(m_library->store(image));
            QVERIFY(stored);
            m_records.append(stored.value());
        }
    }
    void cleanup()
    {
        m_library.reset();
        m_dir.reset();
    }

    void cleanLibrary()
    {
        const auto report = waitFor(LibraryIntegrity::check(m_dir->path()));
        QVERIFY(report);
        QVERIFY(report.value().isClean());
        QCOMPARE(report.value().rowsChecked, 3);
        QCOMPARE(report.value().filesChecked, 3);
    }

    void findsAndRepairs()
    {
        const QString root = m_dir->path();
        // Missing: the file of row 0 is gone.
        QVERIFY(QFile::remove(m_records.at(0).filePath));
        // Hash mismatch with the same size: row 1's file is replaced by bytes of the same length.
        QFile changed(m_records.at(1).filePath);
        QVERIFY(changed.open(QIODevice::ReadWrite));
        const QByteArray original = changed.readAll();
        changed.seek(original.size() - 1);
        changed.write(QByteArray(1, char(original.back() ^ 0x55)));
        changed.close();
        // Orphans: an exported image with its settings, a library-named file without any, and junk.
        ImageMetadata metadata;
        metadata.prompt = QStringLiteral("recovered prompt ✓");
        metadata.model = QStringLiteral("gpt-image-1");
        metadata.params = QJsonObject {{QStringLiteral("size"), QStringLiteral("24x16")}};
        metadata.createdAt = QDateTime(QDate(2023, 1, 2), QTime(3, 4, 5), Qt::UTC);
        const QString exported = root + QStringLiteral("/images/2023/01/exported.png");
        writeFile(exported, png(Qt::yellow, metadata));
        const QString bare = root + QStringLiteral("/images/2022/07/20220708-091011-abcdef123456-0.png");
        writeFile(bare, png(Qt::cyan));
        const QString junk = root + QStringLiteral("/images/notes.txt");
        writeFile(junk, "not an image");

        // Sizes alone do not see the same-size change.
        const auto quick = waitFor(LibraryIntegrity::check(root, false));
        QVERIFY(quick);
        QVERIFY(quick.value().mismatched.isEmpty());

        const auto report = waitFor(LibraryIntegrity::check(root));
        QVERIFY(report);
        QCOMPARE(report.value().rowsChecked, 3);
        QCOMPARE(report.value().filesChecked, 5);
        QCOMPARE(report.value().missing.size(), 1);
        QCOMPARE(report.value().missing.at(0).id, m_records.at(0).id);
        QCOMPARE(report.value().mismatched.size(), 1);
        QCOMPARE(report.value().mismatched.at(0).id, m_records.at(1).id);
        QCOMPARE(report.value().orphans,
                 QStringList({QDir::cleanPath(bare), QDir::cleanPath(exported), QDir::cleanPath(junk)}));

        // Repair: an id whose file exists is not dropped even if asked.
        const auto dropped = waitFor(LibraryIntegrity::dropMissing(root, {m_records.at(0).id, m_records.at(2).id}));
        QVERIFY(dropped);
        QCOMPARE(dropped.value(), 1);
        QCOMPARE(m_library->count(), 2);

        const auto imported = waitFor(LibraryIntegrity::importOrphans(root, report.value().orphans));
        QVERIFY(imported);
        QCOMPARE(imported.value().imported.size(), 2);
        QCOMPARE(imported.value().skipped.size(), 1);
        QVERIFY(imported.value().skipped.at(0).startsWith(QDir::cleanPath(junk)));
        QCOMPARE(m_library->count(), 4);

        // Importing again fails per file (the file is already indexed), without a duplicate row.
        const auto again = waitFor(LibraryIntegrity::importOrphans(root, {exported}));
        QVERIFY(again);
        QCOMPARE(again.value().imported.size(), 0);
        QCOMPARE(again.value().skipped.size(), 1);
        QCOMPARE(m_library->count(), 4);

        const QList<LibraryRecord> rows = m_library->recent(10);
        const auto find = [&rows](const QString& path) {
            for (const LibraryRecord& row : rows)
                if (row.filePath == QDir::cleanPath(path))
                    return row;
            return LibraryRecord();
        };
        const LibraryRecord withSettings = find(exported);
        QCOMPARE(withSettings.prompt, metadata.prompt);
        QCOMPARE(withSettings.model, metadata.model);
        QCOMPARE(withSettings.params, metadata.params);
        QCOMPARE(withSettings.createdAt, metadata.createdAt);
        QCOMPARE(withSettings.width, 24);
        const LibraryRecord minimal = find(bare);
        QVERIFY(minimal.id > 0);
        QVERIFY(minimal.prompt.isEmpty());
        QCOMPARE(minimal.createdAt, QDateTime(QDate(2022, 7, 8), QTime(9, 10, 11), Qt::UTC));
        QCOMPARE(minimal.format, QStringLiteral("png"));

        const auto after = waitFor(LibraryIntegrity::check(root));
        QVERIFY(after);
        QVERIFY(after.value().missing.isEmpty());
        QCOMPARE(after.value().orphans, QStringList({QDir::cleanPath(junk)}));
        QCOMPARE(after.value().mismatched.size(), 1);
    }

    void importRefusesFilesOutsideTheLibrary()
    {
        QTemporaryDir elsewhere;
        const QString outside = elsewhere.filePath(QStringLiteral("x.png"));
        writeFile(outside, png(Qt::gray));
        const auto imported = waitFor(LibraryIntegrity::importOrphans(m_dir->path(), {outside}));
        QVERIFY(imported);
        QVERIFY(imported.value().imported.isEmpty());
        QCOMPARE(imported.value().skipped.size(), 1);
        QCOMPARE(m_library->count(), 3);
    }

    void rebuildsIndexFromFiles()
    {
        const QString root = m_dir->path();
        ImageMetadata metadata;
        metadata.prompt = QStringLiteral("from an export");
        metadata.model = QStringLiteral("flux");
        writeFile(root + QStringLiteral("/images/imported/e.png"), png(Qt::magenta, metadata));
        writeFile(root + QStringLiteral("/images/junk.bin"), "junk");
        QVERIFY(QFile::remove(m_records.at(2).filePath));
        m_library.reset(); // no Library may have the index open during a rebuild
        // Left by a crash: reading the tasks recovers it into the old index, it must not stay next to the new one.
        writeFile(root + QStringLiteral("/library.sqlite-wal"), "stale");

        const auto rebuilt = waitFor(LibraryIntegrity::rebuildIndex(root));
        QVERIFY2(rebuilt, rebuilt ? "" : qPrintable(rebuilt.error().detail));
        QCOMPARE(rebuilt.value(), 3); // two stored files left + the export; the junk is skipped

        const QStringList backups = QDir(root).entryList({QStringLiteral("library.sqlite.bak-*[0-9]")}, QDir::Files);
        QCOMPARE(backups.size(), 1);
        QVERIFY(!QFileInfo::exists(root + QStringLiteral("/library.sqlite-wal")));
        QVERIFY(QDir(root).entryList({QStringLiteral(".rebuild-*")}, QDir::Dirs | QDir::Hidden).isEmpty());

        Library reopened(root);
        QVERIFY(reopened.open());
        QCOMPARE(reopened.count(), 3);
        bool restored = false;
        for (const LibraryRecord& row : reopened.recent(10)) {
            QVERIFY(QFileInfo::exists(row.filePath));
            if (row.prompt == metadata.prompt && row.model == metadata.model)
                restored = true;
        }
        QVERIFY(restored);
        const auto report = waitFor(LibraryIntegrity::check(root));
        QVERIFY(report);
        QVERIFY(report.value().missing.isEmpty());
        QVERIFY(report.value().mismatched.isEmpty());
        QCOMPARE(report.value().orphans, QStringList({root + QStringLiteral("/images/junk.bin")}));
    }

    // The library's own files carry their settings: a rebuild after close() brings every one of them back.
    void rebuildKeepsStoredSettings()
    {
        const QString root = m_dir->path();
        m_library->close();
        QVERIFY(!m_library->isOpen());
        const auto rebuilt = waitFor(LibraryIntegrity::rebuildIndex(root));
        QVERIFY2(rebuilt, rebuilt ? "" : qPrintable(rebuilt.error().detail));
        QCOMPARE(rebuilt.value(), 3);
        QVERIFY(m_library->open());

        LibraryQuery query;
        query.text = QStringLiteral("stored");
        query.sort = LibraryQuery::Sort::Oldest;
        const auto found = waitFor(m_library->search(query));
        QVERIFY(found);
        QCOMPARE(found.value().size(), 3);
        for (int i = 0; i < 3; ++i) {
            const LibraryRecord& row = found.value().at(i);
            const LibraryRecord& stored = m_records.at(i);
            QCOMPARE(row.filePath, stored.filePath);
            QCOMPARE(row.prompt, stored.prompt);
            QCOMPARE(row.model, stored.model);
            QCOMPARE(row.params, stored.params);
            QCOMPARE(row.requestId, stored.requestId);
            QCOMPARE(row.createdAt, stored.createdAt);
            QCOMPARE(row.sha256, stored.sha256);
        }
    }

    // An orphaned library file (its row lost) is imported with everything it carries.
    void importRestoresStoredSettings()
    {
        const LibraryRecord& stored = m_records.at(1);
        const QString aside = stored.filePath + QStringLiteral(".aside");
        QVERIFY(QFile::rename(stored.filePath, aside));
        const auto dropped = waitFor(LibraryIntegrity::dropMissing(m_dir->path(), {stored.id}));
        QVERIFY(dropped);
        QCOMPARE(dropped.value(), 1);
        QVERIFY(QFile::rename(aside, stored.filePath));

        const auto imported = waitFor(LibraryIntegrity::importOrphans(m_dir->path(), {stored.filePath}));
        QVERIFY(imported);
        QCOMPARE(imported.value().imported.size(), 1);
        const LibraryRecord& row = imported.value().imported.at(0);
        QCOMPARE(row.prompt, stored.prompt);
        QCOMPARE(row.model, stored.model);
        QCOMPARE(row.params, stored.params);
        QCOMPARE(row.requestId, stored.requestId);
        QCOMPARE(row.createdAt, stored.createdAt);
        QCOMPARE(m_library->count(), 3);
    }

    // Paid async tasks live only in the index: a rebuild carries them over, ids and all, so a restart resumes them.
    void rebuildKeepsTasks()
    {
        const QString root = m_dir->path();
        GenerationParams params;
        params.model = QStringLiteral("nano-banana");
        params.prompt = QStringLiteral("still running");
        params.n = 2;
        qint64 running = 0;
        qint64 finished = 0;
        {
            TaskStore store(root);
            QVERIFY(store.open());
            running = store.insertSubmitting(params, QStringLiteral("work"), 3.0, {m_records.at(0).id}).value();
            QVERIFY(store.setRemoteId(running, QStringLiteral("task_abc"), QStringLiteral("processing")));
            finished = store.insertSubmitting(params, {}).value();
            QVERIFY(store.setState(finished, TaskRow::State::Completed));
        }
        m_library->close();
        const auto rebuilt = waitFor(LibraryIntegrity::rebuildIndex(root));
        QVERIFY2(rebuilt, rebuilt ? "" : qPrintable(rebuilt.error().detail));
        QCOMPARE(rebuilt.value(), 3);

        TaskStore store(root);
        QVERIFY(store.open());
        const QList<TaskRow> pending = store.pending();
        QCOMPARE(pending.size(), 1);
        const TaskRow& row = pending.at(0);
        QCOMPARE(row.id, running);
        QCOMPARE(row.remoteId, QStringLiteral("task_abc"));
        QCOMPARE(row.state, TaskRow::State::Running);
        QCOMPARE(row.remoteStatus, QStringLiteral("processing"));
        QCOMPARE(row.params.prompt, params.prompt);
        QCOMPARE(row.params.n, 2);
        QCOMPARE(row.creditsPerImage, std::optional<double>(3.0));
        QCOMPARE(row.parentIds, QList<qint64> {m_records.at(0).id});
        QCOMPARE(row.accountId, QStringLiteral("work"));
        QVERIFY(store.find(finished));
        QCOMPARE(store.find(finished)->state, TaskRow::State::Completed);
        // New tasks get fresh ids, not ones the copied rows have.
        QVERIFY(store.insertSubmitting(params, {}).value() > finished);
    }

    // Boards live only in the index too: a rebuild keeps them, and their cells keep their images although the
    // images get new ids (the links follow the files).
    void rebuildKeepsBoards()
    {
        const QString root = m_dir->path();
        BoardSpec spec;
        spec.base.prompt = QStringLiteral("stored {n}");
        spec.models = {QStringLiteral("nano-banana"), QStringLiteral("gpt-image-1")};
        qint64 boardId = 0;
        {
            BoardStore store(root);
            QVERIFY(store.open().ok());
            boardId = store.create(spec).value();
            BoardCell cell;
            cell.state = BoardCell::State::Done;
            cell.latencyMs = 900;
            cell.credits = 2;
            cell.images = {m_records.at(2)};
            QVERIFY(store.saveCell(boardId, 0, cell).ok());
            cell.images = {m_records.at(0)};
            QVERIFY(store.saveCell(boardId, 1, cell).ok());
            QVERIFY(store.setVerdict(boardId, 1, QStringLiteral("warmer")).ok());
        }
        // Without the middle file the last image gets another id: links that kept the old ids would point nowhere.
        QVERIFY(QFile::remove(m_records.at(1).filePath));
        m_library->close();
        const auto rebuilt = waitFor(LibraryIntegrity::rebuildIndex(root));
        QVERIFY2(rebuilt, rebuilt ? "" : qPrintable(rebuilt.error().detail));

        BoardStore store(root);
        QVERIFY(store.open().ok());
        const auto saved = store.load(boardId);
        QVERIFY(saved.ok());
        QCOMPARE(saved.value().spec.base.prompt, spec.base.prompt);
        QCOMPARE(saved.value().winner, std::optional<int>(1));
        QCOMPARE(saved.value().note, QStringLiteral("warmer"));
        QCOMPARE(saved.value().cells.at(0).latencyMs, 900);
        for (const auto& [cell, record] : {std::pair {0, m_records.at(2)}, std::pair {1, m_records.at(0)}}) {
            QCOMPARE(saved.value().cells.at(cell).images.size(), 1);
            const LibraryRecord& linked = saved.value().cells.at(cell).images.at(0);
            QCOMPARE(QFileInfo(linked.filePath).fileName(), QFileInfo(record.filePath).fileName());
            QCOMPARE(linked.sha256, record.sha256);
        }
        QCOMPARE(store.winsByModel().value(QStringLiteral("gpt-image-1")), 1);
    }

    // A broken index may be why the user rebuilds: the rebuild still succeeds, without tasks, and says so.
    void rebuildFromAnUnreadableIndexDropsTasks()
    {
        const QString root = m_dir->path();
        m_library.reset();
        writeFile(root + QStringLiteral("/library.sqlite"),
                  QByteArray("this is not a database, just junk").repeated(512));
        writeFile(root + QStringLiteral("/library.sqlite-wal"), "stale");
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("tasks.*cannot be carried over")));
        const auto rebuilt = waitFor(LibraryIntegrity::rebuildIndex(root));
        QVERIFY2(rebuilt, rebuilt ? "" : qPrintable(rebuilt.error().detail));
        QCOMPARE(rebuilt.value(), 3);
        const QStringList backups = QDir(root).entryList({QStringLiteral("library.sqlite.bak-*[0-9]")}, QDir::Files);
        QCOMPARE(backups.size(), 1);
        QVERIFY(!QFileInfo::exists(root + QStringLiteral("/library.sqlite-wal"))); // never replayed into the new one

        TaskStore store(root);
        QVERIFY(store.open());
        QVERIFY(store.recent(10).isEmpty());
        Library reopened(root);
        QVERIFY(reopened.open());
        QCOMPARE(reopened.count(), 3);
    }

    void unreadableIndexFails()
    {
        QTemporaryDir empty;
        writeFile(empty.filePath(QStringLiteral("library.sqlite")), "this is not a database, just junk bytes....");
        const auto report = waitFor(LibraryIntegrity::check(empty.path()));
        QVERIFY(!report);
        QCOMPARE(report.error().kind, ApiError::Kind::StorageError);

        // No index at all: an error, and no empty database file is left behind.
        QTemporaryDir none;
        const auto missing = waitFor(LibraryIntegrity::check(none.path()));
        QVERIFY(!missing);
        QVERIFY(!QFileInfo::exists(none.filePath(QStringLiteral("library.sqlite"))));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Library> m_library;
    QList<LibraryRecord> m_records;
};

QTEST_GUILESS_MAIN(tst_LibraryIntegrity)
#include "tst_LibraryIntegrity.moc"
