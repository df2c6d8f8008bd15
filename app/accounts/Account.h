#pragma once

#include "api/ApiTypes.h"

#include <QCoreApplication>
#include <QMetaType>
#include <QString>
#include <QUrl>
#include <QVariantMap>

#include <optional>

namespace Pixapi {

// One server profile: where requests go and which API it speaks. Holds no secret: the key is in the keychain, under
// ApiKeyStore::entryName(id).
struct Account
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::Account)

public:
    using Kind = ServerKind;

    QString id;   // stable; names the keychain entry (generated, or the id of the single account before profiles)
    QString name; // shown to the user; unique ignoring case
    QUrl baseUrl;
    Kind kind = Kind::Pixapi;
    bool keyStored = false; // a key was saved: a later "missing" read means "keychain locked?"

    // Why `url` cannot be a base URL (translated), or nothing: it needs a host, https (http only to this computer:
    // localhost, 127.0.0.1, ::1), no user name or password, no query or fragment.
    static std::optional<QString> urlProblem(const QUrl& url);
    // A new id: 32 hex digits, safe in a keychain entry name.
    static QString newId();

    // The entry of Settings::Key::Accounts: {id, name, baseUrl, kind ("pixapi" | "openai"), keyStored}.
    QVariantMap toVariant() const;
    // Nothing for an entry without an id.
    static std::optional<Account> fromVariant(const QVariantMap& entry);

    bool operator==(const Account& other) const = default;
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::Account)
