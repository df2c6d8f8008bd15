#pragma once

#include <QString>

namespace Pixapi {

// Where the application keeps its data. Everything goes through here so tests can point it at a temporary directory.
// Precedence: setDataDirOverride() > $PIXAPI_DATA_DIR > QStandardPaths.
class AppPaths
{
public:
    // The application's data root (AppDataLocation unless overridden).
    static QString dataDir();
    // The image library root: <dataDir>/library.
    static QString libraryDir();
    // Disposable caches (thumbnails): CacheLocation, or <override>/cache when the data dir is overridden.
    static QString cacheDir();

    // Overrides the data root for this process (tests, portable installs). An empty string removes the override.
    static void setDataDirOverride(const QString& dir);
};

} // namespace Pixapi
