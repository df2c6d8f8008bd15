#include "library/Library.h"
#include "library/ThumbnailCache.h"
#include "library/ThumbnailLoader.h"

#include "TestEnv.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

class tst_ThumbnailCache : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void opaqueIsJpegUnderEdgeAndHashPrefix();
    void alphaIsPngAndReplacesTheStaleJpeg();
    void corruptFileIsDeletedAndReadsAsMiss();
    void unsafeOrEmptyHashDisablesTheCache();
    void hitRefreshesModificationTime();
    void pruneDeletesLeastRecentlyUsedFirst();
    void storedEdgesStepBy64();
    void loadWritesThenServesFromCache();
    void exactSizeIsKeptWhenAskedAndPreferred();
    void loadReplacesCorruptCacheFromSource();
    void loadWithoutHashNeverTouchesDisk();

private:
    QString writeSource(const QString& name, QSize size, QColor color, QImage::Format format = QImage::Format_RGB32);
    static QString sha256Of(const QString& path);
    static QImage solid(QSize size, QColor color, QImage::Format format = QImage::Format_RGB32);
    static QStringList filesUnder(const QString& dir);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_cacheDir;
};

void tst_ThumbnailCache::initTestCase()
{
    TestEnv::init();
}

void tst_ThumbnailCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_cacheDir = m_dir->filePath(QStringLiteral("cache"));
}

QImage tst_ThumbnailCache::solid(QSize size, QColor color, QImage::Format format)
{
    QImage image(size, format);
    image.fill(color);
    return image;
}

QString tst_ThumbnailCache::writeSource(const QString& name, QSize size, QColor color, QImage::Format format)
{
    const QString path = m_dir->filePath(name);
    if (!solid(size, color, format).save(path, "png"))
        qWarning() << "could not write" << path;
    return path;
}

QString tst_ThumbnailCache::sha256Of(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex());
}

QStringList tst_ThumbnailCache::filesUnder(const QString& dir)
{
    QStringList files;
    QDir root(dir);
    const auto entries = root.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo& entry : entries) {
        if (entry.isDir())
            files << filesUnder(entry.absoluteFilePath());
        else
            files << entry.absoluteFilePath();
    }
    return files;
}

void tst_ThumbnailCache::opaqueIsJpegUnderEdgeAndHashPrefix()
{
    const ThumbnailCache cache(m_cacheDir);
    const QString sha = QStringLiteral("ab") + QString(62, QLatin1Char('1'));
    QVERIFY(cache.write(sha, 128, solid({128, 64}, Qt::red)));
    const QString expected = m_cacheDir + QStringLiteral("/128/ab/") + sha + QStringLiteral(".jpg");
    QCOMPARE(filesUnder(m_cacheDir), QStringList {expected});
    QCOMPARE(QImageReader(expected).format(), QByteArray("jpeg"));

    const QImage back = cache.read(sha, 128);
    QCOMPARE(back.size(), QSize(128, 64));
    const QColor pixel = back.pixelColor(10, 10);
    QVERIFY2(pixel.red() > 240 && pixel.green() < 16 && pixel.blue() < 16, qPrintable(pixel.name()));
    QVERIFY(cache.read(sha, 256).isNull()); // another edge is another entry
}

void tst_ThumbnailCache::alphaIsPngAndReplacesTheStaleJpeg()
{
    const ThumbnailCache cache(m_cacheDir);
    const QString sha = QString(64, QLatin1Char('c'));
    QVERIFY(cache.write(sha, 64, solid({32, 32}, Qt::blue)));
    QVERIFY(QFileInfo::exists(cache.filePath(sha, 64, false)));

    QImage translucent = solid({32, 32}, QColor(0, 255, 0, 100), QImage::Format_ARGB32);
    QVERIFY(cache.write(sha, 64, translucent));
    QCOMPARE(filesUnder(m_cacheDir), QStringList {cache.filePath(sha, 64, true)});
    QVERIFY(cache.filePath(sha, 64, true).endsWith(QStringLiteral(".png")));
    QCOMPARE(QImageReader(cache.filePath(sha, 64, true)).format(), QByteArray("png"));
    const QImage back = cache.read(sha, 64);
    QVERIFY(back.hasAlphaChannel());
    QCOMPARE(back.pixelColor(5, 5).alpha(), 100);
}

void tst_ThumbnailCache::corruptFileIsDeletedAndReadsAsMiss()
{
    const ThumbnailCache cache(m_cacheDir);
    const QString sha = QString(64, QLatin1Char('d'));
    QVERIFY(cache.write(sha, 64, solid({16, 16}, Qt::gray)));
    const QString path = cache.filePath(sha, 64, false);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("not a jpeg at all");
    file.close();

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("dropping unreadable cached thumbnail")));
    QVERIFY(cache.read(sha, 64).isNull());
    QVERIFY(!QFileInfo::exists(path));
}

void tst_ThumbnailCache::unsafeOrEmptyHashDisablesTheCache()
{
    const ThumbnailCache cache(m_cacheDir);
    const QImage image = solid({8, 8}, Qt::black);
    for (const QString& sha : {QString(), QStringLiteral("a"), QStringLiteral("../../etc"), QStringLiteral("zz99")}) {
        QVERIFY(!cache.isUsable(sha));
        QVERIFY(!cache.write(sha, 64, image));
        QVERIFY(cache.read(sha, 64).isNull());
    }
    const ThumbnailCache disabled {QString()};
    QVERIFY(!disabled.write(QString(64, QLatin1Char('e')), 64, image));
    QVERIFY(!QFileInfo::exists(m_cacheDir));
}

void tst_ThumbnailCache::hitRefreshesModificationTime()
{
    const ThumbnailCache cache(m_cacheDir);
    const QString sha = QString(64, QLatin1Char('f'));
    QVERIFY(cache.write(sha, 64, solid({8, 8}, Qt::white)));
    const QString path = cache.filePath(sha, 64, false);
    const QDateTime longAgo = QDateTime::currentDateTimeUtc().addDays(-30);
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(longAgo, QFileDevice::FileModificationTime));
    }
    QVERIFY(!cache.read(sha, 64).isNull());
    QVERIFY(QFileInfo(path).lastModified() > longAgo.addDays(29));
}

void tst_ThumbnailCache::pruneDeletesLeastRecentlyUsedFirst()
{
    const ThumbnailCache cache(m_cacheDir);
    QStringList paths;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < 4; ++i) {
        const QString sha = QString(64, QLatin1Char("0123"[i]));
        QVERIFY(cache.write(sha, 64, solid({64, 64}, QColor::fromHsv(i * 60, 200, 200))));
        paths << cache.filePath(sha, 64, false);
        // File i was last used i hours ago: 3 is the least recently used.
        QFile file(paths.constLast());
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(now.addSecs(-3600 * i), QFileDevice::FileModificationTime));
    }
    qint64 total = 0;
    for (const QString& path : std::as_const(paths))
        total += QFileInfo(path).size();
    const qint64 keepTwo = QFileInfo(paths.at(0)).size() + QFileInfo(paths.at(1)).size();

    QCOMPARE(cache.prune(total), total); // under the limit: nothing goes
    QCOMPARE(filesUnder(m_cacheDir).size(), 4);
    QCOMPARE(cache.prune(keepTwo), keepTwo);
    QVERIFY(QFileInfo::exists(paths.at(0)));
    QVERIFY(QFileInfo::exists(paths.at(1)));
    QVERIFY(!QFileInfo::exists(paths.at(2)));
    QVERIFY(!QFileInfo::exists(paths.at(3)));
    QCOMPARE(cache.prune(0), 0);
    QVERIFY(filesUnder(m_cacheDir).isEmpty());
}

void tst_ThumbnailCache::storedEdgesStepBy64()
{
    QCOMPARE(ThumbnailCache::storedEdgeFor(1), 64);
    QCOMPARE(ThumbnailCache::storedEdgeFor(64), 64);
    QCOMPARE(ThumbnailCache::storedEdgeFor(65), 128);
    QCOMPARE(ThumbnailCache::storedEdgeFor(238), 256);
    QCOMPARE(ThumbnailCache::storedEdgeFor(1024), 1024);
    QCOMPARE(ThumbnailCache::storedEdgeFor(5000), 1024);
}

void tst_ThumbnailCache::loadWritesThenServesFromCache()
{
    LibraryRecord record;
    record.filePath = writeSource(QStringLiteral("source.png"), {400, 200}, Qt::red);
    record.sha256 = sha256Of(record.filePath);
    QVERIFY(!record.sha256.isEmpty());

    // Stored at the 64 px step above (128 × 64), handed out at the size asked for.
    const QImage first = ThumbnailLoader::load(record, 100, m_cacheDir);
    QCOMPARE(first.size(), QSize(100, 50));
    const QString cached = ThumbnailCache(m_cacheDir).filePath(record.sha256, 128, false);
    QCOMPARE(filesUnder(m_cacheDir), QStringList {cached});
    QCOMPARE(QImage(cached).size(), QSize(128, 64));
    // Another size in the same step is served by the same file.
    QCOMPARE(ThumbnailLoader::load(record, 90, m_cacheDir).size(), QSize(90, 45));
    QCOMPARE(filesUnder(m_cacheDir), QStringList {cached});

    // The source is gone: the thumbnail still comes from the cache.
    QVERIFY(QFile::remove(record.filePath));
    const QImage second = ThumbnailLoader::load(record, 100, m_cacheDir);
    QCOMPARE(second.size(), QSize(100, 50));
    QVERIFY(second.pixelColor(50, 25).red() > 240);
}

void tst_ThumbnailCache::exactSizeIsKeptWhenAskedAndPreferred()
{
    LibraryRecord record;
    record.filePath = writeSource(QStringLiteral("exact.png"), {400, 400}, Qt::blue);
    record.sha256 = sha256Of(record.filePath);
    const ThumbnailCache cache(m_cacheDir);
    QCOMPARE(ThumbnailLoader::load(record, 100, m_cacheDir, true).size(), QSize(100, 100));
    const QString exact = cache.filePath(record.sha256, 100, false);
    const QString step = cache.filePath(record.sha256, 128, false);
    QCOMPARE(filesUnder(m_cacheDir), (QStringList {exact, step}));

    // The exact file alone serves that size (neither the step nor the source is read).
    QVERIFY(QFile::remove(step));
    QVERIFY(QFile::remove(record.filePath));
    const QImage again = ThumbnailLoader::load(record, 100, m_cacheDir);
    QCOMPARE(again.size(), QSize(100, 100));
    QVERIFY(again.pixelColor(50, 50).blue() > 240);
    QCOMPARE(filesUnder(m_cacheDir), QStringList {exact});
}

void tst_ThumbnailCache::loadReplacesCorruptCacheFromSource()
{
    LibraryRecord record;
    record.filePath = writeSource(QStringLiteral("alpha.png"), {80, 80}, QColor(0, 0, 255, 128), QImage::Format_ARGB32);
    record.sha256 = sha256Of(record.filePath);
    QVERIFY(!ThumbnailLoader::load(record, 64, m_cacheDir).isNull());
    const QString cached = ThumbnailCache(m_cacheDir).filePath(record.sha256, 64, true);
    QVERIFY(QFileInfo::exists(cached));
    QFile file(cached);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("garbage");
    file.close();

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("dropping unreadable cached thumbnail")));
    const QImage again = ThumbnailLoader::load(record, 64, m_cacheDir);
    QCOMPARE(again.size(), QSize(64, 64));
    QCOMPARE(again.pixelColor(10, 10).alpha(), 128);
    const QImage rewritten(cached);
    QCOMPARE(rewritten.size(), QSize(64, 64)); // made again from the source and cached again
}

void tst_ThumbnailCache::loadWithoutHashNeverTouchesDisk()
{
    LibraryRecord record;
    record.filePath = writeSource(QStringLiteral("plain.png"), {50, 50}, Qt::green);
    QCOMPARE(ThumbnailLoader::load(record, 32, m_cacheDir).size(), QSize(32, 32));
    QVERIFY(!QFileInfo::exists(m_cacheDir));
}

QTEST_GUILESS_MAIN(tst_ThumbnailCache)
#include "tst_ThumbnailCache.moc"
