#pragma once

#include "ScriptedServer.h"

namespace Pixapi {

// Answers every request with one canned JSON body (200): a server whose answers the sandbox cannot play, such as
// OpenAI's bare model list. A ScriptedServer with a single fallback answer.
class CannedServer : public ScriptedServer
{
public:
    explicit CannedServer(const QByteArray& body);
};

} // namespace Pixapi
