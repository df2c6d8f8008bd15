#pragma once

#include "api/ApiTypes.h"

#include <QWidget>

#include <memory>

class QAction;

namespace Ui {
class PromptPanel;
}

namespace Pixapi {

class ModelCatalog;
class ModelCatalogModel;
class Settings;

// The "create" side of the window: prompt, model, size, quality, count, response format, estimated cost and the
// Generate / Cancel controls. It only describes a request; the window runs it.
class PromptPanel : public QWidget
{
    Q_OBJECT

public:
    PromptPanel(ModelCatalog* catalog, Settings* settings, QWidget* parent = nullptr);
    ~PromptPanel() override;

    GenerationParams params() const;
    bool canGenerate() const;
    // The tool button next to the model picker triggers this action.
    void setRefreshAction(QAction* action);
    // Number of generations in flight: shows the busy bar and Cancel while > 0 (Generate stays available).
    void setRunningCount(int running);
    void setActivityText(const QString& text);
    void focusPrompt();

Q_SIGNALS:
    void generateRequested();
    void cancelRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onModelChanged();
    void restoreSelection();
    void fillSizes(const ModelInfo* model);
    void fillQualities(const ModelInfo* model);
    void updateCost();
    void updateGenerateEnabled();
    void rememberChoices();
    QString currentModelId() const;

    std::unique_ptr<Ui::PromptPanel> m_ui;
    ModelCatalog* m_catalog;
    ModelCatalogModel* m_models;
    Settings* m_settings;
    bool m_restoring = false;
};

} // namespace Pixapi
