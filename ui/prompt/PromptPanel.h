#pragma once

#include "api/ApiTypes.h"
#include "catalog/RequestOptions.h"
#include "edit/EditInputPrep.h"
#include "library/Library.h"

#include <QHash>
#include <QImage>
#include <QJsonObject>
#include <QList>
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
class PromptDropTarget;
class ReferenceStrip;
class Settings;
struct ImageMetadata;

// The "create" side of the window: prompt, model, the controls the model takes (a size, or an aspect ratio and a
// resolution tier; quality; count; response format), the estimated cost against the balance, and the Generate /
// Cancel controls. Controls a model ignores are disabled with the reason as tooltip; a request the model cannot take
// is refused here, before anything is sent. It only describes a request; the window runs it.
//
// Reuse: settings come back from a library image ("Reuse settings", a dropped tile) or an exported file dropped on
// the panel; what the chosen model cannot take is named in a note, never dropped silently. The panel also keeps the
// sources of the next images (lineage): the image whose settings were reused and the references.
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

    // Restores a request: the prompt at once; the model when the list has it (otherwise the current model stays
    // and the note says so); count, size, quality and response format where the model takes them (the others stay
    // at the model's default and the note names them). While the model list is loading, the rest follows when it
    // arrives. Replaces the reused image of reuseSettings() (references stay).
    void applySettings(const QString& prompt, const QString& model, const QJsonObject& params);
    // "Reuse settings": applySettings() from the record, which becomes the source of the next images.
    void reuseSettings(const LibraryRecord& record);
    // Library tiles dropped on the panel, resolved by the window: the first one's settings, the others as references.
    void restoreFromRecords(const QList<LibraryRecord>& records);
    // "Use as reference" (thumbnail decoded from the record's file unless given). False, with a note, when the
    // image is already a reference or the strip is full.
    bool addReference(const LibraryRecord& record, const QImage& thumbnail = {});
    void removeReference(qint64 id);
    QList<LibraryRecord> references() const;
    // Input images (the references) make the next request an edit: sent to the model, which must take them
    // (EditCapability; the picker disables the models that cannot, with the reason).
    bool isEdit() const;
    int inputCount() const;
    // The mask painted on the first input image (null when none).
    const EditMask& mask() const;
    bool hasMask() const;
    void setMask(const EditMask& mask);
    // What EditInputPrep needs to build the edit's files: the input images' files, the mask, the chosen model.
    EditInputRequest editRequest() const;
    ReferenceStrip* inputStrip() const;
    // The lineage of the next images (GenerationQueue::Request::parentIds): the input images in order (for an edit
    // the first parent is the first input, the one a mask applies to), then the reused image, without duplicates.
    // Kept until cleared or replaced.
    QList<qint64> sourceIds() const;
    void clearSources();
    // The note under the prompt: what was restored and what was not; empty when none is shown.
    QString note() const;

Q_SIGNALS:
    void generateRequested();
    void cancelRequested();
    // Library tiles were dropped on the panel: the window resolves the ids and calls restoreFromRecords().
    void recordsDropped(const QList<qint64>& ids);
    void sourcesChanged();
    // Image files or bytes to bring into the library as input images (dropped, pasted, chosen); the window imports
    // them (InputImporter) and calls addReference().
    void importFilesRequested(const QStringList& paths);
    void importBytesRequested(const QByteArray& bytes, const QString& name);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Restore
    {
        QString prompt;
        QString model;
        QJsonObject params;
        QString origin; // the file the settings came from; empty for a library image
    };
    void restore(Restore settings);
    void applyWhenListed(Restore settings);
    void applyRestore(const Restore& settings);
    QStringList applyValues(const GenerationParams& wanted);
    bool refusedAlone(const GenerationParams& probe) const;
    void showSize(const QString& size, bool keepCustom);
    void showNote(const QString& text);
    void setSettingsSource(std::optional<LibraryRecord> record);
    void onModelChanged();
    void onInputsChanged();
    std::optional<QString> refusalFor(const GenerationParams& request) const;
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
    ReferenceStrip* m_references;
    PromptDropTarget* m_dropTarget;
    std::optional<Restore> m_pending; // settings waiting for the model list
    std::optional<LibraryRecord> m_settingsSource;
};

} // namespace Pixapi
