#include "generation/TaskStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

// TaskRow's pure part: its names and its params_json column (fuzzed in tests/fuzz, no database needed).
namespace Pixapi {

QString TaskRow::stateName(State state)
{
    switch (state) {
    case State::Submitting:
        return QStringLiteral("submitting");
    case State::Running:
        return QStringLiteral("running");
    case State::Completed:
        return QStringLiteral("completed");
    case State::Failed:
        return QStringLiteral("failed");
    case State::CancelledLocally:
        return QStringLiteral("cancelled_locally");
    case State::Orphaned:
        return QStringLiteral("orphaned");
    case State::Dismissed:
        return QStringLiteral("dismissed");
    }
    return {};
}

std::optional<TaskRow::State> TaskRow::stateFromName(const QString& name)
{
    for (State state : {State::Submitting, State::Running, State::Completed, State::Failed, State::CancelledLocally,
                        State::Orphaned, State::Dismissed}) {
        if (stateName(state) == name)
            return state;
    }
    return std::nullopt;
}

QString TaskRow::paramsJson(const GenerationParams& params, std::optional<double> creditsPerImage,
                            const QList<qint64>& parentIds, const Origin& origin)
{
    QJsonObject json {{QStringLiteral("model"), params.model},
                      {QStringLiteral("prompt"), params.prompt},
                      {QStringLiteral("n"), params.n},
                      {QStringLiteral("size"), params.size},
                      {QStringLiteral("quality"), params.quality},
                      {QStringLiteral("response_format"), params.responseFormat}};
    if (creditsPerImage)
        json.insert(QStringLiteral("credits_per_image"), *creditsPerImage);
    if (!parentIds.isEmpty()) {
        QJsonArray parents;
        for (const qint64 id : parentIds)
            parents.append(id); // ids stay far below 2^53, exact as JSON numbers
        json.insert(QStringLiteral("parent_ids"), parents);
    }
    if (!origin.source.isEmpty())
        json.insert(QStringLiteral("source"), origin.source);
    if (origin.inputImages > 0) {
        json.insert(QStringLiteral("input_images"), origin.inputImages);
        json.insert(QStringLiteral("mask"), origin.masked);
    }
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

void TaskRow::readParamsJson(const QString& text)
{
    const QJsonObject json = QJsonDocument::fromJson(text.toUtf8()).object();
    params.model = json.value(QLatin1String("model")).toString();
    params.prompt = json.value(QLatin1String("prompt")).toString();
    // Whatever the file says: a request asks for one image at least (n is what an unanswered task is charged for).
    params.n = qMax(1, json.value(QLatin1String("n")).toInt(1));
    params.size = json.value(QLatin1String("size")).toString();
    params.quality = json.value(QLatin1String("quality")).toString();
    params.responseFormat = json.value(QLatin1String("response_format")).toString();
    const QJsonValue credits = json.value(QLatin1String("credits_per_image"));
    if (credits.isDouble() && std::isfinite(credits.toDouble()) && credits.toDouble() >= 0)
        creditsPerImage = credits.toDouble();
    const QJsonArray parents = json.value(QLatin1String("parent_ids")).toArray();
    for (const QJsonValue& parent : parents) {
        if (const qint64 id = parent.toInteger(); id > 0) // library ids start at 1
            parentIds.append(id);
    }
    origin.source = json.value(QLatin1String("source")).toString();
    origin.inputImages =
        std::clamp(json.value(QLatin1String("input_images")).toInt(0), 0, 64); // a sane count, whatever the file says
    origin.masked = json.value(QLatin1String("mask")).toBool(false);
}

} // namespace Pixapi
