#include "TestEnv.h"
#include "library/Library.h"
#include "library/LibraryDatabase.h"
#include "library/LibraryQuery.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QImage>
#include <QJsonObject>
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
    return TestEnv::encodedImage(image);
}

std::optional<LibraryRecord> storeImage(Library& library, const QString& prompt, const QString& model, int minutes,
                                        const QString& requestId = {}, int index = 0)
{
    static int seed = 0;
    ImageToStore image;
    image.bytes = png(++seed);
    image.prompt = prompt;
    image.model = model;
    image.createdAt = kBase.addSecs(minutes * 60);
    image.requestId = requestId;
    image.index = index;
    image.params = QJsonObject {{QStringLiteral("index"), index}};
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
    void sortsByModelThenNewest();
    void sortsByPromptThenNewest();
    void groupSortsPageLikeTheWholeList();
    void collectionsOnRecords();
    void namesForFilters();
    void countsMatches();
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
    QCOMPARE(editError(library.addToCollection(image->id, QStringLiteral("  "))), ApiError::Kind::BadRequest);
    QCOMPARE(editError(library.removeFromCollection(image->id, QStringLiteral("Worst"))), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.removeFromCollection(missing, QStringLiteral("Best"))), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.setFavorite(missing, true)), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.addTag(missing, QStringLiteral("x"))), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.addToCollection(missing, QStringLiteral("Best"))), ApiError::Kind::NotFound);
    QCOMPARE(editError(library.addToCollection(missing, QStringLiteral("New"))), ApiError::Kind::NotFound);
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
    QCOMPARE(raw.value(QStringLiteral("SELECT COUNT(*) FROM collections")).toInt(), 1); // "New" rolled back
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
    QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), LibraryDatabase::SchemaVersion);
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
            // 20 distinct prompts of 500 images each: real groups for PromptThenNewest.
            insert.addBindValue(
                QStringLiteral("a %1 %2").arg(subjects.at(i % subjects.size()), moods.at(i % moods.size())));
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

    // A gallery page of 300 for every sort, deep in the list and under a text search. Row i has id i + 1.
    struct PageCase
    {
        const char* name;
        LibraryQuery query;
        qint64 firstId;
        qint64 lastId;
    };
    const auto pageOf = [](LibraryQuery::Sort sort, int offset, const QString& words = {}) {
        LibraryQuery query;
        query.sort = sort;
        query.offset = offset;
        query.limit = 300;
        query.text = words;
        return query;
    };
    using Sort = LibraryQuery::Sort;
    const QList<PageCase> pages {
        {"newest", pageOf(Sort::Newest, 4800), Rows - 4800, Rows - 5099},
        {"oldest", pageOf(Sort::Oldest, 4800), 4801, 5100},
        // model-0 has 3334 rows; offset 4800 is 1466 rows into model-1, whose newest row is i = 9997.
        {"model", pageOf(Sort::ModelThenNewest, 4800), 9997 - 3 * 1466 + 1, 9997 - 3 * 1765 + 1},
        // The group of i = 9999 (every 20th row) is newest; the page is its 300 newest images.
        {"prompt", pageOf(Sort::PromptThenNewest, 0), Rows, Rows - 299 * 20},
        {"text newest", pageOf(Sort::Newest, 0, QStringLiteral("fox")), Rows - 3, Rows - 3 - 299 * 5},
        {"text model", pageOf(Sort::ModelThenNewest, 0, QStringLiteral("fox")), 9996 + 1, 9996 - 299 * 15 + 1},
        {"text prompt", pageOf(Sort::PromptThenNewest, 0, QStringLiteral("fox")), Rows - 3, Rows - 3 - 299 * 20},
    };
    for (const PageCase& pageCase : pages) {
        QList<qint64> times;
        for (int round = 0; round < 5; ++round) {
            QElapsedTimer timer;
            timer.start();
            const auto result = await(library.search(pageCase.query));
            times.append(timer.elapsed());
            QVERIFY2(result && result->ok(), pageCase.name);
            QCOMPARE(result->value().size(), 300);
            QCOMPARE(result->value().constFirst().id, pageCase.firstId);
            if (pageCase.lastId > 0)
                QCOMPARE(result->value().constLast().id, pageCase.lastId);
        }
        std::sort(times.begin(), times.end());
        qInfo("page of 300 (%s) over %d rows: median %lld ms (max %lld)", pageCase.name, Rows, times.at(2),
              times.last());
        // Far above the ~10 ms it takes: only a sort that degrades to per-row work would cross it.
        QVERIFY2(times.at(2) < 250, pageCase.name);
    }
}

void tst_LibrarySearch::sortsByModelThenNewest()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto p1 = storeImage(library, QStringLiteral("red fox"), QStringLiteral("Beta"), 0);
    const auto p2 = storeImage(library, QStringLiteral("red fox"), QStringLiteral("beta"), 10);
    // One request, stored out of response order: index 1 before index 0.
    const auto p3 = storeImage(library, QStringLiteral("castle"), QStringLiteral("alpha"), 20, QStringLiteral("r3"), 1);
    const auto p4 = storeImage(library, QStringLiteral("castle"), QStringLiteral("alpha"), 20, QStringLiteral("r3"), 0);
    const auto p5 = storeImage(library, QStringLiteral("lake"), QStringLiteral("gamma"), 30);
    const auto p6 = storeImage(library, QStringLiteral("red fox"), QStringLiteral("alpha"), 40);
    const auto p7 = storeImage(library, QStringLiteral("castle"), QStringLiteral("Beta"), 5);
    const auto p8 = storeImage(library, QStringLiteral("aurora"), QStringLiteral("gamma"), 30);
    QVERIFY(p1 && p2 && p3 && p4 && p5 && p6 && p7 && p8);

    LibraryQuery newest;
    QCOMPARE(found(library, newest), (QList<qint64> {p6->id, p8->id, p5->id, p4->id, p3->id, p2->id, p7->id, p1->id}));
    LibraryQuery oldest;
    oldest.sort = LibraryQuery::Sort::Oldest;
    QCOMPARE(found(library, oldest), (QList<qint64> {p1->id, p7->id, p2->id, p4->id, p3->id, p5->id, p8->id, p6->id}));
    // Models case-insensitively, "Beta" and "beta" as two runs; newest first within, a request in index order.
    LibraryQuery byModel;
    byModel.sort = LibraryQuery::Sort::ModelThenNewest;
    QCOMPARE(found(library, byModel), (QList<qint64> {p6->id, p4->id, p3->id, p7->id, p1->id, p2->id, p8->id, p5->id}));
    byModel.text = QStringLiteral("castle");
    QCOMPARE(found(library, byModel), (QList<qint64> {p4->id, p3->id, p7->id}));
}

void tst_LibrarySearch::sortsByPromptThenNewest()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto p1 = storeImage(library, QStringLiteral("red fox"), QStringLiteral("m"), 0);
    const auto p2 = storeImage(library, QStringLiteral("red fox"), QStringLiteral("m"), 10);
    const auto p3 = storeImage(library, QStringLiteral("castle"), QStringLiteral("m"), 20, QStringLiteral("r3"), 1);
    const auto p4 = storeImage(library, QStringLiteral("castle"), QStringLiteral("m"), 20, QStringLiteral("r3"), 0);
    const auto p5 = storeImage(library, QStringLiteral("lake"), QStringLiteral("m"), 30);
    const auto p6 = storeImage(library, QStringLiteral("red fox"), QStringLiteral("m"), 40);
    const auto p7 = storeImage(library, QStringLiteral("castle"), QStringLiteral("m"), 5);
    const auto p8 = storeImage(library, QStringLiteral("aurora"), QStringLiteral("m"), 30);
    QVERIFY(p1 && p2 && p3 && p4 && p5 && p6 && p7 && p8);

    // Groups by their newest image (red fox 40, then aurora and lake at 30: prompt breaks the tie, then castle 20).
    LibraryQuery byPrompt;
    byPrompt.sort = LibraryQuery::Sort::PromptThenNewest;
    QCOMPARE(found(library, byPrompt),
             (QList<qint64> {p6->id, p2->id, p1->id, p8->id, p5->id, p4->id, p3->id, p7->id}));

    // Filters apply before grouping: without p6 the red fox group's newest is 10, after castle's 20.
    QVERIFY(edited(library.trash(p6->id)));
    QCOMPARE(found(library, byPrompt), (QList<qint64> {p8->id, p5->id, p4->id, p3->id, p7->id, p2->id, p1->id}));
    byPrompt.from = kBase.addSecs(6 * 60);
    QCOMPARE(found(library, byPrompt), (QList<qint64> {p8->id, p5->id, p4->id, p3->id, p2->id}));
}

void tst_LibrarySearch::groupSortsPageLikeTheWholeList()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const QStringList prompts {QStringLiteral("fox"), QStringLiteral("castle"), QStringLiteral("lake")};
    const QStringList models {QStringLiteral("a"), QStringLiteral("B"), QStringLiteral("c")};
    for (int i = 0; i < 14; ++i) {
        // Some share a time and a request, so the tie-breaks are exercised across page edges.
        const int minutes = (i * 7) % 10;
        const QString request = i % 4 == 0 ? QString() : QStringLiteral("r%1").arg(minutes);
        const auto stored =
            storeImage(library, prompts.at((i * 5) % 3), models.at(i % 3), minutes, request, (i * 3) % 4);
        QVERIFY(stored);
        if (i % 5 == 0)
            QVERIFY(edited(library.setFavorite(stored->id, true)));
    }
    for (const auto sort : {LibraryQuery::Sort::Newest, LibraryQuery::Sort::Oldest, LibraryQuery::Sort::ModelThenNewest,
                            LibraryQuery::Sort::PromptThenNewest}) {
        for (const bool favorites : {false, true}) {
            LibraryQuery whole;
            whole.sort = sort;
            whole.favoritesOnly = favorites;
            whole.limit = 0;
            const QList<qint64> expected = found(library, whole);
            QVERIFY(!expected.isEmpty() && expected.constFirst() != -1);
            QList<qint64> paged;
            for (int offset = 0; offset < expected.size(); offset += 3) {
                LibraryQuery page = whole;
                page.limit = 3;
                page.offset = offset;
                paged += found(library, page);
            }
            QCOMPARE(paged, expected);
        }
    }
}

void tst_LibrarySearch::collectionsOnRecords()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto first = storeImage(library, QStringLiteral("a lighthouse"), QStringLiteral("m"), 0);
    const auto second = storeImage(library, QStringLiteral("a harbour"), QStringLiteral("m"), 1);
    QVERIFY(first && second);
    QSignalSpy changed(&library, &Library::recordChanged);
    QSignalSpy collections(&library, &Library::collectionsChanged);

    // A new name creates the collection; an existing one (any case) does not.
    QVERIFY(edited(library.addToCollection(first->id, QStringLiteral(" Trips "))));
    QCOMPARE(collections.count(), 1);
    QCOMPARE(changed.count(), 1);
    QVERIFY(edited(library.addToCollection(second->id, QStringLiteral("trips"))));
    QVERIFY(edited(library.addToCollection(first->id, QStringLiteral("zeta"))));
    QVERIFY(edited(library.addToCollection(first->id, QStringLiteral("Alpha"))));
    QCOMPARE(collections.count(), 3);
    QCOMPARE(changed.count(), 4);

    const auto record = recordOf(library, first->id);
    QVERIFY(record);
    QCOMPARE(record->collections,
             (QStringList {QStringLiteral("Alpha"), QStringLiteral("Trips"), QStringLiteral("zeta")}));
    QCOMPARE(library.recent(2).value(0).collections, QStringList {QStringLiteral("Trips")}); // second, newest

    QVERIFY(edited(library.removeFromCollection(first->id, QStringLiteral("TRIPS"))));
    QCOMPARE(changed.count(), 5);
    QVERIFY(edited(library.removeFromCollection(first->id, QStringLiteral("Trips")))); // not in it: fine
    QCOMPARE(collections.count(), 3); // removing never deletes a collection
    const auto after = recordOf(library, first->id);
    QVERIFY(after);
    QCOMPARE(after->collections, (QStringList {QStringLiteral("Alpha"), QStringLiteral("zeta")}));
    LibraryQuery inTrips;
    inTrips.collection = QStringLiteral("Trips");
    QCOMPARE(found(library, inTrips), QList<qint64> {second->id});
}

void tst_LibrarySearch::namesForFilters()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    const auto a = storeImage(library, QStringLiteral("one"), QStringLiteral("beta"), 0);
    const auto b = storeImage(library, QStringLiteral("two"), QStringLiteral("Alpha"), 1);
    const auto c = storeImage(library, QStringLiteral("three"), QStringLiteral("gamma"), 2);
    const auto d = storeImage(library, QStringLiteral("four"), QStringLiteral("beta"), 3);
    QVERIFY(a && b && c && d);
    QVERIFY(edited(library.trash(c->id))); // gamma only in the trash: not offered
    QVERIFY(edited(library.addTag(a->id, QStringLiteral("zoo"))));
    QVERIFY(edited(library.addTag(b->id, QStringLiteral("Apple"))));
    QVERIFY(edited(library.addTag(c->id, QStringLiteral("doomed"))));
    QVERIFY(edited(library.addTag(d->id, QStringLiteral("zoo"))));
    QVERIFY(edited(library.createCollection(QStringLiteral("empty"))));
    QVERIFY(edited(library.createCollection(QStringLiteral("Favorites"))));

    const auto names = [](const QFuture<Result<QStringList, ApiError>>& future) {
        const auto result = await(future);
        return result && result->ok() ? result->value() : QStringList {QStringLiteral("<failed>")};
    };
    QCOMPARE(names(library.modelNames()), (QStringList {QStringLiteral("Alpha"), QStringLiteral("beta")}));
    QCOMPARE(names(library.tagNames()),
             (QStringList {QStringLiteral("Apple"), QStringLiteral("doomed"), QStringLiteral("zoo")}));
    QCOMPARE(names(library.collectionNames()), (QStringList {QStringLiteral("empty"), QStringLiteral("Favorites")}));

    // A purged image's tags go out of use.
    QVERIFY(edited(library.purge(c->id)));
    QCOMPARE(names(library.tagNames()), (QStringList {QStringLiteral("Apple"), QStringLiteral("zoo")}));
}

void tst_LibrarySearch::countsMatches()
{
    QTemporaryDir root;
    Library library(root.path());
    QVERIFY(library.open().ok());
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i) {
        const auto stored =
            storeImage(library, i % 2 ? QStringLiteral("fox") : QStringLiteral("owl"), QStringLiteral("m"), i);
        QVERIFY(stored);
        ids.append(stored->id);
    }
    QVERIFY(edited(library.trash(ids.at(0))));
    const auto count = [&library](const LibraryQuery& query) {
        const auto result = await(library.countMatching(query));
        return result && result->ok() ? result->value() : -1;
    };
    LibraryQuery all;
    all.limit = 2;
    all.offset = 1;
    QCOMPARE(count(all), 4); // limit and offset ignored, the trash left out
    LibraryQuery owls;
    owls.text = QStringLiteral("owl");
    QCOMPARE(count(owls), 2);
    owls.includeTrashed = true;
    QCOMPARE(count(owls), 3);
    LibraryQuery trash;
    trash.trashOnly = true;
    QCOMPARE(count(trash), 1);

    Library closed(root.path() + QStringLiteral("/other"));
    const auto refused = await(closed.countMatching(all));
    QVERIFY(refused && !refused->ok());
    QCOMPARE(refused->error().kind, ApiError::Kind::StorageError);
}

QTEST_GUILESS_MAIN(tst_LibrarySearch)
#include "tst_LibrarySearch.moc"
