#include "CannedServer.h"

namespace Pixapi {

CannedServer::CannedServer(const QByteArray& body)
{
    setFallback(ScriptedResponse::json(body));
}

} // namespace Pixapi
