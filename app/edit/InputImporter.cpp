#include "edit/InputImporter.h"

#include "edit/EditInputPrep.h"

#include "support/BackgroundWork.h"
#include "support/Result.h"
#include "support/WhenFinished.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonObject>

namespace Pixapi {

namespace {

Result<QByteArray, QString> readFile(const QString& filePath)
{
    using Read = Result<QByteArray, QString>;
    const QString name = QFileInfo(filePath).fileName();
    QFile file(filePath);
    if (file.size() > EditInputPrep::MaxSourceBytes) // the same cap as an edit's inputs: no model takes more
        return Read::failure(InputImporter::tr("“%1” is too large to use as an input image.").arg(name));
    if (!file.open(QIODevice::ReadOnly))
        return Read::failure(InputImporter::tr("“%1” could not be read: %2").arg(name, file.errorString()));
    return Read(file.readAll());
}

} // namespace

InputImporter::InputImporter(Library* library, QObject* parent)
    : QObject(parent)
    , m_library(library)
{ }

void InputImporter::importFile(const QString& filePath)
{
    const QString name = QFileInfo(filePath).fileName();
    whenFinished(this, runInBackground(readFile, filePath), [this, name](const Result<QByteArray, QString>& read) {
        if (read.ok())
            store(read.value(), name);
        else
            Q_EMIT failed(read.error());
    });
}

void InputImporter::importBytes(const QByteArray& bytes, const QString& name)
{
    store(bytes, name);
}

void InputImporter::store(const QByteArray& bytes, const QString& name)
{
    if (!m_library || !m_library->isOpen()) {
        Q_EMIT failed(tr("“%1” could not be added: the library is not open.").arg(name));
        return;
    }
    ImageToStore image;
    image.bytes = bytes;
    image.prompt = image.model = QStringLiteral(""); // not null: the index's columns are NOT NULL
    image.createdAt = QDateTime::currentDateTimeUtc();
    image.params = QJsonObject {{QStringLiteral("imported_from"), name}}; // no model, no prompt: not generated
    whenFinished(this, m_library->store(std::move(image)), [this, name](const Result<LibraryRecord, ApiError>& stored) {
        if (stored.ok())
            Q_EMIT imported(stored.value());
        else if (stored.error().kind == ApiError::Kind::InvalidImage)
            Q_EMIT failed(tr("“%1” is not a PNG, JPEG or WebP image.").arg(name));
        else
            Q_EMIT failed(tr("“%1” could not be added as an input image. %2").arg(name, stored.error().userMessage()));
    });
}

} // namespace Pixapi
