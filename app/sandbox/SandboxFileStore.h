#pragma once

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>

#include <optional>

namespace Pixapi {

// The sandbox's "CDN": url results are kept in memory for the server's lifetime and served under /files/<name>.
class SandboxFileStore
{
public:
    // Stores bytes and returns the file name ("<token>.png") to put after /files/.
    QString add(const QByteArray& bytes);
    std::optional<QByteArray> find(const QString& name) const;

private:
    mutable QMutex m_mutex;
    QHash<QString, QByteArray> m_files;
};

} // namespace Pixapi
