#include "OutputDirectory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace Pixapi {

namespace {
constexpr qint64 ChunkBytes = 1 << 20;
}

OutputDirectory::OutputDirectory(QString path)
    : m_path(std::move(path))
{ }

Result<bool, QString> OutputDirectory::create() const
{
    const QFileInfo info(m_path);
    if (info.exists() && !info.isDir())
        return Result<bool, QString>::failure(QCoreApplication::translate("pixapi-cli", "it is not a directory"));
    if (!QDir().mkpath(m_path))
        return Result<bool, QString>::failure(QCoreApplication::translate("pixapi-cli", "it cannot be created"));
    if (!QFileInfo(m_path).isWritable())
        return Result<bool, QString>::failure(QCoreApplication::translate("pixapi-cli", "it is not writable"));
    return true;
}

QString OutputDirectory::freeName(const QString& fileName) const
{
    const QDir dir(m_path);
    if (!dir.exists(fileName))
        return dir.filePath(fileName);
    const QFileInfo info(fileName);
    const QString suffix = info.suffix().isEmpty() ? QString() : QLatin1Char('.') + info.suffix();
    for (int i = 2;; ++i) {
        const QString candidate = info.completeBaseName() + QLatin1Char('_') + QString::number(i) + suffix;
        if (!dir.exists(candidate))
            return dir.filePath(candidate);
    }
}

Result<QString, QString> OutputDirectory::copyIn(const QString& sourcePath, const QString& baseName) const
{
    using CopyResult = Result<QString, QString>;
    QFile source(sourcePath);
    if (!source.open(QIODevice::ReadOnly))
        return CopyResult::failure(source.errorString());

    const QFileInfo sourceInfo(sourcePath);
    const QString destination =
        freeName(baseName.isEmpty() ? sourceInfo.fileName() : baseName + QLatin1Char('.') + sourceInfo.suffix());
    QSaveFile target(destination);
    if (!target.open(QIODevice::WriteOnly))
        return CopyResult::failure(target.errorString());
    // On any early return the uncommitted temporary file is removed by ~QSaveFile.
    while (!source.atEnd()) {
        const QByteArray chunk = source.read(ChunkBytes);
        if (chunk.isEmpty() && source.error() != QFileDevice::NoError)
            return CopyResult::failure(source.errorString());
        if (target.write(chunk) != chunk.size())
            return CopyResult::failure(target.errorString());
    }
    if (!target.commit())
        return CopyResult::failure(target.errorString());
    return destination;
}

} // namespace Pixapi
