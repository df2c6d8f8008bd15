#include "support/ProcessHardening.h"

#include <QtGlobal>

#if defined(Q_OS_UNIX)
#include <sys/resource.h>
#endif
#if defined(Q_OS_LINUX)
#include <sys/prctl.h>
#endif

namespace Pixapi::ProcessHardening {

void disableCoreDumps()
{
    if (qEnvironmentVariableIntValue("PIXAPI_ALLOW_CORE_DUMPS") == 1)
        return;
#if defined(Q_OS_UNIX)
    const rlimit none {0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
#endif
#if defined(Q_OS_LINUX)
    // Also covers a core_pattern that pipes to a collector (systemd-coredump, apport), which ignores RLIMIT_CORE.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
}

} // namespace Pixapi::ProcessHardening
