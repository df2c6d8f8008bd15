#include "prompt/PromptPanel.h"

#include "ui_PromptPanel.h"

#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"
#include "catalog/SizeSpec.h"
#include "prompt/ModelPicker.h"
#include "settings/Settings.h"

#include <QAction>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLocale>

#include <cmath>

namespace Pixapi {

namespace {
constexpr int MaxCountWhenUnknown = 10;

// The value a combo stands for: an item's data (empty for "Default"), or the text typed into an editable one.
QString comboValue(const QComboBox* combo)
{
    const int index = combo->currentIndex();
    if (index >= 0 && combo->itemText(index) == combo->currentText())
        return combo->itemData(index).toString();
    return combo->currentText().trimmed();
}

void selectValue(QComboBox* combo, const QString& value)
{
    const int index = value.isEmpty() ? 0 : combo->findData(value);
    combo->setCurrentIndex(qMax(0, index));
}

QString formatCredits(double credits)
{
    return QLocale().toString(credits, 'f', credits == std::floor(credits) ? 0 : 2);
}
} // namespace

PromptPanel::PromptPanel(ModelCatalog* catalog, Settings* settings, QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::PromptPanel>())
    , m_catalog(catalog)
    , m_settings(settings)
    , m_picker(new ModelPicker(catalog, settings, this))
{
    m_ui->setupUi(this);
    m_picker->setObjectName(QStringLiteral("modelPicker"));
    m_ui->modelPickerLayout->addWidget(m_picker);
    m_ui->modelLabel->setBuddy(m_picker->comboBox());
    m_ui->sizeCombo->setEditable(true);
    m_ui->sizeCombo->setInsertPolicy(QComboBox::NoInsert);
    m_ui->formatCombo->addItem(tr("Default"), QString());
    m_ui->formatCombo->addItem(tr("URL"), QStringLiteral("url"));
    m_ui->formatCombo->addItem(tr("Base64"), QStringLiteral("b64_json"));
    for (QWidget* control : {static_cast<QWidget*>(m_ui->sizeCombo), static_cast<QWidget*>(m_ui->aspectCombo),
                             static_cast<QWidget*>(m_ui->resolutionCombo), static_cast<QWidget*>(m_ui->qualityCombo),
                             static_cast<QWidget*>(m_ui->formatCombo)})
        m_defaultTips.insert(control, control->toolTip());
    m_ui->refusalLabel->hide();
    setTabOrder(m_ui->promptEdit, m_picker);
    setTabOrder(m_picker, m_ui->sizeCombo);

    const QString shortcut = QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText);
    m_ui->shortcutHintLabel->setText(tr("%1 to generate").arg(shortcut));
    m_ui->generateButton->setToolTip(tr("Generate images from the prompt (%1)").arg(shortcut));
    QSizePolicy keepSpace = m_ui->activityWidget->sizePolicy();
    keepSpace.setRetainSizeWhenHidden(true); // the Generate button must not jump when a generation starts
    m_ui->activityWidget->setSizePolicy(keepSpace);
    m_ui->promptEdit->installEventFilter(this);

    const auto changed = [this] {
        if (m_restoring)
            return;
        updateRequestState();
        rememberChoices();
    };
    connect(m_ui->promptEdit, &QPlainTextEdit::textChanged, this, &PromptPanel::updateRequestState);
    connect(m_picker, &ModelPicker::currentModelChanged, this, &PromptPanel::onModelChanged);
    connect(m_ui->countSpin, &QSpinBox::valueChanged, this, changed);
    for (QComboBox* combo : {m_ui->sizeCombo, m_ui->aspectCombo, m_ui->resolutionCombo, m_ui->qualityCombo})
        connect(combo, &QComboBox::currentTextChanged, this, changed);
    connect(m_ui->formatCombo, &QComboBox::currentIndexChanged, this, changed);
    connect(m_ui->asyncCheck, &QCheckBox::toggled, this, [this](bool checked) {
        m_settings->setValue(Settings::Key::RunAsync, checked);
        updateRequestState();
    });
    connect(m_ui->generateButton, &QPushButton::clicked, this, &PromptPanel::requestGenerate);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &PromptPanel::cancelRequested);

    m_restoring = true;
    m_ui->countSpin->setValue(m_settings->value(Settings::Key::ImageCount).toInt());
    selectValue(m_ui->formatCombo, m_settings->value(Settings::Key::ResponseFormat).toString());
    m_ui->asyncCheck->setChecked(m_settings->value(Settings::Key::RunAsync).toBool());
    m_restoring = false;
    onModelChanged();
    setRunningCount(0);
    setBalance(std::nullopt);
}

PromptPanel::~PromptPanel() = default;

void PromptPanel::setRefreshAction(QAction* action)
{
    m_picker->setRefreshAction(action);
}

void PromptPanel::focusPrompt()
{
    m_ui->promptEdit->setFocus();
}

NormalizedOptions PromptPanel::options() const
{
    NormalizedOptions options;
    options.n = m_ui->countSpin->value();
    if (m_controls.preferredSizeMode == NormalizedOptions::SizeMode::AspectRatio) {
        options.aspectRatio = comboValue(m_ui->aspectCombo);
        options.resolution = comboValue(m_ui->resolutionCombo);
        const bool any = !options.aspectRatio.isEmpty() || !options.resolution.isEmpty();
        options.sizeMode = any ? NormalizedOptions::SizeMode::AspectRatio : NormalizedOptions::SizeMode::Default;
    } else {
        options.size = comboValue(m_ui->sizeCombo);
        options.sizeMode =
            options.size.isEmpty() ? NormalizedOptions::SizeMode::Default : NormalizedOptions::SizeMode::Exact;
    }
    options.quality = comboValue(m_ui->qualityCombo);
    options.responseFormat = m_ui->formatCombo->currentData().toString();
    return options;
}

GenerationParams PromptPanel::params() const
{
    GenerationParams params;
    if (m_model)
        params = RequestOptions::toRequest(options(), *m_model);
    params.prompt = m_ui->promptEdit->toPlainText().trimmed();
    return params;
}

std::optional<QString> PromptPanel::refusal() const
{
    if (!m_model)
        return std::nullopt;
    return RequestOptions::refusal(params(), *m_model, runAsync() ? SubmitMode::Async : SubmitMode::Sync);
}

bool PromptPanel::runAsync() const
{
    return m_ui->asyncCheck->isChecked();
}

bool PromptPanel::canGenerate() const
{
    return m_model && !m_ui->promptEdit->toPlainText().trimmed().isEmpty() && !refusal();
}

void PromptPanel::requestGenerate()
{
    updateRequestState(); // shows the refusal, if any, next to the button
    if (canGenerate())
        Q_EMIT generateRequested();
}

void PromptPanel::setRunningCount(int running)
{
    m_ui->activityWidget->setVisible(running > 0);
    if (running == 0)
        m_ui->activityLabel->clear();
}

void PromptPanel::setActivityText(const QString& text)
{
    m_ui->activityLabel->setText(text);
}

void PromptPanel::setBalance(std::optional<double> credits)
{
    m_balance = credits;
    m_ui->balanceLabel->setVisible(credits.has_value());
    if (credits)
        m_ui->balanceLabel->setText(tr("Balance: %1 credits").arg(formatCredits(*credits)));
    updateCost(params());
}

bool PromptPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->promptEdit && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && key->modifiers().testFlag(Qt::ControlModifier)) {
            requestGenerate();
            return true; // never insert a newline for Ctrl+Enter
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PromptPanel::onModelChanged()
{
    m_model = m_picker->currentModel();
    m_controls = m_model ? RequestOptions::controls(*m_model) : ModelControls {};
    m_restoring = true;
    applyControls();
    restoreChoices();
    m_restoring = false;
    updateRequestState();
    rememberChoices();
}

void PromptPanel::setControlState(QComboBox* combo, const ControlState& state, const QStringList& values)
{
    combo->clear();
    combo->addItem(tr("Default"), QString());
    for (const QString& value : values)
        combo->addItem(value, value);
    combo->setEnabled(state.enabled && m_model);
}

void PromptPanel::explain(QWidget* control, QWidget* label, const ControlState& state)
{
    // A disabled control still shows its tooltip: it says why the model ignores it.
    const QString tip = state.enabled ? m_defaultTips.value(control) : state.reason;
    control->setToolTip(tip);
    label->setToolTip(state.enabled ? QString() : state.reason);
    label->setEnabled(state.enabled);
}

void PromptPanel::applyControls()
{
    const bool ratios = m_controls.preferredSizeMode == NormalizedOptions::SizeMode::AspectRatio;
    for (QWidget* widget : {static_cast<QWidget*>(m_ui->sizeLabel), static_cast<QWidget*>(m_ui->sizeCombo)})
        widget->setVisible(!ratios);
    for (QWidget* widget : {static_cast<QWidget*>(m_ui->aspectLabel), static_cast<QWidget*>(m_ui->aspectCombo),
                            static_cast<QWidget*>(m_ui->resolutionLabel), static_cast<QWidget*>(m_ui->resolutionCombo)})
        widget->setVisible(ratios);

    setControlState(m_ui->sizeCombo, m_controls.size, m_controls.size.choices);
    explain(m_ui->sizeCombo, m_ui->sizeLabel, m_controls.size);
    m_ui->aspectCombo->setEditable(m_controls.aspectRatio.editable);
    setControlState(m_ui->aspectCombo, m_controls.aspectRatio, m_controls.aspectRatio.choices);
    explain(m_ui->aspectCombo, m_ui->aspectLabel, m_controls.aspectRatio);
    m_ui->resolutionCombo->setEditable(m_controls.resolution.editable);
    setControlState(m_ui->resolutionCombo, m_controls.resolution, m_controls.resolution.choices);
    explain(m_ui->resolutionCombo, m_ui->resolutionLabel, m_controls.resolution);
    m_ui->qualityCombo->setEditable(m_controls.quality.editable);
    setControlState(m_ui->qualityCombo, m_controls.quality, m_controls.quality.choices);
    explain(m_ui->qualityCombo, m_ui->qualityLabel, m_controls.quality);

    const int maxN = m_controls.count.choices.isEmpty() ? MaxCountWhenUnknown : int(m_controls.count.choices.size());
    m_ui->countSpin->setMaximum(maxN);
    m_ui->countSpin->setEnabled(m_controls.count.enabled && m_model);
    m_ui->countSpin->setToolTip(m_controls.count.enabled ? tr("Images per request (up to %1 for this model)").arg(maxN)
                                                         : m_controls.count.reason);
    m_ui->countLabel->setEnabled(m_controls.count.enabled);
    m_ui->formatCombo->setEnabled(m_controls.responseFormat.enabled && m_model);
    explain(m_ui->formatCombo, m_ui->formatLabel, m_controls.responseFormat);
}

void PromptPanel::restoreChoices()
{
    // Settings hold the last request as sent (the model's own spelling); read them back into the controls.
    const QString size = m_settings->value(Settings::Key::Size).toString();
    const bool sameModel = m_model && m_model->id == m_settings->value(Settings::Key::LastModel).toString();
    if (m_controls.preferredSizeMode == NormalizedOptions::SizeMode::AspectRatio) {
        const SizeSpec spec = SizeSpec::parse(size);
        QString ratio;
        QString tier;
        switch (spec.kind) {
        case SizeSpec::Kind::Ratio:
            ratio = m_ui->aspectCombo->findData(size) >= 0 ? size : spec.ratioName();
            break;
        case SizeSpec::Kind::Tier:
            tier = spec.tier;
            break;
        case SizeSpec::Kind::Pixels:
            ratio = spec.ratioName();
            tier = spec.outputTier();
            break;
        case SizeSpec::Kind::Empty:
        case SizeSpec::Kind::Auto:
        case SizeSpec::Kind::Other:
            break;
        }
        selectValue(m_ui->aspectCombo, ratio);
        selectValue(m_ui->resolutionCombo, tier);
    } else if (const int index = m_ui->sizeCombo->findData(size); index >= 0 || size.isEmpty()) {
        m_ui->sizeCombo->setCurrentIndex(qMax(0, index));
    } else if (sameModel) {
        m_ui->sizeCombo->setEditText(size); // a custom size typed for this model survives a restart
    }
    const QString quality = m_settings->value(Settings::Key::Quality).toString();
    if (m_ui->qualityCombo->findData(quality) < 0 && m_ui->qualityCombo->isEditable() && !quality.isEmpty())
        m_ui->qualityCombo->setEditText(quality);
    else
        selectValue(m_ui->qualityCombo, quality);
}

void PromptPanel::updateRequestState()
{
    const GenerationParams current = params();
    const SubmitMode mode = runAsync() ? SubmitMode::Async : SubmitMode::Sync;
    const std::optional<QString> reason = m_model ? RequestOptions::refusal(current, *m_model, mode) : std::nullopt;
    m_ui->refusalLabel->setVisible(reason.has_value());
    m_ui->refusalLabel->setText(reason.value_or(QString()));
    m_ui->generateButton->setEnabled(m_model && !current.prompt.isEmpty() && !reason);
    updateCost(current);
}

void PromptPanel::updateCost(const GenerationParams& params)
{
    if (!m_model) {
        m_ui->costLabel->clear();
        m_ui->costLabel->setToolTip(QString());
        return;
    }
    const CostEstimate estimate = CostEstimate::estimate(params, *m_model);
    const bool overBalance = estimate.known && m_balance && estimate.total > *m_balance;
    QString tip = estimate.detail;
    if (overBalance)
        tip += QLatin1Char('\n') + tr("More than your balance of %1 credits.").arg(formatCredits(*m_balance));
    m_ui->costLabel->setText(overBalance ? tr("⚠ Estimated cost: %1 (over your balance)").arg(estimate.text)
                                         : tr("Estimated cost: %1").arg(estimate.text));
    m_ui->costLabel->setToolTip(tip);
    m_ui->costLabel->setProperty("overBalance", overBalance);
    m_ui->costLabel->setStyleSheet(overBalance ? QStringLiteral("color: #c26a00; font-weight: 600;")
                                               : QStringLiteral("color: palette(text);"));
}

void PromptPanel::rememberChoices()
{
    // Without a model the combos are empty: saving them would wipe the choices before the catalog has loaded.
    if (m_restoring || !m_model)
        return;
    const GenerationParams current = params();
    m_settings->setValue(Settings::Key::LastModel, current.model);
    m_settings->setValue(Settings::Key::ImageCount, current.n);
    m_settings->setValue(Settings::Key::Size, current.size);
    if (m_controls.quality.enabled) // a model without qualities keeps the choice for the next one
        m_settings->setValue(Settings::Key::Quality, current.quality);
    m_settings->setValue(Settings::Key::ResponseFormat, current.responseFormat);
}

} // namespace Pixapi
