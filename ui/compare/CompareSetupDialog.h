#pragma once

#include "api/ApiTypes.h"
#include "compare/BoardSpec.h"
#include "compare/MatrixBatch.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLineEdit;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace Pixapi {

class ModelCatalog;
class Settings;

// Sets up a comparison board: the prompt, 2–8 models from the catalog, optionally a second axis of 2–4 sizes or
// qualities, images per cell. A prompt with {variables} is a prompt matrix: each variable gets its values, and every
// filled prompt is a column of the board (up to four), or the whole matrix × models goes out as a batch of tagged
// images. The price is shown as it is set up; above the user's threshold (or with a price it cannot tell) accepting
// asks first.
class CompareSetupDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Axis { None, Size, Quality };

    CompareSetupDialog(const ModelCatalog* catalog, Settings* settings, const GenerationParams& current,
                       QWidget* parent = nullptr);

    BoardSpec spec() const;
    BoardCost cost() const;
    // The prompt with its variables' values as typed (no variables: the prompt alone).
    PromptMatrix matrix() const;
    // After accepting: whether it was Send as Batch, and the batch's requests.
    bool isBatch() const { return m_batch; }
    QList<MatrixBatch::Item> batchItems() const;
    BoardCost batchCost() const;
    // Starts from an earlier board: its prompt, models, second axis and images per cell (to run it again, as it was
    // or changed).
    void setSpec(const BoardSpec& spec);
    // Boards each model has won so far, shown beside its name.
    void setWins(const QHash<QString, int>& wins);
    // The prompt panel has input images (and maybe a mask): offers to send them to every cell (a board of edits).
    // While that is chosen, models that cannot take the edit are unchecked and disabled with the reason.
    void setInputImages(int count, bool hasMask);
    bool usesInputImages() const;
    void setUsesInputImages(bool use);

    // For tests and the keyboard alike: check a model or an axis value by id.
    void setModelChecked(const QString& modelId, bool checked);
    void setAxis(Axis axis);
    void setValueChecked(const QString& value, bool checked);
    // The values of a {variable} of the prompt, separated by '|'.
    void setVariableValues(const QString& name, const QString& values);

    void accept() override;
    void acceptBatch();

private:
    void refreshValues();
    void refreshSummary();
    void refreshVariables();
    // The cells whose size or quality their model does not list (translated), or nothing.
    QString unlistedValues(const BoardSpec& board) const;
    // Asks before sending above the threshold or without a known price; false when the user cancels.
    bool confirmCost(const BoardCost& estimate, bool batch);
    void rememberModels();
    void refreshModelAvailability();
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
    QPushButton* m_batchButton;
    QWidget* m_variablesBox;
    QFormLayout* m_variablesForm;
    QLabel* m_preview;           // the first prompts the matrix makes
    QStringList m_variableNames; // shown, in prompt order
    QHash<QString, QLineEdit*> m_variableEdits;
    QHash<QString, QString> m_variableTexts; // kept by name while the prompt is edited
    QCheckBox* m_useInputs = nullptr;
    int m_inputCount = 0;
    bool m_inputMask = false;
    bool m_batch = false;
};

} // namespace Pixapi
