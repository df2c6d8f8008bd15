#include "catalog/ModelCatalog.h"

#include "api/Parsers.h"
#include "api/PixapiClient.h"
#include "support/Logging.h"

namespace Pixapi {

ModelCatalog::ModelCatalog(PixapiClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client)
{
    loadCached();
}

QUrl ModelCatalog::currentSource() const
{
    return m_client->endpoint(QStringLiteral("models"));
}

void ModelCatalog::setModels(QList<ModelInfo> models, const QDateTime& fetchedAt, bool stale, bool announce)
{
    announce = announce || !models.isEmpty() || !m_models.isEmpty();
    m_models = std::move(models);
    m_fetchedAt = fetchedAt;
    if (announce)
        Q_EMIT modelsChanged();
    if (m_stale != stale) {
        m_stale = stale;
        Q_EMIT staleChanged(m_stale);
    }
}

bool ModelCatalog::loadCached()
{
    m_source = currentSource();
    const std::optional<CatalogCache::Entry> entry = m_cache.load(m_source);
    if (entry) {
        auto parsed = Parsers::parseModelList(entry->body);
        if (parsed.ok()) {
            qCInfo(lcApi) << "catalog from cache:" << parsed.value().size() << "models fetched at"
                          << entry->fetchedAt.toString(Qt::ISODate);
            setModels(std::move(parsed).value(), entry->fetchedAt, true, false);
            return true;
        }
        qCWarning(lcApi) << "cached catalog does not parse, ignored";
    }
    setModels({}, {}, false, false);
    return false;
}

void ModelCatalog::refresh()
{
    // A refresh may follow a change of server or key: the answer of a request still running belongs to the old
    // connection, so it is dropped rather than waited for.
    if (ApiJob* previous = m_job) {
        m_job = nullptr;
        previous->disconnect(this);
        previous->cancel();
    } else {
        Q_EMIT loadingChanged(true);
    }
    // Another server: its own cached list (or none) stands in until it answers; the old server's list would lie.
    if (currentSource() != m_source)
        loadCached();
    ModelsJob* job = m_client->listModels();
    m_job = job;
    const QUrl source = m_source;
    connect(job, &ApiJob::finished, this, [this, job, source] {
        m_job = nullptr;
        if (job->result().ok()) {
            const QDateTime now = QDateTime::currentDateTimeUtc();
            m_lastError.reset();
            qCInfo(lcApi) << "catalog has" << job->result().value().size() << "models";
            m_cache.store(source, job->responseBody(), now);
            setModels(job->result().value(), now, false, true);
        } else {
            m_lastError = job->result().error();
            Q_EMIT refreshFailed(*m_lastError);
        }
        Q_EMIT loadingChanged(false);
    });
}

QList<ModelInfo> ModelCatalog::imageModels() const
{
    QList<ModelInfo> out;
    for (const ModelInfo& model : m_models) {
        if (model.isImageModel && !model.asyncOnly)
            out << model;
    }
    return out;
}

std::optional<ModelInfo> ModelCatalog::find(const QString& idOrAlias) const
{
    // Ids win over aliases, so a server listing an alias as a model of its own gets that model.
    for (const ModelInfo& model : m_models) {
        if (model.id == idOrAlias)
            return model;
    }
    for (const ModelInfo& model : m_models) {
        if (model.aliases.contains(idOrAlias))
            return model;
    }
    return std::nullopt;
}

QString ModelCatalog::displayName(const QString& idOrAlias) const
{
    const std::optional<ModelInfo> model = find(idOrAlias);
    return model ? model->displayName() : idOrAlias;
}

QString ModelCatalog::resolve(const QString& idOrAlias) const
{
    const std::optional<ModelInfo> model = find(idOrAlias);
    return model ? model->id : QString();
}

} // namespace Pixapi
