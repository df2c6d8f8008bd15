#pragma once

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

namespace Pixapi {

// One charge of the sandbox account: tests check that a request was paid for exactly once.
struct SandboxCharge
{
    QString model;
    QString prompt;
    double credits = 0;
};

// The sandbox account: a credit balance and what each model has been charged. Thread-safe, because tests set
// the balance of a server running on another thread.
class SandboxLedger
{
public:
    static constexpr double DefaultBalance = 1000;

    void setBalance(double credits);
    double balance() const;
    double charged(const QString& modelId) const;

    QList<SandboxCharge> charges() const; // oldest first
    // Deducts `cost` and books it to the model if the balance covers it; otherwise changes nothing.
    bool charge(const QString& modelId, double cost, const QString& prompt = {});

private:
    mutable QMutex m_mutex;
    double m_balance = DefaultBalance;
    QHash<QString, double> m_charged;
    QList<SandboxCharge> m_charges;
};

} // namespace Pixapi
