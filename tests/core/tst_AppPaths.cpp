#include "TestEnv.h"
#include "support/AppPaths.h"

#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

class tst_AppPaths : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void defaultsToStandardPaths();
    void environmentOverrides();
    void setterWinsOverEnvironment();
};

void tst_AppPaths::initTestCase()
{
    TestEnv::init();
    qunsetenv("PIXAPI_DATA_DIR");
}

void tst_AppPaths::cleanup()
{
    AppPaths::setDataDirOverride(QString());
    qunsetenv("PIXAPI_DATA_DIR");
}

void tst_AppPaths::defaultsToStandardPaths()
{
    const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QVERIFY(!appData.isEmpty());
    QCOMPARE(AppPaths::dataDir(), appData);
    QCOMPARE(AppPaths::libraryDir(), appData + QStringLiteral("/library"));
    QCOMPARE(AppPaths::cacheDir(), QStandardPaths::writableLocation(QStandardPaths::CacheLocation));
    QVERIFY(AppPaths::dataDir().startsWith(qEnvironmentVariable("PIXAPI_TEST_HOME")));
}

void tst_AppPaths::environmentOverrides()
{
    QTemporaryDir dir;
    qputenv("PIXAPI_DATA_DIR", QFile::encodeName(dir.path() + QStringLiteral("/data/")));
    QCOMPARE(AppPaths::dataDir(), dir.path() + QStringLiteral("/data"));
    QCOMPARE(AppPaths::libraryDir(), dir.path() + QStringLiteral("/data/library"));
    QCOMPARE(AppPaths::cacheDir(), dir.path() + QStringLiteral("/data/cache"));
}

void tst_AppPaths::setterWinsOverEnvironment()
{
    QTemporaryDir fromEnv;
    QTemporaryDir fromSetter;
    qputenv("PIXAPI_DATA_DIR", QFile::encodeName(fromEnv.path()));
    AppPaths::setDataDirOverride(fromSetter.path());
    QCOMPARE(AppPaths::libraryDir(), fromSetter.path() + QStringLiteral("/library"));
    AppPaths::setDataDirOverride(QString());
    QCOMPARE(AppPaths::libraryDir(), fromEnv.path() + QStringLiteral("/library"));
}

QTEST_GUILESS_MAIN(tst_AppPaths)
#include "tst_AppPaths.moc"
