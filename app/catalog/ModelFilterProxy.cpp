#include "catalog/ModelFilterProxy.h"

#include "catalog/ModelCatalogModel.h"

namespace Pixapi {

ModelFilterProxy::ModelFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setFilterRole(ModelCatalogModel::SearchTextRole);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void ModelFilterProxy::setSearchText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

bool ModelFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_words.isEmpty())
        return true;
    const QString haystack = sourceModel()->index(sourceRow, 0, sourceParent).data(filterRole()).toString();
    for (const QString& word : m_words) {
        if (!haystack.contains(word, filterCaseSensitivity()))
            return false;
    }
    return true;
}

} // namespace Pixapi
