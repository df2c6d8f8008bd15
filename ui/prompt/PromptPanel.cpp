#include "prompt/PromptPanel.h"

#include "ui_PromptPanel.h"

#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"
#include "catalog/SizeSpec.h"
#include "common/TextLook.h"
#include "edit/EditCapability.h"
#include "generation/ReuseParams.h"
#include "library/ImageMetadata.h"
#include "prompt/ModelPicker.h"
#include "prompt/PromptDropTarget.h"
#include "prompt/ReferenceStrip.h"
#include "settings/Settings.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLocale>
#include <QMimeData>

#include <cmath>

namespace Pixapi {

namespace {
constexpr int MaxCountWhenUnknown = 10;
constexpr int SourcePreviewChars = 60;

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

QString preview(const QString& prompt)
{
    const QString simplified = prompt.simplified();
    return simplified.size() > SourcePreviewChars ? simplified.left(SourcePreviewChars - 1) + QChar(0x2026)
                                                  : simplified;
}
} // namespace

PromptPanel::PromptPanel(ModelCatalog* catalog, Settings* settings, QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::PromptPanel>())
    , m_catalog(catalog)
    , m_settings(settings)
    , m_picker(new ModelPicker(catalog, settings, this))
    , m_references(new ReferenceStrip(this))
    , m_dropTarget(new PromptDropTarget(this))
{
    m_ui->setupUi(this);
    TextLook::setWeight(m_ui->promptLabel, QFont::DemiBold);
    TextLook::setColor(m_ui->shortcutHintLabel, palette().color(QPalette::Mid));
    TextLook::setDim(m_ui->sourceLabel);
    TextLook::setDim(m_ui->balanceLabel);
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

    QSizePolicy keepSpace = m_ui->activityWidget->sizePolicy();
    keepSpace.setRetainSizeWhenHidden(true); // the Generate button must not jump when a generation starts
    m_ui->activityWidget->setSizePolicy(keepSpace);
    m_ui->promptEdit->installEventFilter(this);
    m_references->setObjectName(QStringLiteral("referenceStrip"));
    m_ui->referenceLayout->addWidget(m_references);
    m_ui->sourceWidget->hide();
    m_ui->noteWidget->hide();
    m_dropTarget->watch(m_ui->promptEdit->viewport()); // it would insert a dropped file's path as text

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

    connect(m_references, &ReferenceStrip::referencesChanged, this, &PromptPanel::sourcesChanged);
    onInputsChanged();
    connect(m_ui->clearSourceButton, &QToolButton::clicked, this, [this] { setSettingsSource(std::nullopt); });
    connect(m_ui->dismissNoteButton, &QToolButton::clicked, this, [this] { showNote({}); });
    connect(m_dropTarget, &PromptDropTarget::recordsDropped, this, &PromptPanel::recordsDropped);
    connect(m_dropTarget, &PromptDropTarget::settingsRead, this,
            [this](const ImageMetadata& metadata, const QString& fileName) {
                setSettingsSource(std::nullopt); // a file is no library image: it records no lineage
                restore({metadata.prompt, metadata.model, metadata.params, fileName});
            });
    connect(m_dropTarget, &PromptDropTarget::plainImageDropped, this,
            [this](const QString& path) { Q_EMIT importFilesRequested({path}); });
    connect(m_references, &ReferenceStrip::importFilesRequested, this, &PromptPanel::importFilesRequested);
    connect(m_references, &ReferenceStrip::importBytesRequested, this, &PromptPanel::importBytesRequested);
    connect(m_references, &ReferenceStrip::notice, this, &PromptPanel::showNote);
    connect(m_references, &ReferenceStrip::referencesChanged, this, &PromptPanel::onInputsChanged);
    connect(m_references, &ReferenceStrip::maskChanged, this, &PromptPanel::onInputsChanged);
    connect(m_dropTarget, &PromptDropTarget::notAnImage, this, [this](const QString& fileName) {
        showNote(tr("“%1” is not an image; nothing was restored.").arg(fileName));
    });
    // Settings restored before the model list arrived are applied once it is there (or has failed to load).
    const auto listed = [this] {
        if (!m_pending)
            return;
        Restore settings = std::move(*m_pending);
        m_pending.reset();
        applyWhenListed(std::move(settings));
    };
    connect(m_catalog, &ModelCatalog::modelsChanged, this, listed);
    connect(m_catalog, &ModelCatalog::loadingChanged, this, listed);

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
    return refusalFor(params());
}

std::optional<QString> PromptPanel::refusalFor(const GenerationParams& request) const
{
    if (!m_model)
        return std::nullopt;
    if (auto edit = EditCapability::refusal(*m_model, inputCount(), hasMask()))
        return edit;
    return RequestOptions::refusal(request, *m_model, runAsync() ? SubmitMode::Async : SubmitMode::Sync);
}

int PromptPanel::inputCount() const
{
    return int(m_references->references().size());
}

bool PromptPanel::isEdit() const
{
    return inputCount() > 0;
}

EditInputRequest PromptPanel::editRequest() const
{
    EditInputRequest request;
    for (const LibraryRecord& input : m_references->references()) {
        EditSource source = EditSource::fromFile(input.filePath);
        // Named as the user knows it (the library's file names are hashes): the imported file, or the prompt.
        const QString imported = input.params.value(QLatin1String("imported_from")).toString();
        source.name = !imported.isEmpty() ? imported : QStringLiteral("“%1”").arg(preview(input.prompt));
        request.sources << source;
    }
    request.mask = m_references->mask();
    if (m_model)
        request.model = *m_model;
    return request;
}

const EditMask& PromptPanel::mask() const
{
    return m_references->mask();
}

bool PromptPanel::hasMask() const
{
    return m_references->hasMask();
}

void PromptPanel::setMask(const EditMask& mask)
{
    m_references->setMask(mask);
}

ReferenceStrip* PromptPanel::inputStrip() const
{
    return m_references;
}

void PromptPanel::onInputsChanged()
{
    m_picker->catalogModel()->setEditRequirement(inputCount(), m_references->hasMask());
    const QString shortcut = QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText);
    m_ui->generateButton->setText(isEdit() ? tr("&Edit") : tr("&Generate"));
    m_ui->shortcutHintLabel->setText(isEdit() ? tr("%1 to edit").arg(shortcut) : tr("%1 to generate").arg(shortcut));
    m_ui->generateButton->setToolTip(isEdit()
                                         ? tr("Make new images from the input images and the prompt (%1)").arg(shortcut)
                                         : tr("Generate images from the prompt (%1)").arg(shortcut));
    updateRequestState();
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
        // Pasting an image (and no text) into the prompt adds it as an input image.
        const QMimeData* clipboard = QGuiApplication::clipboard()->mimeData();
        if (key->matches(QKeySequence::Paste) && clipboard && clipboard->hasImage() && !clipboard->hasText()) {
            m_references->pasteFromClipboard();
            return true;
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
    showSize(size, sameModel);
    const QString quality = m_settings->value(Settings::Key::Quality).toString();
    if (m_ui->qualityCombo->findData(quality) < 0 && m_ui->qualityCombo->isEditable() && !quality.isEmpty())
        m_ui->qualityCombo->setEditText(quality);
    else
        selectValue(m_ui->qualityCombo, quality);
}

void PromptPanel::showSize(const QString& size, bool keepCustom)
{
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
    } else if (keepCustom) {
        m_ui->sizeCombo->setEditText(size); // a custom size typed for this model survives a restart
    }
}

void PromptPanel::updateRequestState()
{
    const GenerationParams current = params();
    const std::optional<QString> reason = refusalFor(current);
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
    if (overBalance) {
        TextLook::setColor(m_ui->costLabel, QColor(0xc2, 0x6a, 0x00));
        TextLook::setWeight(m_ui->costLabel, QFont::DemiBold);
    } else {
        m_ui->costLabel->setPalette(QPalette()); // the panel's again
        m_ui->costLabel->setFont(QFont());
    }
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

void PromptPanel::applySettings(const QString& prompt, const QString& model, const QJsonObject& params)
{
    setSettingsSource(std::nullopt);
    restore({prompt, model, params, {}});
}

void PromptPanel::reuseSettings(const LibraryRecord& record)
{
    setSettingsSource(record);
    restore({record.prompt, record.model, record.params, {}});
}

void PromptPanel::restore(Restore settings)
{
    if (!settings.prompt.isEmpty()) // an export without its prompt keeps the one being written
        m_ui->promptEdit->setPlainText(settings.prompt);
    applyWhenListed(std::move(settings));
}

void PromptPanel::restoreFromRecords(const QList<LibraryRecord>& records)
{
    if (records.isEmpty())
        return;
    reuseSettings(records.constFirst());
    for (qsizetype i = 1; i < records.size(); ++i)
        addReference(records.at(i));
}

void PromptPanel::applyWhenListed(Restore settings)
{
    // A model missing from a list that is still loading may be in the answer: wait for it rather than give up.
    const bool mayArrive = m_catalog->isLoading() && !settings.model.isEmpty() && !m_catalog->find(settings.model);
    if (m_catalog->models().isEmpty() || mayArrive) {
        m_pending = std::move(settings);
        showNote(tr("The prompt is restored; the model and its settings follow once the model list has loaded."));
        return;
    }
    m_pending.reset();
    applyRestore(settings);
}

void PromptPanel::applyRestore(const Restore& settings)
{
    QStringList sentences;
    if (!settings.origin.isEmpty())
        sentences << tr("Settings restored from “%1”.").arg(settings.origin);
    const std::optional<ModelInfo> wanted = settings.model.isEmpty() ? std::nullopt : m_catalog->find(settings.model);
    if (wanted && m_picker->currentModelId() != wanted->id)
        m_picker->selectModel(wanted->id); // onModelChanged() runs before this returns
    if (!m_model) {
        sentences << tr("No model is available, so only the prompt was restored.");
        showNote(sentences.join(QLatin1Char(' ')));
        return;
    }
    if (!settings.model.isEmpty() && (!wanted || wanted->id != m_model->id)) {
        sentences << tr("“%1” is not in the model list; the prompt and settings were restored for %2.")
                         .arg(settings.model, m_model->displayName());
    }
    const QStringList skipped = applyValues(ReuseParams::fromStored(settings.prompt, m_model->id, settings.params));
    if (!skipped.isEmpty()) {
        sentences << tr("%1 does not take %2, so the model's default is used there.")
                         .arg(m_model->displayName(), QLocale().createSeparatedList(skipped));
    }
    showNote(sentences.join(QLatin1Char(' ')));
    updateRequestState();
    rememberChoices();
}

QStringList PromptPanel::applyValues(const GenerationParams& wanted)
{
    // Each value is set, then checked twice: the request the controls now make must carry it unchanged, and the
    // model must accept it. Otherwise the control goes back to the default and the value is named in the note.
    QStringList skipped;
    m_restoring = true;

    m_ui->countSpin->setValue(wanted.n);
    GenerationParams probe;
    probe.n = wanted.n;
    if (params().n != wanted.n || (wanted.n != 1 && !m_controls.count.enabled) || refusedAlone(probe)) {
        m_ui->countSpin->setValue(1);
        skipped << tr("%1 images per request").arg(wanted.n);
    }

    const bool ratios = m_controls.preferredSizeMode == NormalizedOptions::SizeMode::AspectRatio;
    const bool sizeEnabled =
        ratios ? m_controls.aspectRatio.enabled || m_controls.resolution.enabled : m_controls.size.enabled;
    showSize(wanted.size, true);
    probe = {};
    probe.size = wanted.size;
    if (!wanted.size.isEmpty() && (params().size != wanted.size || !sizeEnabled || refusedAlone(probe))) {
        showSize({}, false);
        skipped << tr("the size “%1”").arg(wanted.size);
    }

    QComboBox* quality = m_ui->qualityCombo;
    if (quality->findData(wanted.quality) < 0 && quality->isEditable() && !wanted.quality.isEmpty())
        quality->setEditText(wanted.quality);
    else
        selectValue(quality, wanted.quality);
    probe = {};
    probe.quality = wanted.quality;
    if (!wanted.quality.isEmpty() && (params().quality != wanted.quality || refusedAlone(probe))) {
        selectValue(quality, {});
        skipped << tr("the quality “%1”").arg(wanted.quality);
    }

    selectValue(m_ui->formatCombo, wanted.responseFormat);
    probe = {};
    probe.responseFormat = wanted.responseFormat;
    if (!wanted.responseFormat.isEmpty() && (params().responseFormat != wanted.responseFormat || refusedAlone(probe))) {
        selectValue(m_ui->formatCombo, {});
        skipped << tr("the response format “%1”").arg(wanted.responseFormat);
    }

    m_restoring = false;
    return skipped;
}

bool PromptPanel::refusedAlone(const GenerationParams& probe) const
{
    // Async: an async-only model is not the value's fault. Compared with an empty request for the same reason.
    GenerationParams request = probe;
    request.model = m_model->id;
    GenerationParams empty;
    empty.model = m_model->id;
    return RequestOptions::refusal(request, *m_model, SubmitMode::Async)
           && !RequestOptions::refusal(empty, *m_model, SubmitMode::Async);
}

bool PromptPanel::addReference(const LibraryRecord& record, const QImage& thumbnail)
{
    switch (m_references->addReference(record, thumbnail)) {
    case ReferenceStrip::AddResult::Added:
        return true;
    case ReferenceStrip::AddResult::AlreadyThere:
        showNote(tr("This image is already an input image."));
        return false;
    case ReferenceStrip::AddResult::Full:
        showNote(
            tr("Up to %1 input images can be used; remove one to add another.").arg(ReferenceStrip::MaxReferences));
        return false;
    }
    return false;
}

void PromptPanel::removeReference(qint64 id)
{
    m_references->removeReference(id);
}

QList<LibraryRecord> PromptPanel::references() const
{
    return m_references->references();
}

QList<qint64> PromptPanel::sourceIds() const
{
    QList<qint64> ids;
    for (const LibraryRecord& record : m_references->references())
        ids << record.id;
    if (m_settingsSource && !ids.contains(m_settingsSource->id))
        ids << m_settingsSource->id;
    return ids;
}

void PromptPanel::clearSources()
{
    const bool had = !sourceIds().isEmpty();
    {
        const QSignalBlocker blocker(m_references);
        m_references->clear();
    }
    m_settingsSource.reset();
    m_ui->sourceWidget->hide();
    if (had)
        Q_EMIT sourcesChanged();
}

void PromptPanel::setSettingsSource(std::optional<LibraryRecord> record)
{
    const bool changed = record.has_value() != m_settingsSource.has_value()
                         || (record && m_settingsSource && record->id != m_settingsSource->id);
    m_settingsSource = std::move(record);
    m_ui->sourceWidget->setVisible(m_settingsSource.has_value());
    if (m_settingsSource)
        m_ui->sourceLabel->setText(tr("Settings from “%1”").arg(preview(m_settingsSource->prompt)));
    if (changed)
        Q_EMIT sourcesChanged();
}

QString PromptPanel::note() const
{
    return m_ui->noteWidget->isHidden() ? QString() : m_ui->noteLabel->text();
}

void PromptPanel::showNote(const QString& text)
{
    m_ui->noteLabel->setText(text);
    m_ui->noteWidget->setVisible(!text.isEmpty());
}

} // namespace Pixapi
