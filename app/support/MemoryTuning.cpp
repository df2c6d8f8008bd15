#include "support/MemoryTuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace Pixapi {

void tuneAllocatorForImages()
{
#if defined(__GLIBC__)
    constexpr int ImageBufferThreshold = 128 * 1024; // glibc's default starting value, now fixed
    mallopt(M_MMAP_THRESHOLD, ImageBufferThreshold);
#endif
}

} // namespace Pixapi
