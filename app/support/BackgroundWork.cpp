#include "support/BackgroundWork.h"

#include <QCoreApplication>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace Pixapi {

namespace {
constexpr int BackgroundNice = 5; // weight 335 against the UI thread's 1024
}

QThreadPool* backgroundPool()
{
    static QThreadPool* pool = [] {
        static QThreadPool instance;
        // Like the global pool: the application's end waits for the work in flight (a save finishes its file).
        qAddPostRoutine([] { instance.waitForDone(); });
        return &instance;
    }();
    return pool;
}

void lowerThreadPriority()
{
    thread_local bool lowered = false;
    if (std::exchange(lowered, true))
        return;
#ifdef Q_OS_LINUX
    // Linux schedules threads one by one: PRIO_PROCESS with a thread id sets that thread's nice value only.
    setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), BackgroundNice);
#endif
}

} // namespace Pixapi
