#include "TestEnv.h"
#include "generation/TaskStore.h"
#include "library/Library.h"
#include "library/LibraryDatabase.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Pixapi;
using State = TaskRow::State;

// The persisted record of async tasks: written before the submit, survives reopening, and lists what a restart must
// look at (running rows to resume; submitting and orphaned rows to surface, never to resend).
class tst_TaskStore : public QObject
{
    Q_OBJECT

private:
    static GenerationParams params()
    {
        GenerationParams p;
        p.model = QStringLiteral("nano-banana");
        p.prompt = QStringLiteral("a quiet harbour, \"quoted\" and ünïcode");
        p.n = 3;
        p.size = QStringLiteral("16:9");
        p.quality = QStringLiteral("high");
        p.responseFormat = QStringLiteral("b64_json");
        return p;
    }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void stateNamesRoundTrip()
    {
        for (State s : {State::Submitting, State::Running, State::Completed, State::Failed, State::CancelledLocally,
                        State::Orphaned, State::Dismissed}) {
            QCOMPARE(TaskRow::stateFromName(TaskRow::stateName(s)), std::optional<State>(s));
        }
        QCOMPARE(TaskRow::stateName(State::CancelledLocally), QStringLiteral("cancelled_locally"));
        QVERIFY(!TaskRow::stateFromName(QStringLiteral("bogus")));
    }

    void notOpenRefusesWrites()
    {
        QTemporaryDir dir;
        TaskStore store(dir.path());
        QVERIFY(!store.isOpen());
        const auto inserted = store.insertSubmitting(params(), {});
        QVERIFY(!inserted);
        QCOMPARE(inserted.error().kind, ApiError::Kind::StorageError);
        QVERIFY(!store.setState(1, State::Failed));
        QVERIFY(store.pending().isEmpty());
    }

    void lifecycleAndReopen()
    {
        QTemporaryDir dir;
        qint64 id = 0;
        {
            TaskStore store(dir.path());
            QVERIFY(store.open().ok());
            QVERIFY(store.open().ok()); // again: nothing happens
            const auto inserted = store.insertSubmitting(params(), QStringLiteral("work"), 4.0);
            QVERIFY(inserted);
            id = inserted.value();
            auto row = store.find(id);
            QVERIFY(row);
            QCOMPARE(row->state, State::Submitting);
            QVERIFY(row->remoteId.isEmpty());
            QCOMPARE(row->params.prompt, params().prompt);
            QCOMPARE(row->params.n, 3);
            QCOMPARE(row->params.size, QStringLiteral("16:9"));
            QCOMPARE(row->params.quality, QStringLiteral("high"));
            QCOMPARE(row->params.responseFormat, QStringLiteral("b64_json"));
            QCOMPARE(row->creditsPerImage, std::optional<double>(4.0));
            QCOMPARE(row->accountId, QStringLiteral("work"));
            QVERIFY(row->createdAt.isValid());
            QVERIFY(qAbs(row->createdAt.secsTo(QDateTime::currentDateTimeUtc())) < 60);

            QVERIFY(store.setRemoteId(id, QStringLiteral("task_ABC"), QStringLiteral("submitted")));
            QVERIFY(store.setProgress(id, QStringLiteral("processing"), 42));
        }
        // A new process (here: a new connection) sees the resumable row.
        TaskStore reopened(dir.path());
        QVERIFY(reopened.open().ok());
        const QList<TaskRow> pending = reopened.pending();
        QCOMPARE(pending.size(), 1);
        QCOMPARE(pending.at(0).id, id);
        QCOMPARE(pending.at(0).state, State::Running);
        QCOMPARE(pending.at(0).remoteId, QStringLiteral("task_ABC"));
        QCOMPARE(pending.at(0).remoteStatus, QStringLiteral("processing"));
        QCOMPARE(pending.at(0).progress, 42);

        QVERIFY(reopened.setState(id, State::Failed, QStringLiteral("it broke"), QStringLiteral("generation_failed")));
        const auto failed = reopened.find(id);
        QCOMPARE(failed->state, State::Failed);
        QCOMPARE(failed->error, QStringLiteral("it broke"));
        QCOMPARE(failed->errorCode, QStringLiteral("generation_failed"));
        QVERIFY(failed->updatedAt >= failed->createdAt);
        QVERIFY(reopened.pending().isEmpty());
    }

    // close() lets go of the file (a library rebuild swaps it); open() works again and sees the same rows.
    void closeReleasesTheConnection()
    {
        QTemporaryDir dir;
        TaskStore store(dir.path());
        QVERIFY(store.open().ok());
        const qint64 id = store.insertSubmitting(params(), {}).value();
        store.close();
        QVERIFY(!store.isOpen());
        const auto names = QSqlDatabase::connectionNames();
        QVERIFY(std::none_of(names.cbegin(), names.cend(),
                             [](const QString& name) { return name.startsWith(QLatin1String("pixapi.tasks.")); }));
        QVERIFY(!store.insertSubmitting(params(), {}));
        QVERIFY(store.pending().isEmpty());
        store.close(); // again: nothing happens

        QVERIFY(store.open().ok());
        QVERIFY(store.isOpen());
        QVERIFY(store.find(id));
        QCOMPARE(store.pending().size(), 1);
        QVERIFY(store.insertSubmitting(params(), {}));
    }

    void pendingListsWhatARestartMustHandle()
    {
        QTemporaryDir dir;
        TaskStore store(dir.path());
        QVERIFY(store.open().ok());
        QHash<State, qint64> ids;
        for (State s : {State::Submitting, State::Running, State::Completed, State::Failed, State::CancelledLocally,
                        State::Orphaned, State::Dismissed}) {
            const qint64 id = store.insertSubmitting(params(), {}).value();
            if (s != State::Submitting)
                QVERIFY(store.setState(id, s));
            ids.insert(s, id);
        }
        QList<qint64> pending;
        for (const TaskRow& row : store.pending())
            pending << row.id;
        QCOMPARE(pending, (QList<qint64> {ids.value(State::Submitting), ids.value(State::Running),
                                          ids.value(State::Orphaned)})); // oldest first
        QCOMPARE(store.recent(2).size(), 2);
        QCOMPARE(store.recent(2).at(0).id, ids.value(State::Dismissed)); // newest first
        QVERIFY(!store.find(123456));
    }

    void parentIdsSurviveInTheRow()
    {
        QTemporaryDir dir;
        qint64 withParents = 0;
        qint64 without = 0;
        {
            TaskStore store(dir.path());
            QVERIFY(store.open().ok());
            withParents = store.insertSubmitting(params(), {}, 2.0, {7, 3}).value();
            without = store.insertSubmitting(params(), {}).value();
        }
        TaskStore reopened(dir.path()); // what a resumed task reads after a restart
        QVERIFY(reopened.open().ok());
        QCOMPARE(reopened.find(withParents)->parentIds, (QList<qint64> {7, 3}));
        QCOMPARE(reopened.find(withParents)->creditsPerImage, std::optional<double>(2.0));
        QCOMPARE(reopened.find(withParents)->params.prompt, params().prompt);
        QVERIFY(reopened.find(without)->parentIds.isEmpty());
    }

    void sharesTheLibraryFileAndSchema()
    {
        QTemporaryDir dir;
        Library library(dir.path());
        QVERIFY(library.open().ok());
        TaskStore store(dir.path());
        QVERIFY(store.open().ok());
        QVERIFY(store.insertSubmitting(params(), {}));
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(LibraryDatabase::databasePath(dir.path()));
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version")) && query.next());
            QCOMPARE(query.value(0).toInt(), LibraryDatabase::SchemaVersion);
            QVERIFY(query.exec(QStringLiteral("SELECT state FROM tasks")) && query.next());
            QCOMPARE(query.value(0).toString(), QStringLiteral("submitting"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    }

    void migratesAVersion1Library()
    {
        QTemporaryDir dir;
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            db.setDatabaseName(LibraryDatabase::databasePath(dir.path()));
            QVERIFY(db.open());
            QSqlQuery query(db);
            // The v1 columns later migrations read (v3 indexes prompt and model for search, v4 reads params_json and
            // indexes created_at).
            QVERIFY(query.exec(QStringLiteral("CREATE TABLE images (id INTEGER PRIMARY KEY, file TEXT,"
                                              " prompt TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',"
                                              " params_json TEXT NOT NULL DEFAULT '{}', created_at INTEGER)")));
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 1")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        TaskStore store(dir.path());
        QVERIFY(store.open().ok());
        QVERIFY(store.insertSubmitting(params(), {}));
        QCOMPARE(store.pending().size(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_TaskStore)
#include "tst_TaskStore.moc"
