#pragma once

#include "accounts/Account.h"

#include <QDialog>

#include <functional>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QCheckBox;
class QGroupBox;
class QTabWidget;

namespace Pixapi {

class AccountJob;
class AccountRegistry;
class ProxySettings;
struct AccountResult;

// Settings → Accounts…: the server profiles (add, switch, rename, rotate or revoke the key, test, remove) and, when a
// ProxySettings is given, how requests reach the servers (system proxy, none, manual HTTP/SOCKS5). Only displays and
// forwards: every change goes through AccountRegistry or ProxySettings; keys go to the keychain only.
class AccountsDialog : public QDialog
{
    Q_OBJECT

public:
    // `proxy` may be null: the Network tab is then left out.
    AccountsDialog(AccountRegistry* accounts, ProxySettings* proxy, QWidget* parent = nullptr);

private:
    void buildAccountsTab(QWidget* tab);
    void buildNetworkTab(QWidget* tab);
    void refreshList();
    void updateButtons();
    std::optional<Account> selected() const;
    void showResult(const QString& text, bool problem);
    // Runs `job` with the buttons disabled; `done` gets its one result.
    void track(AccountJob* job, const std::function<void(const AccountResult&)>& done);

    void showAddForm();
    void updateForm();
    void addAccount();
    void useSelected();
    void renameSelected();
    void rotateSelected();
    void testSelected();
    void revokeSelected();
    void removeSelected();

    void loadProxy();
    void updateProxyForm();
    void saveProxy();

    AccountRegistry* m_accounts;
    ProxySettings* m_proxy;
    bool m_busy = false;

    QTabWidget* m_tabs;
    QListWidget* m_list;
    QPushButton* m_addButton;
    QPushButton* m_useButton;
    QPushButton* m_renameButton;
    QPushButton* m_rotateButton;
    QPushButton* m_testButton;
    QPushButton* m_revokeButton;
    QPushButton* m_removeButton;
    QProgressBar* m_busyBar;
    QLabel* m_resultLabel;

    QGroupBox* m_form;
    QLineEdit* m_nameEdit;
    QLineEdit* m_urlEdit;
    QLabel* m_urlProblemLabel;
    QComboBox* m_kindCombo;
    QLineEdit* m_keyEdit;
    QPushButton* m_formAddButton;
    QPushButton* m_formCancelButton;

    QRadioButton* m_proxySystem = nullptr;
    QRadioButton* m_proxyNone = nullptr;
    QRadioButton* m_proxyManual = nullptr;
    QComboBox* m_proxyType = nullptr;
    QLineEdit* m_proxyHost = nullptr;
    QSpinBox* m_proxyPort = nullptr;
    QLineEdit* m_proxyUser = nullptr;
    QLineEdit* m_proxyPassword = nullptr;
    QCheckBox* m_proxyClearPassword = nullptr;
    QPushButton* m_proxySaveButton = nullptr;
    QLabel* m_proxyStatusLabel = nullptr;
};

} // namespace Pixapi
