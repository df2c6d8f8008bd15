#pragma once

#include <QLabel>

namespace Pixapi {

class AccountSession;
class PixapiClient;

// The status bar badge saying what the app talks to: the account's server, the sandbox, or why it cannot.
class ConnectionIndicator : public QLabel
{
    Q_OBJECT

public:
    ConnectionIndicator(AccountSession* session, PixapiClient* client, QWidget* parent = nullptr);

Q_SIGNALS:
    void clicked();

protected:
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    void refresh();

    AccountSession* m_session;
    PixapiClient* m_client;
};

} // namespace Pixapi
