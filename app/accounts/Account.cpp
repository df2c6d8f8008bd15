#include "accounts/Account.h"

#include "net/NetworkAccess.h"

#include <QUuid>

namespace Pixapi {
namespace {

const QString IdField = QStringLiteral("id");
const QString NameField = QStringLiteral("name");
const QString BaseUrlField = QStringLiteral("baseUrl");
const QString KindField = QStringLiteral("kind");
const QString KeyStoredField = QStringLiteral("keyStored");
const QString OpenAIKindName = QStringLiteral("openai");
const QString PixapiKindName = QStringLiteral("pixapi");

} // namespace

std::optional<QString> Account::urlProblem(const QUrl& url)
{
    if (!url.isValid() || url.isRelative())
        return tr("Enter the server's full address, for example https://api.pixapi.ai.");
    if (url.host().isEmpty())
        return tr("The address has no server name.");
    if (!url.userName().isEmpty() || !url.password().isEmpty())
        return tr("The address must not contain a user name or password: the API key is stored separately.");
    if (!NetworkAccess::isAllowedUrl(url))
        return tr("Only https:// addresses are allowed (http:// only to this computer: localhost, 127.0.0.1 or ::1).");
    if (url.hasQuery() || url.hasFragment())
        return tr("The address must not contain a “?” or “#” part.");
    return std::nullopt;
}

QString Account::newId()
{
    return QUuid::createUuid().toString(QUuid::Id128);
}

QVariantMap Account::toVariant() const
{
    return {{IdField, id},
            {NameField, name},
            {BaseUrlField, baseUrl.toString()},
            {KindField, kind == Kind::OpenAICompatible ? OpenAIKindName : PixapiKindName},
            {KeyStoredField, keyStored}};
}

std::optional<Account> Account::fromVariant(const QVariantMap& entry)
{
    Account account;
    account.id = entry.value(IdField).toString();
    if (account.id.isEmpty())
        return std::nullopt;
    account.name = entry.value(NameField).toString();
    account.baseUrl = QUrl(entry.value(BaseUrlField).toString());
    account.kind = entry.value(KindField).toString() == OpenAIKindName ? Kind::OpenAICompatible : Kind::Pixapi;
    account.keyStored = entry.value(KeyStoredField).toBool();
    return account;
}

} // namespace Pixapi
