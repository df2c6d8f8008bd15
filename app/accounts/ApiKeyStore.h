#pragma once

#include <QCoreApplication>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace Pixapi {

// Outcome of one keychain operation. `Missing` may also mean "locked": QtKeychain 0.13 reports a locked
// Secret Service collection as EntryNotFound, so callers must never treat it as proof that no key exists.
struct KeyResult
{
    Q_GADGET
    Q_DECLARE_TR_FUNCTIONS(Pixapi::KeyResult)

public:
    enum class Status {
        Ok,
        Missing,      // EntryNotFound (or a locked keyring, see above)
        Locked,       // AccessDenied: the keyring is locked or the user refused
        Unavailable,  // no Secret Service / no D-Bus / backend error
        TooLong,      // refused before writing: Windows caps secrets at 2560 bytes
        EmptyKey,     // refused before writing: an empty key is never stored
        VerifyFailed, // written, but reading it back gave another value (or failed)
        TimedOut,     // the keychain did not answer; the job is left to finish on its own
    };
    Q_ENUM(Status)

    Status status = Status::Unavailable;
    QString key;    // only for a successful read
    QString detail; // backend error text, never the key

    bool ok() const { return status == Status::Ok; }
    // A sentence for the user, incl. what to do (unlock the keyring, start a Secret Service, ...). Empty when ok().
    QString userMessage() const;
    // The enumerator name ("Locked"), for logs and tests.
    static QLatin1String statusName(Status status);
};

// One operation of ApiKeyStore. Emits finished() exactly once, then deletes itself (deleteLater).
class KeyJob : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void finished(const Pixapi::KeyResult& result);

private:
    friend class ApiKeyStore;
    // Emits finished() and schedules deletion the first time; later calls are ignored. Returns whether it emitted.
    bool finish(const KeyResult& result);

    bool m_finished = false;
};

// The one place that talks to QtKeychain. Use it from the thread it lives on.
class ApiKeyStore : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxKeyBytes = 2560;
    static constexpr int DefaultTimeoutMs = 15000;

    explicit ApiKeyStore(QString service = QStringLiteral(PIXAPI_APP_ID), QObject* parent = nullptr);

    // Why a secret would be refused before writing (EmptyKey, TooLong), or nothing.
    static std::optional<KeyResult::Status> refusal(const QString& secret);

    // The keychain entry name: "<service>/api-key/<accountId>" (Windows ignores the service, so the id is in the key).
    QString entryName(const QString& accountId) const;
    // The manual proxy's password: "<service>/proxy-password", outside api-key/ so that no account id can reach it.
    QString proxyPasswordEntryName() const;
    QString service() const;

    // Each returns a job (a child of the store) that emits finished() once and then deletes itself. Keychain
    // operations are queued and started from the event loop one at a time, in call order. Refusals that need no
    // keychain access (EmptyKey, TooLong) finish on the next event loop pass, ahead of queued operations.
    // If the store is destroyed first, its unfinished jobs are destroyed with it without emitting.
    KeyJob* readKey(const QString& accountId);
    KeyJob* writeKey(const QString& accountId, const QString& key); // writes, then reads back to verify
    KeyJob* deleteKey(const QString& accountId); // on a locked libsecret keyring this reports Ok without deleting
    // The same for the proxy password (an empty one is refused like an empty key: delete the entry instead).
    KeyJob* readProxyPassword();
    KeyJob* writeProxyPassword(const QString& password);
    KeyJob* deleteProxyPassword();

    // Watchdog per job, counted from the call (queue wait included). On expiry the job reports TimedOut; the
    // keychain operation itself is never cancelled or deleted. Applies to jobs created afterwards; 0 = next pass.
    void setTimeoutMs(int ms);
    int timeoutMs() const;

    ~ApiKeyStore() override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::KeyResult)
