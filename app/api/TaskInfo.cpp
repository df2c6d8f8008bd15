#include "api/TaskInfo.h"

namespace Pixapi {

TaskInfo::Status TaskInfo::statusFromText(const QString& text)
{
    const QString s = text.trimmed().toLower();
    if (s == QLatin1String("submitted"))
        return Status::Submitted;
    if (s == QLatin1String("queued") || s == QLatin1String("pending"))
        return Status::Queued;
    if (s == QLatin1String("processing") || s == QLatin1String("in_progress") || s == QLatin1String("running"))
        return Status::Processing;
    if (s == QLatin1String("completed"))
        return Status::Completed;
    if (s == QLatin1String("failed"))
        return Status::Failed;
    return Status::Unknown;
}

QString TaskInfo::statusName(Status status)
{
    switch (status) {
    case Status::Submitted:
        return QStringLiteral("submitted");
    case Status::Queued:
        return QStringLiteral("queued");
    case Status::Processing:
        return QStringLiteral("processing");
    case Status::Completed:
        return QStringLiteral("completed");
    case Status::Failed:
        return QStringLiteral("failed");
    case Status::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace Pixapi
