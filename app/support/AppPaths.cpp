#include "support/AppPaths.h"

#include <QDir>
#include <QMutex>
#include <QMutexLocker>
#include <QStandardPaths>

namespace Pixapi {

namespace {

// Read from worker threads (library, thumbnails), hence the mutex.
QMutex& overrideMutex()
{
    static QMutex mutex;
    return mutex;
}

QString& dataDirOverride()
{
    static QString dir;
    return dir;
}

// The explicit override or $PIXAPI_DATA_DIR; empty when neither is set.
QString overriddenDataDir()
{
    {
        QMutexLocker locker(&overrideMutex());
        if (!dataDirOverride().isEmpty())
            return dataDirOverride();
    }
    const QString fromEnv = qEnvironmentVariable("PIXAPI_DATA_DIR");
    return fromEnv.isEmpty() ? QString() : QDir::cleanPath(QDir(fromEnv).absolutePath());
}

} // namespace

QString AppPaths::dataDir()
{
    const QString overridden = overriddenDataDir();
    return overridden.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : overridden;
}

QString AppPaths::libraryDir()
{
    return dataDir() + QStringLiteral("/library");
}

QString AppPaths::cacheDir()
{
    const QString overridden = overriddenDataDir();
    return overridden.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
                                : overridden + QStringLiteral("/cache");
}

void AppPaths::setDataDirOverride(const QString& dir)
{
    QMutexLocker locker(&overrideMutex());
    dataDirOverride() = dir.isEmpty() ? QString() : QDir::cleanPath(QDir(dir).absolutePath());
}

} // namespace Pixapi
