// pixapi-cli: models, generate and balance on the same core as Pixapi Studio, without widgets.
#include "CliCommand.h"
#include "CliConsole.h"
#include "CliOptions.h"
#include "CliRunner.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QTranslator>

namespace {

// The same identity as pixapi-studio, so both read the same settings and library.
void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Pixapi"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("pixapi.ai"));
    QCoreApplication::setApplicationName(QStringLiteral("Pixapi Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PIXAPI_VERSION));
}

// Qt's own strings (QCommandLineParser) and ours, when a translation for the locale is available.
void installTranslators(QCoreApplication& app)
{
    auto* qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto* own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("pixapi-studio"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(own);
}

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
    QCoreApplication app(argc, argv);
    setIdentity();
    installTranslators(app);

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
