#pragma once

#include "AppServices.h"
#include "accounts/AccountSession.h"

#include <QList>
#include <QMainWindow>
#include <QPointer>

#include <memory>

namespace Ui {
class MainWindow;
}

namespace Pixapi {

class ApiKeyDialog;
class ConnectionIndicator;
class GalleryModel;
class GenerationJob;
class PromptPanel;
struct ApiError;
struct GenerationOutcome;

// The studio window: the prompt panel on the left, this session's results as a grid on the right.
// Every request runs asynchronously; several generations may run at once.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(AppServices services, QWidget* parent = nullptr);
    ~MainWindow() override;

    GalleryModel* galleryModel() const { return m_gallery; }
    int runningGenerations() const { return int(m_jobs.size()); }

    void generate();
    void cancelGenerations();
    void refreshModels();
    void showApiKeyDialog();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void onSessionStateChanged(AccountSession::State state);
    void onGenerationFinished(GenerationJob* job, const GenerationOutcome& outcome);
    void onModelsFailed(const ApiError& error);
    void onKeyDialogFinished(ApiKeyDialog* dialog);
    void updateActivity();
    void updateResultsCount();
    void openResult(const QModelIndex& index);
    void openLibraryFolder();
    void showError(const QString& message);
    void restoreWindowState();
    void saveWindowState();

    std::unique_ptr<Ui::MainWindow> m_ui;
    AppServices m_services;
    PromptPanel* m_prompt;
    GalleryModel* m_gallery;
    ConnectionIndicator* m_indicator;
    QList<GenerationJob*> m_jobs;
    QPointer<ApiKeyDialog> m_keyDialog;
    bool m_firstRunHandled = false;
};

} // namespace Pixapi
