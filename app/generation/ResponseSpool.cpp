#include "generation/ResponseSpool.h"

#include "generation/TaskStore.h"
#include "support/Logging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUuid>

namespace Pixapi {
namespace {

const QString ResponseFile = QStringLiteral("response.json");

QString imageFile(int index)
{
    return QStringLiteral("image-%1.bin").arg(index);
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}

// The request's fields as a task row keeps them (TaskRow's params codec, with its checks on reading), plus the rest
// of the context.
QJsonObject contextToJson(const ResultSaver::Context& context)
{
    const QString params = TaskRow::paramsJson(context.params, context.creditsPerImage, context.parentIds,
                                               {QString(), context.inputImages, context.masked});
    QJsonObject json = QJsonDocument::fromJson(params.toUtf8()).object();
    json.insert(QStringLiteral("account_id"), context.accountId);
    json.insert(QStringLiteral("duration_ms"), context.durationMs);
    json.insert(QStringLiteral("task_id"), context.taskId);
    return json;
}

ResultSaver::Context contextFromJson(const QJsonObject& json)
{
    TaskRow row;
    row.readParamsJson(QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact)));
    ResultSaver::Context context;
    context.params = row.params;
    context.creditsPerImage = row.creditsPerImage;
    context.parentIds = row.parentIds;
    context.inputImages = row.origin.inputImages;
    context.masked = row.origin.masked;
    context.accountId = json.value(QLatin1String("account_id")).toString();
    context.durationMs = json.value(QLatin1String("duration_ms")).toInteger(-1);
    context.taskId = json.value(QLatin1String("task_id")).toString();
    return context;
}

// Reads one complete entry; nothing when its files do not add up.
std::optional<SpooledResponse> readEntry(const QDir& dir)
{
    QFile file(dir.filePath(ResponseFile));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray images = json.value(QLatin1String("images")).toArray();
    if (images.isEmpty())
        return std::nullopt;
    SpooledResponse entry;
    entry.id = dir.dirName();
    entry.context = contextFromJson(json.value(QLatin1String("context")).toObject());
    GenerationResponse& response = entry.response;
    response.created = json.value(QLatin1String("created")).toInteger();
    response.requestId = json.value(QLatin1String("request_id")).toString();
    if (json.value(QLatin1String("credits")).isDouble())
        response.credits = json.value(QLatin1String("credits")).toDouble();
    for (int i = 0; i < images.size(); ++i) {
        const QJsonObject item = images.at(i).toObject();
        GeneratedImage image;
        image.url = QUrl(item.value(QLatin1String("url")).toString());
        image.revisedPrompt = item.value(QLatin1String("revised_prompt")).toString();
        if (item.value(QLatin1String("stored")).toBool()) {
            QFile bytes(dir.filePath(imageFile(i)));
            if (!bytes.open(QIODevice::ReadOnly))
                return std::nullopt;
            image.bytes = bytes.readAll();
        }
        if (const QString error = item.value(QLatin1String("error")).toString(); !error.isEmpty()) {
            image.error = ApiError::make(ApiError::kindFromName(error).value_or(ApiError::Kind::MalformedResponse),
                                         item.value(QLatin1String("error_detail")).toString());
        } else if (image.bytes.isEmpty() && !image.url.isValid()) {
            return std::nullopt;
        }
        response.images.append(image);
    }
    return entry;
}

} // namespace

ResponseSpool::ResponseSpool(QString libraryRoot)
    : m_root(std::move(libraryRoot))
{ }

QString ResponseSpool::directory() const
{
    return m_root + QStringLiteral("/incoming");
}

Result<QString, ApiError> ResponseSpool::write(const GenerationResponse& response,
                                               const ResultSaver::Context& context) const
{
    const auto failure = [](const QString& detail) {
        return Result<QString, ApiError>::failure(ApiError::make(ApiError::Kind::StorageError, detail));
    };
    // Time first, so a directory listing is in arrival order.
    const QString id = QStringLiteral("%1-%2")
                           .arg(QDateTime::currentMSecsSinceEpoch())
                           .arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
    const QDir dir(directory() + QLatin1Char('/') + id);
    if (!dir.mkpath(QStringLiteral(".")))
        return failure(QStringLiteral("cannot create %1").arg(dir.path()));
    QJsonArray images;
    for (int i = 0; i < response.images.size(); ++i) {
        const GeneratedImage& image = response.images.at(i);
        if (!image.bytes.isEmpty() && !writeFile(dir.filePath(imageFile(i)), image.bytes))
            return failure(QStringLiteral("cannot write %1").arg(dir.filePath(imageFile(i))));
        QJsonObject item {{QStringLiteral("stored"), !image.bytes.isEmpty()},
                          {QStringLiteral("url"), image.url.toString()},
                          {QStringLiteral("revised_prompt"), image.revisedPrompt}};
        if (image.error) {
            item.insert(QStringLiteral("error"), ApiError::kindName(image.error->kind));
            item.insert(QStringLiteral("error_detail"), image.error->detail);
        }
        images.append(item);
    }
    QJsonObject json {{QStringLiteral("created"), response.created},
                      {QStringLiteral("request_id"), response.requestId},
                      {QStringLiteral("images"), images},
                      {QStringLiteral("context"), contextToJson(context)}};
    if (response.credits)
        json.insert(QStringLiteral("credits"), *response.credits);
    if (!writeFile(dir.filePath(ResponseFile), QJsonDocument(json).toJson(QJsonDocument::Compact)))
        return failure(QStringLiteral("cannot write %1").arg(dir.filePath(ResponseFile)));
    return id;
}

QList<SpooledResponse> ResponseSpool::pending() const
{
    QList<SpooledResponse> entries;
    QDir spool(directory());
    const QStringList names = spool.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& name : names) {
        if (name.endsWith(QLatin1String(".unreadable")))
            continue;
        QDir dir(spool.filePath(name));
        if (!dir.exists(ResponseFile)) {
            dir.removeRecursively(); // cut short before it was complete: it never counted as received
            continue;
        }
        if (auto entry = readEntry(dir)) {
            entries.append(*entry);
            continue;
        }
        qCWarning(lcGeneration) << "spooled response" << name << "is unreadable; kept aside";
        spool.rename(name, name + QStringLiteral(".unreadable"));
    }
    return entries;
}

void ResponseSpool::remove(const QString& id) const
{
    if (!id.isEmpty())
        QDir(directory() + QLatin1Char('/') + id).removeRecursively();
}

} // namespace Pixapi
