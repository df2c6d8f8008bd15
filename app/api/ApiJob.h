#pragma once

#include "api/ApiError.h"
#include "support/Result.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace Pixapi {

class HttpJob;

// A request in flight. Emits finished() exactly once (success, error or cancel), then deletes itself;
// read the typed result from TypedApiJob<T>::result() in the slot.
class ApiJob : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    // Stops the request: the job finishes with Cancelled. Once a POST's answer has arrived it does nothing, and the
    // job finishes with what was received: it was charged, and it is on its way to the library.
    void cancel();
    bool isFinished() const { return m_finished; }
    // A POST's answer has arrived in full and is being read (off the UI thread); cancel() no longer applies.
    bool answerReceived() const { return m_answered; }
    // The raw body of the successful answer, kept only where a caller stores it as received (the catalog cache).
    const QByteArray& responseBody() const { return m_responseBody; }

Q_SIGNALS:
    void finished();
    void progress(qint64 received, qint64 total);
    // The request failed in a way that is safe to repeat (see PixapiClient) and is sent again after `delayMs`.
    void retryScheduled(int delayMs, int httpStatus);

protected:
    void setHttpJob(HttpJob* job);
    void emitFinished();
    void setResponseBody(const QByteArray& body) { m_responseBody = body; }
    virtual void failWith(ApiError error) = 0;

private:
    QPointer<HttpJob> m_http;
    bool m_finished = false;
    bool m_cancelled = false;
    bool m_answered = false; // a POST's answer arrived and is being read: cancel() has nothing left to stop
    QByteArray m_responseBody;
    friend class PixapiClient;
};

template <typename T>
class TypedApiJob : public ApiJob
{
public:
    using ApiJob::ApiJob;
    using ResultType = Result<T, ApiError>;

    const ResultType& result() const { return *m_result; }
    void finish(ResultType result)
    {
        if (isFinished())
            return;
        m_result = std::move(result);
        emitFinished();
    }

protected:
    void failWith(ApiError error) override { finish(ResultType::failure(std::move(error))); }

private:
    std::optional<ResultType> m_result;
};

} // namespace Pixapi
