#pragma once

#include "api/ApiTypes.h"

#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace Pixapi {

class ModelCatalog;
class ModelCatalogModel;
class ModelFilterProxy;
class ModelItemDelegate;
class Settings;

// The model picker: a search field (id, name, alias, family), the grouped list with favorites pinned first (star in
// each row, or the ☆ button), a caption with the price and hints of the chosen model, and a note when the list is
// the offline copy. An exact alias ("nano-banana") selects the model it names.
class ModelPicker : public QWidget
{
    Q_OBJECT

public:
    ModelPicker(ModelCatalog* catalog, Settings* settings, QWidget* parent = nullptr);

    QString currentModelId() const;
    std::optional<ModelInfo> currentModel() const;
    // Selects a model by id or alias (clearing a search that hides it); false when the list does not have it.
    bool selectModel(const QString& idOrAlias);
    void setSearchText(const QString& text);
    void setRefreshAction(QAction* action);
    void toggleFavorite(const QString& modelId);
    QComboBox* comboBox() const { return m_combo; }
    ModelCatalogModel* catalogModel() const { return m_models; }

Q_SIGNALS:
    // The chosen model changed (by the user, a search, or a new list); not emitted while a list is being loaded.
    void currentModelChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onSearchChanged(const QString& text);
    void onCurrentIndexChanged();
    void onModelsReset();
    void updateCaption();
    void updateFavoriteButton();
    void updateStale();

    ModelCatalog* m_catalog;
    Settings* m_settings;
    ModelCatalogModel* m_models;
    ModelFilterProxy* m_proxy;
    ModelItemDelegate* m_delegate;
    QLineEdit* m_search;
    QComboBox* m_combo;
    QToolButton* m_favorite;
    QToolButton* m_refresh;
    QLabel* m_caption;
    QLabel* m_stale;
    QString m_lastId;
    bool m_resetting = false;
};

} // namespace Pixapi
