#include "common/ConnectionIndicator.h"

#include "accounts/AccountRegistry.h"
#include "accounts/AccountSession.h"
#include "api/PixapiClient.h"

#include <QMouseEvent>

namespace Pixapi {

ConnectionIndicator::ConnectionIndicator(AccountSession* session, PixapiClient* client, QWidget* parent)
    : QLabel(parent)
    , m_session(session)
    , m_client(client)
{
    setObjectName(QStringLiteral("connectionIndicator"));
    setTextFormat(Qt::RichText);
    setCursor(Qt::PointingHandCursor);
    setContentsMargins(8, 0, 8, 0);
    connect(session, &AccountSession::stateChanged, this, &ConnectionIndicator::refresh);
    // A renamed account shows its new name at once.
    connect(session->accounts(), &AccountRegistry::accountsChanged, this, &ConnectionIndicator::refresh);
    refresh();
}

void ConnectionIndicator::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        Q_EMIT clicked();
    QLabel::mouseReleaseEvent(event);
}

void ConnectionIndicator::refresh()
{
    QString color;
    QString text;
    QString tip;
    switch (m_session->state()) {
    case AccountSession::State::Loading:
        color = QStringLiteral("#9aa0a6");
        text = tr("Reading keychain…");
        break;
    case AccountSession::State::Ready: {
        color = QStringLiteral("#2fb344");
        const std::optional<Account> account = m_session->accounts()->current();
        const QString name = account ? account->name : m_client->baseUrl().host();
        text = tr("Account: %1").arg(name);
        tip = tr("Account “%1” on %2").arg(name, m_client->baseUrl().toDisplayString());
        break;
    }
    case AccountSession::State::NoKey:
        color = QStringLiteral("#9aa0a6");
        text = tr("No API key");
        tip = tr("Click to enter your Pixapi API key or to try the sandbox.");
        break;
    case AccountSession::State::KeychainProblem:
        color = QStringLiteral("#e5484d");
        text = m_session->keyProbablyLocked() ? tr("Keychain locked?") : tr("Keychain unavailable");
        tip = m_session->keychainProblem() ? m_session->keychainProblem()->userMessage() : QString();
        break;
    case AccountSession::State::Sandbox:
        color = QStringLiteral("#f5a524");
        text = tr("Sandbox");
        tip = tr("Using the built-in sandbox server: generated test images, no account, no costs.");
        break;
    }
    setText(QStringLiteral("<span style=\"color:%1\">●</span>&nbsp;%2").arg(color, text.toHtmlEscaped()));
    setToolTip(tip);
}

} // namespace Pixapi
