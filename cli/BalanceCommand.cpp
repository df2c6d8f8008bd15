#include "BalanceCommand.h"

#include "CliConsole.h"
#include "api/PixapiClient.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace Pixapi {

BalanceCommand::BalanceCommand(PixapiClient* client, bool json, CliConsole* console, QObject* parent)
    : CliCommand(parent)
    , m_client(client)
    , m_json(json)
    , m_console(console)
{ }

void BalanceCommand::start()
{
    BalanceJob* job = m_client->fetchBalance();
    m_job = job;
    connect(job, &ApiJob::finished, this, [this, job] {
        if (isDone())
            return;
        const auto& result = job->result();
        if (!result.ok()) {
            const ApiError& error = result.error();
            if (error.kind == ApiError::Kind::Cancelled) {
                m_console->printNotice(QCoreApplication::translate("pixapi-cli", "cancelled"));
                finish(ExitCode::Cancelled);
                return;
            }
            if (error.httpStatus == 404 || error.httpStatus == 405)
                m_console->printError(
                    QCoreApplication::translate("pixapi-cli", "this server does not offer a balance endpoint"));
            else
                m_console->printApiError(error);
            finish(ExitCode::Failed);
            return;
        }
        const Balance& balance = result.value();
        const QString currency =
            balance.currency.isEmpty() ? QCoreApplication::translate("pixapi-cli", "credits") : balance.currency;
        if (m_json) {
            const QJsonObject object {{QStringLiteral("credits"), balance.credits},
                                      {QStringLiteral("currency"), currency}};
            m_console->printLine(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
        } else {
            m_console->printLine(QString::number(balance.credits, 'g', 15) + QLatin1Char(' ') + currency);
        }
        finish(ExitCode::Ok);
    });
}

void BalanceCommand::cancel()
{
    if (m_job)
        m_job->cancel(); // finishes the job with Cancelled, reported above
    else
        finish(ExitCode::Cancelled);
}

} // namespace Pixapi
