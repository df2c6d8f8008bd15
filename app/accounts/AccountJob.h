#pragma once

#include "accounts/ApiKeyStore.h"
#include "api/ApiError.h"
#include "api/ApiTypes.h"

#include <QCoreApplication>
#include <QList>
#include <QObject>
#include <QString>

#include <optional>

namespace Pixapi {

// The outcome of one AccountRegistry or ProxySettings operation.
struct AccountResult
{
    Q_GADGET
    Q_DECLARE_TR_FUNCTIONS(Pixapi::AccountResult)

public:
    enum class Status {
        Ok,
        UnknownAccount,  // no account has that id (any more)
        LastAccount,     // remove(): the last account stays, so there is always a current one
        Invalid,         // refused before anything changed: see problem
        CheckFailed,     // the server did not accept the key (see apiError); the keychain was not touched
        KeychainProblem, // see keychain; settings were not changed
    };
    Q_ENUM(Status)

    Status status = Status::Ok;
    QString problem;                   // Invalid, or a keychain problem worded for what was stored: shown as is
    std::optional<ApiError> apiError;  // CheckFailed
    std::optional<KeyResult> keychain; // the last keychain answer of a key operation (Ok included)
    QList<ModelInfo> models;           // what the server listed with the key that was checked

    bool ok() const { return status == Status::Ok; }
    // A sentence for the user; empty when ok().
    QString userMessage() const;
    // The enumerator name ("CheckFailed"), for logs and tests.
    static QLatin1String statusName(Status status);
};

// One operation of AccountRegistry or ProxySettings. Emits finished() exactly once, then deletes itself. If its
// owner is destroyed first, the job goes with it without emitting.
class AccountJob : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void finished(const Pixapi::AccountResult& result);

private:
    friend class AccountRegistry;
    friend class ProxySettings;
    // Emits finished() and schedules deletion the first time; later calls are ignored.
    void finish(const AccountResult& result);
    // The same from the next event loop pass, so that the caller can connect to finished() first.
    void finishLater(const AccountResult& result);

    bool m_finished = false;
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::AccountResult)
