// libFuzzer harness for text: pixapi-cli's command line (CliOptions::parse, also what scripts and batch files feed
// it) and the log redactor (Redactor::redact, which sees server messages, URLs and headers). The first byte picks:
//   0  a command line, one argument per line (the program name is added)
//   1  "<secret>\n<text>": the secret is registered, then the text redacted
// Invariants: a command line that parses to Run is valid (a command, n within 1..10, a model and a prompt for
// generate, an absolute base URL, no conflicting options) and a usage error says something; a registered
// secret never survives redaction, nor does any "Bearer <token>" or secret query value; redacting is idempotent.
#include "CliOptions.h"
#include "FuzzSupport.h"
#include "support/Redactor.h"

#include <QRegularExpression>

#include <cstddef>
#include <cstdint>

namespace {

using Pixapi::CliOptions;

void commandLine(const QByteArray& input)
{
    QStringList arguments {QStringLiteral("pixapi-cli")};
    for (const QByteArray& line : input.split('\n'))
        arguments << QString::fromUtf8(line);
    const CliOptions::Parsed parsed = CliOptions::parse(arguments);
    using Action = CliOptions::Parsed::Action;
    if (parsed.action == Action::UsageError) {
        FUZZ_CHECK(!parsed.text.trimmed().isEmpty());
        return;
    }
    if (parsed.action != Action::Run) {
        FUZZ_CHECK(!parsed.text.isEmpty());
        return;
    }
    const CliOptions& o = parsed.options;
    FUZZ_CHECK(!o.sandbox || (o.baseUrl.isEmpty() && o.account.isEmpty()));
    FUZZ_CHECK(o.baseUrl.isEmpty()
               || (o.baseUrl.isValid() && !o.baseUrl.scheme().isEmpty() && !o.baseUrl.host().isEmpty()));
    if (o.command == CliOptions::Command::Generate) {
        FUZZ_CHECK(o.params.n >= 1 && o.params.n <= 10);
        FUZZ_CHECK(!o.params.model.isEmpty() && !o.params.prompt.trimmed().isEmpty());
        FUZZ_CHECK(o.params.responseFormat.isEmpty() || o.params.responseFormat == QLatin1String("url")
                   || o.params.responseFormat == QLatin1String("b64_json"));
        FUZZ_CHECK(!o.noLibrary || (!o.outDir.isEmpty() && o.dataDir.isEmpty() && !o.async));
    } else if (o.command == CliOptions::Command::Batch) {
        FUZZ_CHECK(o.params.n >= 1 && o.params.n <= 10);
        FUZZ_CHECK(o.concurrency >= 1 && o.concurrency <= 32);
        FUZZ_CHECK(!o.batchFile.isEmpty() && !o.batchName.isEmpty());
        FUZZ_CHECK(!o.maxCredits || *o.maxCredits >= 0);
        FUZZ_CHECK(!o.noLibrary || !o.outDir.isEmpty());
        for (const QString& model : o.models)
            FUZZ_CHECK(!model.isEmpty() && model == model.trimmed());
    } else {
        FUZZ_CHECK(!o.dryRun && !o.async && !o.noLibrary && o.outDir.isEmpty());
    }
}

void redaction(const QByteArray& input)
{
    namespace Redactor = Pixapi::Redactor;
    const auto [secretBytes, textBytes] = PixapiFuzz::splitOnce(input, '\n');
    const QString secret = QString::fromUtf8(secretBytes);
    const QString text = QString::fromUtf8(textBytes);
    Redactor::clearSecrets();
    Redactor::addSecret(secret);
    const QString out = Redactor::redact(text);
    // A key is a token: no spaces, no brackets. Such a secret cannot be rebuilt from the placeholders around it.
    static const QRegularExpression keyLike(QStringLiteral(R"(^[^\s\[\]]{4,}$)"));
    const QString placeholder = QStringLiteral("Bearer [redacted]");
    const bool tokenSecret = keyLike.match(secret).hasMatch() && !placeholder.contains(secret);
    if (tokenSecret)
        FUZZ_CHECK(!out.contains(secret));
    // Whatever follows "Bearer " now is the placeholder, and so is every secret query value.
    static const QRegularExpression bearer(QStringLiteral(R"(bearer\s+([^\s"',;]+))"),
                                           QRegularExpression::CaseInsensitiveOption);
    for (auto it = bearer.globalMatch(out); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        FUZZ_CHECK(match.captured(1) == QLatin1String("[redacted]")
                   || match.captured(1).startsWith(QLatin1String("[redacted]")));
    }
    if (tokenSecret || secret.size() < 4) // (a secret inside "[redacted]" would be masked again and again)
        FUZZ_CHECK(Redactor::redact(out) == out);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    PixapiFuzz::init(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const PixapiFuzz::Selected selected = PixapiFuzz::select(data, size, 2);
    if (selected.entry == 0)
        commandLine(selected.input);
    else
        redaction(selected.input);
    return 0;
}
