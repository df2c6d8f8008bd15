#pragma once

#include "api/ApiError.h"

#include <QCoreApplication>
#include <QString>
#include <QUrl>

#include <optional>

namespace Pixapi {

// What to tell a person whose request failed for lack of credits: the same words in the app and the CLI.
struct UsageAdvice
{
    Q_DECLARE_TR_FUNCTIONS(Pixapi::UsageAdvice)

public:
    QString text;  // translated: what happened and what to do
    QUrl topUpUrl; // where credits are bought; empty when not known for this server

    // For InsufficientCredits (402, or OpenAI's insufficient_quota); nothing for any other error. `baseUrl` is the
    // server the request went to: Pixapi, the embedded sandbox (loopback) or another OpenAI-compatible server.
    static std::optional<UsageAdvice> forError(const ApiError& error, const QUrl& baseUrl);
    // Pixapi's pricing page, where its docs send people for credit packs (contract §7: no top-up over the API).
    static QUrl pixapiPricingUrl();
};

} // namespace Pixapi
