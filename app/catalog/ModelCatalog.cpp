#include "catalog/ModelCatalog.h"

#include "api/PixapiClient.h"
#include "support/Logging.h"

namespace Pixapi {

ModelCatalog::ModelCatalog(PixapiClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client)
{
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
    ModelsJob* job = m_client->listModels();
    m_job = job;
    connect(job, &ApiJob::finished, this, [this, job] {
        m_job = nullptr;
        if (job->result().ok()) {
            m_models = job->result().value();
            m_lastError.reset();
            qCInfo(lcApi) << "catalog has" << m_models.size() << "models";
            Q_EMIT modelsChanged();
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
    for (const ModelInfo& model : m_models) {
        if (model.id == idOrAlias || model.aliases.contains(idOrAlias))
            return model;
    }
    return std::nullopt;
}

} // namespace Pixapi
