#pragma once

#include <QSortFilterProxyModel>
#include <QStringList>

namespace Pixapi {

// Filters a ModelCatalogModel by a search text: every whitespace-separated word must occur, case-insensitively, in
// the row's SearchTextRole (id, name, aliases, family, group). An empty text shows every row. Keeps source order.
class ModelFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit ModelFilterProxy(QObject* parent = nullptr);

    void setSearchText(const QString& text);
    QString searchText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
    QStringList m_words;
};

} // namespace Pixapi
