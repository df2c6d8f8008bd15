#pragma once

#include "api/ApiTypes.h"
#include "compare/BoardSpec.h"

#include <QDialog>
#include <QHash>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;

namespace Pixapi {

class ModelCatalog;
class Settings;

// Sets up a comparison board: the prompt, 2–8 models from the catalog, optionally a second axis of 2–4 sizes or
// qualities, images per cell. The whole board's price is shown as it is set up; above the user's threshold (or with
// a price it cannot tell) accepting asks first.
class CompareSetupDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Axis { None, Size, Quality };

    CompareSetupDialog(const ModelCatalog* catalog, Settings* settings, const GenerationParams& current,
                       QWidget* parent = nullptr);

    BoardSpec spec() const;
    BoardCost cost() const;
    // Starts from an earlier board: its prompt, models, second axis and images per cell (to run it again, as it was
    // or changed).
    void setSpec(const BoardSpec& spec);
    // Boards each model has won so far, shown beside its name.
    void setWins(const QHash<QString, int>& wins);

    // For tests and the keyboard alike: check a model or an axis value by id.
    void setModelChecked(const QString& modelId, bool checked);
    void setAxis(Axis axis);
    void setValueChecked(const QString& value, bool checked);

    void accept() override;

private:
    void refreshValues();
    void refreshSummary();
    QStringList checkedModels() const;

    const ModelCatalog* m_catalog;
    Settings* m_settings;
    GenerationParams m_current;
    QPlainTextEdit* m_prompt;
    QListWidget* m_models;
    QComboBox* m_axis;
    QListWidget* m_values;
    QSpinBox* m_count;
    QLabel* m_cost;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace Pixapi
