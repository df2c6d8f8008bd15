#include "catalog/ModelCatalogModel.h"

#include "catalog/ModelCatalog.h"
#include "catalog/ModelGrouping.h"
#include "edit/EditCapability.h"
#include "settings/Settings.h"

#include <algorithm>
#include <tuple>

namespace Pixapi {

ModelCatalogModel::ModelCatalogModel(ModelCatalog* catalog, QObject* parent)
    : ModelCatalogModel(catalog, nullptr, parent)
{ }

ModelCatalogModel::ModelCatalogModel(ModelCatalog* catalog, Settings* settings, QObject* parent)
    : QAbstractListModel(parent)
    , m_catalog(catalog)
    , m_settings(settings)
{
    connect(catalog, &ModelCatalog::modelsChanged, this, &ModelCatalogModel::reload);
    if (settings) {
        connect(settings, &Settings::changed, this, [this](Settings::Key key) {
            if (key == Settings::Key::FavoriteModels)
                resort();
        });
    }
    reload();
}

QStringList ModelCatalogModel::favorites() const
{
    return m_settings ? m_settings->value(Settings::Key::FavoriteModels).toStringList() : m_favorites;
}

bool ModelCatalogModel::isFavorite(const QString& modelIdOrAlias) const
{
    const QString id = m_catalog->resolve(modelIdOrAlias);
    return favorites().contains(id.isEmpty() ? modelIdOrAlias : id);
}

void ModelCatalogModel::setFavorite(const QString& modelIdOrAlias, bool favorite)
{
    const QString resolved = m_catalog->resolve(modelIdOrAlias);
    const QString id = resolved.isEmpty() ? modelIdOrAlias : resolved;
    QStringList list = favorites();
    if (list.contains(id) == favorite)
        return;
    if (favorite)
        list << id;
    else
        list.removeAll(id);
    if (m_settings) {
        m_settings->setValue(Settings::Key::FavoriteModels, list); // resorts through Settings::changed
    } else {
        m_favorites = list;
        resort();
    }
}

QList<ModelInfo> ModelCatalogModel::sorted(QList<ModelInfo> rows) const
{
    const QStringList starred = favorites();
    const auto key = [this, &starred](const ModelInfo& model) {
        return std::tuple(starred.contains(model.id) ? 0 : 1, ModelGrouping::order(ModelGrouping::groupOf(model)),
                          m_serverOrder.value(model.id));
    };
    std::sort(rows.begin(), rows.end(), [&key](const ModelInfo& a, const ModelInfo& b) { return key(a) < key(b); });
    return rows;
}

void ModelCatalogModel::reload()
{
    beginResetModel();
    const QList<ModelInfo> models = m_catalog->imageModels();
    m_serverOrder.clear();
    for (int i = 0; i < models.size(); ++i)
        m_serverOrder.insert(models.at(i).id, i);
    m_rows = sorted(models);
    endResetModel();
}

void ModelCatalogModel::resort()
{
    QList<ModelInfo> next = sorted(m_rows);
    const bool moved = !std::equal(next.cbegin(), next.cend(), m_rows.cbegin(), m_rows.cend(),
                                   [](const ModelInfo& a, const ModelInfo& b) { return a.id == b.id; });
    if (moved) {
        Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        const QModelIndexList before = persistentIndexList();
        QStringList ids; // read before the rows move: the old indexes still point at the old order
        for (const QModelIndex& old : before)
            ids << m_rows.at(old.row()).id;
        m_rows = std::move(next);
        QModelIndexList after;
        for (int i = 0; i < before.size(); ++i)
            after << index(rowOf(ids.at(i)), before.at(i).column());
        changePersistentIndexList(before, after);
        Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {FavoriteRole});
}

void ModelCatalogModel::setEditRequirement(int inputCount, bool hasMask)
{
    if (inputCount == m_editInputs && hasMask == m_editMask)
        return;
    m_editInputs = inputCount;
    m_editMask = hasMask;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {Qt::ToolTipRole, UnavailableRole});
}

QString ModelCatalogModel::unavailableReason(const ModelInfo& model) const
{
    return EditCapability::refusal(model, m_editInputs, m_editMask).value_or(QString());
}

Qt::ItemFlags ModelCatalogModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags flags = QAbstractListModel::flags(index);
    if (index.isValid() && !unavailableReason(m_rows.at(index.row())).isEmpty())
        flags &= ~Qt::ItemIsEnabled;
    return flags;
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
        return model.displayName(); // the price has a role and a caption of its own; the name must fit the picker
    case Qt::ToolTipRole: {
        const QString name = model.aliases.isEmpty()
                                 ? model.id
                                 : tr("%1 (also: %2)").arg(model.id, model.aliases.join(QLatin1String(", ")));
        const QString reason = unavailableReason(model);
        return reason.isEmpty() ? name : name + QLatin1Char('\n') + reason;
    }
    case UnavailableRole:
        return unavailableReason(model);
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
    case GroupRole:
        return ModelGrouping::displayName(ModelGrouping::groupOf(model));
    case FavoriteRole:
        return favorites().contains(model.id);
    case SpeedRole:
        return model.speed;
    case QualityHintRole:
        return model.qualityHint;
    case SearchTextRole:
        return (QStringList {model.id, model.name} + model.aliases
                + QStringList {model.family, ModelGrouping::displayName(ModelGrouping::groupOf(model))})
            .join(QLatin1Char(' '));
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
    roles.insert(GroupRole, "group");
    roles.insert(FavoriteRole, "favorite");
    roles.insert(SpeedRole, "speed");
    roles.insert(QualityHintRole, "qualityHint");
    roles.insert(SearchTextRole, "searchText");
    return roles;
}

int ModelCatalogModel::rowOf(const QString& modelIdOrAlias) const
{
    const QString resolved = m_catalog->resolve(modelIdOrAlias);
    const QString id = resolved.isEmpty() ? modelIdOrAlias : resolved;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

} // namespace Pixapi
