// ProxySettings: the configuration in a real Settings file, the manual proxy's password in the real keychain
// (with-keyring.sh, checked with secret-tool), and a small HTTP proxy on loopback that records what reaches it.
#include "accounts/ApiKeyStore.h"
#include "accounts/ProxySettings.h"
#include "api/PixapiClient.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"

#include "TestEnv.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Pixapi;
using Status = AccountResult::Status;

namespace {

// An HTTP proxy that records each request head (the request line and its Proxy-Authorization). With a login set it
// answers 407 until the right Basic credentials come; then it refuses the tunnel (it cannot speak TLS), which is
// enough to see what the client sent through it.
class RecordingProxy : public QTcpServer
{
public:
    struct Request
    {
        QByteArray line;
        QByteArray proxyAuthorization;
    };

    RecordingProxy()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { read(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    void requireLogin(const QString& user, const QString& password)
    {
        m_expected = "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64();
    }
    const QList<Request>& requests() const { return m_requests; }

private:
    void read(QTcpSocket* socket)
    {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        buffer.remove(0, end + 4);
        Request request {lines.first().trimmed(), {}};
        for (const QByteArray& header : lines) {
            if (header.toLower().startsWith("proxy-authorization:"))
                request.proxyAuthorization = header.mid(header.indexOf(':') + 1).trimmed();
        }
        m_requests << request;
        const bool loggedIn = m_expected.isEmpty() || request.proxyAuthorization == m_expected;
        socket->write(loggedIn ? QByteArrayLiteral("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                                                   "Connection: close\r\n\r\n")
                               : QByteArrayLiteral("HTTP/1.1 407 Proxy Authentication Required\r\n"
                                                   "Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n"
                                                   "Connection: close\r\n\r\n"));
        socket->disconnectFromHost();
        m_buffers.remove(socket);
    }

    QByteArray m_expected;
    QList<Request> m_requests;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};

// A host that is not on this computer: through a proxy it becomes a CONNECT; directly, a failed name lookup.
const QUrl RemoteServer(QStringLiteral("https://api.pixapi.invalid"));

} // namespace

class tst_ProxySettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void systemIsTheDefault();
    void manualHttpProxyLogsInWithThePasswordFromTheKeychain();
    void loopbackIsReachedDirectly();
    void noneBypassesTheProxy();
    void socks5Configuration();
    void invalidConfigurationChangesNothing_data();
    void invalidConfigurationChangesNothing();
    void refusedPasswordChangesNothing();
    void emptyPasswordForgetsIt();

private:
    AccountResult await(AccountJob* job);
    ProxyConfig manual(ProxyConfig::Type type, const QString& host, int port, const QString& user = {}) const;
    // Asks `network` for the models of `server` and waits for the answer (a failure, through the test proxy).
    std::optional<ModelsJob::ResultType> listModels(NetworkAccess& network, const QUrl& server);
    QNetworkProxy proxyFor(const NetworkAccess& network, const QUrl& url) const;

    RecordingProxy m_proxy;
    SandboxServer m_sandbox;
    ApiKeyStore m_keys;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<NetworkAccess> m_network;
    std::unique_ptr<ProxySettings> m_proxySettings;
};

void tst_ProxySettings::initTestCase()
{
    TestEnv::init();
    qRegisterMetaType<AccountResult>();
    TestEnv::LogCapture::install();
    QLoggingCategory::setFilterRules(QStringLiteral("pixapi.*=true"));
    QVERIFY(m_proxy.listen(QHostAddress::LocalHost));
    QVERIFY(m_sandbox.listen());
}

void tst_ProxySettings::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_network = std::make_unique<NetworkAccess>();
    m_proxySettings = std::make_unique<ProxySettings>(m_settings.get(), &m_keys, m_network.get());
    m_proxy.requireLogin({}, {});
}

void tst_ProxySettings::cleanup()
{
    m_proxySettings.reset();
    m_network.reset();
    m_settings.reset();
    m_dir.reset();
}

AccountResult tst_ProxySettings::await(AccountJob* job)
{
    QSignalSpy finished(job, &AccountJob::finished);
    QSignalSpy destroyed(job, &QObject::destroyed);
    if (!finished.wait(20000))
        return {};
    if (destroyed.isEmpty())
        destroyed.wait(5000);
    if (finished.count() != 1)
        qWarning("finished() emitted %d times", int(finished.count()));
    return finished.first().first().value<AccountResult>();
}

ProxyConfig tst_ProxySettings::manual(ProxyConfig::Type type, const QString& host, int port, const QString& user) const
{
    ProxyConfig config;
    config.mode = ProxyConfig::Mode::Manual;
    config.type = type;
    config.host = host;
    config.port = port;
    config.user = user;
    return config;
}

std::optional<ModelsJob::ResultType> tst_ProxySettings::listModels(NetworkAccess& network, const QUrl& server)
{
    PixapiClient client(&network);
    client.setBaseUrl(server);
    client.setApiKey(SandboxServer::defaultKey());
    client.setRetryBaseDelayMs(10);
    ModelsJob* job = client.listModels();
    std::optional<ModelsJob::ResultType> result;
    connect(job, &ApiJob::finished, this, [&result, job] { result = job->result(); });
    QSignalSpy finished(job, &ApiJob::finished);
    finished.wait(30000);
    return result;
}

QNetworkProxy tst_ProxySettings::proxyFor(const NetworkAccess& network, const QUrl& url) const
{
    QNetworkProxyFactory* factory = network.manager()->proxyFactory();
    return factory ? factory->queryProxy(QNetworkProxyQuery(url)).value(0) : QNetworkProxy(QNetworkProxy::DefaultProxy);
}

void tst_ProxySettings::systemIsTheDefault()
{
    QCOMPARE(m_proxySettings->config(), ProxyConfig());
    QCOMPARE(m_proxySettings->config().mode, ProxyConfig::Mode::System);
    QVERIFY(
        await(m_proxySettings->save(manual(ProxyConfig::Type::Http, QStringLiteral("proxy.example.com"), 3128))).ok());
    QVERIFY(m_network->manager()->proxyFactory());

    // Back to System (as a settings page would: the same form, another mode): the manager has no proxy of its own
    // and asks the application-wide (system) configuration; the manual fields stay for next time.
    ProxyConfig system = m_proxySettings->config();
    system.mode = ProxyConfig::Mode::System;
    QVERIFY(await(m_proxySettings->save(system)).ok());
    QCOMPARE(m_network->manager()->proxyFactory(), nullptr);
    QCOMPARE(m_settings->value(Settings::Key::ProxyMode).toString(), QStringLiteral("system"));
    QCOMPARE(m_proxySettings->config().host, QStringLiteral("proxy.example.com"));
}

void tst_ProxySettings::manualHttpProxyLogsInWithThePasswordFromTheKeychain()
{
    const QString password = QStringLiteral("proxy-pw-") + QUuid::createUuid().toString(QUuid::Id128);
    m_proxy.requireLogin(QStringLiteral("alice"), password);
    const ProxyConfig config =
        manual(ProxyConfig::Type::Http, QStringLiteral("127.0.0.1"), m_proxy.serverPort(), QStringLiteral("alice"));
    const AccountResult saved = await(m_proxySettings->save(config, password));
    QVERIFY2(saved.ok(), qPrintable(saved.userMessage()));
    QCOMPARE(TestEnv::keyringLookup(m_keys.proxyPasswordEntryName()), password);
    m_settings->sync();
    QCOMPARE(TestEnv::filesContaining(m_dir->path(), password.toUtf8()), QStringList());
    QCOMPARE(TestEnv::filesContaining(m_dir->path(), "alice"), QStringList({m_settings->fileName()}));

    // A fresh start: settings from the file, the password from the keychain.
    Settings reread(m_settings->fileName());
    NetworkAccess network;
    ProxySettings restarted(&reread, &m_keys, &network);
    QCOMPARE(restarted.config(), config);
    const AccountResult applied = await(restarted.apply());
    QVERIFY2(applied.ok(), qPrintable(applied.userMessage()));
    QVERIFY(applied.keychain && applied.keychain->key.isEmpty()); // results carry no secret

    const auto result = listModels(network, RemoteServer);
    QVERIFY(result && !result->ok()); // the test proxy refuses the tunnel
    const QList<RecordingProxy::Request>& requests = m_proxy.requests();
    QVERIFY(requests.size() >= 2);
    QCOMPARE(requests.first().line, QByteArrayLiteral("CONNECT api.pixapi.invalid:443 HTTP/1.1"));
    QVERIFY(requests.first().proxyAuthorization.isEmpty()); // asked for a login: 407
    QCOMPARE(requests.at(1).line, QByteArrayLiteral("CONNECT api.pixapi.invalid:443 HTTP/1.1"));
    QCOMPARE(requests.at(1).proxyAuthorization, "Basic " + (QStringLiteral("alice:") + password).toUtf8().toBase64());
    QVERIFY2(TestEnv::LogCapture::lines().filter(password).isEmpty(), "the proxy password reached the log");
    QVERIFY(await(m_proxySettings->save(config, QString())).ok());
}

void tst_ProxySettings::loopbackIsReachedDirectly()
{
    const qsizetype before = m_proxy.requests().size();
    QVERIFY(
        await(m_proxySettings->save(manual(ProxyConfig::Type::Http, QStringLiteral("127.0.0.1"), m_proxy.serverPort())))
            .ok());
    const auto sandbox = listModels(*m_network, m_sandbox.baseUrl());
    QVERIFY(sandbox && sandbox->ok()); // the sandbox answered, not the proxy
    QCOMPARE(m_proxy.requests().size(), before);
    QCOMPARE(proxyFor(*m_network, m_sandbox.baseUrl()).type(), QNetworkProxy::NoProxy);
    QCOMPARE(proxyFor(*m_network, QUrl(QStringLiteral("http://localhost:8080"))).type(), QNetworkProxy::NoProxy);
    QCOMPARE(proxyFor(*m_network, RemoteServer).type(), QNetworkProxy::HttpProxy);
}

void tst_ProxySettings::noneBypassesTheProxy()
{
    QVERIFY(
        await(m_proxySettings->save(manual(ProxyConfig::Type::Http, QStringLiteral("127.0.0.1"), m_proxy.serverPort())))
            .ok());
    const qsizetype viaProxy = m_proxy.requests().size();
    QVERIFY(listModels(*m_network, RemoteServer));
    QVERIFY(m_proxy.requests().size() > viaProxy); // the manual proxy was in use

    ProxyConfig none;
    none.mode = ProxyConfig::Mode::None;
    QVERIFY(await(m_proxySettings->save(none)).ok());
    const qsizetype before = m_proxy.requests().size();
    const auto direct = listModels(*m_network, RemoteServer);
    QVERIFY(direct && !direct->ok());
    QCOMPARE(direct->error().kind, ApiError::Kind::Offline); // its own name lookup failed
    QCOMPARE(m_proxy.requests().size(), before);
    QCOMPARE(proxyFor(*m_network, RemoteServer).type(), QNetworkProxy::NoProxy);
}

void tst_ProxySettings::socks5Configuration()
{
    const QString password = QStringLiteral("socks-pw-") + QUuid::createUuid().toString(QUuid::Id128);
    const ProxyConfig config =
        manual(ProxyConfig::Type::Socks5, QStringLiteral(" socks.example.com "), 1080, QStringLiteral("bob"));
    QVERIFY(await(m_proxySettings->save(config, password)).ok());
    QCOMPARE(m_settings->value(Settings::Key::ProxyType).toString(), QStringLiteral("socks5"));
    QCOMPARE(m_settings->value(Settings::Key::ProxyHost).toString(), QStringLiteral("socks.example.com"));

    const QNetworkProxy remote = proxyFor(*m_network, QUrl(QStringLiteral("https://api.pixapi.ai/v1/models")));
    QCOMPARE(remote.type(), QNetworkProxy::Socks5Proxy);
    QCOMPARE(remote.hostName(), QStringLiteral("socks.example.com"));
    QCOMPARE(remote.port(), quint16(1080));
    QCOMPARE(remote.user(), QStringLiteral("bob"));
    QCOMPARE(remote.password(), password);
    QCOMPARE(proxyFor(*m_network, QUrl(QStringLiteral("http://[::1]:8080"))).type(), QNetworkProxy::NoProxy);
    QVERIFY(await(m_proxySettings->save(config, QString())).ok());
}

void tst_ProxySettings::invalidConfigurationChangesNothing_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("valid");
    QTest::newRow("no host") << QString() << 8080 << false;
    QTest::newRow("blank host") << QStringLiteral("  ") << 8080 << false;
    QTest::newRow("port 0") << QStringLiteral("proxy.example.com") << 0 << false;
    QTest::newRow("port 65536") << QStringLiteral("proxy.example.com") << 65536 << false;
    QTest::newRow("negative port") << QStringLiteral("proxy.example.com") << -1 << false;
    QTest::newRow("port 1") << QStringLiteral("proxy.example.com") << 1 << true;
    QTest::newRow("port 65535") << QStringLiteral("proxy.example.com") << 65535 << true;
}

void tst_ProxySettings::invalidConfigurationChangesNothing()
{
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, valid);
    const ProxyConfig config = manual(ProxyConfig::Type::Http, host, port);
    QCOMPARE(!config.problem().has_value(), valid);
    const AccountResult result = await(m_proxySettings->save(config));
    if (valid) {
        QVERIFY(result.ok());
        QCOMPARE(m_proxySettings->config(), config);
        return;
    }
    QCOMPARE(result.status, Status::Invalid);
    QCOMPARE(result.userMessage(), *config.problem());
    QCOMPARE(m_proxySettings->config(), ProxyConfig()); // still the default, System
    QCOMPARE(m_network->manager()->proxyFactory(), nullptr);
}

void tst_ProxySettings::refusedPasswordChangesNothing()
{
    const ProxyConfig config =
        manual(ProxyConfig::Type::Http, QStringLiteral("proxy.example.com"), 3128, QStringLiteral("carol"));
    const AccountResult refused = await(m_proxySettings->save(config, QString(ApiKeyStore::MaxKeyBytes + 1, u'x')));
    QCOMPARE(refused.status, Status::KeychainProblem);
    QCOMPARE(refused.keychain->status, KeyResult::Status::TooLong);
    QVERIFY(refused.userMessage().contains(QLatin1String("proxy password")));
    QCOMPARE(m_proxySettings->config(), ProxyConfig());
    QCOMPARE(m_network->manager()->proxyFactory(), nullptr);
}

void tst_ProxySettings::emptyPasswordForgetsIt()
{
    const ProxyConfig config =
        manual(ProxyConfig::Type::Http, QStringLiteral("proxy.example.com"), 3128, QStringLiteral("dave"));
    QVERIFY(await(m_proxySettings->save(config, QStringLiteral("dave-pw"))).ok());
    QVERIFY(TestEnv::keyringLookup(m_keys.proxyPasswordEntryName()));
    QCOMPARE(proxyFor(*m_network, RemoteServer).password(), QStringLiteral("dave-pw"));

    QVERIFY(await(m_proxySettings->save(config, QString())).ok());
    QCOMPARE(TestEnv::keyringLookup(m_keys.proxyPasswordEntryName()), std::nullopt);
    QVERIFY(proxyFor(*m_network, RemoteServer).password().isEmpty());

    // The next start finds a user but no password: it says so, and still uses the proxy (never a direct connection).
    const AccountResult applied = await(m_proxySettings->apply());
    QCOMPARE(applied.status, Status::KeychainProblem);
    QCOMPARE(applied.keychain->status, KeyResult::Status::Missing);
    QVERIFY(applied.userMessage().contains(QLatin1String("proxy password")));
    QCOMPARE(proxyFor(*m_network, RemoteServer).hostName(), QStringLiteral("proxy.example.com"));
}

QTEST_GUILESS_MAIN(tst_ProxySettings)
#include "tst_ProxySettings.moc"
