#include "SandboxFixture.h"

namespace Pixapi {

bool SandboxFixture::start()
{
    server = std::make_unique<SandboxServer>();
    if (!server->listen())
        return false;
    network = std::make_unique<NetworkAccess>();
    client = std::make_unique<PixapiClient>(network.get());
    client->setBaseUrl(server->baseUrl());
    client->setApiKey(SandboxServer::defaultKey());
    client->setRetryBaseDelayMs(20); // keep GET retries fast in tests
    return true;
}

void SandboxFixture::reset()
{
    client.reset();
    network.reset();
    server.reset();
}

} // namespace Pixapi
