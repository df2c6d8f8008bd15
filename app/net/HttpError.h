#pragma once

#include "api/ApiError.h"

#include <QNetworkReply>

namespace Pixapi {

// The one place where transport failures become typed, human-readable errors.
// `bytesReceived` tells a connection that closed mid-body (truncated) from one that never answered.
ApiError errorForNetworkFailure(QNetworkReply::NetworkError error, const QString& qtMessage, qint64 bytesReceived);

// Parses Retry-After in its seconds form (the HTTP-date form is rare for APIs and is treated as absent).
int parseRetryAfter(const QByteArray& value);

} // namespace Pixapi
