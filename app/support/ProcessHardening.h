#pragma once

namespace Pixapi::ProcessHardening {

// A crash must not write the API key to disk: no core dump, and (Linux) no ptrace attach or /proc/<pid>/mem read by
// other processes of the same user. Call first thing in main(). PIXAPI_ALLOW_CORE_DUMPS=1 keeps core dumps for a
// developer chasing a crash.
void disableCoreDumps();

} // namespace Pixapi::ProcessHardening
