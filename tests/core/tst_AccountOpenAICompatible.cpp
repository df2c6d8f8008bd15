// An account of Kind::OpenAICompatible: the session points the client at it with OpenAI's request shape (b64_json by
// default, no response_format for GPT image models) and a models list cut down to OpenAI's image models. Runs
// against the loopback sandbox (which also speaks that shape) and the real keychain (with-keyring.sh).
#include "accounts/AccountRegistry.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "api/Parsers.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"
#include "settings/Settings.h"

#include "CannedServer.h"
#include "TestEnv.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

namespace {

QStringList idsOf(const QList<ModelInfo>& models)
{
    QStringList ids;
    for (const ModelInfo& model : models)
        ids << model.id;
    ids.sort();
    return ids;
}

} // namespace

class tst_AccountOpenAICompatible : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void requestShapeForOpenAIServers();
    void generationAsksForBase64ByDefault();
    void gptImageModelsGetNoResponseFormat();
    void modelsListKeepsOpenAIImageModels();
    void serverWithoutOpenAIModelsKeepsItsList();
    void keyChecksUseTheAccountsKind();

private:
    // Adds an account of `kind` at `url`, saves the sandbox key for it, switches to it and waits until the session
    // is Ready.
    void useAccount(const QUrl& url, Account::Kind kind);
    GenerationResponse generate(const GenerationParams& params);
    std::optional<ModelsJob::ResultType> listModels(QByteArray* stored = nullptr);

    SandboxServer m_sandbox;
    NetworkAccess m_network;
    ApiKeyStore m_keys;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<PixapiClient> m_client;
    std::unique_ptr<AccountSession> m_session;
};

void tst_AccountOpenAICompatible::initTestCase()
{
    TestEnv::init();
    qRegisterMetaType<AccountResult>();
    QVERIFY(m_sandbox.listen());
}

void tst_AccountOpenAICompatible::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("settings.ini")));
    m_settings->setValue(Settings::Key::AccountId, QString::fromLatin1(QTest::currentTestFunction()));
    m_client = std::make_unique<PixapiClient>(&m_network);
    m_session = std::make_unique<AccountSession>(m_settings.get(), &m_keys, m_client.get(), &m_network);
}

void tst_AccountOpenAICompatible::cleanup()
{
    m_session.reset();
    m_client.reset();
    m_settings.reset();
    m_dir.reset();
}

void tst_AccountOpenAICompatible::useAccount(const QUrl& url, Account::Kind kind)
{
    AccountRegistry* accounts = m_session->accounts();
    const auto added = accounts->add(QStringLiteral("Profile"), url, kind);
    QVERIFY(added.ok());
    QSignalSpy saved(accounts->saveKey(added.value().id, SandboxServer::defaultKey()), &AccountJob::finished);
    QVERIFY(saved.wait(15000));
    QVERIFY(accounts->switchTo(added.value().id));
    QSignalSpy states(m_session.get(), &AccountSession::stateChanged);
    QDeadlineTimer deadline(15000);
    while (m_session->state() == AccountSession::State::Loading && !deadline.hasExpired())
        states.wait(int(deadline.remainingTime()));
    QCOMPARE(m_session->state(), AccountSession::State::Ready);
    QCOMPARE(m_client->serverKind(), kind);
    QCOMPARE(m_client->baseUrl(), url);
}

GenerationResponse tst_AccountOpenAICompatible::generate(const GenerationParams& params)
{
    GenerateJob* job = m_client->generate(params);
    std::optional<GenerateJob::ResultType> result;
    QObject::connect(job, &ApiJob::finished, this, [&result, job] { result = job->result(); });
    QSignalSpy finished(job, &ApiJob::finished);
    if (!finished.wait(30000) || !result || !result->ok()) {
        qWarning("generation failed: %s", result ? qPrintable(result->error().userMessage()) : "no answer");
        return {};
    }
    return result->value();
}

std::optional<ModelsJob::ResultType> tst_AccountOpenAICompatible::listModels(QByteArray* stored)
{
    ModelsJob* job = m_client->listModels();
    std::optional<ModelsJob::ResultType> result;
    QObject::connect(job, &ApiJob::finished, this, [&result, stored, job] {
        result = job->result();
        if (stored)
            *stored = job->responseBody();
    });
    QSignalSpy finished(job, &ApiJob::finished);
    finished.wait(15000);
    return result;
}

void tst_AccountOpenAICompatible::requestShapeForOpenAIServers()
{
    const auto bodyOf = [](ServerKind kind, const QString& model, const QString& format) {
        GenerationParams params;
        params.model = model;
        params.prompt = QStringLiteral("a lighthouse");
        params.responseFormat = format;
        return QJsonDocument::fromJson(PixapiClient::generationBody(PixapiClient::paramsFor(kind, params))).object();
    };
    const QString key = QStringLiteral("response_format");
    // OpenAI's result URLs expire: base64 unless something else was chosen.
    QCOMPARE(bodyOf(ServerKind::OpenAICompatible, QStringLiteral("dall-e-3"), {}).value(key).toString(),
             QStringLiteral("b64_json"));
    QCOMPARE(
        bodyOf(ServerKind::OpenAICompatible, QStringLiteral("dall-e-3"), QStringLiteral("url")).value(key).toString(),
        QStringLiteral("url"));
    // OpenAI refuses the field for GPT image models ("Unknown parameter"); they always answer base64.
    QVERIFY(!bodyOf(ServerKind::OpenAICompatible, QStringLiteral("gpt-image-1"), {}).contains(key));
    QVERIFY(!bodyOf(ServerKind::OpenAICompatible, QStringLiteral("gpt-image-2"), QStringLiteral("url")).contains(key));
    QVERIFY(!bodyOf(ServerKind::OpenAICompatible, QStringLiteral("chatgpt-image-latest"), QStringLiteral("b64_json"))
                 .contains(key));
    // Pixapi gets what was asked, server default included.
    QVERIFY(!bodyOf(ServerKind::Pixapi, QStringLiteral("dall-e-3"), {}).contains(key));
    QVERIFY(!bodyOf(ServerKind::Pixapi, QStringLiteral("gpt-image-2"), {}).contains(key));
    QCOMPARE(bodyOf(ServerKind::Pixapi, QStringLiteral("gpt-image-2"), QStringLiteral("url")).value(key).toString(),
             QStringLiteral("url"));
}

void tst_AccountOpenAICompatible::generationAsksForBase64ByDefault()
{
    GenerationParams params;
    params.model = QStringLiteral("gemini-2.5-flash-image"); // not a GPT image model: b64_json goes out
    params.prompt = QStringLiteral("a lighthouse at dusk");

    useAccount(m_sandbox.baseUrl(), Account::Kind::OpenAICompatible);
    const GenerationResponse openai = generate(params);
    QCOMPARE(openai.images.size(), 1);
    QVERIFY(!openai.images.first().bytes.isEmpty()); // the sandbox answered base64: it was asked to
    QVERIFY(openai.images.first().url.isEmpty());

    // The same request for a Pixapi account keeps the server's default (a URL on the sandbox).
    QVERIFY(m_session->accounts()->setKind(m_session->accountId(), Account::Kind::Pixapi).ok());
    QCOMPARE(m_client->serverKind(), ServerKind::Pixapi);
    const GenerationResponse pixapi = generate(params);
    QCOMPARE(pixapi.images.size(), 1);
    QVERIFY(pixapi.images.first().bytes.isEmpty());
    QVERIFY(pixapi.images.first().url.isValid());
}

void tst_AccountOpenAICompatible::gptImageModelsGetNoResponseFormat()
{
    useAccount(m_sandbox.baseUrl(), Account::Kind::OpenAICompatible);
    GenerationParams params;
    params.model = QStringLiteral("gpt-image-2");
    params.prompt = QStringLiteral("a lighthouse at dusk");
    params.responseFormat = QStringLiteral("b64_json");
    const GenerationResponse response = generate(params);
    QCOMPARE(response.images.size(), 1);
    // Without the field the sandbox falls back to its default, a URL: the field was not sent.
    QVERIFY(response.images.first().url.isValid());
}

void tst_AccountOpenAICompatible::modelsListKeepsOpenAIImageModels()
{
    useAccount(m_sandbox.baseUrl(), Account::Kind::OpenAICompatible);
    QByteArray stored;
    const auto openai = listModels(&stored);
    QVERIFY(openai && openai->ok());
    const QStringList imageModels {QStringLiteral("gpt-image-1.5"), QStringLiteral("gpt-image-2")};
    QCOMPARE(idsOf(openai->value()), imageModels);
    // What the catalog cache stores reads back as the same list, with the richer fields of the kept entries.
    const auto reread = Parsers::parseModelList(stored);
    QVERIFY(reread.ok());
    QCOMPARE(idsOf(reread.value()), imageModels);
    QVERIFY(reread.value().first().creditsPerImage || !reread.value().first().creditsTable.isEmpty());

    QVERIFY(m_session->accounts()->setKind(m_session->accountId(), Account::Kind::Pixapi).ok());
    const auto pixapi = listModels();
    QVERIFY(pixapi && pixapi->ok());
    QVERIFY(pixapi->value().size() > imageModels.size()); // Gemini models, video models: the whole catalog
}

void tst_AccountOpenAICompatible::serverWithoutOpenAIModelsKeepsItsList()
{
    // A local OpenAI-compatible server with image models of its own: nothing matches OpenAI's names, so nothing is
    // filtered (an empty picker would make the profile useless).
    CannedServer local(R"({"object":"list","data":[{"id":"sdxl-turbo"},{"id":"flux-schnell"}]})");
    QVERIFY(local.listen(QHostAddress::LocalHost));
    useAccount(local.baseUrl(), Account::Kind::OpenAICompatible);
    const auto models = listModels();
    QVERIFY(models && models->ok());
    QCOMPARE(idsOf(models->value()), QStringList({QStringLiteral("flux-schnell"), QStringLiteral("sdxl-turbo")}));

    // A mixed list (OpenAI itself: chat, embeddings, images) keeps only the image models.
    CannedServer mixed(R"({"object":"list","data":[{"id":"gpt-4o"},{"id":"text-embedding-3-small"},)"
                       R"({"id":"dall-e-3"},{"id":"gpt-image-1"},{"id":"whisper-1"}]})");
    QVERIFY(mixed.listen(QHostAddress::LocalHost));
    QVERIFY(m_session->accounts()->setBaseUrl(m_session->accountId(), mixed.baseUrl()).ok());
    const auto filtered = listModels();
    QVERIFY(filtered && filtered->ok());
    QCOMPARE(idsOf(filtered->value()), QStringList({QStringLiteral("dall-e-3"), QStringLiteral("gpt-image-1")}));
}

void tst_AccountOpenAICompatible::keyChecksUseTheAccountsKind()
{
    // Testing a key (the key dialog) and rotating one list models the way the account will.
    useAccount(m_sandbox.baseUrl(), Account::Kind::OpenAICompatible);
    ModelsJob* test = m_session->testConnection(m_sandbox.baseUrl(), SandboxServer::defaultKey());
    std::optional<ModelsJob::ResultType> tested;
    QObject::connect(test, &ApiJob::finished, this, [&tested, test] { tested = test->result(); });
    QTRY_VERIFY_WITH_TIMEOUT(tested.has_value(), 15000);
    QVERIFY(tested->ok());
    QCOMPARE(idsOf(tested->value()), QStringList({QStringLiteral("gpt-image-1.5"), QStringLiteral("gpt-image-2")}));

    AccountJob* rotate = m_session->accounts()->rotateKey(m_session->accountId(), SandboxServer::defaultKey());
    QSignalSpy rotated(rotate, &AccountJob::finished);
    QVERIFY(rotated.wait(15000));
    const auto result = rotated.first().first().value<AccountResult>();
    QVERIFY2(result.ok(), qPrintable(result.userMessage()));
    QCOMPARE(idsOf(result.models), QStringList({QStringLiteral("gpt-image-1.5"), QStringLiteral("gpt-image-2")}));
}

QTEST_GUILESS_MAIN(tst_AccountOpenAICompatible)
#include "tst_AccountOpenAICompatible.moc"
