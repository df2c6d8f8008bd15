#pragma once

#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>
#include <utility>

namespace Pixapi {

// The threads for the app's own work off the UI thread: reading answers, saving, decoding and scaling images, SQL.
//
// Not QThreadPool::globalInstance(): Qt 6.4 cuts image conversions and smooth scaling, painting's included, into
// pieces it runs on the global pool while the calling thread waits, so long jobs queued there stalled the UI thread
// for as long as they ran (225-388 ms while 8 photo-sized answers were saved; tests/bench, issue #9).
QThreadPool* backgroundPool();

// Lowers the calling thread's scheduling priority (nice +5 on Linux; once per thread, later calls cost nothing): when
// the cores are busy the UI thread runs first, and the work still gets its share.
void lowerThreadPriority();

// QtConcurrent::run on `pool` at the lower priority.
template <typename F, typename... Args>
auto runOnPool(QThreadPool* pool, F&& function, Args&&... args)
{
    return QtConcurrent::run(pool,
                             [function = std::forward<F>(function), ... args = std::forward<Args>(args)]() mutable {
                                 lowerThreadPriority();
                                 return std::invoke(std::move(function), std::move(args)...);
                             });
}

// QtConcurrent::run on backgroundPool() at the lower priority.
template <typename F, typename... Args>
auto runInBackground(F&& function, Args&&... args)
{
    return runOnPool(backgroundPool(), std::forward<F>(function), std::forward<Args>(args)...);
}

} // namespace Pixapi
