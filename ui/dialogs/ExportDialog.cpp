#include "dialogs/ExportDialog.h"

#include "library/ImageMetadata.h"
#include "settings/Settings.h"
#include "support/Logging.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QUrl>
#include <QVBoxLayout>

namespace Pixapi {

ExportDialog::ExportDialog(QList<LibraryRecord> records, Settings* settings, QWidget* parent)
    : QDialog(parent)
    , m_records(std::move(records))
    , m_settings(settings)
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export Images"));
    for (int i = 0; i < m_records.size(); ++i)
        m_indexOfId.insert(m_records.at(i).id, i);

    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("exportPages"));
    m_pages->addWidget(buildOptionsPage());
    m_pages->addWidget(buildProgressPage());
    m_pages->addWidget(buildSummaryPage());

    m_showFolderButton = new QPushButton(tr("Show in Folder"), this);
    m_showFolderButton->setObjectName(QStringLiteral("exportShowFolderButton"));
    m_showFolderButton->setAutoDefault(false);
    m_showFolderButton->hide();
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("exportCancelButton"));
    m_cancelButton->setAutoDefault(false);
    m_exportButton = new QPushButton(tr("Export %n image(s)", nullptr, int(m_records.size())), this);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setDefault(true);
    m_exportButton->setEnabled(!m_records.isEmpty());

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_showFolderButton);
    buttons->addStretch();
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_exportButton);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    layout->addLayout(buttons);

    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_cancelButton, &QPushButton::clicked, this, &ExportDialog::reject);
    connect(m_showFolderButton, &QPushButton::clicked, this,
            [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_exportFolder)); });
    connect(&m_watcher, &QFutureWatcherBase::progressValueChanged, this, [this](int value) {
        m_progressBar->setValue(value);
        m_progressLabel->setText(tr("Exported %1 of %2…").arg(value).arg(m_records.size()));
    });
    connect(&m_watcher, &QFutureWatcherBase::resultsReadyAt, this, &ExportDialog::collectResults);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &ExportDialog::showSummary);

    loadSettings();
    updateFormatControls();
    updatePreview();
}

ExportDialog::~ExportDialog()
{
    m_watcher.cancel(); // the record being written is finished by the worker; the rest is skipped
}

QWidget* ExportDialog::buildOptionsPage()
{
    auto* page = new QWidget;
    page->setObjectName(QStringLiteral("exportOptionsPage"));

    m_folderEdit = new QLineEdit(page);
    m_folderEdit->setObjectName(QStringLiteral("exportFolderEdit"));
    auto* browse = new QPushButton(tr("Choose…"), page);
    browse->setObjectName(QStringLiteral("exportBrowseButton"));
    browse->setAutoDefault(false);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::chooseFolder);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folderEdit, 1);
    folderRow->addWidget(browse);

    m_formatCombo = new QComboBox(page);
    m_formatCombo->setObjectName(QStringLiteral("exportFormatCombo"));
    for (const QByteArray& format : Exporter::availableFormats()) {
        const QString name =
            format == "webp" ? tr("WebP (carries no prompt or settings)") : QString::fromLatin1(format.toUpper());
        m_formatCombo->addItem(name, QString::fromLatin1(format));
    }
    m_formatNote = new QLabel(page);
    m_formatNote->setObjectName(QStringLiteral("exportFormatNote"));
    m_formatNote->setWordWrap(true);

    m_qualitySlider = new QSlider(Qt::Horizontal, page);
    m_qualitySlider->setObjectName(QStringLiteral("exportQualitySlider"));
    m_qualitySpin = new QSpinBox(page);
    m_qualitySpin->setObjectName(QStringLiteral("exportQualitySpin"));
    m_qualitySlider->setRange(0, 100);
    m_qualitySpin->setRange(0, 100);
    connect(m_qualitySlider, &QSlider::valueChanged, m_qualitySpin, &QSpinBox::setValue);
    connect(m_qualitySpin, &QSpinBox::valueChanged, m_qualitySlider, &QSlider::setValue);
    auto* qualityRow = new QHBoxLayout;
    qualityRow->addWidget(m_qualitySlider, 1);
    qualityRow->addWidget(m_qualitySpin);

    m_patternEdit = new QLineEdit(page);
    m_patternEdit->setObjectName(QStringLiteral("exportPatternEdit"));
    m_patternEdit->setToolTip(tr("Tokens in file names:\n"
                                 "{date}: the day the image was made (2024-03-05)\n"
                                 "{time}: the time it was made (101112)\n"
                                 "{model}: the model\n"
                                 "{prompt}: the prompt; {prompt:30} keeps its first 30 characters\n"
                                 "{index}: the position in this export (01, 02, …)\n"
                                 "{id}: the library number of the image\n"
                                 "{sha8}: the first 8 characters of the file's hash\n"
                                 "An existing file is never replaced: _2, _3, … is added instead."));
    m_preview = new QLabel(page);
    m_preview->setObjectName(QStringLiteral("exportPreviewLabel"));
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_embedCheck = new QCheckBox(tr("Embed prompt and settings"), page);
    m_embedCheck->setObjectName(QStringLiteral("exportEmbedCheck"));
    m_stripCheck = new QCheckBox(tr("Strip prompt (keep the other settings)"), page);
    m_stripCheck->setObjectName(QStringLiteral("exportStripCheck"));

    m_errorLabel = new QLabel(page);
    m_errorLabel->setObjectName(QStringLiteral("exportErrorLabel"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setStyleSheet(QStringLiteral("font-weight: bold;"));
    m_errorLabel->hide();

    auto* form = new QFormLayout(page);
    form->addRow(tr("Folder:"), folderRow);
    form->addRow(tr("Format:"), m_formatCombo);
    form->addRow(QString(), m_formatNote);
    form->addRow(tr("Quality:"), qualityRow);
    form->addRow(tr("File names:"), m_patternEdit);
    form->addRow(tr("First file:"), m_preview);
    form->addRow(QString(), m_embedCheck);
    form->addRow(QString(), m_stripCheck);
    form->addRow(m_errorLabel);

    connect(m_formatCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateFormatControls();
        updatePreview();
    });
    connect(m_embedCheck, &QCheckBox::toggled, this, &ExportDialog::updateFormatControls);
    connect(m_patternEdit, &QLineEdit::textChanged, this, &ExportDialog::updatePreview);
    connect(m_folderEdit, &QLineEdit::textChanged, m_errorLabel, &QLabel::hide);
    return page;
}

QWidget* ExportDialog::buildProgressPage()
{
    auto* page = new QWidget;
    page->setObjectName(QStringLiteral("exportProgressPage"));
    m_progressLabel = new QLabel(page);
    m_progressLabel->setObjectName(QStringLiteral("exportProgressLabel"));
    m_progressBar = new QProgressBar(page);
    m_progressBar->setObjectName(QStringLiteral("exportProgressBar"));
    auto* layout = new QVBoxLayout(page);
    layout->addStretch();
    layout->addWidget(m_progressLabel);
    layout->addWidget(m_progressBar);
    layout->addStretch();
    return page;
}

QWidget* ExportDialog::buildSummaryPage()
{
    auto* page = new QWidget;
    page->setObjectName(QStringLiteral("exportSummaryPage"));
    m_summaryLabel = new QLabel(page);
    m_summaryLabel->setObjectName(QStringLiteral("exportSummaryLabel"));
    m_summaryLabel->setWordWrap(true);
    m_summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_failuresList = new QListWidget(page);
    m_failuresList->setObjectName(QStringLiteral("exportFailuresList"));
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(m_summaryLabel);
    layout->addWidget(m_failuresList, 1);
    return page;
}

void ExportDialog::loadSettings()
{
    QString folder = m_settings->value(Settings::Key::ExportFolder).toString();
    if (folder.isEmpty())
        folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    m_folderEdit->setText(QDir::toNativeSeparators(folder));
    const int format = m_formatCombo->findData(m_settings->value(Settings::Key::ExportFormat).toString());
    m_formatCombo->setCurrentIndex(qMax(format, 0));
    m_qualitySpin->setValue(m_settings->value(Settings::Key::ExportQuality).toInt());
    m_patternEdit->setText(m_settings->value(Settings::Key::ExportPattern).toString());
    m_embedCheck->setChecked(m_settings->value(Settings::Key::ExportEmbedMetadata).toBool());
    m_stripCheck->setChecked(m_settings->value(Settings::Key::ExportStripPrompt).toBool());
}

void ExportDialog::saveSettings()
{
    m_settings->setValue(Settings::Key::ExportFolder, m_exportFolder);
    m_settings->setValue(Settings::Key::ExportFormat, QString::fromLatin1(currentFormat()));
    m_settings->setValue(Settings::Key::ExportQuality, m_qualitySpin->value());
    m_settings->setValue(Settings::Key::ExportPattern, m_patternEdit->text());
    m_settings->setValue(Settings::Key::ExportEmbedMetadata, m_embedCheck->isChecked());
    m_settings->setValue(Settings::Key::ExportStripPrompt, m_stripCheck->isChecked());
}

void ExportDialog::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export to Folder"),
                                                             QDir::fromNativeSeparators(m_folderEdit->text()));
    if (!folder.isEmpty())
        m_folderEdit->setText(QDir::toNativeSeparators(folder));
}

QByteArray ExportDialog::currentFormat() const
{
    return m_formatCombo->currentData().toString().toLatin1();
}

void ExportDialog::updateFormatControls()
{
    const QByteArray format = currentFormat();
    const bool lossy = format == "jpeg" || format == "webp";
    m_qualitySlider->setEnabled(lossy);
    m_qualitySpin->setEnabled(lossy);
    const bool carriesText = ImageMetadata::formatCarriesText(format);
    m_embedCheck->setEnabled(carriesText);
    m_stripCheck->setEnabled(carriesText && m_embedCheck->isChecked());
    m_formatNote->setText(carriesText ? QString()
                                      : tr("WebP files cannot carry the prompt and settings: export PNG or JPEG to "
                                           "keep them with the image."));
    m_formatNote->setVisible(!carriesText);
}

void ExportDialog::updatePreview()
{
    if (m_records.isEmpty() || m_patternEdit->text().trimmed().isEmpty()) {
        m_preview->setText(tr("(image)"));
        return;
    }
    const QString name = Exporter::expandPattern(m_patternEdit->text(), m_records.first(), 1, int(m_records.size()));
    m_preview->setText(name + QLatin1Char('.') + Exporter::extensionFor(currentFormat()));
}

ExportOptions ExportDialog::currentOptions() const
{
    ExportOptions options;
    options.targetDir = m_exportFolder;
    if (!m_patternEdit->text().trimmed().isEmpty())
        options.namePattern = m_patternEdit->text();
    options.format = currentFormat();
    if (m_qualitySpin->isEnabled())
        options.quality = m_qualitySpin->value();
    options.embedMetadata = m_embedCheck->isEnabled() && m_embedCheck->isChecked();
    options.stripPrompt = options.embedMetadata && m_stripCheck->isChecked();
    return options;
}

QString ExportDialog::folderProblem(const QString& folder) const
{
    if (folder.isEmpty())
        return tr("Choose a folder to export to.");
    const QFileInfo info(folder);
    const QString shown = QDir::toNativeSeparators(folder);
    if (!info.exists())
        return tr("The folder %1 does not exist. Choose an existing folder.").arg(shown);
    if (!info.isDir())
        return tr("%1 is not a folder. Choose a folder to export to.").arg(shown);
    if (!info.isWritable())
        return tr("The folder %1 cannot be written to. Choose another folder.").arg(shown);
    return {};
}

void ExportDialog::startExport()
{
    if (isExporting() || m_pages->currentIndex() != 0 || m_records.isEmpty())
        return;
    const QString typed = m_folderEdit->text().trimmed();
    const QString folder = typed.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(typed));
    if (const QString problem = folderProblem(folder); !problem.isEmpty()) {
        m_errorLabel->setText(problem);
        m_errorLabel->show();
        return;
    }
    m_exportFolder = QFileInfo(folder).absoluteFilePath();
    saveSettings();

    const QStringList before = QDir(m_exportFolder).entryList(QDir::Files);
    m_filesBefore = QSet<QString>(before.cbegin(), before.cend());
    m_results.clear();
    m_written.clear();
    m_cancelled = false;
    m_progressBar->setRange(0, int(m_records.size()));
    m_progressBar->setValue(0);
    m_progressLabel->setText(tr("Exported %1 of %2…").arg(0).arg(m_records.size()));
    m_pages->setCurrentIndex(1);
    m_exportButton->hide();
    m_cancelButton->setFocus();
    qCInfo(lcUi) << "exporting" << m_records.size() << "images as" << currentFormat();
    m_watcher.setFuture(Exporter::exportRecords(m_records, currentOptions()));
}

void ExportDialog::collectResults(int begin, int end)
{
    for (int i = begin; i < end; ++i)
        m_results.append(m_watcher.resultAt(i));
}

QStringList ExportDialog::newFilesInFolder() const
{
    QStringList files;
    const QDir dir(m_exportFolder);
    for (const QString& name : dir.entryList(QDir::Files, QDir::Name)) {
        if (!m_filesBefore.contains(name))
            files.append(dir.filePath(name));
    }
    return files;
}

void ExportDialog::showSummary()
{
    for (const ExportItemResult& item : std::as_const(m_results)) {
        if (item.ok())
            m_written.append(item.outputPath);
    }
    // A cancelled future drops the result of the record that was being written, though the worker finished it.
    if (m_cancelled) {
        const QString extension = QLatin1Char('.') + Exporter::extensionFor(currentFormat());
        for (const QString& path : newFilesInFolder()) {
            if (path.endsWith(extension) && !m_written.contains(path))
                m_written.append(path);
        }
    }

    const QString folder = QDir::toNativeSeparators(m_exportFolder);
    const int written = int(m_written.size());
    QString summary = m_cancelled ? tr("Export cancelled: %n image(s) exported to %1.", nullptr, written).arg(folder)
                                  : tr("%n image(s) exported to %1.", nullptr, written).arg(folder);
    m_failuresList->clear();
    for (const ExportItemResult& item : std::as_const(m_results)) {
        if (item.ok())
            continue;
        const LibraryRecord& record = m_records.at(m_indexOfId.value(item.recordId));
        const QString reason = item.error->detail.isEmpty() ? item.error->userMessage() : item.error->detail;
        m_failuresList->addItem(tr("%1: %2").arg(QFileInfo(record.filePath).fileName(), reason));
    }
    if (m_failuresList->count() > 0)
        summary += QLatin1Char(' ') + tr("%n image(s) could not be exported:", nullptr, m_failuresList->count());
    m_summaryLabel->setText(summary);
    m_failuresList->setVisible(m_failuresList->count() > 0);
    m_showFolderButton->setVisible(written > 0);
    m_cancelButton->setText(tr("Close"));
    m_cancelButton->setEnabled(true);
    m_cancelButton->setDefault(true);
    m_cancelButton->setFocus();
    m_pages->setCurrentIndex(2);
    Q_EMIT exportFinished();
}

void ExportDialog::reject()
{
    if (isExporting()) {
        m_cancelled = true;
        m_progressLabel->setText(tr("Cancelling…"));
        m_cancelButton->setEnabled(false);
        m_watcher.cancel(); // finished() follows once the worker stops, and the summary is shown
        return;
    }
    QDialog::reject();
}

} // namespace Pixapi
