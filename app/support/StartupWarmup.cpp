#include "support/StartupWarmup.h"

#include <QFontDatabase>
#include <QImageReader>
#include <QThreadPool>

namespace Pixapi {

void warmUpInBackground()
{
    // On a thread of its own beyond the pool's limit: the pool's threads stay free for the first page and its
    // thumbnails, and the application's exit still waits for it (it waits for the global pool).
    QThreadPool* pool = QThreadPool::globalInstance();
    pool->reserveThread();
    pool->startOnReservedThread([] {
        QFontDatabase::families();             // populates the font database
        QImageReader::supportedImageFormats(); // instantiates every image format plugin
    });
}

} // namespace Pixapi
