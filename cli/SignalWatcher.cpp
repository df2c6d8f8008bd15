#include "SignalWatcher.h"

#include <QPointer>

#ifdef Q_OS_UNIX
#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#ifdef Q_OS_WIN
#include <QMetaObject>

#include <windows.h>
#endif

namespace Pixapi {

namespace {

QPointer<SignalWatcher>& instance()
{
    static QPointer<SignalWatcher> watcher;
    return watcher;
}

#ifdef Q_OS_UNIX
// The self-pipe trick: the handler only writes a byte, which is async-signal-safe; the notifier reads it later.
int g_signalFds[2] = {-1, -1};
struct sigaction g_previousInt;
struct sigaction g_previousTerm;

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(g_signalFds[0], &byte, 1);
}
#endif

#ifdef Q_OS_WIN
// Runs on a thread of its own made by the system, so it may post to the event loop.
BOOL WINAPI onConsoleControl(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT)
        return FALSE;
    if (SignalWatcher* watcher = instance().data())
        QMetaObject::invokeMethod(watcher, &SignalWatcher::interrupted, Qt::QueuedConnection);
    return TRUE;
}
#endif

} // namespace

SignalWatcher::SignalWatcher(QObject* parent)
    : QObject(parent)
{
    Q_ASSERT(instance().isNull());
    instance() = this;
#ifdef Q_OS_UNIX
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        qFatal("pixapi-cli: cannot create the signal socket pair");
    // Non-blocking: a flood of signals must never block the handler, and the reader drains without waiting.
    ::fcntl(g_signalFds[0], F_SETFL, O_NONBLOCK);
    ::fcntl(g_signalFds[1], F_SETFL, O_NONBLOCK);
    m_notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::onInterrupted);

    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, &g_previousInt);
    ::sigaction(SIGTERM, &action, &g_previousTerm);
#endif
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(onConsoleControl, TRUE);
#endif
}

SignalWatcher::~SignalWatcher()
{
#ifdef Q_OS_UNIX
    ::sigaction(SIGINT, &g_previousInt, nullptr);
    ::sigaction(SIGTERM, &g_previousTerm, nullptr);
    delete m_notifier;
    ::close(g_signalFds[0]);
    ::close(g_signalFds[1]);
    g_signalFds[0] = g_signalFds[1] = -1;
#endif
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(onConsoleControl, FALSE);
#endif
    instance() = nullptr;
}

#ifdef Q_OS_UNIX
void SignalWatcher::onInterrupted()
{
    // One emission per signal: a second Ctrl+C that arrived quickly must not be merged into the first.
    char buffer[16];
    ssize_t count = 0;
    while ((count = ::read(g_signalFds[1], buffer, sizeof(buffer))) > 0) {
        for (ssize_t i = 0; i < count; ++i)
            Q_EMIT interrupted();
    }
}
#endif

} // namespace Pixapi
