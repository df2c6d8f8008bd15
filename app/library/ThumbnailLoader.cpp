#include "library/ThumbnailLoader.h"

#include "support/Logging.h"

#include <QFutureWatcher>
#include <QImageReader>
#include <QtConcurrent/QtConcurrentRun>

namespace Pixapi {

ThumbnailLoader::ThumbnailLoader(QObject* parent)
    : QObject(parent)
{
    // Two threads: enough to keep up with a generation, without competing with the library's writes for all cores.
    m_pool.setMaxThreadCount(2);
}

ThumbnailLoader::~ThumbnailLoader()
{
    m_pool.clear();
    m_pool.waitForDone();
}

void ThumbnailLoader::setMaxEdge(int pixels)
{
    m_maxEdge = qMax(16, pixels);
}

void ThumbnailLoader::request(const QString& filePath)
{
    if (m_pending.contains(filePath))
        return;
    m_pending.insert(filePath);
    auto* watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, filePath] {
        watcher->deleteLater();
        m_pending.remove(filePath);
        Q_EMIT loaded(filePath, watcher->future().resultCount() > 0 ? watcher->result() : QImage());
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, &ThumbnailLoader::load, filePath, m_maxEdge));
}

QImage ThumbnailLoader::load(const QString& filePath, int maxEdge)
{
    QImageReader reader(filePath);
    reader.setAutoTransform(true);
    // The scaled size applies before the EXIF transform; fitting into a square box makes the rotation irrelevant.
    const QSize stored = reader.size();
    if (stored.isValid() && (stored.width() > maxEdge || stored.height() > maxEdge))
        reader.setScaledSize(stored.scaled(maxEdge, maxEdge, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    QImage image = reader.read();
    if (image.isNull())
        qCWarning(lcLibrary).noquote() << "no thumbnail for" << filePath << '-' << reader.errorString();
    return image;
}

} // namespace Pixapi
