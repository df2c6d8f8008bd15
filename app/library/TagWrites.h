#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>

namespace Pixapi {

class Library;
struct LibraryRecord;

// Tags images after they are stored (a batch's name, a prompt matrix's values) and counts the writes still running,
// so the owner can wait for them before it reports itself finished. A failed write is logged: the image is kept.
class TagWrites : public QObject
{
    Q_OBJECT

public:
    explicit TagWrites(Library* library, QObject* parent = nullptr);

    void add(const QList<LibraryRecord>& records, const QStringList& tags);
    int pending() const { return m_pending; }

Q_SIGNALS:
    void settled(); // the last pending write finished

private:
    QPointer<Library> m_library;
    int m_pending = 0;
};

} // namespace Pixapi
