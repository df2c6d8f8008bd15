#pragma once

#include "api/ApiTypes.h"
#include "catalog/RequestOptions.h"

#include <QHash>
#include <QWidget>

#include <memory>
#include <optional>

class QAction;
class QComboBox;

namespace Ui {
class PromptPanel;
}

namespace Pixapi {

class ModelCatalog;
class ModelPicker;
class Settings;

// The "create" side of the window: prompt, model, the controls the model takes (a size, or an aspect ratio and a
// resolution tier; quality; count; response format), the estimated cost against the balance, and the Generate /
// Cancel controls. Controls a model ignores are disabled with the reason as tooltip; a request the model cannot take
// is refused here, before anything is sent. It only describes a request; the window runs it.
class PromptPanel : public QWidget
{
    Q_OBJECT

public:
    PromptPanel(ModelCatalog* catalog, Settings* settings, QWidget* parent = nullptr);
    ~PromptPanel() override;

    // The request as the chosen model takes it (RequestOptions::toRequest), prompt included.
    GenerationParams params() const;
    // Why the chosen model cannot take params(); nullopt when it can.
    std::optional<QString> refusal() const;
    bool canGenerate() const;
    // "Run as background task": the request goes through the async API.
    bool runAsync() const;
    ModelPicker* modelPicker() const { return m_picker; }
    // The tool button next to the model picker triggers this action.
    void setRefreshAction(QAction* action);
    // Number of generations in flight: shows the busy bar and Cancel while > 0 (Generate stays available).
    void setRunningCount(int running);
    void setActivityText(const QString& text);
    // The account's balance in credits; nullopt when the server does not tell (nothing is shown then).
    void setBalance(std::optional<double> credits);
    void focusPrompt();

Q_SIGNALS:
    void generateRequested();
    void cancelRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onModelChanged();
    void applyControls();
    void restoreChoices();
    void requestGenerate();
    NormalizedOptions options() const;
    void updateRequestState();
    void updateCost(const GenerationParams& params);
    void rememberChoices();
    void setControlState(QComboBox* combo, const ControlState& state, const QStringList& values);
    void explain(QWidget* control, QWidget* label, const ControlState& state);

    std::unique_ptr<Ui::PromptPanel> m_ui;
    ModelCatalog* m_catalog;
    Settings* m_settings;
    ModelPicker* m_picker;
    std::optional<ModelInfo> m_model;
    ModelControls m_controls;
    std::optional<double> m_balance;
    QHash<QWidget*, QString> m_defaultTips; // tooltips from the .ui, shown while a control is enabled
    bool m_restoring = false;
};

} // namespace Pixapi
