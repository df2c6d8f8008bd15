#pragma once

#include <QStyledItemDelegate>

namespace Pixapi {

class ModelCatalog;

// Paints one model of the picker's list: a star (favorite), the name, the price per image and a caption with the
// speed / quality hints. The first row of each section (favorites, then each family group) carries the section's
// caption above it.
class ModelItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    explicit ModelItemDelegate(ModelCatalog* catalog, QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // Where the star of `index` is drawn inside its item rect (the picker toggles the favorite on a click there).
    QRect starRect(const QRect& itemRect, const QModelIndex& index) const;

    // The caption of a row's section ("Favorites", or the family group) and whether the row opens that section.
    static QString sectionOf(const QModelIndex& index);
    static bool startsSection(const QModelIndex& index);
    // "Fast · Premium quality" from the model's hints; empty when the server gives none.
    static QString hintsText(const QModelIndex& index);
    // "2 credits / image", "from 1 credit / image" (prices that vary by size or quality) or empty.
    QString priceText(const QModelIndex& index) const;

private:
    int headerHeight(const QStyleOptionViewItem& option, const QModelIndex& index) const;

    ModelCatalog* m_catalog;
};

} // namespace Pixapi
