#include "usage/BalanceService.h"

#include "api/PixapiClient.h"
#include "settings/Settings.h"
#include "support/Logging.h"
#include "usage/UsageLedger.h"

#include <QVariantMap>

namespace Pixapi {

namespace {

const QString kCredits = QStringLiteral("credits");
const QString kAt = QStringLiteral("at");
const QString kSource = QStringLiteral("source");
const QString kFetched = QStringLiteral("fetched");
const QString kEntered = QStringLiteral("entered");

} // namespace

BalanceService::BalanceService(PixapiClient* client, Settings* settings, const UsageLedger* ledger, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_settings(settings)
    , m_ledger(ledger)
{ }

void BalanceService::setAccountId(const QString& accountId)
{
    if (accountId == m_accountId)
        return;
    m_accountId = accountId;
    Q_EMIT balanceChanged();
}

BalanceService::BalanceState BalanceService::state() const
{
    BalanceState state;
    if (const auto offers = m_serverOffersBalance.constFind(m_accountId); offers != m_serverOffersBalance.cend())
        state.serverOffersBalance = *offers;
    const QVariantMap known = m_settings->value(Settings::Key::UsageKnownBalances).toMap().value(m_accountId).toMap();
    const QString source = known.value(kSource).toString();
    const QDateTime at = QDateTime::fromString(known.value(kAt).toString(), Qt::ISODateWithMs);
    bool isNumber = false;
    const double credits = known.value(kCredits).toDouble(&isNumber);
    if (!isNumber || !at.isValid() || (source != kFetched && source != kEntered))
        return state; // nothing known (or an entry this version cannot read)
    state.source = source == kFetched ? BalanceState::Source::Fetched : BalanceState::Source::Entered;
    state.credits = credits;
    state.at = at.toUTC();
    if (m_ledger)
        state.spentSinceKnown = m_ledger->spentSince(m_accountId, state.at);
    return state;
}

void BalanceService::refresh()
{
    if (m_job)
        return;
    BalanceJob* job = m_client->fetchBalance();
    m_job = job;
    // The answer belongs to the account asked about, even if the user switched meanwhile.
    connect(job, &ApiJob::finished, this, [this, job, accountId = m_accountId] {
        m_job.clear(); // the job deletes itself later; a refresh asked from a slot below must not be dropped
        const BalanceJob::ResultType& result = job->result();
        if (result.ok()) {
            m_serverOffersBalance.insert(accountId, true);
            remember(accountId, result.value().credits, BalanceState::Source::Fetched);
            return;
        }
        const ApiError& error = result.error();
        if (meansNoBalanceEndpoint(error)) {
            m_serverOffersBalance.insert(accountId, false);
            Q_EMIT balanceChanged();
            return;
        }
        qCInfo(lcApi) << "balance refresh failed:" << ApiError::kindName(error.kind);
        Q_EMIT refreshFailed(error);
    });
}

void BalanceService::setEnteredBalance(double credits)
{
    remember(m_accountId, credits, BalanceState::Source::Entered);
}

bool BalanceService::meansNoBalanceEndpoint(const ApiError& error)
{
    return error.httpStatus == 404 || error.httpStatus == 405;
}

void BalanceService::remember(const QString& accountId, double credits, BalanceState::Source source)
{
    QVariantMap balances = m_settings->value(Settings::Key::UsageKnownBalances).toMap();
    balances.insert(accountId, QVariantMap {{kCredits, credits},
                                            {kAt, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
                                            {kSource, source == BalanceState::Source::Fetched ? kFetched : kEntered}});
    m_settings->setValue(Settings::Key::UsageKnownBalances, balances);
    Q_EMIT balanceChanged();
}

} // namespace Pixapi
