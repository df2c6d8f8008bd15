#pragma once

#include "api/ApiError.h"
#include "api/ApiTypes.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace Pixapi {

class PixapiClient;
class ApiJob;

// The live list of models from GET /v1/models. Never hard-coded: the server decides what exists.
class ModelCatalog : public QObject
{
    Q_OBJECT

public:
    explicit ModelCatalog(PixapiClient* client, QObject* parent = nullptr);

    void refresh();
    bool isLoading() const { return !m_job.isNull(); }
    const QList<ModelInfo>& models() const { return m_models; }
    QList<ModelInfo> imageModels() const;
    // Finds a model by id or alias (nano-banana ↔ gemini-2.5-flash-image).
    std::optional<ModelInfo> find(const QString& idOrAlias) const;
    const std::optional<ApiError>& lastError() const { return m_lastError; }

Q_SIGNALS:
    void modelsChanged();
    void refreshFailed(const Pixapi::ApiError& error);
    void loadingChanged(bool loading);

private:
    PixapiClient* m_client;
    QList<ModelInfo> m_models;
    std::optional<ApiError> m_lastError;
    QPointer<ApiJob> m_job;
};

} // namespace Pixapi
