#pragma once

class QCoreApplication;

// What pixapi-studio and pixapi-cli share about who they are, so both read the same settings, library and keychain.
namespace Pixapi::AppIdentity {

// Organization "Pixapi", domain derived from the app id ("ai.pixapi.Studio" → "pixapi.ai"), name "Pixapi Studio".
void apply();

// Qt's own strings and ours (":/i18n/pixapi-studio_<lang>.qm", built into the core). The source texts are English;
// the English file adds plural forms and is the fallback for languages without a translation.
void installTranslators(QCoreApplication& app);

} // namespace Pixapi::AppIdentity
