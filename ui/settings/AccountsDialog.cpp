#include "settings/AccountsDialog.h"

#include "accounts/AccountJob.h"
#include "accounts/AccountRegistry.h"
#include "accounts/ProxySettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Pixapi {

namespace {

constexpr int IdRole = Qt::UserRole;

QPushButton* makeButton(const QString& objectName, const QString& text, QWidget* parent)
{
    auto* button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    button->setAutoDefault(false);
    return button;
}

} // namespace

AccountsDialog::AccountsDialog(AccountRegistry* accounts, ProxySettings* proxy, QWidget* parent)
    : QDialog(parent)
    , m_accounts(accounts)
    , m_proxy(proxy)
    , m_tabs(new QTabWidget(this))
{
    setWindowTitle(tr("Accounts"));
    m_tabs->setObjectName(QStringLiteral("accountsTabs"));
    auto* accountsTab = new QWidget(m_tabs);
    accountsTab->setObjectName(QStringLiteral("accountsTab"));
    buildAccountsTab(accountsTab);
    m_tabs->addTab(accountsTab, tr("&Accounts"));
    if (m_proxy) {
        auto* networkTab = new QWidget(m_tabs);
        networkTab->setObjectName(QStringLiteral("networkTab"));
        buildNetworkTab(networkTab);
        m_tabs->addTab(networkTab, tr("&Network"));
    }

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("accountsDialogButtons"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(buttons);

    connect(m_accounts, &AccountRegistry::accountsChanged, this, &AccountsDialog::refreshList);
    connect(m_accounts, &AccountRegistry::currentChanged, this, &AccountsDialog::refreshList);
    refreshList();
    resize(560, 480);
}

void AccountsDialog::buildAccountsTab(QWidget* tab)
{
    m_list = new QListWidget(tab);
    m_list->setObjectName(QStringLiteral("accountList"));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);

    m_addButton = makeButton(QStringLiteral("addAccountButton"), tr("A&dd…"), tab);
    m_useButton = makeButton(QStringLiteral("useAccountButton"), tr("&Use This Account"), tab);
    m_renameButton = makeButton(QStringLiteral("renameAccountButton"), tr("Re&name…"), tab);
    m_rotateButton = makeButton(QStringLiteral("rotateKeyButton"), tr("Rotate &Key…"), tab);
    m_testButton = makeButton(QStringLiteral("testAccountButton"), tr("&Test Connection"), tab);
    m_revokeButton = makeButton(QStringLiteral("revokeKeyButton"), tr("Re&voke Key"), tab);
    m_removeButton = makeButton(QStringLiteral("removeAccountButton"), tr("&Remove…"), tab);

    auto* buttonColumn = new QVBoxLayout;
    for (QPushButton* button :
         {m_addButton, m_useButton, m_renameButton, m_rotateButton, m_testButton, m_revokeButton, m_removeButton})
        buttonColumn->addWidget(button);
    buttonColumn->addStretch();

    auto* listRow = new QHBoxLayout;
    listRow->addWidget(m_list, 1);
    listRow->addLayout(buttonColumn);

    m_busyBar = new QProgressBar(tab);
    m_busyBar->setObjectName(QStringLiteral("accountBusyIndicator"));
    m_busyBar->setRange(0, 0);
    m_busyBar->setTextVisible(false);
    m_busyBar->hide();

    m_resultLabel = new QLabel(tab);
    m_resultLabel->setObjectName(QStringLiteral("accountResultLabel"));
    m_resultLabel->setWordWrap(true);
    m_resultLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_form = new QGroupBox(tr("New account"), tab);
    m_form->setObjectName(QStringLiteral("accountForm"));
    m_nameEdit = new QLineEdit(m_form);
    m_nameEdit->setObjectName(QStringLiteral("accountNameEdit"));
    m_urlEdit = new QLineEdit(m_form);
    m_urlEdit->setObjectName(QStringLiteral("accountUrlEdit"));
    m_urlEdit->setPlaceholderText(QStringLiteral("https://api.example.com"));
    m_urlProblemLabel = new QLabel(m_form);
    m_urlProblemLabel->setObjectName(QStringLiteral("accountUrlProblemLabel"));
    m_urlProblemLabel->setWordWrap(true);
    m_urlProblemLabel->setStyleSheet(QStringLiteral("color: #e5484d"));
    m_kindCombo = new QComboBox(m_form);
    m_kindCombo->setObjectName(QStringLiteral("accountKindCombo"));
    m_kindCombo->addItem(tr("Pixapi"), int(Account::Kind::Pixapi));
    m_kindCombo->addItem(tr("OpenAI-compatible"), int(Account::Kind::OpenAICompatible));
    m_keyEdit = new QLineEdit(m_form);
    m_keyEdit->setObjectName(QStringLiteral("accountKeyEdit"));
    m_keyEdit->setEchoMode(QLineEdit::Password);
    m_formAddButton = makeButton(QStringLiteral("accountFormAddButton"), tr("Add Account"), m_form);
    m_formCancelButton = makeButton(QStringLiteral("accountFormCancelButton"), tr("Cancel"), m_form);

    auto* formLayout = new QFormLayout(m_form);
    formLayout->addRow(tr("Name:"), m_nameEdit);
    formLayout->addRow(tr("Base URL:"), m_urlEdit);
    formLayout->addRow(QString(), m_urlProblemLabel);
    formLayout->addRow(tr("Kind:"), m_kindCombo);
    formLayout->addRow(tr("API key:"), m_keyEdit);
    auto* formButtons = new QHBoxLayout;
    formButtons->addStretch();
    formButtons->addWidget(m_formCancelButton);
    formButtons->addWidget(m_formAddButton);
    formLayout->addRow(formButtons);
    m_form->hide();

    auto* layout = new QVBoxLayout(tab);
    layout->addLayout(listRow, 1);
    layout->addWidget(m_busyBar);
    layout->addWidget(m_resultLabel);
    layout->addWidget(m_form);

    connect(m_list, &QListWidget::currentRowChanged, this, &AccountsDialog::updateButtons);
    connect(m_list, &QListWidget::itemDoubleClicked, this, [this] {
        if (!m_busy)
            useSelected();
    });
    connect(m_addButton, &QPushButton::clicked, this, &AccountsDialog::showAddForm);
    connect(m_useButton, &QPushButton::clicked, this, &AccountsDialog::useSelected);
    connect(m_renameButton, &QPushButton::clicked, this, &AccountsDialog::renameSelected);
    connect(m_rotateButton, &QPushButton::clicked, this, &AccountsDialog::rotateSelected);
    connect(m_testButton, &QPushButton::clicked, this, &AccountsDialog::testSelected);
    connect(m_revokeButton, &QPushButton::clicked, this, &AccountsDialog::revokeSelected);
    connect(m_removeButton, &QPushButton::clicked, this, &AccountsDialog::removeSelected);
    for (QLineEdit* edit : {m_nameEdit, m_urlEdit, m_keyEdit})
        connect(edit, &QLineEdit::textChanged, this, &AccountsDialog::updateForm);
    connect(m_formAddButton, &QPushButton::clicked, this, &AccountsDialog::addAccount);
    connect(m_formCancelButton, &QPushButton::clicked, m_form, &QWidget::hide);
}

void AccountsDialog::refreshList()
{
    const QString keep = selected() ? selected()->id : QString();
    const std::optional<Account> current = m_accounts->current();
    m_list->clear();
    for (const Account& account : m_accounts->accounts()) {
        const bool isCurrent = current && current->id == account.id;
        const QString kind = account.kind == Account::Kind::Pixapi ? tr("Pixapi") : tr("OpenAI-compatible");
        QString text = tr("%1 — %2 · %3").arg(account.name, account.baseUrl.host(), kind);
        if (!account.keyStored)
            text = tr("%1 · no key").arg(text);
        if (isCurrent)
            text = tr("✓ %1 (in use)").arg(text);
        auto* item = new QListWidgetItem(text, m_list);
        item->setData(IdRole, account.id);
        item->setToolTip(account.baseUrl.toDisplayString());
        if (isCurrent) {
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
        }
        if (account.id == keep || (keep.isEmpty() && isCurrent))
            m_list->setCurrentItem(item);
    }
    updateButtons();
}

std::optional<Account> AccountsDialog::selected() const
{
    const QListWidgetItem* item = m_list->currentItem();
    if (!item)
        return std::nullopt;
    return m_accounts->account(item->data(IdRole).toString());
}

void AccountsDialog::updateButtons()
{
    const std::optional<Account> account = selected();
    const std::optional<Account> current = m_accounts->current();
    const bool has = account.has_value() && !m_busy;
    m_addButton->setEnabled(!m_busy);
    m_useButton->setEnabled(has && (!current || current->id != account->id));
    m_renameButton->setEnabled(has);
    m_rotateButton->setEnabled(has && account->keyStored);
    m_testButton->setEnabled(has && account->keyStored);
    m_revokeButton->setEnabled(has && account->keyStored);
    m_removeButton->setEnabled(has && m_accounts->accounts().size() > 1);
    m_list->setEnabled(!m_busy);
    m_busyBar->setVisible(m_busy);
    updateForm();
}

void AccountsDialog::showResult(const QString& text, bool problem)
{
    m_resultLabel->setStyleSheet(problem ? QStringLiteral("color: #e5484d") : QString());
    m_resultLabel->setText(text);
}

void AccountsDialog::track(AccountJob* job, const std::function<void(const AccountResult&)>& done)
{
    m_busy = true;
    m_resultLabel->clear();
    updateButtons();
    connect(job, &AccountJob::finished, this, [this, done](const AccountResult& result) {
        m_busy = false;
        done(result);
        refreshList();
    });
}

void AccountsDialog::showAddForm()
{
    m_nameEdit->clear();
    m_urlEdit->clear();
    m_keyEdit->clear();
    m_kindCombo->setCurrentIndex(0);
    m_form->show();
    updateForm();
    m_nameEdit->setFocus();
}

void AccountsDialog::updateForm()
{
    const QString url = m_urlEdit->text().trimmed();
    const std::optional<QString> problem =
        url.isEmpty() ? std::nullopt : Account::urlProblem(QUrl(url, QUrl::StrictMode));
    m_urlProblemLabel->setText(problem.value_or(QString()));
    m_urlProblemLabel->setVisible(problem.has_value());
    m_formAddButton->setEnabled(!m_busy && !m_nameEdit->text().trimmed().isEmpty() && !url.isEmpty() && !problem
                                && !m_keyEdit->text().trimmed().isEmpty());
    m_formCancelButton->setEnabled(!m_busy);
}

void AccountsDialog::addAccount()
{
    const auto kind = static_cast<Account::Kind>(m_kindCombo->currentData().toInt());
    const auto added =
        m_accounts->add(m_nameEdit->text().trimmed(), QUrl(m_urlEdit->text().trimmed(), QUrl::StrictMode), kind);
    if (!added) {
        showResult(added.error(), true);
        return;
    }
    const Account account = added.value();
    const QString key = m_keyEdit->text().trimmed();
    m_keyEdit->clear();
    m_form->hide();
    refreshList();
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->data(IdRole).toString() == account.id)
            m_list->setCurrentRow(row);
    }
    track(m_accounts->saveKey(account.id, key), [this, account](const AccountResult& result) {
        if (result.ok())
            showResult(tr("Account “%1” added; its key is in the system keychain.").arg(account.name), false);
        else
            showResult(tr("Account “%1” was added, but its key could not be saved. %2")
                           .arg(account.name, result.userMessage()),
                       true);
    });
}

void AccountsDialog::useSelected()
{
    const std::optional<Account> account = selected();
    if (!account)
        return;
    if (m_accounts->switchTo(account->id))
        showResult(tr("Now using “%1”.").arg(account->name), false);
    refreshList();
}

void AccountsDialog::renameSelected()
{
    const std::optional<Account> account = selected();
    if (!account)
        return;
    auto* input = new QInputDialog(this);
    input->setObjectName(QStringLiteral("renameAccountInput"));
    input->setAttribute(Qt::WA_DeleteOnClose);
    input->setWindowTitle(tr("Rename Account"));
    input->setLabelText(tr("New name for “%1”:").arg(account->name));
    input->setTextValue(account->name);
    const QString id = account->id;
    connect(input, &QInputDialog::textValueSelected, this, [this, id](const QString& name) {
        const auto renamed = m_accounts->rename(id, name.trimmed());
        if (!renamed)
            showResult(renamed.error(), true);
        else
            showResult(tr("Renamed to “%1”.").arg(renamed.value().name), false);
    });
    input->open();
}

void AccountsDialog::rotateSelected()
{
    const std::optional<Account> account = selected();
    if (!account)
        return;
    auto* input = new QInputDialog(this);
    input->setObjectName(QStringLiteral("rotateKeyInput"));
    input->setAttribute(Qt::WA_DeleteOnClose);
    input->setWindowTitle(tr("Rotate Key"));
    input->setLabelText(tr("New API key for “%1”. It is checked with the server first; the old key is deleted only "
                           "when the new one works.")
                            .arg(account->name));
    input->setTextEchoMode(QLineEdit::Password);
    const QString id = account->id;
    const QString name = account->name;
    connect(input, &QInputDialog::textValueSelected, this, [this, id, name](const QString& key) {
        if (key.trimmed().isEmpty())
            return;
        track(m_accounts->rotateKey(id, key.trimmed()), [this, name](const AccountResult& result) {
            if (result.ok()) {
                showResult(tr("The new key of “%1” works and replaced the old one.").arg(name), false);
            } else if (result.status == AccountResult::Status::CheckFailed) {
                showResult(
                    tr("The server did not accept the new key, so the old key was kept. %1").arg(result.userMessage()),
                    true);
            } else {
                showResult(tr("The key could not be rotated. %1").arg(result.userMessage()), true);
            }
        });
    });
    input->open();
}

void AccountsDialog::testSelected()
{
    const std::optional<Account> account = selected();
    if (!account)
        return;
    track(m_accounts->testAccount(account->id), [this](const AccountResult& result) {
        if (result.ok())
            showResult(tr("Connection works: %n model(s) available.", nullptr, int(result.models.size())), false);
        else
            showResult(tr("Connection failed. %1").arg(result.userMessage()), true);
    });
}

void AccountsDialog::revokeSelected()
{
    const std::optional<Account> account = selected();
    if (!account)
        return;
    auto* confirm = new QMessageBox(QMessageBox::Question, tr("Revoke Key"),
                                    tr("Delete the API key of “%1” from the system keychain? The account stays; "
                                       "it needs a new key before it can be used again.")
                                        .arg(account->name),
                                    QMessageBox::Yes | QMessageBox::Cancel, this);
    confirm->setObjectName(QStringLiteral("revokeKeyConfirmation"));
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    confirm->setDefaultButton(QMessageBox::Cancel);
    const QString id = account->id;
    connect(confirm, &QMessageBox::finished, this, [this, id, confirm] {
        if (confirm->standardButton(confirm->clickedButton()) != QMessageBox::Yes)
            return;
        track(m_accounts->revokeKey(id), [this](const AccountResult& result) {
            if (result.ok())
                showResult(tr("The key was deleted from the system keychain."), false);
            else
                showResult(tr("The key could not be deleted. %1").arg(result.userMessage()), true);
        });
    });
    confirm->open();
}

void AccountsDialog::removeSelected()
{
    const std::optional<Account> account = selected();
    if (!account)
        return;
    auto* confirm = new QMessageBox(
        QMessageBox::Warning, tr("Remove Account"),
        tr("Remove the account “%1” and delete its API key from the system keychain?").arg(account->name),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    confirm->setObjectName(QStringLiteral("removeAccountConfirmation"));
    confirm->setAttribute(Qt::WA_DeleteOnClose);
    confirm->setDefaultButton(QMessageBox::Cancel);
    const QString id = account->id;
    const QString name = account->name;
    connect(confirm, &QMessageBox::finished, this, [this, id, name, confirm] {
        if (confirm->standardButton(confirm->clickedButton()) != QMessageBox::Yes)
            return;
        track(m_accounts->remove(id), [this, name](const AccountResult& result) {
            if (result.ok())
                showResult(tr("The account “%1” and its key were removed.").arg(name), false);
            else
                showResult(tr("The account could not be removed. %1").arg(result.userMessage()), true);
        });
    });
    confirm->open();
}

void AccountsDialog::buildNetworkTab(QWidget* tab)
{
    m_proxySystem = new QRadioButton(tr("Use the &system proxy settings"), tab);
    m_proxySystem->setObjectName(QStringLiteral("proxySystemRadio"));
    m_proxyNone = new QRadioButton(tr("&No proxy"), tab);
    m_proxyNone->setObjectName(QStringLiteral("proxyNoneRadio"));
    m_proxyManual = new QRadioButton(tr("&Manual proxy:"), tab);
    m_proxyManual->setObjectName(QStringLiteral("proxyManualRadio"));

    m_proxyType = new QComboBox(tab);
    m_proxyType->setObjectName(QStringLiteral("proxyTypeCombo"));
    m_proxyType->addItem(tr("HTTP"), int(ProxyConfig::Type::Http));
    m_proxyType->addItem(tr("SOCKS5"), int(ProxyConfig::Type::Socks5));
    m_proxyHost = new QLineEdit(tab);
    m_proxyHost->setObjectName(QStringLiteral("proxyHostEdit"));
    m_proxyPort = new QSpinBox(tab);
    m_proxyPort->setObjectName(QStringLiteral("proxyPortSpin"));
    m_proxyPort->setRange(1, 65535);
    m_proxyUser = new QLineEdit(tab);
    m_proxyUser->setObjectName(QStringLiteral("proxyUserEdit"));
    m_proxyUser->setPlaceholderText(tr("Optional"));
    m_proxyPassword = new QLineEdit(tab);
    m_proxyPassword->setObjectName(QStringLiteral("proxyPasswordEdit"));
    m_proxyPassword->setEchoMode(QLineEdit::Password);
    m_proxyPassword->setPlaceholderText(tr("Leave empty to keep the stored password"));
    m_proxyClearPassword = new QCheckBox(tr("&Forget the stored password"), tab);
    m_proxyClearPassword->setObjectName(QStringLiteral("proxyClearPasswordCheck"));
    m_proxySaveButton = makeButton(QStringLiteral("proxySaveButton"), tr("&Save Network Settings"), tab);
    m_proxyStatusLabel = new QLabel(tab);
    m_proxyStatusLabel->setObjectName(QStringLiteral("proxyStatusLabel"));
    m_proxyStatusLabel->setWordWrap(true);

    auto* manual = new QFormLayout;
    manual->addRow(tr("Type:"), m_proxyType);
    manual->addRow(tr("Host:"), m_proxyHost);
    manual->addRow(tr("Port:"), m_proxyPort);
    manual->addRow(tr("User:"), m_proxyUser);
    manual->addRow(tr("Password:"), m_proxyPassword);
    manual->addRow(QString(), m_proxyClearPassword);
    manual->setContentsMargins(24, 0, 0, 0);

    auto* layout = new QVBoxLayout(tab);
    layout->addWidget(m_proxySystem);
    layout->addWidget(m_proxyNone);
    layout->addWidget(m_proxyManual);
    layout->addLayout(manual);
    layout->addWidget(m_proxyStatusLabel);
    layout->addStretch();
    auto* saveRow = new QHBoxLayout;
    saveRow->addStretch();
    saveRow->addWidget(m_proxySaveButton);
    layout->addLayout(saveRow);

    for (QRadioButton* radio : {m_proxySystem, m_proxyNone, m_proxyManual})
        connect(radio, &QRadioButton::toggled, this, &AccountsDialog::updateProxyForm);
    connect(m_proxyHost, &QLineEdit::textChanged, this, &AccountsDialog::updateProxyForm);
    connect(m_proxyUser, &QLineEdit::textChanged, this, &AccountsDialog::updateProxyForm);
    connect(m_proxyClearPassword, &QCheckBox::toggled, this, &AccountsDialog::updateProxyForm);
    connect(m_proxySaveButton, &QPushButton::clicked, this, &AccountsDialog::saveProxy);
    loadProxy();
}

void AccountsDialog::loadProxy()
{
    const ProxyConfig config = m_proxy->config();
    switch (config.mode) {
    case ProxyConfig::Mode::System:
        m_proxySystem->setChecked(true);
        break;
    case ProxyConfig::Mode::None:
        m_proxyNone->setChecked(true);
        break;
    case ProxyConfig::Mode::Manual:
        m_proxyManual->setChecked(true);
        break;
    }
    m_proxyType->setCurrentIndex(m_proxyType->findData(int(config.type)));
    m_proxyHost->setText(config.host);
    m_proxyPort->setValue(config.port);
    m_proxyUser->setText(config.user);
    m_proxyPassword->clear();
    m_proxyClearPassword->setChecked(false);
    updateProxyForm();
}

void AccountsDialog::updateProxyForm()
{
    const bool manual = m_proxyManual->isChecked();
    for (QWidget* field : {static_cast<QWidget*>(m_proxyType), static_cast<QWidget*>(m_proxyHost),
                           static_cast<QWidget*>(m_proxyPort), static_cast<QWidget*>(m_proxyUser)})
        field->setEnabled(manual && !m_busy);
    const bool hasUser = manual && !m_proxyUser->text().trimmed().isEmpty();
    m_proxyClearPassword->setEnabled(hasUser && !m_busy);
    m_proxyPassword->setEnabled(hasUser && !m_proxyClearPassword->isChecked() && !m_busy);
    m_proxySaveButton->setEnabled(!m_busy);
}

void AccountsDialog::saveProxy()
{
    ProxyConfig config;
    config.mode = m_proxyManual->isChecked() ? ProxyConfig::Mode::Manual
                  : m_proxyNone->isChecked() ? ProxyConfig::Mode::None
                                             : ProxyConfig::Mode::System;
    config.type = static_cast<ProxyConfig::Type>(m_proxyType->currentData().toInt());
    config.host = m_proxyHost->text().trimmed();
    config.port = m_proxyPort->value();
    config.user = m_proxyUser->text().trimmed();
    std::optional<QString> password; // none: keep the stored one
    if (m_proxyClearPassword->isChecked())
        password = QString(); // empty: delete it
    else if (!m_proxyPassword->text().isEmpty())
        password = m_proxyPassword->text();
    m_proxyPassword->clear();

    m_busy = true;
    m_proxyStatusLabel->clear();
    updateProxyForm();
    updateButtons();
    connect(m_proxy->save(config, password), &AccountJob::finished, this, [this](const AccountResult& result) {
        m_busy = false;
        if (result.ok()) {
            m_proxyStatusLabel->setStyleSheet(QString());
            m_proxyStatusLabel->setText(tr("Network settings saved and in use."));
            loadProxy();
        } else {
            m_proxyStatusLabel->setStyleSheet(QStringLiteral("color: #e5484d"));
            m_proxyStatusLabel->setText(tr("The network settings were not saved. %1").arg(result.userMessage()));
            updateProxyForm();
        }
        updateButtons();
    });
}

} // namespace Pixapi
