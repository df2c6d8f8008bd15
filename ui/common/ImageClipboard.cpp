#include "common/ImageClipboard.h"

#include "support/BackgroundWork.h"
#include "support/Logging.h"
#include "support/Result.h"
#include "support/WhenFinished.h"

#include <QClipboard>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QImageReader>
#include <QMimeData>
#include <QUrl>

namespace Pixapi {

namespace {

using Decoded = Result<QImage, QString>;

Decoded decode(const QString& path)
{
    QImageReader reader(path);
    reader.setDecideFormatFromContent(true);
    reader.setAutoTransform(true);
    QImage image;
    if (!reader.read(&image))
        return Decoded::failure(reader.errorString());
    return image;
}

} // namespace

ImageClipboard::ImageClipboard(QObject* parent)
    : QObject(parent)
{ }

void ImageClipboard::copy(const LibraryRecord& record)
{
    const quint64 generation = ++m_generation;
    whenFinished(this, runInBackground(&decode, record.filePath), [this, generation, record](const Decoded& decoded) {
        if (generation != m_generation)
            return; // replaced by a later copy
        if (!decoded) {
            qCWarning(lcUi) << "cannot copy image" << record.id << "to the clipboard";
            Q_EMIT failed(tr("Cannot copy %1: %2").arg(QFileInfo(record.filePath).fileName(), decoded.error()));
            return;
        }
        auto* data = new QMimeData;
        data->setImageData(decoded.value());
        data->setUrls({QUrl::fromLocalFile(record.filePath)});
        data->setText(record.prompt);
        QGuiApplication::clipboard()->setMimeData(data); // takes ownership
        Q_EMIT copied();
    });
}

void ImageClipboard::copy(const QList<LibraryRecord>& records)
{
    if (records.size() == 1) {
        copy(records.first());
        return;
    }
    ++m_generation; // a single image still decoding must not overwrite this
    if (records.isEmpty()) {
        Q_EMIT failed(tr("No images are selected."));
        return;
    }
    QList<QUrl> urls;
    QStringList prompts;
    for (const LibraryRecord& record : records) {
        urls.append(QUrl::fromLocalFile(record.filePath));
        prompts.append(record.prompt);
    }
    auto* data = new QMimeData;
    data->setUrls(urls);
    // A blank line between prompts: a prompt may span lines itself.
    data->setText(prompts.join(QStringLiteral("\n\n")));
    QGuiApplication::clipboard()->setMimeData(data);
    Q_EMIT copied();
}

} // namespace Pixapi
