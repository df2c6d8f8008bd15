#include "generation/GenerationJob.h"

#include "api/PixapiClient.h"
#include "generation/ResultSaver.h"
#include "support/Logging.h"

namespace Pixapi {

GenerationJob::GenerationJob(PixapiClient* client, Library* library, GenerationParams params, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_library(library)
    , m_params(std::move(params))
{ }

void GenerationJob::start()
{
    if (m_started)
        return;
    m_started = true;
    m_timer.start();
    Q_EMIT stageChanged(tr("Generating…"));
    GenerateJob* job = m_client->generate(m_params, m_edit);
    m_request = job;
    connect(job, &ApiJob::retryScheduled, this,
            [this](int delayMs, int httpStatus) { Q_EMIT stageChanged(retryStage(delayMs, httpStatus)); });
    connect(job, &ApiJob::finished, this, [this, job] {
        m_requestMs = m_timer.elapsed();
        if (!job->result().ok()) {
            m_outcome.error = job->result().error();
            qCInfo(lcGeneration) << "generation failed:" << ApiError::kindName(m_outcome.error->kind);
            finish();
            return;
        }
        onResponse(job->result().value());
    });
}

QString GenerationJob::retryStage(int delayMs, int httpStatus)
{
    const int seconds = std::max(1, (delayMs + 999) / 1000);
    return tr("The server is busy (HTTP %1) and did not take the request, so nothing was charged. Sending it again in "
              "%n second(s)…",
              nullptr, seconds)
        .arg(httpStatus);
}

void GenerationJob::cancel()
{
    // Only the request itself can be cancelled; images already paid for are still fetched and saved.
    if (m_request && !m_saver)
        m_request->cancel();
}

void GenerationJob::onResponse(const GenerationResponse& response)
{
    m_saver = new ResultSaver(m_client, m_library, this);
    connect(m_saver, &ResultSaver::imageSaved, this, &GenerationJob::imageSaved);
    connect(m_saver, &ResultSaver::finished, this, [this] {
        m_outcome = m_saver->outcome();
        finish();
    });
    Q_EMIT stageChanged(tr("Saving %n image(s)…", nullptr, int(response.images.size())));
    m_saver->save(response, {m_params,
                             m_accountId,
                             m_creditsPerImage,
                             m_requestMs,
                             {},
                             m_parentIds,
                             static_cast<int>(m_edit.images.size()),
                             !m_edit.maskPng.isEmpty()});
}

void GenerationJob::finish()
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(m_outcome);
}

} // namespace Pixapi
