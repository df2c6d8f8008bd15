#include "SelfTest.h"

#include "catalog/ModelCatalog.h"
#include "generation/GenerationJob.h"
#include "library/Library.h"

#include <QFileInfo>

namespace Pixapi {

SelfTest::SelfTest(AppServices services, QObject* parent)
    : QObject(parent)
    , m_services(std::move(services))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] { finish(false, tr("self-test failed: timed out")); });
}

void SelfTest::start(int timeoutMs)
{
    m_timeout.start(timeoutMs);
    m_countBefore = m_services.library->count();
    if (!m_services.enableSandbox || !m_services.enableSandbox()) {
        finish(false, tr("self-test failed: the sandbox server did not start"));
        return;
    }
    connect(m_services.catalog, &ModelCatalog::modelsChanged, this, &SelfTest::generate, Qt::SingleShotConnection);
    connect(m_services.catalog, &ModelCatalog::refreshFailed, this, [this](const ApiError& error) {
        finish(false, tr("self-test failed: models: %1").arg(error.userMessage()));
    });
    m_services.catalog->refresh();
}

void SelfTest::generate()
{
    const QList<ModelInfo> models = m_services.catalog->imageModels();
    if (models.isEmpty()) {
        finish(false, tr("self-test failed: the sandbox offers no image model"));
        return;
    }
    GenerationParams params;
    params.model = models.first().id;
    params.prompt = QStringLiteral("Pixapi Studio self-test");
    params.n = 1;
    auto* job = new GenerationJob(m_services.client, m_services.library, params, this);
    connect(job, &GenerationJob::finished, this, &SelfTest::check);
    job->start();
}

void SelfTest::check(const GenerationOutcome& outcome)
{
    if (!outcome.complete()) {
        finish(
            false,
            tr("self-test failed: %1").arg(outcome.error ? outcome.error->userMessage() : tr("no image was returned")));
        return;
    }
    const LibraryRecord& record = outcome.saved.first();
    const QList<LibraryRecord> newest = m_services.library->recent(1);
    if (!QFileInfo(record.filePath).isFile()) {
        finish(false, tr("self-test failed: %1 is not on disk").arg(record.filePath));
        return;
    }
    if (newest.isEmpty() || newest.first().id != record.id || m_services.library->count() != m_countBefore + 1) {
        finish(false, tr("self-test failed: the image is not in the library index"));
        return;
    }
    finish(true, tr("self-test ok: %1 %2×%3 image saved to %4")
                     .arg(record.model)
                     .arg(record.width)
                     .arg(record.height)
                     .arg(record.filePath));
}

void SelfTest::finish(bool ok, const QString& summary)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    Q_EMIT finished(ok, summary);
}

} // namespace Pixapi
