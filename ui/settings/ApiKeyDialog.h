#pragma once

#include <QDialog>
#include <QUrl>

#include <memory>

namespace Ui {
class ApiKeyDialog;
}

namespace Pixapi {

class AccountSession;
struct KeyResult;

// "Enter your Pixapi API key": test the key, save it to the keychain, or try the app with the sandbox.
// Shows why when the keychain is locked or unavailable, and never offers to store the key anywhere else.
class ApiKeyDialog : public QDialog
{
    Q_OBJECT

public:
    enum class Choice {
        None,     // closed without a decision
        KeyReady, // a key was saved, or the keychain answered after a retry: the session is Ready
        Sandbox,  // the user wants to try the sandbox (the caller starts it)
    };

    // `baseUrl` is the server "Test connection" talks to.
    ApiKeyDialog(AccountSession* session, QUrl baseUrl, QWidget* parent = nullptr);
    ~ApiKeyDialog() override;

    Choice choice() const { return m_choice; }

private:
    void updateButtons();
    void updateProblem();
    void showProblem(const QString& text);
    void testConnection();
    void save();
    void onKeySaved(const KeyResult& result);
    void finishWith(Choice choice);

    std::unique_ptr<Ui::ApiKeyDialog> m_ui;
    AccountSession* m_session;
    QUrl m_baseUrl;
    Choice m_choice = Choice::None;
    bool m_testing = false;
    bool m_saving = false;
};

} // namespace Pixapi
