#pragma once

#include <QObject>

class QSocketNotifier;

namespace Pixapi {

// Turns Ctrl+C (SIGINT, SIGTERM; the console control handler on Windows) into a Qt signal delivered by the event
// loop, so cancellation runs as ordinary code between events, never inside a signal handler. One instance at a time.
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void interrupted();

private:
#ifdef Q_OS_UNIX
    void onInterrupted();

    QSocketNotifier* m_notifier = nullptr;
#endif
};

} // namespace Pixapi
