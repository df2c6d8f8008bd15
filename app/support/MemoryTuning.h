#pragma once

namespace Pixapi {

// glibc raises its mmap threshold each time a large block is freed (up to 32 MiB); from then on decoded images and
// thumbnails come from the heap arenas of the decoding threads and fragment them, so the resident size keeps growing
// while a large gallery is scrolled. A fixed threshold keeps every buffer above 128 KiB in its own mapping, returned
// to the system when freed. Call once, first thing in main(). Does nothing outside glibc.
void tuneAllocatorForImages();

} // namespace Pixapi
