#pragma once

#include "SandboxFixture.h"
#include "generation/GenerationQueue.h"
#include "library/Library.h"

#include <QTemporaryDir>

#include <memory>

namespace Pixapi {

// A library in a temporary directory and a generation queue (global limit 8, no task store) sending to the sandbox:
// the setup of the board and batch tests.
struct QueueFixture
{
    SandboxFixture sandbox;
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<Library> library;
    std::unique_ptr<GenerationQueue> queue;

    // False when the sandbox cannot listen or the library cannot open.
    bool start();
    void reset();
};

} // namespace Pixapi
