#include "prompt/PromptPanel.h"

#include "ui_PromptPanel.h"

#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"
#include "settings/Settings.h"

#include <QAction>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLocale>

#include <cmath>

namespace Pixapi {

namespace {
constexpr int MaxCountWhenUnknown = 10;
}

PromptPanel::PromptPanel(ModelCatalog* catalog, Settings* settings, QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::PromptPanel>())
    , m_catalog(catalog)
    , m_models(new ModelCatalogModel(catalog, this))
    , m_settings(settings)
{
    m_ui->setupUi(this);
    m_ui->modelCombo->setModel(m_models);
    m_ui->modelCombo->setPlaceholderText(tr("No models loaded"));
    m_ui->formatCombo->addItem(tr("Default"), QString());
    m_ui->formatCombo->addItem(tr("URL"), QStringLiteral("url"));
    m_ui->formatCombo->addItem(tr("Base64"), QStringLiteral("b64_json"));

    const QString shortcut = QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText);
    m_ui->shortcutHintLabel->setText(tr("%1 to generate").arg(shortcut));
    m_ui->generateButton->setToolTip(tr("Generate images from the prompt (%1)").arg(shortcut));
    QSizePolicy keepSpace = m_ui->activityWidget->sizePolicy();
    keepSpace.setRetainSizeWhenHidden(true); // the Generate button must not jump when a generation starts
    m_ui->activityWidget->setSizePolicy(keepSpace);
    m_ui->promptEdit->installEventFilter(this);

    connect(m_ui->promptEdit, &QPlainTextEdit::textChanged, this, &PromptPanel::updateGenerateEnabled);
    connect(m_ui->modelCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_restoring)
            onModelChanged();
    });
    // The combo box picks row 0 itself on a reset; ignore that so the remembered model is not overwritten.
    connect(m_models, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_restoring = true; });
    connect(m_models, &QAbstractItemModel::modelReset, this, &PromptPanel::restoreSelection);
    connect(m_ui->countSpin, &QSpinBox::valueChanged, this, [this] {
        updateCost();
        rememberChoices();
    });
    connect(m_ui->sizeCombo, &QComboBox::currentTextChanged, this, &PromptPanel::rememberChoices);
    connect(m_ui->qualityCombo, &QComboBox::currentIndexChanged, this, &PromptPanel::rememberChoices);
    connect(m_ui->formatCombo, &QComboBox::currentIndexChanged, this, &PromptPanel::rememberChoices);
    connect(m_ui->generateButton, &QPushButton::clicked, this, [this] {
        if (canGenerate())
            Q_EMIT generateRequested();
    });
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &PromptPanel::cancelRequested);

    m_restoring = true;
    m_ui->countSpin->setValue(m_settings->value(Settings::Key::ImageCount).toInt());
    const int format = m_ui->formatCombo->findData(m_settings->value(Settings::Key::ResponseFormat).toString());
    m_ui->formatCombo->setCurrentIndex(qMax(0, format));
    m_restoring = false;
    restoreSelection();
    setRunningCount(0);
}

PromptPanel::~PromptPanel() = default;

void PromptPanel::setRefreshAction(QAction* action)
{
    m_ui->refreshModelsButton->setDefaultAction(action);
}

void PromptPanel::focusPrompt()
{
    m_ui->promptEdit->setFocus();
}

QString PromptPanel::currentModelId() const
{
    return m_ui->modelCombo->currentData(ModelCatalogModel::IdRole).toString();
}

GenerationParams PromptPanel::params() const
{
    GenerationParams params;
    params.model = currentModelId();
    params.prompt = m_ui->promptEdit->toPlainText().trimmed();
    params.n = m_ui->countSpin->value();
    const QString size = m_ui->sizeCombo->currentText().trimmed();
    params.size = size == m_ui->sizeCombo->itemText(0) ? QString() : size; // item 0 is "Default"
    params.quality = m_ui->qualityCombo->currentData().toString();
    params.responseFormat = m_ui->formatCombo->currentData().toString();
    return params;
}

bool PromptPanel::canGenerate() const
{
    return !currentModelId().isEmpty() && !m_ui->promptEdit->toPlainText().trimmed().isEmpty();
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

bool PromptPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->promptEdit && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && key->modifiers().testFlag(Qt::ControlModifier)) {
            if (canGenerate())
                Q_EMIT generateRequested();
            return true; // never insert a newline for Ctrl+Enter
        }
    }
    return QWidget::eventFilter(watched, event);
}

void PromptPanel::restoreSelection()
{
    m_restoring = true;
    int row = m_models->rowOf(m_settings->value(Settings::Key::LastModel).toString());
    if (row < 0 && m_models->rowCount() > 0)
        row = 0;
    m_ui->modelCombo->setCurrentIndex(row);
    m_restoring = false;
    onModelChanged();
}

void PromptPanel::onModelChanged()
{
    const QString id = currentModelId();
    const std::optional<ModelInfo> model = id.isEmpty() ? std::nullopt : m_catalog->find(id);
    m_restoring = true;
    fillSizes(model ? &*model : nullptr);
    fillQualities(model ? &*model : nullptr);
    const int maxN = model && model->maxN > 0 ? model->maxN : MaxCountWhenUnknown;
    m_ui->countSpin->setMaximum(maxN);
    m_ui->countSpin->setToolTip(tr("Images per request (up to %1 for this model)").arg(maxN));
    m_restoring = false;
    m_ui->modelCombo->setToolTip(m_ui->modelCombo->currentData(Qt::ToolTipRole).toString());
    rememberChoices();
    updateCost();
    updateGenerateEnabled();
}

void PromptPanel::fillSizes(const ModelInfo* model)
{
    const QString saved = m_settings->value(Settings::Key::Size).toString();
    const bool savedForThisModel = model && model->id == m_settings->value(Settings::Key::LastModel).toString();
    QStringList sizes = model ? model->sizes : QStringList();
    if (model) {
        for (const QString& ratio : model->aspectRatios) {
            if (!sizes.contains(ratio))
                sizes << ratio;
        }
    }
    m_ui->sizeCombo->clear();
    m_ui->sizeCombo->addItem(tr("Default"));
    m_ui->sizeCombo->addItems(sizes);
    // A custom size typed for this model survives a restart; another model only keeps sizes it lists.
    if (!saved.isEmpty() && (sizes.contains(saved) || savedForThisModel)) {
        const int index = m_ui->sizeCombo->findText(saved);
        if (index >= 0)
            m_ui->sizeCombo->setCurrentIndex(index);
        else
            m_ui->sizeCombo->setEditText(saved);
    }
}

void PromptPanel::fillQualities(const ModelInfo* model)
{
    const QString saved = m_settings->value(Settings::Key::Quality).toString();
    m_ui->qualityCombo->clear();
    m_ui->qualityCombo->addItem(tr("Default"), QString());
    if (model) {
        for (const QString& quality : model->qualities)
            m_ui->qualityCombo->addItem(quality, quality);
    }
    m_ui->qualityCombo->setCurrentIndex(qMax(0, m_ui->qualityCombo->findData(saved)));
    m_ui->qualityCombo->setEnabled(m_ui->qualityCombo->count() > 1);
}

void PromptPanel::updateCost()
{
    const QVariant perImage = m_ui->modelCombo->currentData(ModelCatalogModel::CreditsRole);
    if (!perImage.isValid()) {
        m_ui->costLabel->setText(currentModelId().isEmpty() ? QString() : tr("Estimated cost: unknown"));
        return;
    }
    const double total = perImage.toDouble() * m_ui->countSpin->value();
    m_ui->costLabel->setText(total == std::floor(total)
                                 ? tr("Estimated cost: %n credit(s)", nullptr, static_cast<int>(total))
                                 : tr("Estimated cost: %1 credits").arg(QLocale().toString(total, 'g', 6)));
    m_ui->costLabel->setToolTip(tr("%1 credits per image; size and quality may change the price.")
                                    .arg(QLocale().toString(perImage.toDouble(), 'g', 6)));
}

void PromptPanel::updateGenerateEnabled()
{
    m_ui->generateButton->setEnabled(canGenerate());
}

void PromptPanel::rememberChoices()
{
    const GenerationParams current = params();
    // Without a model the combos are empty: saving them would wipe the choices before the catalog has loaded.
    if (m_restoring || current.model.isEmpty())
        return;
    m_settings->setValue(Settings::Key::LastModel, current.model);
    m_settings->setValue(Settings::Key::ImageCount, current.n);
    m_settings->setValue(Settings::Key::Size, current.size);
    m_settings->setValue(Settings::Key::Quality, current.quality);
    m_settings->setValue(Settings::Key::ResponseFormat, current.responseFormat);
}

} // namespace Pixapi
