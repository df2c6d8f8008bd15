#pragma once

#include "api/ApiTypes.h"

#include <QAbstractListModel>
#include <QHash>
#include <QStringList>

namespace Pixapi {

class ModelCatalog;
class Settings;

// The catalog's image models as a list model (Widgets-free: it lives in QtCore) for pickers. Rows are sorted
// favorites first, then by display group (ModelGrouping order), keeping the server's order inside a group.
// Starring a model re-sorts with a layout change, so views keep their selection.
class ModelCatalogModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        FamilyRole,
        CreditsRole, // credits_per_image (invalid when unknown)
        SizesRole,   // accepted sizes, or the aspect ratios when the model lists no sizes
        QualitiesRole,
        MaxNRole,
        GroupRole,       // display group name: "Nano Banana", "Gemini", "GPT Image", "Other"
        FavoriteRole,    // bool
        SpeedRole,       // "fast" / "standard" / "slow" or empty
        QualityHintRole, // "draft" / "standard" / "premium" or empty
        SearchTextRole,  // id, name, aliases, family and group in one string (ModelFilterProxy matches on it)
        UnavailableRole, // why the model cannot take the current edit (EditCapability); empty when it can
    };

    // Without settings, favorites live in memory only.
    explicit ModelCatalogModel(ModelCatalog* catalog, QObject* parent = nullptr);
    // Favorites are read from and written to Settings::Key::FavoriteModels (canonical ids).
    ModelCatalogModel(ModelCatalog* catalog, Settings* settings, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Row of a model by canonical id or alias; -1 when not listed.
    int rowOf(const QString& modelIdOrAlias) const;

    // The edit the next request is (input images, a mask): models that cannot take it lose Qt::ItemIsEnabled and
    // say why in UnavailableRole and their tooltip. 0 inputs and no mask: every model is available.
    void setEditRequirement(int inputCount, bool hasMask);
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    QStringList favorites() const;
    bool isFavorite(const QString& modelIdOrAlias) const;
    // Stars or un-stars a model (an alias is stored as its canonical id).
    void setFavorite(const QString& modelIdOrAlias, bool favorite);

private:
    void reload();
    void resort();
    QList<ModelInfo> sorted(QList<ModelInfo> rows) const;
    QString unavailableReason(const ModelInfo& model) const;

    ModelCatalog* m_catalog;
    Settings* m_settings = nullptr;
    QStringList m_favorites; // used when there are no settings
    QList<ModelInfo> m_rows;
    QHash<QString, int> m_serverOrder; // id → position in the server's list: the order inside a group
    int m_editInputs = 0;
    bool m_editMask = false;
};

} // namespace Pixapi
