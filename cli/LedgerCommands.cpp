#include "LedgerCommands.h"

#include "CliConsole.h"
#include "catalog/CostEstimate.h"
#include "support/WhenFinished.h"
#include "usage/UsageLedger.h"
#include "usage/UsageTotals.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cstdio>

namespace Pixapi {

namespace {

QJsonValue momentJson(const QDateTime& moment)
{
    return moment.isValid() ? QJsonValue(moment.toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

QString numberText(double value)
{
    return QString::number(value, 'f', 2).remove(QRegularExpression(QStringLiteral("\\.?0+$")));
}

void printTotals(const UsageTotals& totals, CliConsole* console)
{
    const auto row = [](const QString& requests, const QString& failures, const QString& images, const QString& credits,
                        const QString& model) -> QString {
        return requests.rightJustified(9) + failures.rightJustified(9) + images.rightJustified(8)
               + credits.rightJustified(10) + QStringLiteral("  ") + model;
    };
    console->printLine(
        row(QCoreApplication::translate("pixapi-cli", "requests"), QCoreApplication::translate("pixapi-cli", "failed"),
            QCoreApplication::translate("pixapi-cli", "images"), QCoreApplication::translate("pixapi-cli", "credits"),
            QCoreApplication::translate("pixapi-cli", "model")));
    for (const UsageTotals::Model& model : totals.perModel)
        console->printLine(row(QString::number(model.requests), QString::number(model.failures),
                               QString::number(model.images), numberText(model.credits), model.model));
    console->printLine(row(QString::number(totals.requests), QString::number(totals.failures),
                           QString::number(totals.images), numberText(totals.credits),
                           QCoreApplication::translate("pixapi-cli", "total")));
    if (totals.estimated > 0)
        console->printNotice(QCoreApplication::translate("pixapi-cli", "%1 of the credits are catalog estimates (the "
                                                                       "server reported no cost)")
                                 .arg(CostEstimate::creditsText(totals.estimated)));
    if (totals.unpriced > 0)
        console->printNotice(QCoreApplication::translate(
            "pixapi-cli", "%n request(s) of unknown price are not in the credits", nullptr, totals.unpriced));
    if (totals.mayHaveBeenCharged > 0)
        console->printNotice(QCoreApplication::translate(
            "pixapi-cli", "%n failed request(s) may have been charged anyway", nullptr, totals.mayHaveBeenCharged));
}

QJsonObject totalsJson(const UsageTotals& totals, const CliOptions& options)
{
    QJsonArray models;
    for (const UsageTotals::Model& model : totals.perModel)
        models.append(QJsonObject {{QStringLiteral("model"), model.model},
                                   {QStringLiteral("requests"), model.requests},
                                   {QStringLiteral("failures"), model.failures},
                                   {QStringLiteral("images"), model.images},
                                   {QStringLiteral("credits"), model.credits}});
    return {{QStringLiteral("since"), momentJson(options.since)},
            {QStringLiteral("until"), momentJson(options.until)},
            {QStringLiteral("requests"), totals.requests},
            {QStringLiteral("failures"), totals.failures},
            {QStringLiteral("may_have_been_charged"), totals.mayHaveBeenCharged},
            {QStringLiteral("unpriced"), totals.unpriced},
            {QStringLiteral("images"), totals.images},
            {QStringLiteral("credits"), totals.credits},
            {QStringLiteral("estimated_credits"), totals.estimated},
            {QStringLiteral("models"), models}};
}

} // namespace

UsageQuery ledgerQuery(const CliOptions& options)
{
    UsageQuery query;
    if (!options.account.isEmpty())
        query.accountId = options.account;
    query.since = options.since;
    query.until = options.until;
    return query;
}

UsageCommand::UsageCommand(const CliOptions& options, CliConsole* console, QObject* parent)
    : CliCommand(parent)
    , m_options(options)
    , m_console(console)
{ }

void UsageCommand::start()
{
    const QString path = UsageLedger::defaultPath();
    auto report = [this](const QList<UsageEntry>& entries) {
        const UsageTotals totals = UsageTotals::of(entries);
        if (m_options.json)
            m_console->printLine(
                QString::fromUtf8(QJsonDocument(totalsJson(totals, m_options)).toJson(QJsonDocument::Compact)));
        else
            printTotals(totals, m_console);
        finish(ExitCode::Ok);
    };
    if (!QFile::exists(path)) { // nothing was ever recorded: an empty report, and no file created by reading
        report({});
        return;
    }
    whenFinished(this, UsageLedger::entries(path, ledgerQuery(m_options)),
                 [this, report](const Result<QList<UsageEntry>, ApiError>& entries) {
                     if (isDone())
                         return;
                     if (!entries) {
                         m_console->printApiError(entries.error());
                         finish(ExitCode::Failed);
                         return;
                     }
                     report(entries.value());
                 });
}

void UsageCommand::cancel()
{
    finish(ExitCode::Cancelled); // a read: nothing to undo
}

ExportCommand::ExportCommand(const CliOptions& options, CliConsole* console, QObject* parent)
    : CliCommand(parent)
    , m_options(options)
    , m_console(console)
{ }

void ExportCommand::start()
{
    const bool toStdout = m_options.exportPath.isEmpty() || m_options.exportPath == QLatin1String("-");
    auto scratch = std::make_shared<QTemporaryDir>();
    if (toStdout && !scratch->isValid()) {
        m_console->printError(QCoreApplication::translate("pixapi-cli", "cannot create a temporary file: %1")
                                  .arg(scratch->errorString()));
        finish(ExitCode::Failed);
        return;
    }
    const QString target = toStdout ? scratch->filePath(QStringLiteral("usage.csv")) : m_options.exportPath;
    whenFinished(this, UsageLedger::exportCsv(UsageLedger::defaultPath(), ledgerQuery(m_options), target),
                 [this, toStdout, target, scratch](const Result<int, ApiError>& written) {
                     if (isDone())
                         return;
                     if (!written) {
                         m_console->printApiError(written.error());
                         finish(ExitCode::Failed);
                         return;
                     }
                     if (toStdout) {
                         QFile csv(target);
                         if (!csv.open(QIODevice::ReadOnly)) {
                             m_console->printError(csv.errorString());
                             finish(ExitCode::Failed);
                             return;
                         }
                         const QByteArray bytes = csv.readAll();
                         std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
                         std::fflush(stdout);
                     } else {
                         m_console->printNotice(QCoreApplication::translate("pixapi-cli", "%n row(s) written to %1",
                                                                            nullptr, written.value())
                                                    .arg(target));
                     }
                     finish(ExitCode::Ok);
                 });
}

void ExportCommand::cancel()
{
    finish(ExitCode::Cancelled); // the CSV is written atomically: an unfinished export leaves nothing behind
}

} // namespace Pixapi
