#pragma once

#include "library/LibraryIntegrity.h"

#include <QDialog>
#include <QFuture>
#include <QString>

#include <functional>

class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace Pixapi {

class Library;
class TaskStore;

// "Library check": lists images whose file is missing, files that changed on disk, and files no image row names,
// and repairs: remove the missing entries, add the unindexed files, or rebuild the index from the files. All the work
// runs on workers; every action ends with a fresh check. Opening the dialog starts the fast check (sizes only);
// "Verify all files" compares hashes too.
class IntegrityDialog : public QDialog
{
    Q_OBJECT

public:
    IntegrityDialog(QString libraryRoot, Library* library, QWidget* parent = nullptr);
    ~IntegrityDialog() override;

    // The window's task store (may stay null): it shares the index file, so a rebuild closes it with the library and
    // reopens it after.
    void setTaskStore(TaskStore* store);
    // Asked before a rebuild: a non-empty answer is the reason to refuse it (shown, nothing done), e.g. while
    // generations run and must write their tasks.
    void setRebuildGuard(std::function<QString()> guard);

    const IntegrityReport& report() const { return m_report; }
    bool isBusy() const { return m_busy; }

    // Checks again; verifyHashes re-reads every file (slow on a large library).
    void recheck(bool verifyHashes);

public Q_SLOTS:
    void reject() override;

Q_SIGNALS:
    // After every check, for the window's IntegrityNotice.
    void reportChanged(const Pixapi::IntegrityReport& report);
    // Rows were removed or added: the window reloads the grid.
    void libraryChanged();
    // The index is about to be replaced: close any other connection to it now (e.g. the board store).
    void rebuildStarting();
    // The index was replaced and the library reopened: the window reloads the grid.
    void libraryRebuilt();
    // A check, repair or rebuild ended (the lists and messages are up to date).
    void idle();

private:
    struct Scan;

    void removeMissing();
    void addUnindexed();
    void confirmRebuild();
    bool rebuildAllowed();
    void rebuild();
    Result<bool, ApiError> reopenTasks();
    void onRebuilt(const Result<int, ApiError>& result);
    void showScan(const Scan& scan);
    void setBusy(const QString& status);
    void setIdle();
    void showMessage(const QString& text);
    void showError(const QString& text);
    void updateButtons();

    QString m_root;
    Library* m_library;
    TaskStore* m_taskStore = nullptr;
    std::function<QString()> m_rebuildGuard;
    bool m_reopenTasks = false; // the rebuild closed the task store
    IntegrityReport m_report;
    bool m_busy = false;
    bool m_lastCheckVerified = false;
    bool m_rebuilding = false;
    QFuture<Result<int, ApiError>> m_rebuild; // waited for on destruction: the library must be reopened

    QLabel* m_summaryLabel;
    QTabWidget* m_tabs;
    QTreeWidget* m_missingList;
    QTreeWidget* m_changedList;
    QTreeWidget* m_unindexedList;
    QLabel* m_statusLabel;
    QProgressBar* m_busyBar;
    QLabel* m_messageLabel;
    QLabel* m_errorLabel;
    QPushButton* m_verifyButton;
    QPushButton* m_removeMissingButton;
    QPushButton* m_addUnindexedButton;
    QPushButton* m_rebuildButton;
    QPushButton* m_closeButton;
};

} // namespace Pixapi
