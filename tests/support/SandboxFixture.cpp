#include "SandboxFixture.h"

#include <algorithm>

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

int SandboxFixture::postCount() const
{
    const QList<SandboxRequestRecord> records = server->requests();
    return int(std::count_if(records.cbegin(), records.cend(),
                             [](const SandboxRequestRecord& r) { return r.method == QLatin1String("POST"); }));
}

void SandboxFixture::reset()
{
    client.reset();
    network.reset();
    server.reset();
}

} // namespace Pixapi
