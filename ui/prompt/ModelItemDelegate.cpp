#include "prompt/ModelItemDelegate.h"

#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>

#include <set>

namespace Pixapi {

namespace {
constexpr int Padding = 6;
constexpr int StarSize = 18;
constexpr int HeaderGap = 4;

QFont smallFont(const QFont& base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.85);
    return font;
}

QFont headerFont(const QFont& base)
{
    QFont font = smallFont(base);
    font.setBold(true);
    font.setCapitalization(QFont::AllUppercase);
    return font;
}
} // namespace

ModelItemDelegate::ModelItemDelegate(ModelCatalog* catalog, QObject* parent)
    : QStyledItemDelegate(parent)
    , m_catalog(catalog)
{ }

QString ModelItemDelegate::sectionOf(const QModelIndex& index)
{
    return index.data(ModelCatalogModel::FavoriteRole).toBool() ? tr("Favorites")
                                                                : index.data(ModelCatalogModel::GroupRole).toString();
}

bool ModelItemDelegate::startsSection(const QModelIndex& index)
{
    return index.row() == 0 || sectionOf(index.siblingAtRow(index.row() - 1)) != sectionOf(index);
}

QString ModelItemDelegate::hintsText(const QModelIndex& index)
{
    QStringList parts;
    const QString speed = index.data(ModelCatalogModel::SpeedRole).toString();
    if (speed == QLatin1String("fast"))
        parts << tr("Fast");
    else if (speed == QLatin1String("standard"))
        parts << tr("Standard speed");
    else if (speed == QLatin1String("slow"))
        parts << tr("Slow");
    const QString quality = index.data(ModelCatalogModel::QualityHintRole).toString();
    if (quality == QLatin1String("draft"))
        parts << tr("Draft quality");
    else if (quality == QLatin1String("standard"))
        parts << tr("Standard quality");
    else if (quality == QLatin1String("premium"))
        parts << tr("Premium quality");
    return parts.join(QStringLiteral(" · "));
}

QString ModelItemDelegate::priceText(const QModelIndex& index) const
{
    const std::optional<ModelInfo> model = m_catalog->find(index.data(ModelCatalogModel::IdRole).toString());
    if (!model)
        return {};
    std::set<double> cells;
    for (const auto& row : model->creditsTable) {
        for (const double value : row)
            cells.insert(value);
    }
    if (cells.size() > 1) // the price depends on size or quality: show where it starts
        return tr("from %1 cr / image").arg(QLocale().toString(*cells.begin(), 'g', 6));
    const std::optional<double> flat = cells.empty() ? model->creditsPerImage : std::optional(*cells.begin());
    return flat ? tr("%1 cr / image").arg(QLocale().toString(*flat, 'g', 6)) : QString();
}

int ModelItemDelegate::headerHeight(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    return startsSection(index) ? QFontMetrics(headerFont(option.font)).height() + 2 * HeaderGap : 0;
}

QSize ModelItemDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const int line = option.fontMetrics.height();
    const int caption = QFontMetrics(smallFont(option.font)).height();
    const int width = option.fontMetrics.horizontalAdvance(index.data(ModelCatalogModel::IdRole).toString()) + 200;
    return {width, headerHeight(option, index) + 2 * Padding + line + 2 + caption};
}

QRect ModelItemDelegate::starRect(const QRect& itemRect, const QModelIndex& index) const
{
    QStyleOptionViewItem option;
    option.font = QApplication::font();
    const int top = itemRect.top() + headerHeight(option, index);
    const int rowHeight = itemRect.bottom() - top;
    return {itemRect.left() + Padding, top + (rowHeight - StarSize) / 2, StarSize, StarSize};
}

void ModelItemDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QPalette& palette = opt.palette;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    const int header = headerHeight(opt, index);
    if (header > 0) {
        painter->setFont(headerFont(opt.font));
        painter->setPen(palette.color(QPalette::PlaceholderText));
        const QRect caption(opt.rect.left() + Padding, opt.rect.top(), opt.rect.width() - 2 * Padding, header);
        painter->drawText(caption, Qt::AlignLeft | Qt::AlignVCenter, sectionOf(index));
        if (index.row() > 0) {
            painter->setPen(palette.color(QPalette::Midlight));
            painter->drawLine(caption.topLeft(), caption.topRight());
        }
    }

    const QRect row = opt.rect.adjusted(0, header, 0, 0);
    const bool selected = opt.state.testFlag(QStyle::State_Selected);
    if (selected)
        painter->fillRect(row, palette.highlight());
    const QColor text = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor dim = selected ? text : palette.color(QPalette::PlaceholderText);

    const bool favorite = index.data(ModelCatalogModel::FavoriteRole).toBool();
    const QRect star = starRect(opt.rect, index);
    painter->setFont(opt.font);
    painter->setPen(favorite ? QColor(0xf5, 0xa6, 0x23) : dim);
    painter->drawText(star, Qt::AlignCenter, favorite ? QStringLiteral("★") : QStringLiteral("☆"));

    const int left = star.right() + Padding;
    const QRect content(left, row.top() + Padding, row.right() - Padding - left, row.height() - 2 * Padding);
    const QString price = priceText(index);
    const QFont caption = smallFont(opt.font);
    const int priceWidth = QFontMetrics(caption).horizontalAdvance(price);

    QFont nameFont = opt.font;
    nameFont.setWeight(QFont::DemiBold);
    painter->setFont(nameFont);
    painter->setPen(text);
    const QRect nameRect(content.left(), content.top(), content.width() - priceWidth - Padding,
                         opt.fontMetrics.height());
    const QString name = index.data(ModelCatalogModel::IdRole).toString();
    const QString display = m_catalog->displayName(name);
    painter->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(nameFont).elidedText(display, Qt::ElideRight, nameRect.width()));

    painter->setFont(caption);
    painter->setPen(dim);
    painter->drawText(QRect(content.right() - priceWidth, content.top(), priceWidth, opt.fontMetrics.height()),
                      Qt::AlignRight | Qt::AlignVCenter, price);
    QStringList details {name};
    if (const QString hints = hintsText(index); !hints.isEmpty())
        details << hints;
    const QRect detailRect(content.left(), nameRect.bottom() + 2, content.width(),
                           content.bottom() - nameRect.bottom());
    painter->drawText(
        detailRect, Qt::AlignLeft | Qt::AlignTop,
        QFontMetrics(caption).elidedText(details.join(QStringLiteral(" · ")), Qt::ElideRight, detailRect.width()));
    painter->restore();
}

} // namespace Pixapi
