#pragma once

#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

namespace Pixapi {

// Decodes thumbnails off the UI thread (QtConcurrent on a small private pool): QImageReader with a scaled size,
// so large images are never decoded in full, and autoTransform so EXIF orientation is respected.
class ThumbnailLoader : public QObject
{
    Q_OBJECT

public:
    explicit ThumbnailLoader(QObject* parent = nullptr);
    ~ThumbnailLoader() override;

    // Longest edge of the produced thumbnails, in pixels.
    void setMaxEdge(int pixels);
    int maxEdge() const { return m_maxEdge; }

    // Queues a decode; loaded() follows on this object's thread. A path already queued is not queued twice.
    void request(const QString& filePath);
    bool isPending(const QString& filePath) const { return m_pending.contains(filePath); }

    // The decode itself; thread-safe. A null image when the file is missing or not an image.
    static QImage load(const QString& filePath, int maxEdge);

Q_SIGNALS:
    // `image` is null when the file could not be read.
    void loaded(const QString& filePath, const QImage& image);

private:
    QThreadPool m_pool;
    QSet<QString> m_pending;
    int m_maxEdge = 256;
};

} // namespace Pixapi
