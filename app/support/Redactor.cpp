#include "support/Redactor.h"

#include <QMutex>
#include <QRegularExpression>
#include <QStringList>

namespace Pixapi::Redactor {
namespace {

QMutex& mutex()
{
    static QMutex m;
    return m;
}

QStringList& secrets()
{
    static QStringList list;
    return list;
}

QtMessageHandler& previousHandler()
{
    static QtMessageHandler handler = nullptr;
    return handler;
}

void redactingHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    previousHandler()(type, context, redact(message));
}

} // namespace

void addSecret(const QString& secret)
{
    if (secret.size() < 4) // masking tiny strings would shred ordinary text
        return;
    QMutexLocker lock(&mutex());
    if (!secrets().contains(secret))
        secrets() << secret;
}

void clearSecrets()
{
    QMutexLocker lock(&mutex());
    secrets().clear();
}

QString redact(QString text)
{
    static const QRegularExpression bearer(QStringLiteral(R"((authorization\s*[:=]\s*)?bearer\s+[^\s"',;]+)"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression query(
        QStringLiteral(R"(([?&](?:key|api_key|apikey|token|access_token|sig|signature|x-amz-signature)=)[^&\s"']+)"),
        QRegularExpression::CaseInsensitiveOption);
    {
        QMutexLocker lock(&mutex());
        for (const QString& secret : std::as_const(secrets()))
            text.replace(secret, QStringLiteral("[redacted]"));
    }
    text.replace(bearer, QStringLiteral("\\1Bearer [redacted]"));
    text.replace(query, QStringLiteral("\\1[redacted]"));
    return text;
}

void installMessageHandler()
{
    QMutexLocker lock(&mutex());
    if (previousHandler())
        return;
    previousHandler() = qInstallMessageHandler(redactingHandler);
}

} // namespace Pixapi::Redactor
