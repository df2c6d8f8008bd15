#pragma once

#include "api/ApiTypes.h"

#include <QAbstractListModel>

namespace Pixapi {

class ModelCatalog;

// The catalog's image models as a list model (Widgets-free: it lives in QtCore) for pickers.
class ModelCatalogModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { IdRole = Qt::UserRole + 1, FamilyRole, CreditsRole, SizesRole, QualitiesRole, MaxNRole };

    explicit ModelCatalogModel(ModelCatalog* catalog, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    int rowOf(const QString& modelId) const;

private:
    void reload();
    ModelCatalog* m_catalog;
    QList<ModelInfo> m_rows;
};

} // namespace Pixapi
