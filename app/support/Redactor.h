#pragma once

#include <QString>

namespace Pixapi::Redactor {

// Remembers a secret (an API key) so that it is masked in every log line, wherever it comes from.
void addSecret(const QString& secret);
void clearSecrets();

// Masks registered secrets, "Authorization: …" / "Bearer …" values and secret-looking query parameters
// (key, api_key, token, sig, signature, …) in free text.
QString redact(QString text);

// Installs a Qt message handler that redacts every message before passing it to the previous handler.
void installMessageHandler();

} // namespace Pixapi::Redactor
