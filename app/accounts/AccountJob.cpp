#include "accounts/AccountJob.h"

#include <QMetaEnum>
#include <QTimer>

namespace Pixapi {

QString AccountResult::userMessage() const
{
    if (!problem.isEmpty())
        return problem;
    switch (status) {
    case Status::Ok:
        return {};
    case Status::UnknownAccount:
        return tr("This account no longer exists.");
    case Status::LastAccount:
        return tr("The last account cannot be removed. Add another account first.");
    case Status::Invalid:
        return {}; // always comes with a problem
    case Status::CheckFailed:
        return apiError ? apiError->userMessage() : QString();
    case Status::KeychainProblem:
        return keychain ? keychain->userMessage() : QString();
    }
    return {};
}

QLatin1String AccountResult::statusName(Status status)
{
    return QLatin1String(QMetaEnum::fromType<Status>().valueToKey(static_cast<int>(status)));
}

void AccountJob::finish(const AccountResult& result)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(result);
    deleteLater();
}

void AccountJob::finishLater(const AccountResult& result)
{
    QTimer::singleShot(0, this, [this, result] { finish(result); });
}

} // namespace Pixapi
