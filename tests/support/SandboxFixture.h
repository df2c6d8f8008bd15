#pragma once

#include "api/PixapiClient.h"
#include "net/NetworkAccess.h"
#include "sandbox/SandboxServer.h"

#include <memory>

namespace Pixapi {

// A sandbox server on loopback and a client pointed at it with the sandbox key: the real peer of most tests.
struct SandboxFixture
{
    std::unique_ptr<SandboxServer> server;
    std::unique_ptr<NetworkAccess> network;
    std::unique_ptr<PixapiClient> client;

    // Starts the server and builds the client; false when the server cannot listen.
    bool start();
    void reset();
};

} // namespace Pixapi
