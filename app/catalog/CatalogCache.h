#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QUrl>

#include <optional>

namespace Pixapi {

// The last GET /v1/models answer that parsed, one file per server, so the app starts offline with a (stale) catalog.
// Files are JSON wrappers {version, source, fetched_at, body} written atomically; any file that does not read back
// exactly (wrong version, other source, bad time, not JSON) counts as absent and is overwritten by the next store().
class CatalogCache
{
public:
    struct Entry
    {
        QByteArray body; // the raw /v1/models body as the server sent it
        QDateTime fetchedAt;
    };

    // `dir` empty: <AppPaths::cacheDir()>/catalog, resolved on each call (tests override AppPaths).
    explicit CatalogCache(const QString& dir = {});

    // `source` identifies the server: the models endpoint URL (PixapiClient::endpoint("models")).
    std::optional<Entry> load(const QUrl& source) const;
    bool store(const QUrl& source, const QByteArray& body, const QDateTime& fetchedAt) const;
    QString filePath(const QUrl& source) const;

private:
    QString directory() const;
    QString m_dir;
};

} // namespace Pixapi
