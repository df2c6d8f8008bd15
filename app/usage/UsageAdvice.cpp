#include "usage/UsageAdvice.h"

#include <QHostAddress>

namespace Pixapi {

namespace {

bool isPixapi(const QUrl& url)
{
    const QString host = url.host().toLower();
    return host == QLatin1String("pixapi.ai") || host.endsWith(QLatin1String(".pixapi.ai"));
}

bool isLoopback(const QUrl& url)
{
    return url.host() == QLatin1String("localhost") || QHostAddress(url.host()).isLoopback();
}

} // namespace

std::optional<UsageAdvice> UsageAdvice::forError(const ApiError& error, const QUrl& baseUrl)
{
    if (error.kind != ApiError::Kind::InsufficientCredits)
        return std::nullopt;
    // The server checks the balance before it calls the model (contract §7): a refused request costs nothing.
    UsageAdvice advice;
    if (isPixapi(baseUrl)) {
        advice.topUpUrl = pixapiPricingUrl();
        advice.text = tr("Your Pixapi account does not have enough credits for this request; nothing was charged. "
                         "Buy a credit pack (%1), then refresh the balance or enter the new one in the Usage panel, "
                         "and try again.")
                          .arg(advice.topUpUrl.toString());
    } else if (isLoopback(baseUrl)) {
        advice.text = tr("The sandbox's practice credits are used up; nothing was charged. Restart the app to get a "
                         "fresh sandbox balance.");
    } else {
        advice.text = tr("This account does not have enough credits for this request; nothing was charged. Add "
                         "credits on your provider's billing page, then try again.");
    }
    return advice;
}

QUrl UsageAdvice::pixapiPricingUrl()
{
    return QUrl(QStringLiteral("https://pixapi.ai/pricing"));
}

} // namespace Pixapi
