#pragma once

#include "library/Exporter.h"
#include "library/Library.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QStackedWidget;

namespace Pixapi {

class Settings;

// "Export images": pick a folder, a format, a naming pattern and what metadata to embed, then export in the
// background with progress and Cancel, and end on a summary of what was written and what failed. The choices are
// remembered in Settings. Enter exports; Esc cancels a running export, else closes.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    ExportDialog(QList<LibraryRecord> records, Settings* settings, QWidget* parent = nullptr);
    ~ExportDialog() override;

    // Files written by the last export (also after a cancel), and the per-record outcomes that were reported.
    QStringList writtenFiles() const { return m_written; }
    const QList<ExportItemResult>& results() const { return m_results; }
    bool isExporting() const { return m_watcher.isRunning(); }

public Q_SLOTS:
    void reject() override;

Q_SIGNALS:
    // The export ended (done, failed or cancelled) and the summary is shown.
    void exportFinished();

private:
    QWidget* buildOptionsPage();
    QWidget* buildProgressPage();
    QWidget* buildSummaryPage();
    void loadSettings();
    void saveSettings();
    void chooseFolder();
    void updateFormatControls();
    void updatePreview();
    QByteArray currentFormat() const;
    ExportOptions currentOptions() const;
    // Why the folder cannot be exported to, or an empty string.
    QString folderProblem(const QString& folder) const;
    void startExport();
    void collectResults(int begin, int end);
    void showSummary();
    QStringList newFilesInFolder() const;

    QList<LibraryRecord> m_records;
    QHash<qint64, int> m_indexOfId;
    Settings* m_settings;
    QFutureWatcher<ExportItemResult> m_watcher;
    QList<ExportItemResult> m_results;
    QStringList m_written;
    QString m_exportFolder;
    QSet<QString> m_filesBefore; // the folder's files when the export started: a cancel may drop the last result
    bool m_cancelled = false;

    QStackedWidget* m_pages;
    QLineEdit* m_folderEdit;
    QComboBox* m_formatCombo;
    QLabel* m_formatNote;
    QSlider* m_qualitySlider;
    QSpinBox* m_qualitySpin;
    QLineEdit* m_patternEdit;
    QLabel* m_preview;
    QCheckBox* m_embedCheck;
    QCheckBox* m_stripCheck;
    QLabel* m_errorLabel;
    QLabel* m_progressLabel;
    QProgressBar* m_progressBar;
    QLabel* m_summaryLabel;
    QListWidget* m_failuresList;
    QPushButton* m_showFolderButton;
    QPushButton* m_cancelButton;
    QPushButton* m_exportButton;
};

} // namespace Pixapi
