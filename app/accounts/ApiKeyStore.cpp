#include "accounts/ApiKeyStore.h"

#include "support/Logging.h"

#include <QMetaEnum>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <algorithm>
#include <deque>

namespace Pixapi {

namespace {

KeyResult::Status statusFor(QKeychain::Error error)
{
    switch (error) {
    case QKeychain::NoError:
        return KeyResult::Status::Ok;
    case QKeychain::EntryNotFound:
        return KeyResult::Status::Missing;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return KeyResult::Status::Locked;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        return KeyResult::Status::Unavailable;
    }
    return KeyResult::Status::Unavailable;
}

// How a log line names an entry (never the secret).
QString accountLabel(const QString& accountId)
{
    Q_ASSERT_X(!accountId.isEmpty(), "ApiKeyStore", "an account id is required");
    return QLatin1String("account ") + accountId;
}
const QLatin1String ProxyLabel("proxy password");

KeyResult resultOf(KeyResult::Status status, QString detail = {})
{
    KeyResult result;
    result.status = status;
    result.detail = std::move(detail);
    return result;
}

} // namespace

QString KeyResult::userMessage() const
{
    switch (status) {
    case Status::Ok:
        return {};
    case Status::Missing:
        return tr("No API key is stored for this account, or the keyring is locked. Unlock the keyring (for example "
                  "by logging in to your desktop session or opening Seahorse) and try again, or enter the key again.");
    case Status::Locked:
        return tr("The keyring is locked or access to it was refused. Unlock it (for example by logging in to your "
                  "desktop session or opening Seahorse) and try again.");
    case Status::Unavailable:
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
        return tr("No usable Secret Service: a D-Bus session bus and gnome-keyring or KWallet must be running, with "
                  "an unlocked default keyring. Start the app from a desktop session (or start gnome-keyring) and try "
                  "again.");
#else
        return tr("The system keychain is not available. Make sure you are logged in to your user session and try "
                  "again.");
#endif
    case Status::TooLong:
        return tr("The API key is too long to store (at most %1 bytes). Check that you pasted only the key.")
            .arg(ApiKeyStore::MaxKeyBytes);
    case Status::EmptyKey:
        return tr("The API key is empty. Paste your API key and try again.");
    case Status::VerifyFailed:
        return tr("The keyring did not return the API key that was just saved, so it may not be stored correctly. "
                  "Try again; if this keeps happening, check your keyring service.");
    case Status::TimedOut:
        return tr("The keyring did not answer in time. If a keyring password prompt is open, answer it; otherwise "
                  "restart the keyring service (or log out and in again) and try again.");
    }
    return {};
}

QLatin1String KeyResult::statusName(Status status)
{
    return QLatin1String(QMetaEnum::fromType<Status>().valueToKey(static_cast<int>(status)));
}

bool KeyJob::finish(const KeyResult& result)
{
    if (m_finished)
        return false;
    m_finished = true;
    Q_EMIT finished(result);
    deleteLater();
    return true;
}

struct ApiKeyStore::Private
{
    enum class Step { Read, Write, Verify, Delete };
    struct Op
    {
        quint64 id = 0;
        Step step = Step::Read;
        QString entry; // the keychain entry name
        QString label; // names the entry in logs: "account <id>" or "proxy password"
        QString key;   // only for Write/Verify
        QPointer<KeyJob> job;
    };

    ApiKeyStore* q = nullptr;
    QString service;
    int timeoutMs = DefaultTimeoutMs;
    quint64 nextId = 1;
    std::deque<Op> queue;
    bool keychainBusy = false;   // a QKeychain job is in flight, possibly one whose caller already timed out
    bool startScheduled = false; // a deferred startNext() is pending

    static QLatin1String stepName(Step step);
    KeyJob* enqueue(Step step, const QString& entry, const QString& label, const QString& key);
    KeyJob* write(const QString& entry, const QString& label, const QString& key);
    KeyJob* refuse(const QString& label, KeyResult::Status status);
    void scheduleNext();
    void startNext();
    void keychainFinished(Op op, QKeychain::Job* job);
    void timedOut(quint64 id, KeyJob* job, const QString& label, int ms);
    void report(const Op& op, const KeyResult& result);
};

QLatin1String ApiKeyStore::Private::stepName(Step step)
{
    switch (step) {
    case Step::Read:
        return QLatin1String("read");
    case Step::Write:
        return QLatin1String("write");
    case Step::Verify:
        return QLatin1String("verify");
    case Step::Delete:
        return QLatin1String("delete");
    }
    return QLatin1String("?");
}

KeyJob* ApiKeyStore::Private::enqueue(Step step, const QString& entry, const QString& label, const QString& key)
{
    Q_ASSERT_X(QThread::currentThread() == q->thread(), "ApiKeyStore", "use the store from the thread it lives on");

    auto* job = new KeyJob(q);
    const quint64 id = nextId++;
    queue.push_back(Op {id, step, entry, label, key, job});

    // The watchdog belongs to the job, so it dies with it; it only ever reports, it never touches QKeychain.
    auto* watchdog = new QTimer(job);
    watchdog->setSingleShot(true);
    QObject::connect(watchdog, &QTimer::timeout, q,
                     [this, id, job, label, ms = timeoutMs] { timedOut(id, job, label, ms); });
    watchdog->start(timeoutMs);

    scheduleNext();
    return job;
}

KeyJob* ApiKeyStore::Private::write(const QString& entry, const QString& label, const QString& key)
{
    if (const auto status = ApiKeyStore::refusal(key))
        return refuse(label, *status);
    return enqueue(Step::Write, entry, label, key);
}

KeyJob* ApiKeyStore::Private::refuse(const QString& label, KeyResult::Status status)
{
    qCInfo(lcKeychain).noquote() << "write" << label << "refused:" << KeyResult::statusName(status);
    auto* job = new KeyJob(q);
    // Deferred so the caller can connect to finished() first.
    QTimer::singleShot(0, job, [job, status] { job->finish(resultOf(status)); });
    return job;
}

void ApiKeyStore::Private::scheduleNext()
{
    if (startScheduled || keychainBusy || queue.empty())
        return;
    // Never start a keychain job synchronously (e.g. from inside another job's finished()): go through the event loop.
    startScheduled = true;
    QTimer::singleShot(0, q, [this] { startNext(); });
}

void ApiKeyStore::Private::startNext()
{
    startScheduled = false;
    if (keychainBusy || queue.empty())
        return;
    Op op = std::move(queue.front());
    queue.pop_front();

    // No parent and autoDelete on: if we stop waiting for it (timeout, store destroyed) it still cleans up after
    // itself when the backend finally answers, and nothing deletes it while libsecret may call back into it.
    QKeychain::Job* job = nullptr;
    switch (op.step) {
    case Step::Read:
    case Step::Verify:
        job = new QKeychain::ReadPasswordJob(service);
        break;
    case Step::Write: {
        auto* write = new QKeychain::WritePasswordJob(service);
        write->setTextData(op.key);
        job = write;
        break;
    }
    case Step::Delete:
        job = new QKeychain::DeletePasswordJob(service);
        break;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never plaintext (it is KWallet-only anyway)
    job->setKey(op.entry);

    keychainBusy = true;
    qCDebug(lcKeychain).noquote() << "start" << stepName(op.step) << op.label;
    QObject::connect(job, &QKeychain::Job::finished, q,
                     [this, op = std::move(op)](QKeychain::Job* finished) { keychainFinished(op, finished); });
    job->start();
}

void ApiKeyStore::Private::keychainFinished(Op op, QKeychain::Job* job)
{
    // QtKeychain serializes all jobs process-wide, so a stuck job blocks every later call anyway. We therefore wait
    // for the stuck job to finish before starting ours (instead of piling more jobs behind it in QtKeychain's
    // executor); callers waiting meanwhile still hear back through their own watchdogs.
    keychainBusy = false;
    const QKeychain::Error error = job->error();
    KeyResult result = resultOf(statusFor(error), error == QKeychain::NoError ? QString() : job->errorString());

    if (!op.job || op.job->isFinished()) {
        qCInfo(lcKeychain).noquote() << "result ignored (timed out or caller gone):" << stepName(op.step) << op.label
                                     << KeyResult::statusName(result.status);
        scheduleNext();
        return;
    }

    switch (op.step) {
    case Step::Read:
        if (result.ok())
            result.key = qobject_cast<QKeychain::ReadPasswordJob*>(job)->textData();
        report(op, result);
        break;
    case Step::Write:
        if (result.ok()) {
            // Some backends accept a value and store something else (or nothing); only a read-back proves it.
            op.step = Step::Verify;
            queue.push_front(std::move(op));
        } else {
            report(op, result);
        }
        break;
    case Step::Verify: {
        const bool same = result.ok() && qobject_cast<QKeychain::ReadPasswordJob*>(job)->textData() == op.key;
        if (!same) {
            if (result.ok())
                result.detail = ApiKeyStore::tr("The value read back differs from the value written.");
            result.status = KeyResult::Status::VerifyFailed;
        }
        report(op, result);
        break;
    }
    case Step::Delete:
        report(op, result);
        break;
    }
    scheduleNext();
}

void ApiKeyStore::Private::timedOut(quint64 id, KeyJob* job, const QString& label, int ms)
{
    if (job->isFinished())
        return;
    // Still queued: drop it, it never touched the keychain. Running: leave the QKeychain job alone (deleting it
    // would crash when the backend calls back); keychainFinished() ignores its result and then moves the queue on.
    const auto queued = std::find_if(queue.begin(), queue.end(), [id](const Op& op) { return op.id == id; });
    const bool wasQueued = queued != queue.end();
    if (wasQueued)
        queue.erase(queued);
    qCWarning(lcKeychain).noquote() << label << "TimedOut: no answer from the keychain within" << ms << "ms;"
                                    << (wasQueued ? "dropped while queued" : "its keychain job keeps running");
    job->finish(resultOf(KeyResult::Status::TimedOut));
}

void ApiKeyStore::Private::report(const Op& op, const KeyResult& result)
{
    qCInfo(lcKeychain).noquote() << stepName(op.step) << op.label << KeyResult::statusName(result.status)
                                 << result.detail;
    op.job->finish(result);
}

ApiKeyStore::ApiKeyStore(QString service, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->service = std::move(service);
}

// Unfinished KeyJobs are children and go with us; a QKeychain job in flight is unparented and deletes itself.
ApiKeyStore::~ApiKeyStore() = default;

std::optional<KeyResult::Status> ApiKeyStore::refusal(const QString& secret)
{
    if (secret.isEmpty())
        return KeyResult::Status::EmptyKey;
    if (secret.toUtf8().size() > MaxKeyBytes)
        return KeyResult::Status::TooLong;
    return std::nullopt;
}

QString ApiKeyStore::entryName(const QString& accountId) const
{
    return d->service + QLatin1String("/api-key/") + accountId;
}

QString ApiKeyStore::proxyPasswordEntryName() const
{
    return d->service + QLatin1String("/proxy-password");
}

QString ApiKeyStore::service() const
{
    return d->service;
}

KeyJob* ApiKeyStore::readKey(const QString& accountId)
{
    return d->enqueue(Private::Step::Read, entryName(accountId), accountLabel(accountId), {});
}

KeyJob* ApiKeyStore::writeKey(const QString& accountId, const QString& key)
{
    return d->write(entryName(accountId), accountLabel(accountId), key);
}

KeyJob* ApiKeyStore::deleteKey(const QString& accountId)
{
    return d->enqueue(Private::Step::Delete, entryName(accountId), accountLabel(accountId), {});
}

KeyJob* ApiKeyStore::readProxyPassword()
{
    return d->enqueue(Private::Step::Read, proxyPasswordEntryName(), ProxyLabel, {});
}

KeyJob* ApiKeyStore::writeProxyPassword(const QString& password)
{
    return d->write(proxyPasswordEntryName(), ProxyLabel, password);
}

KeyJob* ApiKeyStore::deleteProxyPassword()
{
    return d->enqueue(Private::Step::Delete, proxyPasswordEntryName(), ProxyLabel, {});
}

void ApiKeyStore::setTimeoutMs(int ms)
{
    d->timeoutMs = qMax(0, ms);
}

int ApiKeyStore::timeoutMs() const
{
    return d->timeoutMs;
}

} // namespace Pixapi
