#include "SandboxFixture.h"
#include "TestEnv.h"
#include "api/Parsers.h"
#include "catalog/CatalogCache.h"
#include "catalog/ModelCatalog.h"
#include "support/AppPaths.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Pixapi;

namespace {

const QByteArray kOldBody = R"({"object":"list","data":[{"id":"old-model","credits_per_image":3}]})";

QUrl modelsUrl(const PixapiClient& client)
{
    return client.endpoint(QStringLiteral("models"));
}

// A loopback URL where nothing listens any more: the app is "offline".
QUrl closedServerUrl()
{
    SandboxServer gone;
    if (!gone.listen())
        qFatal("cannot listen");
    return gone.baseUrl();
}

} // namespace

class tst_CatalogCache : public QObject
{
    Q_OBJECT

private:
    SandboxFixture m_sandbox;
    std::unique_ptr<QTemporaryDir> m_data;

    void refreshOk(ModelCatalog& catalog)
    {
        QSignalSpy changed(&catalog, &ModelCatalog::modelsChanged);
        QSignalSpy failed(&catalog, &ModelCatalog::refreshFailed);
        catalog.refresh();
        QVERIFY(changed.wait(10000));
        QCOMPARE(failed.count(), 0);
    }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }
    void init()
    {
        m_data = std::make_unique<QTemporaryDir>();
        QVERIFY(m_data->isValid());
        AppPaths::setDataDirOverride(m_data->path());
        QVERIFY(m_sandbox.start());
    }
    void cleanup()
    {
        m_sandbox.reset();
        AppPaths::setDataDirOverride({});
        m_data.reset();
    }

    void offlineStartFromCache()
    {
        QDateTime fetched;
        qsizetype count = 0;
        {
            ModelCatalog online(m_sandbox.client.get());
            QVERIFY(online.models().isEmpty()); // nothing cached yet
            QVERIFY(!online.isStale());
            refreshOk(online);
            QVERIFY(!online.isStale());
            fetched = online.fetchedAt();
            count = online.models().size();
            QVERIFY(fetched.isValid());
            QVERIFY(QFile::exists(CatalogCache().filePath(modelsUrl(*m_sandbox.client))));
            QVERIFY(CatalogCache().filePath(modelsUrl(*m_sandbox.client)).startsWith(AppPaths::cacheDir()));
        }
        m_sandbox.server.reset(); // the server is gone: the next start is offline

        ModelCatalog offline(m_sandbox.client.get());
        QCOMPARE(offline.models().size(), count);
        QVERIFY(offline.find(QStringLiteral("nano-banana")));
        QVERIFY(offline.isStale());
        QCOMPARE(offline.fetchedAt(), fetched);

        QSignalSpy failed(&offline, &ModelCatalog::refreshFailed);
        QSignalSpy changed(&offline, &ModelCatalog::modelsChanged);
        QSignalSpy stale(&offline, &ModelCatalog::staleChanged);
        offline.refresh();
        QVERIFY(failed.wait(20000));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(stale.count(), 0);
        QCOMPARE(offline.models().size(), count); // a failed refresh keeps the cached list
        QVERIFY(offline.isStale());
    }

    void refreshReplacesTheCache()
    {
        const QUrl source = modelsUrl(*m_sandbox.client);
        const QDateTime past = QDateTime::currentDateTimeUtc().addDays(-3);
        QVERIFY(CatalogCache().store(source, kOldBody, past));

        ModelCatalog catalog(m_sandbox.client.get());
        QCOMPARE(catalog.models().size(), 1);
        QCOMPARE(catalog.models().constFirst().id, QStringLiteral("old-model"));
        QVERIFY(catalog.isStale());
        QCOMPARE(catalog.fetchedAt().toMSecsSinceEpoch(), past.toMSecsSinceEpoch());

        QSignalSpy stale(&catalog, &ModelCatalog::staleChanged);
        refreshOk(catalog);
        QVERIFY(!catalog.isStale());
        QCOMPARE(stale.count(), 1);
        QCOMPARE(stale.constFirst().constFirst().toBool(), false);
        QVERIFY(!catalog.find(QStringLiteral("old-model")));
        QVERIFY(catalog.find(QStringLiteral("gpt-image-2")));
        QVERIFY(catalog.fetchedAt() > past);

        const auto entry = CatalogCache().load(source);
        QVERIFY(entry);
        QCOMPARE(entry->fetchedAt, catalog.fetchedAt());
        const auto cached = Parsers::parseModelList(entry->body);
        QVERIFY(cached.ok());
        QCOMPARE(cached.value().size(), catalog.models().size());
        QVERIFY(entry->body.contains("credits_table")); // the raw body, richer fields included
    }

    void corruptFileIsIgnored_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("\x89PNG\r\n\x1a\n not json at all");
        QTest::newRow("truncated") << QByteArray(R"({"version":1,"source":)");
        QTest::newRow("wrong version") << QByteArray(R"({"version":99,"fetched_at":1,"body":"{}"})");
        QTest::newRow("body not a string") << QByteArray(R"({"version":1,"fetched_at":1,"body":{"data":[]}})");
        QTest::newRow("body not a model list") << QByteArray("SOURCE_OK");
    }

    void corruptFileIsIgnored()
    {
        QFETCH(QByteArray, content);
        const QUrl source = modelsUrl(*m_sandbox.client);
        const QString path = CatalogCache().filePath(source);
        if (content == "SOURCE_OK") { // a well-formed wrapper around a body that is not a model list
            QVERIFY(CatalogCache().store(source, "{\"object\":\"error\"}", QDateTime::currentDateTimeUtc()));
        } else {
            QVERIFY(CatalogCache().store(source, kOldBody, QDateTime::currentDateTimeUtc())); // creates the dir
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(content);
        }

        ModelCatalog catalog(m_sandbox.client.get());
        QVERIFY(catalog.models().isEmpty());
        QVERIFY(!catalog.isStale());
        QVERIFY(!catalog.fetchedAt().isValid());

        refreshOk(catalog); // the next success replaces the bad file
        const auto entry = CatalogCache().load(source);
        QVERIFY(entry);
        QVERIFY(Parsers::parseModelList(entry->body).ok());
        QVERIFY(!Parsers::parseModelList(entry->body).value().isEmpty());
    }

    void cachePerBaseUrl()
    {
        const QUrl one = m_sandbox.client->baseUrl();
        const QUrl two = closedServerUrl();
        PixapiClient probe(m_sandbox.network.get());
        probe.setBaseUrl(two);
        QVERIFY(CatalogCache().store(modelsUrl(probe), kOldBody, QDateTime::currentDateTimeUtc()));
        QVERIFY(CatalogCache().filePath(modelsUrl(probe)) != CatalogCache().filePath(modelsUrl(*m_sandbox.client)));

        ModelCatalog catalog(m_sandbox.client.get());
        QVERIFY(catalog.models().isEmpty()); // server one has no cache yet; two's list is not shown here
        refreshOk(catalog);
        const qsizetype liveCount = catalog.models().size();

        // Switching to server two (offline) shows two's cached list at once, and keeps it when two fails.
        m_sandbox.client->setBaseUrl(two);
        QSignalSpy changed(&catalog, &ModelCatalog::modelsChanged);
        QSignalSpy failed(&catalog, &ModelCatalog::refreshFailed);
        catalog.refresh();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(catalog.models().size(), 1);
        QCOMPARE(catalog.resolve(QStringLiteral("old-model")), QStringLiteral("old-model"));
        QVERIFY(catalog.isStale());
        QVERIFY(failed.wait(20000));
        QCOMPARE(catalog.models().size(), 1);

        // And back: server one's own cache.
        m_sandbox.client->setBaseUrl(one);
        QVERIFY(catalog.loadCached());
        QCOMPARE(catalog.models().size(), liveCount);
        QVERIFY(catalog.isStale());

        // The same server spelled with /v1 or a trailing slash shares the file; user info never reaches it.
        QUrl spelled = one;
        spelled.setPath(QStringLiteral("/v1/"));
        spelled.setUserInfo(QStringLiteral("user:sk_secret_in_url"));
        probe.setBaseUrl(spelled);
        QCOMPARE(CatalogCache().filePath(modelsUrl(probe)), CatalogCache().filePath(modelsUrl(*m_sandbox.client)));
        QVERIFY(CatalogCache().load(modelsUrl(probe)));
        QVERIFY(TestEnv::filesContaining(AppPaths::cacheDir(), "sk_secret_in_url").isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_CatalogCache)
#include "tst_CatalogCache.moc"
