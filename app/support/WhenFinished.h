#pragma once

#include <QFutureWatcher>
#include <QObject>

namespace Pixapi {

// Calls `done` with the future's result on `context`'s thread, unless `context` is gone by then (a watcher: the
// future's one continuation stays free for others).
template <typename T, typename F>
void whenFinished(QObject* context, QFuture<T> future, F done)
{
    auto* watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done = std::move(done)] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(std::move(future));
}

} // namespace Pixapi
