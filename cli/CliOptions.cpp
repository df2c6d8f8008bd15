#include "CliOptions.h"

#include "usage/UsagePeriod.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cmath>

#include <optional>

namespace Pixapi {

namespace {

constexpr int MaxImages = 10; // the OpenAI-compatible limit; a model may allow fewer (the server says so)

const QString kBaseUrl = QStringLiteral("base-url");
const QString kSandbox = QStringLiteral("sandbox");
const QString kAccount = QStringLiteral("account");
const QString kVerbose = QStringLiteral("verbose");
const QString kJson = QStringLiteral("json");
const QString kModel = QStringLiteral("model");
const QString kPrompt = QStringLiteral("prompt");
const QString kCount = QStringLiteral("n");
const QString kSize = QStringLiteral("size");
const QString kQuality = QStringLiteral("quality");
const QString kFormat = QStringLiteral("format");
const QString kOut = QStringLiteral("out");
const QString kNoLibrary = QStringLiteral("no-library");
const QString kDataDir = QStringLiteral("data-dir");
const QString kDryRun = QStringLiteral("dry-run");
const QString kAsync = QStringLiteral("async");
const QString kHelp = QStringLiteral("help");
const QString kHelpAll = QStringLiteral("help-all");
const QString kVersion = QStringLiteral("version");
const QString kName = QStringLiteral("name");
const QString kConcurrency = QStringLiteral("concurrency");
const QString kMaxCredits = QStringLiteral("max-credits");
const QString kRetryUncertain = QStringLiteral("retry-uncertain");
const QString kSince = QStringLiteral("since");
const QString kUntil = QStringLiteral("until");

constexpr int MaxConcurrency = 32;

using Command = CliOptions::Command;
using Parsed = CliOptions::Parsed;

QList<QCommandLineOption> commonOptions()
{
    return {
        {kBaseUrl, QCoreApplication::translate("pixapi-cli", "API base URL (default: the one set in Pixapi Studio)."),
         QCoreApplication::translate("pixapi-cli", "URL")},
        {kSandbox, QCoreApplication::translate("pixapi-cli", "Use the embedded sandbox server: no key, no credits.")},
        {kAccount,
         QCoreApplication::translate("pixapi-cli", "Keychain account that holds the API key (default: \"default\")."),
         QCoreApplication::translate("pixapi-cli", "ID")},
        {kVerbose, QCoreApplication::translate("pixapi-cli", "Print progress and diagnostics on stderr.")},
    };
}

QCommandLineOption jsonOption()
{
    return {kJson, QCoreApplication::translate("pixapi-cli", "Print JSON instead of a table.")};
}

QCommandLineOption dataDirOption()
{
    return {kDataDir,
            QCoreApplication::translate("pixapi-cli",
                                        "Use this data directory instead of the user's (library in DIR/library)."),
            QCoreApplication::translate("pixapi-cli", "DIR")};
}

QList<QCommandLineOption> generateOptions()
{
    return {
        {{QStringLiteral("m"), kModel},
         QCoreApplication::translate("pixapi-cli", "Model id or alias (required)."),
         QCoreApplication::translate("pixapi-cli", "MODEL")},
        {{QStringLiteral("p"), kPrompt},
         QCoreApplication::translate("pixapi-cli", "Text prompt (required)."),
         QCoreApplication::translate("pixapi-cli", "PROMPT")},
        {{kCount, QStringLiteral("count")},
         QCoreApplication::translate("pixapi-cli", "Number of images, 1 to %1 (default 1).").arg(MaxImages),
         QCoreApplication::translate("pixapi-cli", "N"),
         QStringLiteral("1")},
        {kSize, QCoreApplication::translate("pixapi-cli", "Image size, e.g. 1024x1024, 2K or 16:9 (model dependent)."),
         QCoreApplication::translate("pixapi-cli", "SIZE")},
        {kQuality, QCoreApplication::translate("pixapi-cli", "Quality, e.g. low, medium or high (model dependent)."),
         QCoreApplication::translate("pixapi-cli", "QUALITY")},
        {kFormat, QCoreApplication::translate("pixapi-cli", "Response format: url or b64_json (default: server's)."),
         QCoreApplication::translate("pixapi-cli", "FORMAT")},
        {{QStringLiteral("o"), kOut},
         QCoreApplication::translate("pixapi-cli",
                                     "Also copy every saved image into this directory (created if needed)."),
         QCoreApplication::translate("pixapi-cli", "DIR")},
        {kNoLibrary,
         QCoreApplication::translate("pixapi-cli", "Do not keep the images in the library, only in --out.")},
        dataDirOption(),
        {kAsync,
         QCoreApplication::translate("pixapi-cli", "Use the async API: the task is recorded in the library first, "
                                                   "so \"pixapi-cli resume\" can finish it after an interruption.")},
        {kDryRun,
         QCoreApplication::translate("pixapi-cli", "Print the request body that would be sent, and send nothing.")},
    };
}

// The options batch shares with generate, described as they work in a batch: defaults for the rows.
QList<QCommandLineOption> batchOptions()
{
    const auto forRows = [](const QString& text) -> QString {
        return text + QLatin1Char(' ')
               + QCoreApplication::translate("pixapi-cli", "Used by the rows that do not set it.");
    };
    return {
        {{QStringLiteral("m"), kModel},
         forRows(QCoreApplication::translate("pixapi-cli", "Model id or alias; several: repeat it or separate them "
                                                           "with commas.")),
         QCoreApplication::translate("pixapi-cli", "MODEL")},
        {{kCount, QStringLiteral("count")},
         forRows(QCoreApplication::translate("pixapi-cli", "Images per request, 1 to %1 (default 1).").arg(MaxImages)),
         QCoreApplication::translate("pixapi-cli", "N"),
         QStringLiteral("1")},
        {kSize, forRows(QCoreApplication::translate("pixapi-cli", "Image size, e.g. 1024x1024, 2K or 16:9.")),
         QCoreApplication::translate("pixapi-cli", "SIZE")},
        {kQuality, forRows(QCoreApplication::translate("pixapi-cli", "Quality, e.g. low, medium or high.")),
         QCoreApplication::translate("pixapi-cli", "QUALITY")},
        {kFormat,
         QCoreApplication::translate("pixapi-cli", "Response format of every request: url or b64_json (default: "
                                                   "server's)."),
         QCoreApplication::translate("pixapi-cli", "FORMAT")},
        {{QStringLiteral("o"), kOut},
         QCoreApplication::translate("pixapi-cli", "Also copy every saved image into this directory, named by the "
                                                   "row's output column (created if needed)."),
         QCoreApplication::translate("pixapi-cli", "DIR")},
        {kNoLibrary,
         QCoreApplication::translate("pixapi-cli", "Do not keep the images in the library, only in --out (the "
                                                   "journal stays in the library).")},
        dataDirOption(),
        {kDryRun,
         QCoreApplication::translate("pixapi-cli", "Check the file, estimate the cost, list the requests, and send "
                                                   "nothing.")},
    };
}

// The batch options generate does not have.
QList<QCommandLineOption> batchOnlyOptions()
{
    return {
        {kName,
         QCoreApplication::translate("pixapi-cli", "The batch's name: its journal and its library tag \"batch: NAME\" "
                                                   "(default: the file name without extension)."),
         QCoreApplication::translate("pixapi-cli", "NAME")},
        {kConcurrency,
         QCoreApplication::translate("pixapi-cli", "Requests in flight at once, 1 to %1 (default 4).")
             .arg(MaxConcurrency),
         QCoreApplication::translate("pixapi-cli", "N"), QStringLiteral("4")},
        {kMaxCredits,
         QCoreApplication::translate("pixapi-cli", "Send nothing when the estimate is above this, and stop sending "
                                                   "once the run has spent it."),
         QCoreApplication::translate("pixapi-cli", "CREDITS")},
        {kRetryUncertain,
         QCoreApplication::translate("pixapi-cli", "Send again the requests an earlier run may have been charged for "
                                                   "(check your balance and library first).")},
    };
}

QList<QCommandLineOption> periodOptions()
{
    const QString when = QCoreApplication::translate("pixapi-cli", "WHEN");
    return {
        {kSince,
         QCoreApplication::translate("pixapi-cli", "From this moment: 2026-11-01, 2026-11-01T14:00, today, yesterday, "
                                                   "or back from now: 12h, 7d, 4w."),
         when},
        {kUntil, QCoreApplication::translate("pixapi-cli", "Up to this moment (same forms; default: now)."), when},
    };
}

void addStandardOptions(QCommandLineParser& parser)
{
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions(commonOptions());
}

// The parser that knows only the options of `command`, so a misplaced option is reported as unknown.
void configureFor(QCommandLineParser& parser, Command command)
{
    addStandardOptions(parser);
    switch (command) {
    case Command::Models:
        parser.setApplicationDescription(
            QCoreApplication::translate("pixapi-cli", "List the image models the server offers."));
        parser.addPositionalArgument(QStringLiteral("models"),
                                     QCoreApplication::translate("pixapi-cli", "The command."),
                                     QStringLiteral("models"));
        parser.addOption(jsonOption());
        break;
    case Command::Balance:
        parser.setApplicationDescription(
            QCoreApplication::translate("pixapi-cli", "Show the credit balance (GET /v1/balance)."));
        parser.addPositionalArgument(QStringLiteral("balance"),
                                     QCoreApplication::translate("pixapi-cli", "The command."),
                                     QStringLiteral("balance"));
        parser.addOption(jsonOption());
        break;
    case Command::Generate:
        parser.setApplicationDescription(QCoreApplication::translate(
            "pixapi-cli", "Generate images. Each image is saved in the library first, then copied into --out; "
                          "the path of every saved file is printed on its own line."));
        parser.addPositionalArgument(QStringLiteral("generate"),
                                     QCoreApplication::translate("pixapi-cli", "The command."),
                                     QStringLiteral("generate"));
        parser.addOptions(generateOptions());
        break;
    case Command::Resume:
        parser.setApplicationDescription(QCoreApplication::translate(
            "pixapi-cli", "Finish every unfinished async task recorded in the library and save its images. Requests "
                          "whose task id was never received are listed, never sent again."));
        parser.addPositionalArgument(QStringLiteral("resume"),
                                     QCoreApplication::translate("pixapi-cli", "The command."),
                                     QStringLiteral("resume"));
        parser.addOption(dataDirOption());
        break;
    case Command::Batch:
        parser.setApplicationDescription(QCoreApplication::translate(
            "pixapi-cli",
            "Send every row of a CSV or JSON Lines file (prompt, model, n, size, quality, tags, output; {variables} in "
            "the prompt take their values from other columns, or from \"vars\"). The cost is estimated first; a "
            "journal in the library lets the same command finish an interrupted batch without paying twice. The path "
            "of every saved image is printed on its own line."));
        parser.addPositionalArgument(QStringLiteral("batch"), QCoreApplication::translate("pixapi-cli", "The command."),
                                     QStringLiteral("batch"));
        parser.addPositionalArgument(QStringLiteral("file"),
                                     QCoreApplication::translate("pixapi-cli", "The batch file (.csv or .jsonl)."));
        parser.addOptions(batchOptions());
        parser.addOptions(batchOnlyOptions());
        break;
    case Command::Usage:
        parser.setApplicationDescription(QCoreApplication::translate(
            "pixapi-cli", "Sum up the usage ledger: requests, failures, images and credits, per model."));
        parser.addPositionalArgument(QStringLiteral("usage"), QCoreApplication::translate("pixapi-cli", "The command."),
                                     QStringLiteral("usage"));
        parser.addOptions(periodOptions());
        parser.addOption(jsonOption());
        parser.addOption(dataDirOption());
        break;
    case Command::Export:
        parser.setApplicationDescription(QCoreApplication::translate(
            "pixapi-cli", "Write the usage ledger as CSV, one row per request (UTC times)."));
        parser.addPositionalArgument(QStringLiteral("export"),
                                     QCoreApplication::translate("pixapi-cli", "The command."),
                                     QStringLiteral("export"));
        parser.addOptions(periodOptions());
        parser.addOption({{QStringLiteral("o"), kOut},
                          QCoreApplication::translate("pixapi-cli", "The CSV file to write (default: stdout)."),
                          QCoreApplication::translate("pixapi-cli", "FILE")});
        parser.addOption(dataDirOption());
        break;
    }
}

QString generalHelp()
{
    QCommandLineParser parser;
    addStandardOptions(parser);
    parser.setApplicationDescription(
        QCoreApplication::translate("pixapi-cli", "Pixapi Studio on the command line.\n\n"
                                                  "Commands:\n"
                                                  "  models    List the image models the server offers.\n"
                                                  "  generate  Generate images and save them in the library.\n"
                                                  "  balance   Show the credit balance.\n"
                                                  "  resume    Finish the async tasks an interruption left behind.\n"
                                                  "  batch     Send every row of a CSV or JSON Lines file.\n"
                                                  "  usage     Sum up the usage ledger.\n"
                                                  "  export    Write the usage ledger as CSV.\n\n"
                                                  "Run \"pixapi-cli <command> --help\" for the options of a command."));
    parser.addPositionalArgument(
        QStringLiteral("command"),
        QCoreApplication::translate("pixapi-cli", "models, generate, balance, resume, batch, usage or export"));
    return parser.helpText();
}

Parsed usageError(const QString& text)
{
    Parsed parsed;
    parsed.action = Parsed::Action::UsageError;
    parsed.text = text;
    return parsed;
}

Parsed withText(Parsed::Action action, const QString& text)
{
    Parsed parsed;
    parsed.action = action;
    parsed.text = text;
    return parsed;
}

std::optional<Command> commandNamed(const QString& name)
{
    if (name == QLatin1String("models"))
        return Command::Models;
    if (name == QLatin1String("generate"))
        return Command::Generate;
    if (name == QLatin1String("balance"))
        return Command::Balance;
    if (name == QLatin1String("resume"))
        return Command::Resume;
    if (name == QLatin1String("batch"))
        return Command::Batch;
    if (name == QLatin1String("usage"))
        return Command::Usage;
    if (name == QLatin1String("export"))
        return Command::Export;
    return std::nullopt;
}

// The generate-only options; returns a usage error text, empty when they are valid.
QString readGenerateOptions(const QCommandLineParser& parser, CliOptions& options)
{
    options.params.model = parser.value(kModel).trimmed();
    options.params.prompt = parser.value(kPrompt);
    options.params.size = parser.value(kSize).trimmed();
    options.params.quality = parser.value(kQuality).trimmed();
    options.params.responseFormat = parser.value(kFormat).trimmed();
    options.noLibrary = parser.isSet(kNoLibrary);
    options.dryRun = parser.isSet(kDryRun);
    options.async = parser.isSet(kAsync);
    if (parser.isSet(kOut))
        options.outDir = QDir::cleanPath(QDir(parser.value(kOut)).absolutePath());
    if (parser.isSet(kDataDir))
        options.dataDir = QDir::cleanPath(QDir(parser.value(kDataDir)).absolutePath());

    if (options.params.model.isEmpty())
        return QCoreApplication::translate("pixapi-cli", "generate needs --model; \"pixapi-cli models\" lists them");
    if (options.params.prompt.trimmed().isEmpty())
        return QCoreApplication::translate("pixapi-cli", "generate needs a non-empty --prompt");
    bool isNumber = false;
    options.params.n = parser.value(kCount).toInt(&isNumber);
    if (!isNumber || options.params.n < 1 || options.params.n > MaxImages)
        return QCoreApplication::translate("pixapi-cli", "-n must be a whole number from 1 to %1").arg(MaxImages);
    if (!options.params.responseFormat.isEmpty() && options.params.responseFormat != QLatin1String("url")
        && options.params.responseFormat != QLatin1String("b64_json"))
        return QCoreApplication::translate("pixapi-cli", "--format must be url or b64_json");
    if (parser.isSet(kOut) && parser.value(kOut).isEmpty())
        return QCoreApplication::translate("pixapi-cli", "--out needs a directory");
    if (parser.isSet(kDataDir) && parser.value(kDataDir).isEmpty())
        return QCoreApplication::translate("pixapi-cli", "--data-dir needs a directory");
    if (options.noLibrary && options.outDir.isEmpty())
        return QCoreApplication::translate("pixapi-cli", "--no-library needs --out DIR, or the images would be lost");
    if (options.noLibrary && !options.dataDir.isEmpty())
        return QCoreApplication::translate("pixapi-cli", "--no-library and --data-dir cannot be combined");
    if (options.noLibrary && options.async)
        return QCoreApplication::translate("pixapi-cli",
                                           "--async records the task in the library; it cannot be combined with "
                                           "--no-library");
    return {};
}

// --data-dir, for the commands that take it; returns a usage error text, empty when it is valid.
QString readDataDir(const QCommandLineParser& parser, CliOptions& options)
{
    if (!parser.isSet(kDataDir))
        return {};
    if (parser.value(kDataDir).isEmpty())
        return QCoreApplication::translate("pixapi-cli", "--data-dir needs a directory");
    options.dataDir = QDir::cleanPath(QDir(parser.value(kDataDir)).absolutePath());
    return {};
}

// The batch options; returns a usage error text, empty when they are valid.
QString readBatchOptions(const QCommandLineParser& parser, const QStringList& positional, CliOptions& options)
{
    if (positional.size() < 2 || positional.at(1).trimmed().isEmpty())
        return QCoreApplication::translate("pixapi-cli", "batch needs a file: pixapi-cli batch FILE");
    if (positional.size() > 2)
        return QCoreApplication::translate("pixapi-cli", "unexpected argument \"%1\"").arg(positional.at(2));
    options.batchFile = QDir::cleanPath(QDir(positional.at(1)).absolutePath());
    options.batchName =
        parser.isSet(kName) ? parser.value(kName).trimmed() : QFileInfo(options.batchFile).completeBaseName();
    if (options.batchName.isEmpty())
        return QCoreApplication::translate("pixapi-cli", "--name needs a name");
    for (const QString& value : parser.values(kModel)) {
        for (const QString& model : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!model.trimmed().isEmpty())
                options.models << model.trimmed();
        }
    }
    options.params.size = parser.value(kSize).trimmed();
    options.params.quality = parser.value(kQuality).trimmed();
    options.params.responseFormat = parser.value(kFormat).trimmed();
    options.noLibrary = parser.isSet(kNoLibrary);
    options.dryRun = parser.isSet(kDryRun);
    options.retryUncertain = parser.isSet(kRetryUncertain);
    if (parser.isSet(kOut)) {
        if (parser.value(kOut).isEmpty())
            return QCoreApplication::translate("pixapi-cli", "--out needs a directory");
        options.outDir = QDir::cleanPath(QDir(parser.value(kOut)).absolutePath());
    }
    if (const QString error = readDataDir(parser, options); !error.isEmpty())
        return error;
    bool isNumber = false;
    options.params.n = parser.value(kCount).toInt(&isNumber);
    if (!isNumber || options.params.n < 1 || options.params.n > MaxImages)
        return QCoreApplication::translate("pixapi-cli", "-n must be a whole number from 1 to %1").arg(MaxImages);
    options.concurrency = parser.value(kConcurrency).toInt(&isNumber);
    if (!isNumber || options.concurrency < 1 || options.concurrency > MaxConcurrency)
        return QCoreApplication::translate("pixapi-cli", "--concurrency must be a whole number from 1 to %1")
            .arg(MaxConcurrency);
    if (parser.isSet(kMaxCredits)) {
        const double cap = parser.value(kMaxCredits).toDouble(&isNumber);
        if (!isNumber || !(cap >= 0) || !std::isfinite(cap))
            return QCoreApplication::translate("pixapi-cli", "--max-credits must be a number of credits, 0 or more");
        options.maxCredits = cap;
    }
    if (!options.params.responseFormat.isEmpty() && options.params.responseFormat != QLatin1String("url")
        && options.params.responseFormat != QLatin1String("b64_json"))
        return QCoreApplication::translate("pixapi-cli", "--format must be url or b64_json");
    if (options.noLibrary && options.outDir.isEmpty())
        return QCoreApplication::translate("pixapi-cli", "--no-library needs --out DIR, or the images would be lost");
    return {};
}

// --since and --until, and export's --out; returns a usage error text, empty when they are valid.
QString readLedgerOptions(const QCommandLineParser& parser, CliOptions& options)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto& [name, target] : {std::pair {kSince, &options.since}, std::pair {kUntil, &options.until}}) {
        if (!parser.isSet(name))
            continue;
        const auto moment = UsagePeriod::parseMoment(parser.value(name), now);
        if (!moment)
            return QCoreApplication::translate("pixapi-cli",
                                               "--%1 \"%2\" is not a moment: use 2026-11-01, 2026-11-01T14:00, today, "
                                               "yesterday, 12h, 7d or 4w")
                .arg(name, parser.value(name));
        *target = *moment;
    }
    if (options.command == Command::Export && parser.isSet(kOut))
        options.exportPath = parser.value(kOut);
    if (!options.exportPath.isEmpty() && options.exportPath != QLatin1String("-"))
        options.exportPath = QDir::cleanPath(QDir(options.exportPath).absolutePath());
    return readDataDir(parser, options);
}

// The options every command takes; returns a usage error text, empty when they are valid.
QString readCommonOptions(const QCommandLineParser& parser, CliOptions& options)
{
    options.sandbox = parser.isSet(kSandbox);
    options.verbose = parser.isSet(kVerbose);
    options.account = parser.value(kAccount).trimmed();
    if (parser.isSet(kBaseUrl)) {
        options.baseUrl = QUrl(parser.value(kBaseUrl).trimmed(), QUrl::StrictMode);
        if (!options.baseUrl.isValid() || options.baseUrl.scheme().isEmpty() || options.baseUrl.host().isEmpty())
            return QCoreApplication::translate("pixapi-cli",
                                               "--base-url needs an absolute URL such as https://api.pixapi.ai");
    }
    if (options.sandbox && parser.isSet(kBaseUrl))
        return QCoreApplication::translate("pixapi-cli", "--sandbox and --base-url cannot be combined");
    if (options.sandbox && parser.isSet(kAccount))
        return QCoreApplication::translate("pixapi-cli", "--sandbox and --account cannot be combined");
    if (parser.isSet(kAccount) && options.account.isEmpty())
        return QCoreApplication::translate("pixapi-cli", "--account needs an account id");
    return {};
}

} // namespace

CliOptions::Parsed CliOptions::parse(const QStringList& arguments)
{
    // Pass 1 knows every option of every command, only to find the command wherever it stands.
    QCommandLineParser all;
    addStandardOptions(all);
    all.addOption(jsonOption());
    all.addOptions(generateOptions());
    all.addOptions(batchOnlyOptions());
    all.addOptions(periodOptions());
    if (!all.parse(arguments))
        return usageError(all.errorText());
    if (all.isSet(kVersion))
        return withText(Parsed::Action::ShowVersion, QStringLiteral("pixapi-cli " PIXAPI_VERSION));
    const QStringList positional = all.positionalArguments();
    if (positional.isEmpty()) {
        if (all.isSet(kHelp) || all.isSet(kHelpAll))
            return withText(Parsed::Action::ShowHelp, generalHelp());
        return usageError(QCoreApplication::translate(
            "pixapi-cli", "missing command: models, generate, balance, resume, batch, usage or export"));
    }
    const std::optional<Command> command = commandNamed(positional.constFirst());
    if (!command)
        return usageError(
            QCoreApplication::translate(
                "pixapi-cli", "unknown command \"%1\": use models, generate, balance, resume, batch, usage or export")
                .arg(positional.constFirst()));

    // Pass 2 knows only this command's options.
    QCommandLineParser parser;
    configureFor(parser, *command);
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(kHelp) || parser.isSet(kHelpAll))
        return withText(Parsed::Action::ShowHelp, parser.helpText());
    if (positional.size() > 1 && *command != Command::Batch)
        return usageError(
            QCoreApplication::translate("pixapi-cli", "unexpected argument \"%1\"").arg(positional.at(1)));

    Parsed parsed;
    parsed.options.command = *command;
    QString error = readCommonOptions(parser, parsed.options);
    if (error.isEmpty() && *command == Command::Generate)
        error = readGenerateOptions(parser, parsed.options);
    if (error.isEmpty() && *command == Command::Resume)
        error = readDataDir(parser, parsed.options);
    if (error.isEmpty() && *command == Command::Batch)
        error = readBatchOptions(parser, positional, parsed.options);
    if (error.isEmpty() && (*command == Command::Usage || *command == Command::Export))
        error = readLedgerOptions(parser, parsed.options);
    if (!error.isEmpty())
        return usageError(error);
    if (*command == Command::Models || *command == Command::Balance || *command == Command::Usage)
        parsed.options.json = parser.isSet(kJson);
    parsed.action = Parsed::Action::Run;
    return parsed;
}

} // namespace Pixapi
