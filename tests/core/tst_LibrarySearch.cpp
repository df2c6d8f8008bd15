#include "TestEnv.h"
#include "library/Library.h"
#include "library/LibraryDatabase.h"
#include "library/LibraryQuery.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QImage>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <optional>

using namespace Pixapi;

namespace {

using EditResult = Result<bool, ApiError>;
using SearchResult = Result<QList<LibraryRecord>, ApiError>;

const QDateTime kBase(QDate(2024, 3, 5), QTime(10, 0), Qt::UTC);

// Waits for a future through the event loop (the Library's signals need it). Empty on timeout.
template <typename T>
std::optional<T> await(const QFuture<T>& future)
{
    QFutureWatcher<T> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(future);
    if (finished.count() == 0 && !finished.wait(30000))
        return std::nullopt;
    return future.result();
}

// A distinct small PNG per seed, so every stored file has its own bytes.
QByteArray png(int seed)
{
    QImage image(4, 4, QImage::Format_RGB32);
    image.fill(QColor::fromRgb(QRgb(0xff000000u | quint32(seed * 2654435761u))));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

std::optional<LibraryRecord> storeImage(Library& library, const QString& prompt, const QString& model, int minutes)
{
    static int seed = 0;
    ImageToStore image;
    image.bytes = png(++seed);
    image.prompt = prompt;
    image.model = model;
    image.createdAt = kBase.addSecs(minutes * 60);
    const auto stored = await(library.store(image));
    if (!stored || !stored->ok())
        return std::nullopt;
    return stored->value();
}

QList<qint64> idsOf(const QList<LibraryRecord>& records)
{
    QList<qint64> ids;
    for (const LibraryRecord& record : records)
        ids.append(record.id);
    return ids;
}

// The ids a search finds, or {-1} when it failed (so a comparison shows the failure).
QList<qint64> found(Library& library, const LibraryQuery& query)
{
    const auto result = await(library.search(query));
    if (!result || !result->ok()) {
        qWarning() << "search failed:" << (result ? result->error().detail : QStringLiteral("timeout"));
        return {-1};
    }
    return idsOf(result->value());
}

QList<qint64> foundText(Library& library, const QString& text)
{
    LibraryQuery query;
    query.text = text;
    return found(library, query);
}

std::optional<LibraryRecord> recordOf(Library& library, qint64 id)
{
    LibraryQuery query;
    query.includeTrashed = true;
    query.limit = 0;
    const auto result = await(library.search(query));
    if (!result || !result->ok())
        return std::nullopt;
    for (const LibraryRecord& record : result->value()) {
        if (record.id == id)
            return record;
    }
    return std::nullopt;
}

bool edited(const QFuture<EditResult>& future)
{
    const auto result = await(future);
    if (result && !result->ok())
        qWarning() << "edit failed:" << result->error().detail;
    return result && result->ok();
}

std::optional<ApiError::Kind> editError(const QFuture<EditResult>& future)
{
    const auto result = await(future);
    if (!result || result->ok())
        return std::nullopt;
    return result->error().kind;
}

// A connection of the test's own, to look behind the Library's back.
class RawDb
{
public:
    explicit RawDb(const QString& rootDir)
        : m_name(QStringLiteral("tst_LibrarySearch.raw.") + QString::number(++s_counter))
    {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        m_db.setDatabaseName(LibraryDatabase::databasePath(rootDir));
        if (!m_db.open())
            qFatal("cannot open the test's own connection");
    }
    ~RawDb()
    {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(RawDb)

    bool exec(const QString& statement)
    {
        QSqlQuery query(m_db);
        if (query.exec(statement))
            return true;
        qWarning() << "raw statement failed:" << statement << query.lastError().text();
        return false;
    }
    QVariant value(const QString& statement)
    {
        QSqlQuery query(m_db);
        return query.exec(statement) && query.next() ? query.value(0) : QVariant();
    }
    QSqlDatabase db() const { return m_db; }

private:
    static inline int s_counter = 0;
    QString m_name;
    QSqlDatabase m_db;
};

} // namespace

class tst_LibrarySearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matchExpressionQuotesEveryWord_data();
    void matchExpressionQuotesEveryWord();
    void textMatchesPromptModelAndTags();
    void oddInputNeverErrors_data();
    void oddInputNeverErrors();
    void filtersCombine();
    void editsEmitRecordChanged();
    void invalidEditsFailWithoutSignal();
    void trashRestorePurge();
    void purgeRefusesAnImageNotInTheTrash();
    void searchBeforeOpenFails();
    void migratesAVersion2File();
    void searchesTenThousandRows();
};

void tst_LibrarySearch::initTestCase()
{
    TestEnv::init();
    qRegisterMetaType<QList<qint64>>();
}

void tst_LibrarySearch::matchExpressionQuotesEveryWord_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expression");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("blank") << QStringLiteral(" \t\n ") << QString();
    QTest::newRow("one word is a prefix") << QStringLiteral("fox") << QStringLiteral("\"fox\"*");
    QTest::newRow("last word only is a prefix")
        << QStringLiteral("red  fox\tin") << QStringLiteral("\"red\" \"fox\" \"in\"*");
    QTest::newRow("operators are words") << QStringLiteral("a AND NEAR b")
                                         << QStringLiteral("\"a\" \"AND\" \"NEAR\" \"b\"*");
    QTest::newRow("quotes are doubled") << QStringLiteral("say \"hi") << QStringLiteral("\"say\" \"\"\"hi\"*");
    QTest::newRow("punctuation only is dropped") << QStringLiteral("* ( ) \" -") << QString();
    QTest::newRow("emoji only is dropped") << QStringLiteral("🦊 fox 🦊") << QStringLiteral("\"fox\"*");
    QTest::newRow("control characters separate") << QStringLiteral("a\u0000b\u0007") << QStringLiteral("\"a\" \"b\"*");
    QTest::newRow("unicode letters stay") << QStringLiteral("日本語 café") << QStringLiteral("\"日本語\" \"café\"*");
}

void tst_LibrarySearch::matchExpressionQuotesEveryWord()
{
    QFETCH(QString, text);
    QFETCH(QString, expression);
    QCOMPARE(LibraryQuery::matchExpression(text), expression);
}

void tst_LibrarySearch::textMatchesPromptModelAndTags()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto lighthouse =
        storeImage(library, QStringLiteral("a lighthouse at dusk"), QStringLiteral("nano-banana"), 0);
    const auto fox = storeImage(library, QStringLiteral("red fox in snow"), QStringLiteral("gpt-image-1"), 1);
    const auto cafe =
        storeImage(library, QStringLiteral("Café au lait, near the window"), QStringLiteral("flux-pro"), 2);
    const auto cat = storeImage(library, QStringLiteral("日本語の猫"), QStringLiteral("flux-pro"), 3);
    QVERIFY(lighthouse && fox && cafe && cat);
    QVERIFY(edited(library.addTag(fox->id, QStringLiteral("Wildlife"))));

    const QList<qint64> none;
    QCOMPARE(foundText(library, QStringLiteral("lighthouse")), QList<qint64> {lighthouse->id});
    QCOMPARE(foundText(library, QStringLiteral("LIGHT")), QList<qint64> {lighthouse->id});           // prefix, any case
    QCOMPARE(foundText(library, QStringLiteral("dusk lighthouse")), QList<qint64> {lighthouse->id}); // any order
    QCOMPARE(foundText(library, QStringLiteral("light dusk")), none);     // only the last word is a prefix
    QCOMPARE(foundText(library, QStringLiteral("lighthouse fox")), none); // all words must match
    QCOMPARE(foundText(library, QStringLiteral("gpt-image")), QList<qint64> {fox->id}); // model
    QCOMPARE(foundText(library, QStringLiteral("banana")), QList<qint64> {lighthouse->id});
    QCOMPARE(foundText(library, QStringLiteral("wildlife")), QList<qint64> {fox->id}); // tag
    QCOMPARE(foundText(library, QStringLiteral("wild")), QList<qint64> {fox->id});
    QCOMPARE(foundText(library, QStringLiteral("cafe")), QList<qint64> {cafe->id}); // diacritics folded
    QCOMPARE(foundText(library, QStringLiteral("CAFÉ")), QList<qint64> {cafe->id});
    QCOMPARE(foundText(library, QStringLiteral("NEAR")), QList<qint64> {cafe->id}); // a word, not an operator
    QCOMPARE(foundText(library, QStringLiteral("日本語")), QList<qint64> {cat->id});
    QCOMPARE(foundText(library, QStringLiteral("flux")), (QList<qint64> {cat->id, cafe->id})); // newest first

    const auto tagged = recordOf(library, fox->id);
    QVERIFY(tagged);
    QCOMPARE(tagged->tags, QStringList {QStringLiteral("Wildlife")});

    QVERIFY(edited(library.removeTag(fox->id, QStringLiteral("wildlife")))); // names ignore case
    QCOMPARE(foundText(library, QStringLiteral("wildlife")), none);
    QCOMPARE(foundText(library, QStringLiteral("fox")), QList<qint64> {fox->id});
    RawDb raw(root.path());
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM tags")).toInt(), 0); // unused tag dropped
}

void tst_LibrarySearch::oddInputNeverErrors_data()
{
    QTest::addColumn<QString>("text");
    const QStringList inputs {
        QStringLiteral("\""),
        QStringLiteral("\"\""),
        QStringLiteral("\"unbalanced fox"),
        QStringLiteral("AND"),
        QStringLiteral("OR NOT"),
        QStringLiteral("NEAR(fox snow, 2)"),
        QStringLiteral("*"),
        QStringLiteral("fox*"),
        QStringLiteral("f*x"),
        QStringLiteral("^fox"),
        QStringLiteral("prompt:fox"),
        QStringLiteral("{prompt model}: fox"),
        QStringLiteral("-fox"),
        QStringLiteral("fox -"),
        QStringLiteral("("),
        QStringLiteral("fox)"),
        QStringLiteral("+"),
        QStringLiteral("'; DROP TABLE images; --"),
        QStringLiteral("🦊"),
        QStringLiteral("日本語"),
        QStringLiteral("\t\n"),
        QStringLiteral("fox AND"),
        QStringLiteral("NOT fox"),
        QStringLiteral("\\"),
        QStringLiteral("%_"),
        QString(QChar(0x0301)),
        QStringLiteral("a\u0000b"),
        QString(500, QLatin1Char('x')),
    };
    for (const QString& input : inputs)
        QTest::newRow(qPrintable(input.left(30))) << input;
}

void tst_LibrarySearch::oddInputNeverErrors()
{
    QFETCH(QString, text);
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto fox = storeImage(library, QStringLiteral("red fox in snow"), QStringLiteral("gpt-image-1"), 0);
    QVERIFY(fox);

    LibraryQuery query;
    query.text = text;
    const auto result = await(library.search(query));
    QVERIFY(result);
    QVERIFY2(result->ok(), qPrintable(result->ok() ? QString() : result->error().detail));
    QVERIFY(result->value().size() <= 1);
    QCOMPARE(library.count(), 1); // the injection attempt did nothing
}

void tst_LibrarySearch::filtersCombine()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const QString modelA = QStringLiteral("model-a");
    const QString modelB = QStringLiteral("model-b");
    const auto a0 = storeImage(library, QStringLiteral("castle on a hill"), modelA, 0);
    const auto a1 = storeImage(library, QStringLiteral("castle in fog"), modelA, 60);
    const auto b0 = storeImage(library, QStringLiteral("castle at night"), modelB, 120);
    const auto b1 = storeImage(library, QStringLiteral("river delta"), modelB, 180);
    QVERIFY(a0 && a1 && b0 && b1);
    QVERIFY(edited(library.setFavorite(a1->id, true)));
    QVERIFY(edited(library.setFavorite(b0->id, true)));
    QVERIFY(edited(library.setStars(a0->id, 2)));
    QVERIFY(edited(library.setStars(a1->id, 4)));
    QVERIFY(edited(library.setStars(b1->id, 5)));
    QVERIFY(edited(library.addTag(a1->id, QStringLiteral("moody"))));
    QVERIFY(edited(library.addTag(b0->id, QStringLiteral("moody"))));
    QVERIFY(edited(library.addTag(b0->id, QStringLiteral("dark"))));
    QVERIFY(edited(library.createCollection(QStringLiteral("Portfolio"))));
    QVERIFY(edited(library.addToCollection(a1->id, QStringLiteral("portfolio"))));
    QVERIFY(edited(library.addToCollection(b1->id, QStringLiteral("Portfolio"))));
    QVERIFY(edited(library.addToCollection(b1->id, QStringLiteral("Portfolio")))); // twice is fine

    LibraryQuery all;
    QCOMPARE(found(library, all), (QList<qint64> {b1->id, b0->id, a1->id, a0->id}));
    LibraryQuery oldest;
    oldest.sort = LibraryQuery::Sort::Oldest;
    QCOMPARE(found(library, oldest), (QList<qint64> {a0->id, a1->id, b0->id, b1->id}));

    LibraryQuery favoritesOfA;
    favoritesOfA.models = {modelA};
    favoritesOfA.favoritesOnly = true;
    QCOMPARE(found(library, favoritesOfA), QList<qint64> {a1->id});

    LibraryQuery starredCastles;
    starredCastles.text = QStringLiteral("castle");
    starredCastles.minStars = 2;
    QCOMPARE(found(library, starredCastles), (QList<qint64> {a1->id, a0->id}));
    starredCastles.minStars = 3;
    QCOMPARE(found(library, starredCastles), QList<qint64> {a1->id});

    LibraryQuery window; // [60 min, 180 min)
    window.from = kBase.addSecs(60 * 60);
    window.to = kBase.addSecs(180 * 60);
    QCOMPARE(found(library, window), (QList<qint64> {b0->id, a1->id}));
    window.models = {modelB, QStringLiteral("model-unused")};
    QCOMPARE(found(library, window), QList<qint64> {b0->id});

    LibraryQuery moody;
    moody.tag = QStringLiteral("MOODY");
    QCOMPARE(found(library, moody), (QList<qint64> {b0->id, a1->id}));
    moody.collection = QStringLiteral("portfolio");
    QCOMPARE(found(library, moody), QList<qint64> {a1->id});
    moody.tag = QStringLiteral("dark");
    QCOMPARE(found(library, moody), QList<qint64> {});

    LibraryQuery inPortfolio;
    inPortfolio.collection = QStringLiteral("Portfolio");
    QCOMPARE(found(library, inPortfolio), (QList<qint64> {b1->id, a1->id}));
    LibraryQuery unknownTag;
    unknownTag.tag = QStringLiteral("nope");
    QCOMPARE(found(library, unknownTag), QList<qint64> {});

    LibraryQuery page;
    page.limit = 2;
    page.offset = 1;
    QCOMPARE(found(library, page), (QList<qint64> {b0->id, a1->id}));

    const auto record = recordOf(library, b0->id);
    QVERIFY(record);
    QVERIFY(record->favorite);
    QCOMPARE(record->stars, 0);
    QCOMPARE(record->tags, (QStringList {QStringLiteral("dark"), QStringLiteral("moody")}));
    QVERIFY(!record->trashedAt.isValid());
}

void tst_LibrarySearch::editsEmitRecordChanged()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto image = storeImage(library, QStringLiteral("a lighthouse"), QStringLiteral("m"), 0);
    QVERIFY(image);
    QSignalSpy changed(&library, &Library::recordChanged);
    QSignalSpy collections(&library, &Library::collectionsChanged);

    QVERIFY(edited(library.setFavorite(image->id, true)));
    QVERIFY(edited(library.setStars(image->id, 3)));
    QVERIFY(edited(library.addTag(image->id, QStringLiteral("  sea   side "))));
    QVERIFY(edited(library.createCollection(QStringLiteral("Best"))));
    QVERIFY(edited(library.addToCollection(image->id, QStringLiteral("Best"))));
    QCOMPARE(changed.count(), 4);
    for (const QList<QVariant>& arguments : std::as_const(changed))
        QCOMPARE(arguments.at(0).toLongLong(), image->id);
    QCOMPARE(collections.count(), 1);

    const auto record = recordOf(library, image->id);
    QVERIFY(record);
    QVERIFY(record->favorite);
    QCOMPARE(record->stars, 3);
    QCOMPARE(record->tags, QStringList {QStringLiteral("sea side")});

    QVERIFY(edited(library.setFavorite(image->id, false)));
    QVERIFY(edited(library.setStars(image->id, 0)));
    const auto cleared = recordOf(library, image->id);
    QVERIFY(cleared);
    QVERIFY(!cleared->favorite);
    QCOMPARE(cleared->stars, 0);
}

void tst_LibrarySearch::invalidEditsFailWithoutSignal()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto image = storeImage(library, QStringLiteral("a lighthouse"), QStringLiteral("m"), 0);
    QVERIFY(image);
    QVERIFY(edited(library.createCollection(QStringLiteral("Best"))));
    QSignalSpy changed(&library, &Library::recordChanged);
    QSignalSpy removed(&library, &Library::recordsRemoved);
    QSignalSpy collections(&library, &Library::collectionsChanged);
    const qint64 missing = image->id + 100;

    QCOMPARE(editError(library.setStars(image->id, 6)), ApiError::Kind::BadRequest);
    QCOMPARE(editError(library.setStars(image->id, -1)), ApiError::Kind::BadRequest);
    QCOMPARE(editError(library.addTag(image->id, QStringLiteral("   "))), ApiError::Kind::BadRequest);
    QCOMPARE(editError(library.createCollection(QStringLiteral("best"))), ApiError::Kind::BadRequest); // taken
    QCOMPARE(editError(library.createCollection(QString())), ApiError::Kind::BadRequest);
    QCOMPARE(editError(library.addToCollection(image->id, QStringLiteral("Worst"))), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.setFavorite(missing, true)), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.addTag(missing, QStringLiteral("x"))), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.addToCollection(missing, QStringLiteral("Best"))), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.trash(missing)), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.purge(missing)), ApiError::Kind::NotFound);
    QCoreApplication::processEvents(); // a wrongly queued signal would arrive now
    QCOMPARE(changed.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(collections.count(), 0);

    const auto record = recordOf(library, image->id);
    QVERIFY(record);
    QCOMPARE(record->stars, 0);
    QVERIFY(record->tags.isEmpty());
    RawDb raw(root.path());
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM tags")).toInt(), 0);
}

void tst_LibrarySearch::trashRestorePurge()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto kept = storeImage(library, QStringLiteral("kept harbour"), QStringLiteral("m"), 0);
    const auto doomed = storeImage(library, QStringLiteral("doomed harbour"), QStringLiteral("m"), 1);
    QVERIFY(kept && doomed);
    QSignalSpy changed(&library, &Library::recordChanged);
    QSignalSpy removed(&library, &Library::recordsRemoved);

    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    QVERIFY(edited(library.trash(doomed->id)));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toLongLong(), doomed->id);
    QCOMPARE(library.count(), 1);
    QCOMPARE(idsOf(library.recent(10)), QList<qint64> {kept->id});
    QCOMPARE(foundText(library, QStringLiteral("harbour")), QList<qint64> {kept->id});
    LibraryQuery trashOnly;
    trashOnly.trashOnly = true;
    trashOnly.includeTrashed = false; // trashOnly wins
    QCOMPARE(found(library, trashOnly), QList<qint64> {doomed->id});
    LibraryQuery everything;
    everything.includeTrashed = true;
    QCOMPARE(found(library, everything), (QList<qint64> {doomed->id, kept->id}));
    const auto trashed = recordOf(library, doomed->id);
    QVERIFY(trashed);
    QVERIFY(trashed->trashedAt >= before && trashed->trashedAt <= QDateTime::currentDateTimeUtc());
    QVERIFY(QFile::exists(doomed->filePath)); // the trash keeps the file

    QVERIFY(edited(library.restore(doomed->id)));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(library.count(), 2);
    QCOMPARE(foundText(library, QStringLiteral("harbour")), (QList<qint64> {doomed->id, kept->id}));
    const auto restored = recordOf(library, doomed->id);
    QVERIFY(restored);
    QVERIFY(!restored->trashedAt.isValid());

    // Everything that hangs on the row goes with it.
    QVERIFY(edited(library.addTag(doomed->id, QStringLiteral("gone"))));
    QVERIFY(edited(library.createCollection(QStringLiteral("C"))));
    QVERIFY(edited(library.addToCollection(doomed->id, QStringLiteral("C"))));
    QVERIFY(edited(library.trash(doomed->id)));
    QVERIFY(edited(library.purge(doomed->id)));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(0).value<QList<qint64>>(), QList<qint64> {doomed->id});
    QVERIFY(!QFile::exists(doomed->filePath));
    QVERIFY(QFile::exists(kept->filePath));
    QCOMPARE(found(library, everything), QList<qint64> {kept->id});
    QCOMPARE(foundText(library, QStringLiteral("gone")), QList<qint64> {});

    RawDb raw(root.path());
    const QString id = QString::number(doomed->id);
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM images")).toInt(), 1);
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM image_tags")).toInt(), 0);
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM collection_images")).toInt(), 0);
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM images_fts WHERE rowid = ") + id).toInt(), 0);
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM images_fts")).toInt(), 1);
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO images_fts (images_fts) VALUES ('integrity-check')")));
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM collections")).toInt(), 1); // the collection stays
}

void tst_LibrarySearch::purgeRefusesAnImageNotInTheTrash()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto image = storeImage(library, QStringLiteral("precious"), QStringLiteral("m"), 0);
    QVERIFY(image);
    QSignalSpy removed(&library, &Library::recordsRemoved);
    QCOMPARE(editError(library.purge(image->id)), ApiError::Kind::BadRequest);
    QCoreApplication::processEvents();
    QCOMPARE(removed.count(), 0);
    QVERIFY(QFile::exists(image->filePath));
    QCOMPARE(library.count(), 1);

    // A trashed image whose file is already gone still purges: no row is left pointing at nothing.
    QVERIFY(edited(library.trash(image->id)));
    QVERIFY(QFile::remove(image->filePath));
    QVERIFY(edited(library.purge(image->id)));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(RawDb(root.path()).value(QStringLiteral("SELECT COUNT(*) FROM images")).toInt(), 0);
}

void tst_LibrarySearch::searchBeforeOpenFails()
{
    QTemporaryDir root;
    Library library(root.path());
    const auto result = await(library.search(LibraryQuery()));
    QVERIFY(result && !result->ok());
    QCOMPARE(result->error().kind, ApiError::Kind::StorageError);
    QCOMPARE(editError(library.setFavorite(1, true)), ApiError::Kind::StorageError);
}

void tst_LibrarySearch::migratesAVersion2File()
{
    QTemporaryDir root;
    {
        // The schema as version 2 shipped it, with two images.
        RawDb raw(root.path());
        const QStringList v2 {
            QStringLiteral("CREATE TABLE images (id INTEGER PRIMARY KEY, file TEXT NOT NULL UNIQUE,"
                           " prompt TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '',"
                           " params_json TEXT NOT NULL DEFAULT '{}', request_id TEXT, created_at INTEGER NOT NULL,"
                           " width INTEGER NOT NULL, height INTEGER NOT NULL, file_size INTEGER NOT NULL,"
                           " sha256 TEXT NOT NULL, format TEXT NOT NULL, credits REAL, duration_ms INTEGER,"
                           " account_id TEXT)"),
            QStringLiteral("CREATE INDEX images_created_at ON images(created_at)"),
            QStringLiteral("CREATE INDEX images_model ON images(model)"),
            QStringLiteral("CREATE TABLE tasks (id INTEGER PRIMARY KEY, remote_id TEXT,"
                           " params_json TEXT NOT NULL DEFAULT '{}', state TEXT NOT NULL, remote_status TEXT,"
                           " progress INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
                           " updated_at INTEGER NOT NULL, error TEXT, error_code TEXT, account_id TEXT)"),
            QStringLiteral("CREATE INDEX tasks_state ON tasks(state)"),
            QStringLiteral("INSERT INTO images (id, file, prompt, model, created_at, width, height, file_size, sha256,"
                           " format) VALUES (7, 'images/a.png', 'old lighthouse', 'dall-e-3', 1000, 4, 4, 10, 'aa',"
                           " 'png'), (9, 'images/b.png', 'old harbour', 'nano-banana', 2000, 4, 4, 10, 'bb', 'png')"),
            QStringLiteral("INSERT INTO tasks (state, created_at, updated_at) VALUES ('submitting', 1, 1)"),
            QStringLiteral("PRAGMA user_version = 2"),
        };
        for (const QString& statement : v2)
            QVERIFY(raw.exec(statement));
    }

    Library library(root.path());
    QVERIFY(library.open().ok());
    QCOMPARE(library.count(), 2);
    QCOMPARE(foundText(library, QStringLiteral("lighthouse")), QList<qint64> {7});
    QCOMPARE(foundText(library, QStringLiteral("old")), (QList<qint64> {9, 7}));
    QCOMPARE(foundText(library, QStringLiteral("dall")), QList<qint64> {7});
    const auto record = recordOf(library, 9);
    QVERIFY(record);
    QCOMPARE(record->prompt, QStringLiteral("old harbour"));
    QVERIFY(!record->favorite);
    QCOMPARE(record->stars, 0);
    QVERIFY(record->tags.isEmpty());
    QVERIFY(!record->trashedAt.isValid());

    // The migrated index keeps up with new rows and tags.
    QVERIFY(edited(library.addTag(7, QStringLiteral("classic"))));
    const auto fresh = storeImage(library, QStringLiteral("new lighthouse"), QStringLiteral("m"), 0);
    QVERIFY(fresh);
    QCOMPARE(foundText(library, QStringLiteral("lighthouse")), (QList<qint64> {fresh->id, 7}));
    QCOMPARE(foundText(library, QStringLiteral("classic")), QList<qint64> {7});

    RawDb raw(root.path());
    QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), 3);
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM tasks")).toInt(), 1);
    QVERIFY(raw.exec(QStringLiteral("INSERT INTO images_fts (images_fts) VALUES ('integrity-check')")));
}

void tst_LibrarySearch::searchesTenThousandRows()
{
    constexpr int Rows = 10000;
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    {
        // Rows straight into the index (decoding 10,000 images would only measure the image codecs).
        RawDb raw(root.path());
        const QStringList subjects {QStringLiteral("lighthouse"), QStringLiteral("fox"), QStringLiteral("castle"),
                                    QStringLiteral("harbour"), QStringLiteral("forest")};
        const QStringList moods {QStringLiteral("at dusk"), QStringLiteral("in fog"), QStringLiteral("at noon"),
                                 QStringLiteral("under stars")};
        QVERIFY(raw.db().transaction());
        QSqlQuery insert(raw.db());
        QVERIFY(insert.prepare(QStringLiteral(
            "INSERT INTO images (file, prompt, model, created_at, width, height, file_size, sha256, format, favorite,"
            " stars) VALUES (?, ?, ?, ?, 4, 4, 10, 'x', 'png', ?, ?)")));
        for (int i = 0; i < Rows; ++i) {
            insert.addBindValue(QStringLiteral("images/%1.png").arg(i));
            insert.addBindValue(QStringLiteral("a %1 %2 number %3")
                                    .arg(subjects.at(i % subjects.size()), moods.at(i % moods.size()))
                                    .arg(i));
            insert.addBindValue(QStringLiteral("model-%1").arg(i % 3));
            insert.addBindValue(kBase.toMSecsSinceEpoch() + qint64(i) * 1000);
            insert.addBindValue(i % 7 == 0 ? 1 : 0);
            insert.addBindValue(i % 6);
            QVERIFY2(insert.exec(), qPrintable(insert.lastError().text()));
        }
        QVERIFY(raw.db().commit());
    }
    QCOMPARE(library.count(), Rows);

    LibraryQuery text;
    text.text = QStringLiteral("lighthouse du"); // i % 5 == 0 and i % 4 == 0: every 20th row
    text.limit = 0;
    LibraryQuery filtered;
    filtered.text = QStringLiteral("fox");
    filtered.models = {QStringLiteral("model-1")};
    filtered.favoritesOnly = true;
    filtered.minStars = 3;
    filtered.limit = 0;
    LibraryQuery page;
    page.sort = LibraryQuery::Sort::Oldest;
    page.offset = 5000;
    page.limit = 200;

    // What the filters must find, counted the slow way.
    int filteredExpected = 0;
    for (int i = 0; i < Rows; ++i)
        filteredExpected += (i % 5 == 1 && i % 3 == 1 && i % 7 == 0 && i % 6 >= 3) ? 1 : 0;

    const QList<std::pair<const LibraryQuery*, int>> cases {
        {&text, Rows / 20}, {&filtered, filteredExpected}, {&page, 200}};
    QList<qint64> timings;
    for (int round = 0; round < 5; ++round) {
        for (const auto& [query, expected] : cases) {
            QElapsedTimer timer;
            timer.start();
            const auto result = await(library.search(*query));
            timings.append(timer.elapsed());
            QVERIFY(result && result->ok());
            QCOMPARE(result->value().size(), expected);
        }
    }
    std::sort(timings.begin(), timings.end());
    qInfo("search over %d rows: median %lld ms (min %lld, max %lld) over %lld searches", Rows,
          timings.at(timings.size() / 2), timings.first(), timings.last(), qint64(timings.size()));
}

QTEST_GUILESS_MAIN(tst_LibrarySearch)
#include "tst_LibrarySearch.moc"
