#pragma once

#include <QImage>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

namespace Pixapi {

// A full-size image ready to paint: the decoded pixels plus halved copies (a mip chain) so a zoomed-out view can
// draw from a level close to its scale instead of shrinking 4k pixels on every paint.
struct DecodedImage
{
    QImage image;         // full size, EXIF orientation applied; null when it could not be read
    QList<QImage> halves; // image / 2, image / 4, ... down to a small edge
    QString error;        // for a person, when image is null
    bool isNull() const { return image.isNull(); }
};

// Decodes full-size images off the UI thread (QtConcurrent on a private pool) and keeps the last few results, so
// stepping back and forth and a preloaded next image show at once.
class ImageDecoder : public QObject
{
    Q_OBJECT

public:
    explicit ImageDecoder(QObject* parent = nullptr);
    ~ImageDecoder() override;

    // Asks for the image; decoded() follows on this object's thread, never from inside this call. A path already
    // being decoded is not decoded twice.
    void request(const QString& filePath);
    // Decodes ahead into the cache (decoded() is emitted for it too; ignore paths you did not ask for).
    void preload(const QString& filePath);
    bool isCached(const QString& filePath) const;

    // The decode itself; thread-safe.
    static DecodedImage decode(const QString& filePath);

Q_SIGNALS:
    void decoded(const QString& filePath, const Pixapi::DecodedImage& result);

private:
    void start(const QString& filePath);
    void remember(const QString& filePath, const DecodedImage& result);

    QThreadPool m_pool;
    QSet<QString> m_running;                         // paths being decoded
    QList<std::pair<QString, DecodedImage>> m_cache; // most recently used last
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::DecodedImage)
