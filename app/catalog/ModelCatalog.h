#pragma once

#include "api/ApiError.h"
#include "api/ApiTypes.h"
#include "catalog/CatalogCache.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <optional>

namespace Pixapi {

class PixapiClient;
class ApiJob;

// The live list of models from GET /v1/models. Never hard-coded: the server decides what exists. The last answer
// per server is cached on disk: at start (and when the client's server changes) the cached list is shown, marked
// stale, until a refresh succeeds; a failed refresh keeps whatever list is shown.
class ModelCatalog : public QObject
{
    Q_OBJECT

public:
    // Loads the cached list of the client's current server (no signal is emitted from the constructor).
    explicit ModelCatalog(PixapiClient* client, QObject* parent = nullptr);

    void refresh();
    // Replaces the list by the cached one of the client's current server (empty when there is none). Returns whether
    // a cached list was found. refresh() calls it by itself when the client's server has changed.
    bool loadCached();

    bool isLoading() const { return !m_job.isNull(); }
    // True while the list comes from the disk cache and no refresh has succeeded since.
    bool isStale() const { return m_stale; }
    // When the shown list was fetched from the server (invalid when there is no list).
    QDateTime fetchedAt() const { return m_fetchedAt; }

    const QList<ModelInfo>& models() const { return m_models; }
    QList<ModelInfo> imageModels() const;
    // Finds a model by id or alias (nano-banana ↔ gemini-2.5-flash-image).
    std::optional<ModelInfo> find(const QString& idOrAlias) const;
    // The model's display name; the given id when the catalog does not know it.
    QString displayName(const QString& idOrAlias) const;
    // The canonical id for an id or alias; empty when the catalog does not know it.
    QString resolve(const QString& idOrAlias) const;
    const std::optional<ApiError>& lastError() const { return m_lastError; }

Q_SIGNALS:
    void modelsChanged();
    void refreshFailed(const Pixapi::ApiError& error);
    void loadingChanged(bool loading);
    void staleChanged(bool stale);

private:
    QUrl currentSource() const;
    // Emits modelsChanged when `announce` is set or either the old or the new list is not empty.
    void setModels(QList<ModelInfo> models, const QDateTime& fetchedAt, bool stale, bool announce);

    PixapiClient* m_client;
    CatalogCache m_cache;
    QUrl m_source; // the server the shown list belongs to
    QList<ModelInfo> m_models;
    QDateTime m_fetchedAt;
    bool m_stale = false;
    std::optional<ApiError> m_lastError;
    QPointer<ApiJob> m_job;
};

} // namespace Pixapi
