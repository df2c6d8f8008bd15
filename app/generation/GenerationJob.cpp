#include "generation/GenerationJob.h"

#include "api/PixapiClient.h"
#include "support/Logging.h"

#include <QFutureWatcher>
#include <QJsonObject>

namespace Pixapi {

GenerationJob::GenerationJob(PixapiClient* client, Library* library, GenerationParams params, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_library(library)
    , m_params(std::move(params))
{
}

void GenerationJob::start()
{
    if (m_started)
        return;
    m_started = true;
    m_timer.start();
    Q_EMIT stageChanged(tr("Generating…"));
    GenerateJob* job = m_client->generate(m_params);
    m_request = job;
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

void GenerationJob::cancel()
{
    // Only the request itself can be cancelled; images already paid for are still fetched and saved.
    if (m_request && m_response.images.isEmpty())
        m_request->cancel();
}

void GenerationJob::onResponse(const GenerationResponse& response)
{
    m_response = response;
    m_outcome.expected = int(response.images.size());
    m_pending = int(response.images.size());
    Q_EMIT stageChanged(tr("Saving %n image(s)…", nullptr, m_pending));
    for (int i = 0; i < response.images.size(); ++i) {
        const GeneratedImage& image = response.images.at(i);
        if (!image.bytes.isEmpty()) {
            storeImage(i, image.bytes);
            continue;
        }
        DownloadJob* download = m_client->downloadImage(image.url);
        connect(download, &ApiJob::finished, this, [this, download, i] {
            if (download->result().ok()) {
                storeImage(i, download->result().value());
            } else {
                imageFailed(download->result().error());
                imageDone();
            }
        });
    }
}

void GenerationJob::storeImage(int index, QByteArray bytes)
{
    if (!m_library) {
        imageFailed(ApiError::make(ApiError::Kind::StorageError));
        imageDone();
        return;
    }
    ImageToStore item;
    item.bytes = std::move(bytes);
    item.prompt = m_params.prompt;
    item.model = m_params.model;
    item.params = QJsonObject{{QStringLiteral("n"), m_params.n},
                              {QStringLiteral("size"), m_params.size},
                              {QStringLiteral("quality"), m_params.quality},
                              {QStringLiteral("response_format"), m_params.responseFormat},
                              {QStringLiteral("index"), index}};
    if (!m_response.images.at(index).revisedPrompt.isEmpty())
        item.params.insert(QStringLiteral("revised_prompt"), m_response.images.at(index).revisedPrompt);
    item.index = index;
    item.accountId = m_accountId;
    item.requestId = m_response.requestId;
    item.createdAt = m_response.created > 0 ? QDateTime::fromSecsSinceEpoch(m_response.created, Qt::UTC)
                                            : QDateTime::currentDateTimeUtc();
    if (m_response.credits && m_outcome.expected > 0)
        item.credits = *m_response.credits / m_outcome.expected;
    else
        item.credits = m_creditsPerImage;
    item.durationMs = m_requestMs;

    auto* watcher = new QFutureWatcher<Result<LibraryRecord, ApiError>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        const auto result = watcher->result();
        watcher->deleteLater();
        if (result.ok()) {
            m_outcome.saved << result.value();
            Q_EMIT imageSaved(result.value());
        } else {
            imageFailed(result.error());
        }
        imageDone();
    });
    watcher->setFuture(m_library->store(std::move(item)));
}

void GenerationJob::imageFailed(const ApiError& error)
{
    qCWarning(lcGeneration) << "image could not be saved:" << ApiError::kindName(error.kind);
    if (!m_outcome.error) {
        m_outcome.error = error;
        m_outcome.error->mayHaveBeenProcessed = true; // the server answered: this image was paid for
    }
}

void GenerationJob::imageDone()
{
    if (--m_pending == 0)
        finish();
}

void GenerationJob::finish()
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT finished(m_outcome);
}

} // namespace Pixapi
