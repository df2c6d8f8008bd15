// pixapi-cli: models, generate and balance on the same core as Pixapi Studio, without widgets.
#include "CliCommand.h"
#include "CliConsole.h"
#include "CliOptions.h"
#include "CliRunner.h"
#include "support/AppIdentity.h"
#include "support/ProcessHardening.h"
#include "support/Redactor.h"

#include <QCoreApplication>
#include <QLoggingCategory>

namespace {

// The core logs through pixapi.* categories; pixapi-cli reports errors itself, so they only show with --verbose.
void configureLogging(bool verbose)
{
    if (verbose) {
        qSetMessagePattern(QStringLiteral("pixapi-cli: [%{category}] %{message}"));
        QLoggingCategory::setFilterRules(QStringLiteral("pixapi.*=true"));
    } else {
        QLoggingCategory::setFilterRules(QStringLiteral("pixapi.*=false"));
    }
}

} // namespace

int main(int argc, char* argv[])
{
    Pixapi::ProcessHardening::disableCoreDumps(); // the key is in this process's memory
    QCoreApplication app(argc, argv);
    Pixapi::Redactor::installMessageHandler(); // no key reaches a log line, whoever writes it
    Pixapi::AppIdentity::apply();
    Pixapi::AppIdentity::installTranslators(app);

    const Pixapi::CliOptions::Parsed parsed = Pixapi::CliOptions::parse(QCoreApplication::arguments());
    Pixapi::CliConsole console;
    switch (parsed.action) {
    case Pixapi::CliOptions::Parsed::Action::ShowHelp:
    case Pixapi::CliOptions::Parsed::Action::ShowVersion:
        console.printLine(parsed.text.trimmed());
        return Pixapi::ExitCode::Ok;
    case Pixapi::CliOptions::Parsed::Action::UsageError:
        console.printError(parsed.text + QStringLiteral(" (")
                           + QCoreApplication::translate("pixapi-cli", "see pixapi-cli --help") + QLatin1Char(')'));
        return Pixapi::ExitCode::Usage;
    case Pixapi::CliOptions::Parsed::Action::Run:
        break;
    }

    configureLogging(parsed.options.verbose);
    Pixapi::CliRunner runner(parsed.options);
    runner.start();
    return QCoreApplication::exec();
}
