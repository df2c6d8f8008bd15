#include "catalog/ModelCatalogModel.h"

#include "catalog/ModelCatalog.h"

namespace Pixapi {

ModelCatalogModel::ModelCatalogModel(ModelCatalog* catalog, QObject* parent)
    : QAbstractListModel(parent)
    , m_catalog(catalog)
{
    connect(catalog, &ModelCatalog::modelsChanged, this, &ModelCatalogModel::reload);
    reload();
}

void ModelCatalogModel::reload()
{
    beginResetModel();
    m_rows = m_catalog->imageModels();
    endResetModel();
}

int ModelCatalogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ModelCatalogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelInfo& model = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return model.creditsPerImage ? tr("%1 — %2 cr").arg(model.displayName()).arg(*model.creditsPerImage)
                                     : model.displayName();
    case Qt::ToolTipRole:
        return model.aliases.isEmpty() ? model.id : tr("%1 (also: %2)").arg(model.id, model.aliases.join(QLatin1String(", ")));
    case IdRole:
        return model.id;
    case FamilyRole:
        return model.family;
    case CreditsRole:
        return model.creditsPerImage ? QVariant(*model.creditsPerImage) : QVariant();
    case SizesRole:
        return model.sizes.isEmpty() ? model.aspectRatios : model.sizes;
    case QualitiesRole:
        return model.qualities;
    case MaxNRole:
        return model.maxN;
    default:
        return {};
    }
}

QHash<int, QByteArray> ModelCatalogModel::roleNames() const
{
    QHash<int, QByteArray> roles = QAbstractListModel::roleNames();
    roles.insert(IdRole, "modelId");
    roles.insert(FamilyRole, "family");
    roles.insert(CreditsRole, "credits");
    roles.insert(SizesRole, "sizes");
    roles.insert(QualitiesRole, "qualities");
    roles.insert(MaxNRole, "maxN");
    return roles;
}

int ModelCatalogModel::rowOf(const QString& modelId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == modelId)
            return i;
    }
    return -1;
}

} // namespace Pixapi
