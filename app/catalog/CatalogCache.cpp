#include "catalog/CatalogCache.h"

#include "support/AppPaths.h"
#include "support/Logging.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace Pixapi {
namespace {

constexpr int kFormatVersion = 1;
constexpr qint64 kMaxFileBytes = 16ll << 20; // a catalog is a few KB; anything this big is not ours

// The URL without user info or fragment: the same server always maps to the same file, and no secret reaches disk.
QString sourceKey(const QUrl& source)
{
    return source.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment | QUrl::StripTrailingSlash)
        .toString(QUrl::FullyEncoded);
}

} // namespace

CatalogCache::CatalogCache(const QString& dir)
    : m_dir(dir)
{ }

QString CatalogCache::directory() const
{
    return m_dir.isEmpty() ? AppPaths::cacheDir() + QStringLiteral("/catalog") : m_dir;
}

QString CatalogCache::filePath(const QUrl& source) const
{
    const QByteArray hash = QCryptographicHash::hash(sourceKey(source).toUtf8(), QCryptographicHash::Sha256).toHex();
    return directory() + QStringLiteral("/models-") + QString::fromLatin1(hash.left(32)) + QStringLiteral(".json");
}

std::optional<CatalogCache::Entry> CatalogCache::load(const QUrl& source) const
{
    QFile file(filePath(source));
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxFileBytes) {
        qCWarning(lcApi) << "catalog cache unreadable, ignored:" << file.fileName();
        return std::nullopt;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    const QJsonObject o = doc.object();
    // Range-checked before the conversion: a double beyond qint64 (1e300) does not convert (undefined behaviour;
    // found by fuzz_catalog, corpus_catalog/cache_huge_time.json).
    const double fetchedMs = o.value(QLatin1String("fetched_at")).toDouble(-1);
    const bool timeInRange = fetchedMs >= 0 && fetchedMs < 9e18;
    const QDateTime fetchedAt =
        timeInRange ? QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(fetchedMs), Qt::UTC) : QDateTime();
    const QJsonValue body = o.value(QLatin1String("body"));
    if (o.value(QLatin1String("version")).toInt() != kFormatVersion
        || o.value(QLatin1String("source")).toString() != sourceKey(source) || !timeInRange || !fetchedAt.isValid()
        || !body.isString()) {
        qCWarning(lcApi) << "catalog cache corrupt, ignored:" << file.fileName();
        return std::nullopt;
    }
    return Entry {body.toString().toUtf8(), fetchedAt};
}

bool CatalogCache::store(const QUrl& source, const QByteArray& body, const QDateTime& fetchedAt) const
{
    if (!QDir().mkpath(directory())) {
        qCWarning(lcApi) << "cannot create the catalog cache directory";
        return false;
    }
    const QJsonObject o {{QStringLiteral("version"), kFormatVersion},
                         {QStringLiteral("source"), sourceKey(source)},
                         {QStringLiteral("fetched_at"), double(fetchedAt.toMSecsSinceEpoch())},
                         {QStringLiteral("body"), QString::fromUtf8(body)}};
    QSaveFile file(filePath(source));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(o).toJson(QJsonDocument::Compact)) < 0
        || !file.commit()) {
        qCWarning(lcApi) << "catalog cache not written:" << file.errorString();
        return false;
    }
    return true;
}

} // namespace Pixapi
