#include "common/ConnectionIndicator.h"

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
    case AccountSession::State::Ready:
        color = QStringLiteral("#2fb344");
        text = tr("Account: %1").arg(m_client->baseUrl().host());
        tip = tr("Account “%1” on %2").arg(m_session->accountId(), m_client->baseUrl().toDisplayString());
        break;
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
