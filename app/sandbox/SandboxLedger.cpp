#include "sandbox/SandboxLedger.h"

namespace Pixapi {

void SandboxLedger::setBalance(double credits)
{
    const QMutexLocker lock(&m_mutex);
    m_balance = credits;
}

double SandboxLedger::balance() const
{
    const QMutexLocker lock(&m_mutex);
    return m_balance;
}

double SandboxLedger::charged(const QString& modelId) const
{
    const QMutexLocker lock(&m_mutex);
    return m_charged.value(modelId);
}

QList<SandboxCharge> SandboxLedger::charges() const
{
    const QMutexLocker lock(&m_mutex);
    return m_charges;
}

bool SandboxLedger::charge(const QString& modelId, double cost, const QString& prompt)
{
    const QMutexLocker lock(&m_mutex);
    if (cost > m_balance)
        return false;
    m_balance -= cost;
    m_charged[modelId] += cost;
    m_charges.append({modelId, prompt, cost});
    return true;
}

} // namespace Pixapi
