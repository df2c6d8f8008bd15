#include "settings/ApiKeyDialog.h"

#include "ui_ApiKeyDialog.h"

#include "accounts/AccountSession.h"

namespace Pixapi {

ApiKeyDialog::ApiKeyDialog(AccountSession* session, QUrl baseUrl, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ApiKeyDialog>())
    , m_session(session)
    , m_baseUrl(std::move(baseUrl))
{
    m_ui->setupUi(this);
    m_ui->testResultLabel->clear();
    connect(m_ui->keyEdit, &QLineEdit::textChanged, this, [this] {
        m_ui->testResultLabel->clear();
        updateButtons();
    });
    connect(m_ui->showKeyCheckBox, &QCheckBox::toggled, this,
            [this](bool show) { m_ui->keyEdit->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password); });
    connect(m_ui->testButton, &QPushButton::clicked, this, &ApiKeyDialog::testConnection);
    connect(m_ui->saveButton, &QPushButton::clicked, this, &ApiKeyDialog::save);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_ui->sandboxButton, &QPushButton::clicked, this, [this] { finishWith(Choice::Sandbox); });
    connect(m_ui->retryKeychainButton, &QPushButton::clicked, m_session, &AccountSession::start);
    connect(m_session, &AccountSession::keySaved, this, &ApiKeyDialog::onKeySaved);
    connect(m_session, &AccountSession::stateChanged, this, [this](AccountSession::State state) {
        if (state == AccountSession::State::Ready && !m_saving) {
            finishWith(Choice::KeyReady); // the retry found the key
            return;
        }
        updateProblem();
        updateButtons();
    });
    updateProblem();
    updateButtons();
    m_ui->keyEdit->setFocus();
}

ApiKeyDialog::~ApiKeyDialog() = default;

void ApiKeyDialog::updateButtons()
{
    const bool hasKey = !m_ui->keyEdit->text().trimmed().isEmpty();
    m_ui->testButton->setEnabled(hasKey && !m_testing && !m_saving);
    m_ui->saveButton->setEnabled(hasKey && !m_saving);
    m_ui->keyEdit->setReadOnly(m_saving);
    m_ui->retryKeychainButton->setEnabled(m_session->state() != AccountSession::State::Loading && !m_saving);
}

void ApiKeyDialog::updateProblem()
{
    const auto& problem = m_session->keychainProblem();
    if (m_session->state() != AccountSession::State::KeychainProblem || !problem) {
        if (!m_ui->keychainProblemFrame->isHidden()) {
            m_ui->keychainProblemFrame->hide();
            adjustSize();
        }
        return;
    }
    const QString explanation =
        m_session->keyProbablyLocked()
            ? tr(
                "A key was saved for this account, but the system keychain did not return it. The keychain is probably "
                "locked: unlock it (for example in your desktop's password manager), then try again.")
            : tr("The system keychain cannot be used right now, so no key can be read or stored. On Linux, Pixapi "
                 "Studio "
                 "needs a Secret Service such as GNOME Keyring or KWallet, reachable over D-Bus.");
    showProblem(explanation + QStringLiteral("\n\n") + problem->userMessage());
    m_ui->retryKeychainButton->show();
}

void ApiKeyDialog::showProblem(const QString& text)
{
    m_ui->keychainProblemLabel->setText(text);
    m_ui->retryKeychainButton->setVisible(m_session->state() == AccountSession::State::KeychainProblem);
    m_ui->keychainProblemFrame->show();
    adjustSize(); // grow to fit the wrapped explanation
}

void ApiKeyDialog::testConnection()
{
    m_testing = true;
    updateButtons();
    m_ui->testResultLabel->setText(tr("Testing…"));
    ModelsJob* job = m_session->testConnection(m_baseUrl, m_ui->keyEdit->text().trimmed());
    connect(job, &ApiJob::finished, this, [this, job] {
        m_testing = false;
        const auto& result = job->result();
        if (result.ok()) {
            m_ui->testResultLabel->setText(
                tr("Connected: %n model(s) available.", nullptr, int(result.value().size())));
        } else {
            m_ui->testResultLabel->setText(result.error().userMessage());
        }
        updateButtons();
    });
}

void ApiKeyDialog::save()
{
    m_saving = true;
    m_ui->testResultLabel->setText(tr("Saving the key to the system keychain…"));
    updateButtons();
    m_session->saveKey(m_ui->keyEdit->text());
}

void ApiKeyDialog::onKeySaved(const KeyResult& result)
{
    if (!m_saving)
        return;
    m_saving = false;
    if (result.ok()) {
        m_ui->keyEdit->clear();
        finishWith(Choice::KeyReady);
        return;
    }
    m_ui->testResultLabel->clear();
    showProblem(tr("The key could not be saved to the system keychain, and Pixapi Studio never stores it in a "
                   "file.")
                + QStringLiteral("\n\n") + result.userMessage());
    updateButtons();
}

void ApiKeyDialog::finishWith(Choice choice)
{
    m_choice = choice;
    accept();
}

} // namespace Pixapi
