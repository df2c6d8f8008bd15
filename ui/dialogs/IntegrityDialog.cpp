#include "dialogs/IntegrityDialog.h"

#include "common/IntegrityNotice.h"
#include "generation/TaskStore.h"
#include "library/ImageMetadata.h"
#include "library/Library.h"
#include "support/Logging.h"
#include "support/WhenFinished.h"

#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Pixapi {

// A check's report, plus the prompt and model embedded in each unindexed file (read on the worker too).
struct IntegrityDialog::Scan
{
    Result<IntegrityReport, ApiError> report;
    QList<std::optional<ImageMetadata>> orphanMetadata; // parallel to report.orphans
};

namespace {

constexpr int MaxSkippedShown = 20;

// The core's detail says what went wrong with the index or a file; the generic message is for when it has none.
QString errorText(const ApiError& error)
{
    return error.detail.isEmpty() ? error.userMessage() : error.detail;
}

QTreeWidget* makeList(const QString& objectName, QWidget* parent)
{
    auto* list = new QTreeWidget(parent);
    list->setObjectName(objectName);
    list->setRootIsDecorated(false);
    list->setUniformRowHeights(true); // thousands of rows stay fast
    list->setHeaderLabels({IntegrityDialog::tr("File"), IntegrityDialog::tr("Prompt"), IntegrityDialog::tr("Model")});
    // The prompt takes the room left; fixed starting widths, not ResizeToContents, which reads every row.
    list->header()->setStretchLastSection(false);
    list->header()->setSectionResizeMode(QHeaderView::Interactive);
    list->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    list->setColumnWidth(0, 300);
    list->setColumnWidth(2, 170);
    return list;
}

void addRow(QTreeWidget* list, const QString& root, const QString& path, const QString& prompt, const QString& model)
{
    auto* item = new QTreeWidgetItem(list, {QDir(root).relativeFilePath(path), prompt.simplified(), model});
    item->setToolTip(0, QDir::toNativeSeparators(path));
    item->setToolTip(1, prompt);
}

} // namespace

IntegrityDialog::IntegrityDialog(QString libraryRoot, Library* library, QWidget* parent)
    : QDialog(parent)
    , m_root(QDir::cleanPath(QDir(libraryRoot).absolutePath()))
    , m_library(library)
{
    setObjectName(QStringLiteral("integrityDialog"));
    setWindowTitle(tr("Library Check"));

    m_summaryLabel = new QLabel(this);
    m_summaryLabel->setObjectName(QStringLiteral("integritySummaryLabel"));
    m_summaryLabel->setWordWrap(true);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("integrityTabs"));
    m_missingList = makeList(QStringLiteral("integrityMissingList"), m_tabs);
    m_changedList = makeList(QStringLiteral("integrityChangedList"), m_tabs);
    m_unindexedList = makeList(QStringLiteral("integrityUnindexedList"), m_tabs);
    m_tabs->addTab(m_missingList, QString());
    m_tabs->addTab(m_changedList, QString());
    m_tabs->addTab(m_unindexedList, QString());

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("integrityStatusLabel"));
    m_busyBar = new QProgressBar(this);
    m_busyBar->setObjectName(QStringLiteral("integrityBusyBar"));
    m_busyBar->setRange(0, 0); // busy: the core reports no progress
    m_busyBar->setTextVisible(false);
    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("integrityMessageLabel"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(QStringLiteral("integrityErrorLabel"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setStyleSheet(QStringLiteral("font-weight: bold;"));

    m_verifyButton = new QPushButton(tr("Verify All Files (Slow)"), this);
    m_verifyButton->setObjectName(QStringLiteral("integrityVerifyButton"));
    m_verifyButton->setToolTip(tr("Re-reads every file to compare its content with the index, not only its size."));
    m_removeMissingButton = new QPushButton(tr("Remove Missing Entries"), this);
    m_removeMissingButton->setObjectName(QStringLiteral("integrityRemoveMissingButton"));
    m_removeMissingButton->setToolTip(tr("Deletes the library entries whose file is gone. No file is touched."));
    m_addUnindexedButton = new QPushButton(tr("Add Unindexed Files"), this);
    m_addUnindexedButton->setObjectName(QStringLiteral("integrityAddUnindexedButton"));
    m_addUnindexedButton->setToolTip(tr("Adds the image files that have no entry to the library, where they are."));
    m_rebuildButton = new QPushButton(tr("Rebuild Index from Files…"), this);
    m_rebuildButton->setObjectName(QStringLiteral("integrityRebuildButton"));
    m_rebuildButton->setToolTip(tr("Builds a new index from the image files; the current one is kept as a backup."));
    m_closeButton = new QPushButton(tr("Close"), this);
    m_closeButton->setObjectName(QStringLiteral("integrityCloseButton"));
    for (QPushButton* button :
         {m_verifyButton, m_removeMissingButton, m_addUnindexedButton, m_rebuildButton, m_closeButton})
        button->setAutoDefault(false);

    auto* actions = new QHBoxLayout;
    actions->addWidget(m_verifyButton);
    actions->addWidget(m_removeMissingButton);
    actions->addWidget(m_addUnindexedButton);
    actions->addWidget(m_rebuildButton);
    actions->addStretch();
    actions->addWidget(m_closeButton);
    auto* status = new QHBoxLayout;
    status->addWidget(m_statusLabel);
    status->addWidget(m_busyBar, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summaryLabel);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(status);
    layout->addWidget(m_messageLabel);
    layout->addWidget(m_errorLabel);
    layout->addLayout(actions);
    resize(760, 480);

    connect(m_verifyButton, &QPushButton::clicked, this, [this] {
        showMessage({});
        recheck(true);
    });
    connect(m_removeMissingButton, &QPushButton::clicked, this, &IntegrityDialog::removeMissing);
    connect(m_addUnindexedButton, &QPushButton::clicked, this, &IntegrityDialog::addUnindexed);
    connect(m_rebuildButton, &QPushButton::clicked, this, &IntegrityDialog::confirmRebuild);
    connect(m_closeButton, &QPushButton::clicked, this, &IntegrityDialog::reject);

    showMessage({});
    recheck(false);
}

IntegrityDialog::~IntegrityDialog()
{
    // The library was closed for the rebuild: never leave it closed behind the window.
    if (m_rebuilding) {
        m_rebuild.waitForFinished();
        if (m_library)
            m_library->open();
        reopenTasks();
    }
}

void IntegrityDialog::setTaskStore(TaskStore* store)
{
    m_taskStore = store;
}

void IntegrityDialog::setRebuildGuard(std::function<QString()> guard)
{
    m_rebuildGuard = std::move(guard);
}

void IntegrityDialog::recheck(bool verifyHashes)
{
    m_lastCheckVerified = verifyHashes;
    setBusy(verifyHashes ? tr("Verifying every file…") : tr("Checking the library…"));
    const auto scan = LibraryIntegrity::check(m_root, verifyHashes)
                          .then(QtFuture::Launch::Async, [](Result<IntegrityReport, ApiError> report) {
                              Scan result {std::move(report), {}};
                              if (result.report) {
                                  for (const QString& path : std::as_const(result.report.value().orphans))
                                      result.orphanMetadata.append(ImageMetadata::read(path));
                              }
                              return result;
                          });
    whenFinished(this, scan, [this](const Scan& result) { showScan(result); });
}

void IntegrityDialog::showScan(const Scan& scan)
{
    if (!scan.report) {
        showError(tr("The library could not be checked: %1").arg(errorText(scan.report.error())));
        setIdle();
        return;
    }
    m_report = scan.report.value();
    m_missingList->clear();
    m_changedList->clear();
    m_unindexedList->clear();
    for (const LibraryRecord& record : std::as_const(m_report.missing))
        addRow(m_missingList, m_root, record.filePath, record.prompt, record.model);
    for (const LibraryRecord& record : std::as_const(m_report.mismatched))
        addRow(m_changedList, m_root, record.filePath, record.prompt, record.model);
    for (int i = 0; i < m_report.orphans.size(); ++i) {
        const std::optional<ImageMetadata>& metadata = scan.orphanMetadata.value(i);
        addRow(m_unindexedList, m_root, m_report.orphans.at(i), metadata ? metadata->prompt : QString(),
               metadata ? metadata->model : QString());
    }
    m_tabs->setTabText(0, tr("Missing Files (%1)").arg(m_report.missing.size()));
    m_tabs->setTabText(1, tr("Changed Files (%1)").arg(m_report.mismatched.size()));
    m_tabs->setTabText(2, tr("Not in Library (%1)").arg(m_report.orphans.size()));
    if (m_report.isClean()) {
        m_summaryLabel->setText(
            m_lastCheckVerified
                ? tr("Every file matches the index (%n image(s), contents verified).", nullptr, m_report.rowsChecked)
                : tr("Every file matches the index (%n image(s), sizes compared).", nullptr, m_report.rowsChecked));
    } else {
        m_summaryLabel->setText(IntegrityNotice::describe(m_report));
        // Open the first list with something in it.
        m_tabs->setCurrentIndex(!m_report.missing.isEmpty() ? 0 : !m_report.mismatched.isEmpty() ? 1 : 2);
    }
    Q_EMIT reportChanged(m_report);
    setIdle();
}

void IntegrityDialog::removeMissing()
{
    QList<qint64> ids;
    for (const LibraryRecord& record : std::as_const(m_report.missing))
        ids.append(record.id);
    showMessage({});
    setBusy(tr("Removing the entries of missing files…"));
    whenFinished(this, LibraryIntegrity::dropMissing(m_root, ids), [this](const Result<int, ApiError>& removed) {
        if (removed) {
            showMessage(tr("Removed %n image(s) whose file was missing.", nullptr, removed.value()));
            if (removed.value() > 0)
                Q_EMIT libraryChanged();
        } else {
            showError(tr("The entries could not be removed: %1").arg(errorText(removed.error())));
        }
        recheck(m_lastCheckVerified);
    });
}

void IntegrityDialog::addUnindexed()
{
    showMessage({});
    setBusy(tr("Adding the unindexed files…"));
    whenFinished(this, LibraryIntegrity::importOrphans(m_root, m_report.orphans),
                 [this](const Result<OrphanImport, ApiError>& imported) {
                     if (!imported) {
                         showError(tr("The files could not be added: %1").arg(errorText(imported.error())));
                         recheck(m_lastCheckVerified);
                         return;
                     }
                     const OrphanImport& result = imported.value();
                     QString text = tr("Added %n file(s) to the library.", nullptr, int(result.imported.size()));
                     if (!result.skipped.isEmpty()) {
                         QStringList shown = result.skipped.mid(0, MaxSkippedShown);
                         if (result.skipped.size() > MaxSkippedShown)
                             shown << tr("and %n more", nullptr, int(result.skipped.size() - MaxSkippedShown));
                         text += QLatin1Char('\n') + tr("Skipped %n file(s):", nullptr, int(result.skipped.size()))
                                 + QLatin1Char('\n') + shown.join(QLatin1Char('\n'));
                     }
                     showMessage(text);
                     if (!result.imported.isEmpty())
                         Q_EMIT libraryChanged();
                     recheck(m_lastCheckVerified);
                 });
}

void IntegrityDialog::confirmRebuild()
{
    if (!rebuildAllowed())
        return;
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Rebuild the Library Index"),
        tr("Build a new index from the image files?\n\n"
           "Every file in the library's images folder gets a fresh entry, with the prompt and settings embedded in "
           "it when there are any. Favorites, stars, tags, collections, the trash and costs are not kept in the files "
           "and will be missing from the new index. Background tasks and comparison boards are kept.\n\n"
           "The current index is kept as a backup file next to the new one, so nothing is deleted."),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("integrityRebuildConfirm"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* confirm = box->addButton(tr("Rebuild"), QMessageBox::AcceptRole);
    confirm->setObjectName(QStringLiteral("integrityRebuildConfirmButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    connect(confirm, &QPushButton::clicked, this, &IntegrityDialog::rebuild);
    box->open(); // not exec(): the event loop keeps running (and tests can answer it)
}

// Asked again when the rebuild is confirmed: a generation may have started while the question was open.
bool IntegrityDialog::rebuildAllowed()
{
    const QString reason = m_rebuildGuard ? m_rebuildGuard() : QString();
    if (reason.isEmpty())
        return true;
    showMessage({});
    showError(tr("The index cannot be rebuilt now: %1").arg(reason));
    return false;
}

void IntegrityDialog::rebuild()
{
    if (m_busy || !m_library || !rebuildAllowed())
        return;
    showMessage({});
    m_rebuilding = true;
    setBusy(tr("Rebuilding the index from the files…"));
    // The rebuild swaps the index file: no connection to it may be open meanwhile (one would keep the old file).
    m_library->close();
    m_reopenTasks = m_taskStore && m_taskStore->isOpen();
    if (m_taskStore)
        m_taskStore->close();
    Q_EMIT rebuildStarting();
    m_rebuild = LibraryIntegrity::rebuildIndex(m_root);
    whenFinished(this, m_rebuild, [this](const Result<int, ApiError>& rebuilt) { onRebuilt(rebuilt); });
}

void IntegrityDialog::onRebuilt(const Result<int, ApiError>& rebuilt)
{
    m_rebuilding = false;
    const auto reopened = m_library->open();
    const auto tasksReopened = reopenTasks();
    if (rebuilt) {
        showMessage(tr("The index was rebuilt from %n file(s). The previous index is kept next to it as a backup.",
                       nullptr, rebuilt.value()));
    } else {
        showError(
            tr("The index could not be rebuilt; the previous one is still in use: %1").arg(errorText(rebuilt.error())));
    }
    if (!reopened)
        showError(tr("The library could not be opened again: %1").arg(errorText(reopened.error())));
    if (!tasksReopened)
        showError(tr("The generation task list could not be opened again: %1").arg(errorText(tasksReopened.error())));
    if (rebuilt)
        Q_EMIT libraryRebuilt();
    recheck(false);
}

Result<bool, ApiError> IntegrityDialog::reopenTasks()
{
    if (!m_reopenTasks)
        return true;
    m_reopenTasks = false;
    return m_taskStore->open();
}

void IntegrityDialog::setBusy(const QString& status)
{
    m_busy = true;
    m_statusLabel->setText(status);
    m_statusLabel->show();
    m_busyBar->show();
    updateButtons();
}

void IntegrityDialog::setIdle()
{
    m_busy = false;
    m_statusLabel->hide();
    m_busyBar->hide();
    updateButtons();
    Q_EMIT idle();
}

void IntegrityDialog::showMessage(const QString& text)
{
    m_messageLabel->setText(text);
    m_messageLabel->setVisible(!text.isEmpty());
    if (text.isEmpty()) {
        m_errorLabel->clear();
        m_errorLabel->hide();
    }
}

void IntegrityDialog::showError(const QString& text)
{
    qCWarning(lcUi).noquote() << "library check:" << text;
    const QString previous = m_errorLabel->text();
    m_errorLabel->setText(previous.isEmpty() ? text : previous + QLatin1Char('\n') + text);
    m_errorLabel->show();
}

void IntegrityDialog::updateButtons()
{
    m_verifyButton->setEnabled(!m_busy);
    m_removeMissingButton->setEnabled(!m_busy && !m_report.missing.isEmpty());
    m_addUnindexedButton->setEnabled(!m_busy && !m_report.orphans.isEmpty());
    m_rebuildButton->setEnabled(!m_busy && m_library);
    m_closeButton->setEnabled(!m_rebuilding);
}

void IntegrityDialog::reject()
{
    if (m_rebuilding)
        return; // the library is closed until the rebuild ends and reopens it
    QDialog::reject();
}

} // namespace Pixapi
