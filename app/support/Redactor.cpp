#include "support/Redactor.h"

#include <QMutex>
#include <QRegularExpression>
#include <QStringList>

namespace Pixapi::Redactor {
namespace {

struct State
{
    QMutex mutex;
    QStringList secrets;
    QtMessageHandler previousHandler = nullptr;
    const QRegularExpression bearer{QStringLiteral(R"((authorization\s*[:=]\s*)?bearer\s+[^\s"',;]+)"),
                                    QRegularExpression::CaseInsensitiveOption};
    const QRegularExpression query{
        QStringLiteral(R"(([?&](?:key|api_key|apikey|token|access_token|sig|signature|x-amz-signature)=)[^&\s"']+)"),
        QRegularExpression::CaseInsensitiveOption};
};

// Never destroyed on purpose: Qt and other libraries still log while static objects are torn down at exit,
// and those lines must be redacted too.
State& state()
{
    static State* instance = new State;
    return *instance;
}

void redactingHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    state().previousHandler(type, context, redact(message));
}

} // namespace

void addSecret(const QString& secret)
{
    if (secret.size() < 4) // masking tiny strings would shred ordinary text
        return;
    QMutexLocker lock(&state().mutex);
    if (!state().secrets.contains(secret))
        state().secrets << secret;
}

void clearSecrets()
{
    QMutexLocker lock(&state().mutex);
    state().secrets.clear();
}

QString redact(QString text)
{
    State& s = state();
    {
        QMutexLocker lock(&s.mutex);
        for (const QString& secret : std::as_const(s.secrets))
            text.replace(secret, QStringLiteral("[redacted]"));
    }
    text.replace(s.bearer, QStringLiteral("\\1Bearer [redacted]"));
    text.replace(s.query, QStringLiteral("\\1[redacted]"));
    return text;
}

void installMessageHandler()
{
    QMutexLocker lock(&state().mutex);
    if (state().previousHandler)
        return;
    state().previousHandler = qInstallMessageHandler(redactingHandler);
}

} // namespace Pixapi::Redactor
