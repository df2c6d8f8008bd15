#include "QueueFixture.h"

namespace Pixapi {

bool QueueFixture::start()
{
    dir = std::make_unique<QTemporaryDir>();
    if (!dir->isValid() || !sandbox.start())
        return false;
    library = std::make_unique<Library>(dir->path());
    if (!library->open().ok())
        return false;
    queue = std::make_unique<GenerationQueue>(sandbox.client.get(), library.get(), nullptr);
    queue->setGlobalLimit(8);
    return true;
}

void QueueFixture::reset()
{
    queue.reset();
    library.reset();
    sandbox.reset();
    dir.reset();
}

} // namespace Pixapi
