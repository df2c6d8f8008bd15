#include "support/Logging.h"

Q_LOGGING_CATEGORY(lcNet, "pixapi.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "pixapi.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcKeychain, "pixapi.keychain", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLibrary, "pixapi.library", QtInfoMsg)
Q_LOGGING_CATEGORY(lcGeneration, "pixapi.generation", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSandbox, "pixapi.sandbox", QtWarningMsg)
Q_LOGGING_CATEGORY(lcUi, "pixapi.ui", QtInfoMsg)
