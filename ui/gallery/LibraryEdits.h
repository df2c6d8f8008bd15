#pragma once

#include "api/ApiError.h"
#include "support/Result.h"
#include "support/WhenFinished.h"

#include <QList>
#include <QObject>

#include <functional>
#include <memory>

namespace Pixapi {

// One library edit of one image, started when run.
struct EditJob
{
    qint64 id = 0;
    std::function<QFuture<Result<bool, ApiError>>()> start;
};

// Runs the edits together and calls `done(ids of the images all of whose edits succeeded, first error message)`
// once, after the last answer (at once when there is nothing to do).
template <typename Done>
void runEdits(QObject* context, const QList<EditJob>& jobs, Done done)
{
    struct Batch
    {
        qsizetype pending = 0;
        QList<qint64> ids;
        QList<qint64> failedIds;
        QString firstError;
    };
    if (jobs.isEmpty()) {
        done(QList<qint64>(), QString());
        return;
    }
    auto batch = std::make_shared<Batch>();
    batch->pending = jobs.size();
    auto finish = std::make_shared<Done>(std::move(done));
    for (const EditJob& job : jobs) {
        if (!batch->ids.contains(job.id))
            batch->ids << job.id;
        whenFinished(context, job.start(), [id = job.id, batch, finish](const Result<bool, ApiError>& result) {
            if (!result.ok()) {
                batch->failedIds << id;
                if (batch->firstError.isEmpty())
                    batch->firstError = result.error().userMessage();
            }
            if (--batch->pending > 0)
                return;
            QList<qint64> succeeded;
            for (const qint64 each : std::as_const(batch->ids)) {
                if (!batch->failedIds.contains(each))
                    succeeded << each;
            }
            (*finish)(succeeded, batch->firstError);
        });
    }
}

// The same edit for each of `ids`: `edit(id)` starts it.
template <typename Edit, typename Done>
void editEach(QObject* context, const QList<qint64>& ids, Edit edit, Done done)
{
    QList<EditJob> jobs;
    for (const qint64 id : ids)
        jobs.append({id, [edit, id] { return edit(id); }});
    runEdits(context, jobs, std::move(done));
}

} // namespace Pixapi
