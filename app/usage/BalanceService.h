#pragma once

#include "api/ApiError.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

namespace Pixapi {

class ApiJob;
class PixapiClient;
class Settings;
class UsageLedger;

// The credit balance of the current account. Pixapi documents no balance endpoint (contract §7), so the service
// keeps the last balance it knows per account, fetched (GET /v1/balance, which the sandbox offers) or entered by the
// user from the dashboard, in Settings::Key::UsageKnownBalances, with what the ledger recorded as spent since then.
class BalanceService : public QObject
{
    Q_OBJECT

public:
    struct BalanceState
    {
        enum class Source { Unknown, Fetched, Entered };
        Source source = Source::Unknown;
        std::optional<double> credits; // the last known balance
        QDateTime at;                  // UTC: when it was fetched or entered
        // Nothing until a refresh got an answer for this account: true when the server gave a balance, false when
        // it has no balance endpoint.
        std::optional<bool> serverOffersBalance;
        double spentSinceKnown = 0; // the ledger's spend of this account since `at`

        // The last known balance less what was spent since: the best guess of the balance now.
        std::optional<double> estimatedNow() const
        {
            return credits ? std::optional(*credits - spentSinceKnown) : std::nullopt;
        }
    };

    // `ledger` may be null (then nothing is counted as spent since); it must outlive the service.
    BalanceService(PixapiClient* client, Settings* settings, const UsageLedger* ledger, QObject* parent = nullptr);

    // The account whose balance is shown: the one the client's key belongs to ("" for the sandbox).
    void setAccountId(const QString& accountId);
    QString accountId() const { return m_accountId; }
    BalanceState state() const;

    // Asks the server (a GET: retried by the client when transient, never a POST). One question at a time: a call
    // while one is in flight does nothing. A failure keeps the last known balance.
    void refresh();
    bool isRefreshing() const { return !m_job.isNull(); }
    // A balance the user read on the dashboard, as of now.
    void setEnteredBalance(double credits);

    // 404 / 405: the server has no balance endpoint (Pixapi documents none; OpenAI-compatible servers neither).
    static bool meansNoBalanceEndpoint(const ApiError& error);

Q_SIGNALS:
    // The state changed: a new known balance, the server's answer about its endpoint, or another account.
    void balanceChanged();
    // A refresh failed for another reason than a missing endpoint; the last known balance stays.
    void refreshFailed(const Pixapi::ApiError& error);

private:
    void remember(const QString& accountId, double credits, BalanceState::Source source);

    PixapiClient* m_client;
    Settings* m_settings;
    const UsageLedger* m_ledger;
    QString m_accountId;
    QPointer<ApiJob> m_job;
    QHash<QString, bool> m_serverOffersBalance; // per account, from this run's answers
};

} // namespace Pixapi
