#include "sandbox/SandboxFileStore.h"

#include <QUuid>

namespace Pixapi {

QString SandboxFileStore::add(const QByteArray& bytes)
{
    const QString name = QUuid::createUuid().toString(QUuid::Id128) + QStringLiteral(".png");
    const QMutexLocker lock(&m_mutex);
    m_files.insert(name, bytes);
    return name;
}

std::optional<QByteArray> SandboxFileStore::find(const QString& name) const
{
    const QMutexLocker lock(&m_mutex);
    const auto it = m_files.constFind(name);
    if (it == m_files.constEnd())
        return std::nullopt;
    return *it;
}

} // namespace Pixapi
