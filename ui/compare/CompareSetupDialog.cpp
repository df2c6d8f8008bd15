#include "compare/CompareSetupDialog.h"

#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"
#include "common/TextLook.h"
#include "edit/EditCapability.h"
#include "settings/Settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Pixapi {

namespace {
constexpr int IdRole = Qt::UserRole + 1;
constexpr int MaxImagesPerCell = 4;
constexpr int MinimumWidth = 560;

void setChecked(QListWidget* list, const QString& id, bool checked)
{
    for (int row = 0; row < list->count(); ++row) {
        QListWidgetItem* item = list->item(row);
        if (item->data(IdRole).toString() == id)
            item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    }
}

QStringList checkedIds(const QListWidget* list)
{
    QStringList ids;
    for (int row = 0; row < list->count(); ++row) {
        if (list->item(row)->checkState() == Qt::Checked)
            ids << list->item(row)->data(IdRole).toString();
    }
    return ids;
}
} // namespace

CompareSetupDialog::CompareSetupDialog(const ModelCatalog* catalog, Settings* settings, const GenerationParams& current,
                                       QWidget* parent)
    : QDialog(parent)
    , m_catalog(catalog)
    , m_settings(settings)
    , m_current(current)
    , m_prompt(new QPlainTextEdit(this))
    , m_models(new QListWidget(this))
    , m_axis(new QComboBox(this))
    , m_values(new QListWidget(this))
    , m_count(new QSpinBox(this))
    , m_cost(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_batchButton(new QPushButton(tr("Send as &Batch"), this))
    , m_variablesBox(new QWidget(this))
    , m_variablesForm(new QFormLayout)
    , m_preview(new QLabel(m_variablesBox))
{
    setWindowTitle(tr("Compare Models"));
    setObjectName(QStringLiteral("compareSetupDialog"));
    setMinimumWidth(MinimumWidth); // model names are long ("Nano Banana Pro (Gemini 3 Pro Image)")
    m_prompt->setObjectName(QStringLiteral("comparePrompt"));
    m_prompt->setPlainText(current.prompt);
    m_prompt->setPlaceholderText(
        tr("One prompt, sent to every model on the board. A {word} in braces is a variable: give it several values"));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setMaximumHeight(90);
    m_models->setObjectName(QStringLiteral("compareModels"));
    m_values->setObjectName(QStringLiteral("compareValues"));
    m_axis->setObjectName(QStringLiteral("compareAxis"));
    m_axis->addItem(tr("None"), int(Axis::None));
    m_axis->addItem(tr("Sizes"), int(Axis::Size));
    m_axis->addItem(tr("Qualities"), int(Axis::Quality));
    m_count->setObjectName(QStringLiteral("compareImageCount"));
    m_count->setRange(1, MaxImagesPerCell);
    m_count->setValue(qBound(1, current.n, MaxImagesPerCell));
    m_cost->setObjectName(QStringLiteral("compareCost"));
    m_problem->setObjectName(QStringLiteral("compareProblem"));
    m_problem->setWordWrap(true);
    TextLook::setColor(m_problem, QColor(0xc2, 0x6a, 0x00));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Compare"));
    m_batchButton->setObjectName(QStringLiteral("compareBatchButton"));
    m_batchButton->setToolTip(tr("Send every prompt of the matrix to every checked model; the images go to the "
                                 "library, tagged with their values"));
    m_buttons->addButton(m_batchButton, QDialogButtonBox::ActionRole);
    m_batchButton->hide(); // with variables only
    auto* variablesHint =
        new QLabel(tr("Values separated by |. Each combination is one prompt: a column of the board (up to four), or a "
                      "request of the batch."),
                   m_variablesBox);
    variablesHint->setWordWrap(true);
    TextLook::setDim(variablesHint);
    auto* variablesLayout = new QVBoxLayout(m_variablesBox);
    variablesLayout->setContentsMargins(0, 0, 0, 0);
    variablesLayout->addLayout(m_variablesForm);
    variablesLayout->addWidget(variablesHint);
    m_preview->setObjectName(QStringLiteral("comparePromptPreview"));
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    variablesLayout->addWidget(m_preview);
    m_variablesBox->setObjectName(QStringLiteral("compareVariables"));
    m_variablesBox->hide();

    // The last board's models, else the prompt panel's model.
    QStringList picked = settings ? settings->value(Settings::Key::CompareModels).toStringList() : QStringList();
    if (picked.isEmpty() && !current.model.isEmpty())
        picked << current.model;
    for (const ModelInfo& model : catalog->imageModels()) {
        auto* item = new QListWidgetItem(model.displayName(), m_models);
        item->setData(IdRole, model.id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(picked.contains(model.id) ? Qt::Checked : Qt::Unchecked);
    }

    m_useInputs = new QCheckBox(this); // the prompt panel's input images, when it has some (setInputImages)
    auto* form = new QFormLayout;
    form->addRow(tr("&Prompt"), m_prompt);
    form->addRow(QString(), m_variablesBox);
    form->addRow(QString(), m_useInputs);
    form->addRow(tr("&Models"), m_models);
    form->addRow(tr("Second &axis"), m_axis);
    form->addRow(QString(), m_values);
    form->addRow(tr("&Images per cell"), m_count);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_cost);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    connect(m_prompt, &QPlainTextEdit::textChanged, this, [this] {
        refreshVariables();
        refreshSummary();
    });
    connect(m_models, &QListWidget::itemChanged, this, [this] {
        refreshValues();
        refreshSummary();
    });
    connect(m_axis, &QComboBox::currentIndexChanged, this, [this] {
        refreshValues();
        refreshSummary();
    });
    m_useInputs->setObjectName(QStringLiteral("compareUseInputs"));
    m_useInputs->setToolTip(tr("Send the prompt panel's input images (and mask) to every cell: a board of edits. A "
                               "batch sends the prompts alone."));
    m_useInputs->hide();
    connect(m_useInputs, &QCheckBox::toggled, this, &CompareSetupDialog::refreshModelAvailability);
    connect(m_values, &QListWidget::itemChanged, this, &CompareSetupDialog::refreshSummary);
    connect(m_count, &QSpinBox::valueChanged, this, &CompareSetupDialog::refreshSummary);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &CompareSetupDialog::accept);
    connect(m_batchButton, &QPushButton::clicked, this, &CompareSetupDialog::acceptBatch);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    refreshVariables();
    refreshModelAvailability(); // the tooltips; refreshes the values and the summary
}

QStringList CompareSetupDialog::checkedModels() const
{
    return checkedIds(m_models);
}

void CompareSetupDialog::setSpec(const BoardSpec& spec)
{
    m_current = spec.base;
    for (const PromptVariable& variable : spec.promptVariables)
        m_variableTexts.insert(variable.name, variable.values.join(QStringLiteral(" | ")));
    m_prompt->setPlainText(spec.base.prompt); // a matrix board's template: its variables come back with their values
    m_count->setValue(qBound(1, spec.base.n, MaxImagesPerCell));
    for (int row = 0; row < m_models->count(); ++row) {
        QListWidgetItem* item = m_models->item(row);
        item->setCheckState(spec.models.contains(item->data(IdRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
    if (spec.hasPromptAxis())
        return; // the columns are the matrix's prompts, not sizes or qualities
    const bool sizes = !spec.variants.isEmpty() && !spec.variants.constFirst().size.isEmpty();
    setAxis(spec.variants.isEmpty() ? Axis::None : sizes ? Axis::Size : Axis::Quality);
    for (const BoardVariant& variant : spec.variants)
        setValueChecked(sizes ? variant.size : variant.quality, true);
}

void CompareSetupDialog::setWins(const QHash<QString, int>& wins)
{
    for (int row = 0; row < m_models->count(); ++row) {
        QListWidgetItem* item = m_models->item(row);
        const QString name = m_catalog->displayName(item->data(IdRole).toString());
        const int won = wins.value(item->data(IdRole).toString());
        item->setText(won > 0 ? tr("%1 · won %n board(s)", nullptr, won).arg(name) : name);
    }
}

void CompareSetupDialog::setModelChecked(const QString& modelId, bool checked)
{
    setChecked(m_models, modelId, checked);
}

void CompareSetupDialog::setAxis(Axis axis)
{
    m_axis->setCurrentIndex(m_axis->findData(int(axis)));
}

void CompareSetupDialog::setValueChecked(const QString& value, bool checked)
{
    setChecked(m_values, value, checked);
}

void CompareSetupDialog::setVariableValues(const QString& name, const QString& values)
{
    m_variableTexts.insert(name, values);
    if (QLineEdit* edit = m_variableEdits.value(name))
        edit->setText(values);
}

void CompareSetupDialog::refreshVariables()
{
    const QStringList names = PromptMatrix::variablesIn(m_prompt->toPlainText());
    if (names == m_variableNames)
        return;
    // A row per variable, rebuilt as the prompt's variables change; what was typed stays by name.
    for (auto it = m_variableEdits.cbegin(); it != m_variableEdits.cend(); ++it)
        m_variableTexts.insert(it.key(), it.value()->text());
    while (m_variablesForm->rowCount() > 0)
        m_variablesForm->removeRow(0);
    m_variableEdits.clear();
    m_variableNames = names;
    for (const QString& name : names) {
        auto* edit = new QLineEdit(m_variablesBox);
        edit->setObjectName(QStringLiteral("variable_") + name);
        edit->setText(m_variableTexts.value(name));
        edit->setPlaceholderText(tr("Values of {%1}, separated by |").arg(name));
        edit->setAccessibleName(tr("Values of %1").arg(name));
        connect(edit, &QLineEdit::textChanged, this, &CompareSetupDialog::refreshSummary);
        m_variablesForm->addRow(QStringLiteral("{%1}").arg(name), edit);
        m_variableEdits.insert(name, edit);
    }
    const bool matrix = !names.isEmpty();
    m_variablesBox->setVisible(matrix);
    m_batchButton->setVisible(matrix);
    // The matrix's prompts are the board's columns: no size or quality axis beside them.
    m_axis->setEnabled(!matrix);
    if (matrix)
        setAxis(Axis::None);
}

PromptMatrix CompareSetupDialog::matrix() const
{
    QHash<QString, QString> texts;
    for (auto it = m_variableEdits.cbegin(); it != m_variableEdits.cend(); ++it)
        texts.insert(it.key(), it.value()->text());
    return PromptMatrix::fromPrompt(m_prompt->toPlainText().trimmed(), texts);
}

QList<MatrixBatch::Item> CompareSetupDialog::batchItems() const
{
    GenerationParams base = m_current;
    base.n = m_count->value();
    return MatrixBatch::itemsFor(matrix(), base, checkedModels());
}

BoardCost CompareSetupDialog::batchCost() const
{
    return MatrixBatch::cost(batchItems(), *m_catalog);
}

void CompareSetupDialog::refreshValues()
{
    // The values the checked models offer, in the catalog's order; the ones checked before stay checked.
    const auto axis = static_cast<Axis>(m_axis->currentData().toInt());
    const QStringList wasChecked = checkedIds(m_values);
    QStringList values;
    for (const QString& id : checkedModels()) {
        if (const std::optional<ModelInfo> model = m_catalog->find(id)) {
            for (const QString& value : axis == Axis::Size ? model->sizes : model->qualities) {
                if (!values.contains(value))
                    values << value;
            }
        }
    }
    const QSignalBlocker quiet(m_values);
    m_values->clear();
    if (axis != Axis::None) {
        for (const QString& value : std::as_const(values)) {
            auto* item = new QListWidgetItem(value, m_values);
            item->setData(IdRole, value);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            item->setCheckState(wasChecked.contains(value) ? Qt::Checked : Qt::Unchecked);
        }
    }
    m_values->setVisible(axis != Axis::None);
}

BoardSpec CompareSetupDialog::spec() const
{
    BoardSpec board;
    board.base = m_current;
    board.base.prompt = m_prompt->toPlainText().trimmed();
    board.base.n = m_count->value();
    board.models = checkedModels();
    if (!m_variableNames.isEmpty())
        return BoardSpec::fromMatrix(matrix(), board.base, board.models);
    const auto axis = static_cast<Axis>(m_axis->currentData().toInt());
    for (const QString& value : checkedIds(m_values)) {
        BoardVariant variant;
        (axis == Axis::Size ? variant.size : variant.quality) = value;
        board.variants << variant;
    }
    if (axis == Axis::Size) // each cell's size is the axis; the quality is the prompt panel's
        board.base.size.clear();
    else if (axis == Axis::Quality)
        board.base.quality.clear();
    return board;
}

BoardCost CompareSetupDialog::cost() const
{
    return BoardCost::estimate(spec(), *m_catalog);
}

void CompareSetupDialog::refreshSummary()
{
    const BoardSpec board = spec();
    const bool isMatrix = !m_variableNames.isEmpty();
    const PromptMatrix prompts = matrix();
    const std::optional<QString> matrixProblem = isMatrix ? prompts.problem() : std::nullopt;
    const std::optional<QString> boardProblem = matrixProblem ? matrixProblem : board.problem();
    std::optional<QString> batchProblem = matrixProblem;
    const auto models = int(checkedModels().size());
    if (!batchProblem && (models < 1 || models > BoardSpec::MaxModels))
        batchProblem = tr("Pick 1 to %1 models for the batch.").arg(BoardSpec::MaxModels);
    // With a matrix, what stops the board may leave the batch open ("send the 6 as a batch instead").
    const std::optional<QString> shown = isMatrix && !boardProblem  ? std::nullopt
                                         : isMatrix && batchProblem ? batchProblem
                                                                    : boardProblem;
    // Values the board's models do not all list are allowed (a catalog may be incomplete), but said up front.
    const QString warning = shown ? QString() : unlistedValues(board);
    m_problem->setText(shown ? *shown : warning);
    m_problem->setVisible(shown.has_value() || !warning.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!boardProblem);
    m_batchButton->setEnabled(isMatrix && !batchProblem);

    // What will be sent, before it is: the first prompts of the matrix.
    constexpr int PreviewPrompts = 4;
    QStringList preview;
    const QList<FilledPrompt> filled = isMatrix ? prompts.expand() : QList<FilledPrompt>();
    for (int i = 0; i < std::min(PreviewPrompts, int(filled.size())); ++i)
        preview << QStringLiteral("• ") + filled.at(i).text;
    if (filled.size() > PreviewPrompts)
        preview << tr("… and %n more", nullptr, int(filled.size()) - PreviewPrompts);
    m_preview->setText(preview.join(QLatin1Char('\n')));
    m_preview->setVisible(!preview.isEmpty());

    const BoardCost estimate = isMatrix ? batchCost() : cost();
    const QString what = isMatrix ? tr("%1 × %2").arg(tr("%n prompt(s)", nullptr, prompts.combinationCount()),
                                                      tr("%n model(s)", nullptr, models))
                                  : tr("%n cell(s)", nullptr, board.cellCount());
    if (estimate.known)
        m_cost->setText(tr("%1 · about %2").arg(what, CostEstimate::creditsText(estimate.total)));
    else
        m_cost->setText(tr("%1 · at least %2; no price for %3")
                            .arg(what, CostEstimate::creditsText(estimate.total),
                                 QLocale().createSeparatedList(estimate.unpriced)));
}

QString CompareSetupDialog::unlistedValues(const BoardSpec& board) const
{
    QStringList unlisted;
    for (const QString& id : board.models) {
        const std::optional<ModelInfo> model = m_catalog->find(id);
        if (!model)
            continue;
        for (const BoardVariant& variant : board.variants) {
            const bool sizeUnlisted =
                !variant.size.isEmpty() && !model->sizes.isEmpty() && !model->sizes.contains(variant.size);
            const bool qualityUnlisted = !variant.quality.isEmpty() && !model->qualities.isEmpty()
                                         && !model->qualities.contains(variant.quality);
            if (sizeUnlisted || qualityUnlisted)
                unlisted << tr("%1 at %2").arg(model->displayName(), variant.label());
        }
    }
    if (unlisted.isEmpty())
        return {};
    return tr("Not in the model list, so these cells may fail: %1.").arg(QLocale().createSeparatedList(unlisted));
}

bool CompareSetupDialog::confirmCost(const BoardCost& estimate, bool batch)
{
    const double threshold = m_settings ? m_settings->value(Settings::Key::CompareConfirmAbove).toDouble() : 0;
    if (!estimate.needsConfirmation(threshold))
        return true;
    const QString price = CostEstimate::creditsText(estimate.total);
    const QString unpriced = QLocale().createSeparatedList(estimate.unpriced);
    QString text;
    if (batch)
        text = estimate.known ? tr("This batch costs about %1, more than the %2 you set to be asked about.")
                                    .arg(price, CostEstimate::creditsText(threshold))
                              : tr("The price of %1 is not known: this batch costs at least %2.").arg(unpriced, price);
    else
        text = estimate.known ? tr("This board costs about %1, more than the %2 you set to be asked about.")
                                    .arg(price, CostEstimate::creditsText(threshold))
                              : tr("The price of %1 is not known: this board costs at least %2.").arg(unpriced, price);
    QMessageBox ask(QMessageBox::Question, batch ? tr("Send the Batch?") : tr("Send the Board?"), text,
                    QMessageBox::NoButton, this);
    ask.setObjectName(QStringLiteral("compareConfirm"));
    QPushButton* send = ask.addButton(tr("&Send"), QMessageBox::AcceptRole);
    ask.addButton(QMessageBox::Cancel);
    ask.setDefaultButton(send);
    ask.exec();
    return ask.clickedButton() == send;
}

void CompareSetupDialog::rememberModels()
{
    if (m_settings)
        m_settings->setValue(Settings::Key::CompareModels, checkedModels());
}

void CompareSetupDialog::accept()
{
    if ((!m_variableNames.isEmpty() && matrix().problem()) || spec().problem() || !confirmCost(cost(), false))
        return;
    rememberModels();
    m_batch = false;
    QDialog::accept();
}

void CompareSetupDialog::acceptBatch()
{
    if (m_variableNames.isEmpty() || !m_batchButton->isEnabled() || batchItems().isEmpty()
        || !confirmCost(batchCost(), true))
        return;
    rememberModels();
    m_batch = true;
    QDialog::accept();
}

void CompareSetupDialog::setInputImages(int count, bool hasMask)
{
    m_inputCount = count;
    m_inputMask = hasMask;
    m_useInputs->setText(hasMask ? tr("Edit the %n input image(s) of the prompt panel, with its mask", nullptr, count)
                                 : tr("Edit the %n input image(s) of the prompt panel", nullptr, count));
    m_useInputs->setVisible(count > 0);
    m_useInputs->setChecked(count > 0);
    refreshModelAvailability();
}

bool CompareSetupDialog::usesInputImages() const
{
    return m_inputCount > 0 && m_useInputs->isChecked();
}

void CompareSetupDialog::setUsesInputImages(bool use)
{
    m_useInputs->setChecked(use);
}

void CompareSetupDialog::refreshModelAvailability()
{
    const QSignalBlocker blocker(m_models);
    for (int row = 0; row < m_models->count(); ++row) {
        QListWidgetItem* item = m_models->item(row);
        const auto model = m_catalog->find(item->data(IdRole).toString());
        const std::optional<QString> reason =
            usesInputImages() && model ? EditCapability::refusal(*model, m_inputCount, m_inputMask) : std::nullopt;
        item->setFlags(reason ? Qt::ItemIsUserCheckable : Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        if (reason)
            item->setCheckState(Qt::Unchecked);
        item->setData(Qt::StatusTipRole, reason.value_or(QString()));
        item->setToolTip(
            reason.value_or(model && model->creditsPerImage
                                ? tr("From %1 per image").arg(CostEstimate::creditsText(*model->creditsPerImage))
                                : QString()));
    }
    refreshValues();
    refreshSummary();
}

} // namespace Pixapi
