#include "api/ApiJob.h"

#include "net/HttpJob.h"

namespace Pixapi {

void ApiJob::cancel()
{
    if (m_finished || m_cancelled || m_answered)
        return;
    m_cancelled = true;
    if (m_http)
        m_http->cancel(); // the HttpJob reports Cancelled through the normal path
    else
        failWith(ApiError::make(ApiError::Kind::Cancelled));
}

void ApiJob::setHttpJob(HttpJob* job)
{
    m_http = job;
    connect(job, &HttpJob::downloadProgress, this, &ApiJob::progress);
}

void ApiJob::emitFinished()
{
    m_finished = true;
    Q_EMIT finished();
    deleteLater();
}

} // namespace Pixapi
