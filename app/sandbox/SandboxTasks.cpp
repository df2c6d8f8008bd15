#include "sandbox/SandboxTasks.h"

#include "sandbox/SandboxFileStore.h"
#include "sandbox/SandboxLedger.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>

namespace Pixapi {

namespace {

const QString kStatus = QStringLiteral("status");
const QString kProgress = QStringLiteral("progress");

QJsonObject taskError(const QString& code, const QString& message)
{
    return {{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
}

} // namespace

QString SandboxTasks::failMarker()
{
    return QStringLiteral("[sandbox:fail]");
}

QString SandboxTasks::limboMarker()
{
    return QStringLiteral("[sandbox:limbo]");
}

void SandboxTasks::setTimings(int queuedMs, int processingMs)
{
    const QMutexLocker lock(&m_mutex);
    m_queuedMs = std::max(0, queuedMs);
    m_processingMs = std::max(0, processingMs);
}

QString SandboxTasks::newTaskId()
{
    // ULID-like: 10 characters of millisecond time, 16 random, Crockford base32.
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    QString id = QStringLiteral("task_");
    quint64 time = quint64(QDateTime::currentMSecsSinceEpoch());
    QString timePart;
    for (int i = 0; i < 10; ++i, time >>= 5)
        timePart.prepend(QLatin1Char(alphabet[time & 31]));
    id += timePart;
    for (int i = 0; i < 16; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(32)]);
    return id;
}

QJsonObject SandboxTasks::create(const SandboxGeneration& request)
{
    Task task;
    task.id = newTaskId();
    task.request = request;
    task.clock.start();
    task.createdAt = QDateTime::currentSecsSinceEpoch();
    const QMutexLocker lock(&m_mutex);
    task.queuedMs = m_queuedMs;
    task.processingMs = m_processingMs;
    QJsonObject json = base(task);
    json.insert(kStatus, QStringLiteral("submitted"));
    json.insert(kProgress, 0);
    m_tasks.insert(task.id, std::move(task));
    return json;
}

QJsonObject SandboxTasks::base(const Task& task) const
{
    return {{QStringLiteral("id"), task.id},
            {QStringLiteral("created_at"), task.createdAt},
            {QStringLiteral("model"), task.request.model->id}};
}

std::optional<QJsonObject> SandboxTasks::observe(const QString& id, SandboxLedger& ledger, SandboxFileStore& files,
                                                 const QUrl& baseUrl)
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_tasks.find(id);
    if (it == m_tasks.end())
        return std::nullopt;
    Task& task = *it;
    if (task.terminal)
        return *task.terminal;

    const qint64 elapsed = task.clock.elapsed();
    QJsonObject json = base(task);
    if (elapsed < task.queuedMs) {
        json.insert(kStatus, QStringLiteral("queued"));
        json.insert(kProgress, 0);
        return json;
    }
    if (task.request.prompt.contains(limboMarker())) {
        json.insert(kStatus, QStringLiteral("awaiting_review"));
        json.insert(kProgress, 0);
        return json;
    }
    if (elapsed < task.queuedMs + task.processingMs) {
        const qint64 done = elapsed - task.queuedMs;
        json.insert(kStatus, QStringLiteral("processing"));
        json.insert(kProgress, 1 + int(98 * done / std::max(1, task.processingMs)));
        return json;
    }
    task.terminal = finish(task, ledger, files, baseUrl);
    return *task.terminal;
}

QJsonObject SandboxTasks::finish(Task& task, SandboxLedger& ledger, SandboxFileStore& files, const QUrl& baseUrl) const
{
    QJsonObject json = base(task);
    const SandboxGeneration& request = task.request;
    auto failed = [&json](const QJsonObject& error) {
        json.insert(kStatus, QStringLiteral("failed"));
        json.insert(kProgress, 100);
        json.insert(QStringLiteral("error"), error);
        return json;
    };
    if (request.prompt.contains(failMarker()))
        return failed(taskError(QStringLiteral("generation_failed"),
                                QStringLiteral("The provider could not generate this image.")));
    // Charged on successful output only (contract §7), exactly once: the terminal answer is kept.
    if (!ledger.charge(request.model->id, request.cost(), request.prompt))
        return failed(
            taskError(QStringLiteral("insufficient_credits"), QStringLiteral("Not enough credits for this request.")));

    const QJsonArray data = request.render(files, baseUrl);
    json.insert(kStatus, QStringLiteral("completed"));
    json.insert(kProgress, 100);
    json.insert(QStringLiteral("result"), QJsonObject {{QStringLiteral("created"), QDateTime::currentSecsSinceEpoch()},
                                                       {QStringLiteral("data"), data}});
    return json;
}

} // namespace Pixapi
