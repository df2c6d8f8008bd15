#pragma once

#include "api/ApiError.h"
#include "support/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QMutex>
#include <QSet>
#include <QString>

namespace Pixapi {

// What the bytes of an image are, as read from their content (never from a name or a server's claim).
struct ImageInfo
{
    QString format;    // QImageReader's name: "png", "jpeg", "webp", "gif"
    QString extension; // file suffix without the dot: "png", "jpg", "webp", "gif"
    int width = 0;
    int height = 0;
};

// The files of the library: validates image bytes and writes them atomically under rootDir. Thread-safe.
class ImageStore
{
public:
    explicit ImageStore(QString rootDir);

    // Decodes the bytes once to prove they are a complete image of a supported format; InvalidImage otherwise.
    static Result<ImageInfo, ApiError> inspect(const QByteArray& bytes);
    static QString sha256Hex(const QByteArray& bytes);
    // "images/YYYY/MM/<yyyyMMdd-HHmmss>-<first 12 hex of sha>-<index>.<ext>", times in UTC.
    static QString relativeFileName(const QDateTime& createdAt, const QString& sha256, int index,
                                    const QString& extension);

    // Writes the bytes with QSaveFile under relativeName, or under a "_2", "_3", ... variant when a file or another
    // write in flight already uses that name. Returns the absolute path; on failure nothing is left behind.
    Result<QString, ApiError> write(const QByteArray& bytes, const QString& relativeName);
    // Removes a file written by write() (rollback when indexing it failed).
    bool remove(const QString& absolutePath);

    QString rootDir() const { return m_rootDir; }

private:
    QString reserveName(const QString& relativeName);
    void releaseName(const QString& relativeName);

    const QString m_rootDir;
    QMutex m_mutex;
    QSet<QString> m_inFlight; // relative names being written right now
};

} // namespace Pixapi
