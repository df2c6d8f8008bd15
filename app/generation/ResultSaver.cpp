#include "generation/ResultSaver.h"

#include "api/PixapiClient.h"
#include "generation/ResponseSpool.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"
#include "support/WhenFinished.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Pixapi {

ResultSaver::ResultSaver(PixapiClient* client, Library* library, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_library(library)
{ }

void ResultSaver::save(const GenerationResponse& response, Context context)
{
    begin(response, std::move(context));
    // Async answers are not spooled: their task row already brings them back after a crash.
    if (m_pending == 0 || !m_context.taskId.isEmpty() || !m_library) {
        storeAll();
        return;
    }
    const ResponseSpool spool(m_library->rootDir());
    whenFinished(this, runInBackground([spool, response = m_response, context = m_context] {
                     return spool.write(response, context);
                 }),
                 [this](const Result<QString, ApiError>& written) {
                     if (written.ok()) {
                         m_spoolId = written.value();
                         qCInfo(lcGeneration) << "received request" << m_response.requestId << "with"
                                              << m_response.images.size() << "image(s); spooled as" << m_spoolId;
                     } else {
                         // The spool is a safety net: without it the images are still saved now.
                         qCWarning(lcGeneration) << "could not spool the response:" << written.error().detail;
                     }
                     storeAll();
                 });
}

void ResultSaver::recover(const SpooledResponse& spooled)
{
    Context context = spooled.context;
    context.replay = true;
    begin(spooled.response, std::move(context));
    m_spoolId = spooled.id;
    qCInfo(lcGeneration) << "recovering request" << m_response.requestId << "from the spool";
    storeAll();
}

void ResultSaver::begin(const GenerationResponse& response, Context context)
{
    m_response = response;
    m_context = std::move(context);
    if (m_response.requestId.isEmpty())
        m_response.requestId = m_context.taskId;
    m_outcome = {};
    m_outcome.expected = int(response.images.size());
    m_pending = int(response.images.size());
}

void ResultSaver::storeAll()
{
    if (m_pending == 0) {
        Q_EMIT finished();
        return;
    }
    for (int i = 0; i < m_response.images.size(); ++i) {
        const GeneratedImage& image = m_response.images.at(i);
        if (image.error) { // sent broken: counted as expected and failed, the others are saved
            imageFailed(*image.error);
            imageDone();
            continue;
        }
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

void ResultSaver::storeImage(int index, QByteArray bytes)
{
    if (!m_library) {
        imageFailed(ApiError::make(ApiError::Kind::StorageError));
        imageDone();
        return;
    }
    const GenerationParams& params = m_context.params;
    ImageToStore item;
    item.bytes = std::move(bytes);
    item.prompt = params.prompt;
    item.model = params.model;
    item.params = QJsonObject {{QStringLiteral("n"), params.n},
                               {QStringLiteral("size"), params.size},
                               {QStringLiteral("quality"), params.quality},
                               {QStringLiteral("response_format"), params.responseFormat},
                               {QStringLiteral("index"), index}};
    if (!m_response.images.at(index).revisedPrompt.isEmpty())
        item.params.insert(QStringLiteral("revised_prompt"), m_response.images.at(index).revisedPrompt);
    if (!m_context.taskId.isEmpty())
        item.params.insert(QStringLiteral("task_id"), m_context.taskId);
    if (m_context.inputImages > 0) {
        // The inputs in the order they were sent (the library keeps parents as a set): the mask went with the first.
        QJsonArray inputIds;
        for (const qint64 id : m_context.parentIds.mid(0, m_context.inputImages))
            inputIds.append(id);
        item.params.insert(QStringLiteral("input_images"), m_context.inputImages);
        item.params.insert(QStringLiteral("input_ids"), inputIds);
        item.params.insert(QStringLiteral("mask"), m_context.masked);
    }
    item.index = index;
    item.accountId = m_context.accountId;
    item.requestId = m_response.requestId;
    item.createdAt = m_response.created > 0 ? QDateTime::fromSecsSinceEpoch(m_response.created, Qt::UTC)
                                            : QDateTime::currentDateTimeUtc();
    if (m_response.credits && m_outcome.expected > 0)
        item.credits = *m_response.credits / m_outcome.expected;
    else
        item.credits = m_context.creditsPerImage;
    item.durationMs = m_context.durationMs;
    item.parentIds = m_context.parentIds;
    item.replay = m_context.replay;

    whenFinished(this, m_library->store(std::move(item)), [this](const Result<LibraryRecord, ApiError>& result) {
        if (result.ok()) {
            m_outcome.saved << result.value();
            Q_EMIT imageSaved(result.value());
        } else {
            imageFailed(result.error());
        }
        imageDone();
    });
}

void ResultSaver::imageFailed(const ApiError& error)
{
    qCWarning(lcGeneration) << "image could not be saved:" << ApiError::kindName(error.kind);
    if (!m_outcome.error) {
        m_outcome.error = error;
        m_outcome.error->mayHaveBeenProcessed = true; // the server answered: this image was paid for
    }
}

void ResultSaver::imageDone()
{
    if (--m_pending > 0)
        return;
    // Kept when the library could not take an image: the next start tries again. Anything else (an image the server
    // sent broken, a URL that no longer answers) would fail the same way every time.
    const bool storageFailed = m_outcome.error && m_outcome.error->kind == ApiError::Kind::StorageError;
    if (!m_spoolId.isEmpty() && m_library && !storageFailed)
        ResponseSpool(m_library->rootDir()).remove(m_spoolId);
    Q_EMIT finished();
}

} // namespace Pixapi
