#pragma once

#include "library/GalleryModel.h"
#include "library/LibraryQuery.h"

#include <QDate>
#include <QStringList>
#include <QWidget>

class QAction;
class QActionGroup;
class QLabel;
class QLineEdit;
class QMenu;
class QSlider;
class QToolButton;

namespace Pixapi {

// The one-row bar above the grid: search, favorites, model / date / stars / tag / collection filters (menu buttons
// whose text shows the active value), grouping, the trash toggle, "Clear filters", the tile size slider and the
// count of matching images. It holds the filter state and writes it into a LibraryQuery; it reads nothing itself.
// When the row is too narrow, the buttons that do not fit move into a "Filters" menu (the slider and the count just
// hide: Ctrl+wheel on the grid still zooms).
class LibraryFilterBar : public QWidget
{
    Q_OBJECT

public:
    enum class DateRange { Any, Today, Last7Days, Last30Days, ThisYear, Custom };
    Q_ENUM(DateRange)

    explicit LibraryFilterBar(QWidget* parent = nullptr);

    // Text, models, dates (relative to now), favorites, stars, tag, collection and trash; sort and paging untouched.
    void applyTo(LibraryQuery& query) const;
    bool hasFilters() const; // something narrows the images (the trash toggle aside)
    bool isTrashView() const;
    void clearFilters();

    GalleryModel::Grouping grouping() const { return m_grouping; }
    void setGrouping(GalleryModel::Grouping grouping);
    int tileSize() const;
    void setTileSize(int pixels);

    // Choices for the menus, as the library knows them; a value chosen earlier stays offered.
    void setModelNames(const QStringList& names);
    void setTagNames(const QStringList& names);
    void setCollectionNames(const QStringList& names);
    QStringList tagNames() const { return m_tagNames; }
    QStringList collectionNames() const { return m_collectionNames; }
    QString collection() const { return m_collection; }

    // The number of images the filters match; negative hides it.
    void setCount(int images);
    // Custom date range without the dialog (both days included).
    void setCustomDateRange(QDate from, QDate to);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

Q_SIGNALS:
    void searchEdited();   // typing: worth a short debounce
    void filtersChanged(); // any other filter or the trash toggle
    void groupingChanged(Pixapi::GalleryModel::Grouping grouping);
    void tileSizeChanged(int pixels);

private:
    struct Item
    {
        QWidget* widget;
        QMenu* menu;     // offered as a submenu of "Filters" when the widget does not fit
        QAction* action; // or as this action
        bool wanted;     // shown at all
    };
    QList<Item> items() const;
    int wantedWidth() const; // all wanted items side by side

    QToolButton* addMenuButton(const QString& objectName, QMenu* menu);
    QAction* addChoice(QMenu* menu, QActionGroup* group, const QString& text, const QVariant& value);
    void rebuildModelMenu();
    void rebuildNamesMenu(QMenu* menu, const QStringList& names, const QString& chosen, const QString& anyText);
    void setDateRange(DateRange range);
    void askCustomRange();
    void updateTexts();
    // Shows what fits in the width, the rest through the "Filters" menu.
    void fitToWidth();

    QLineEdit* m_search;
    QAction* m_favoritesAction;
    QAction* m_trashAction;
    QToolButton* m_favorites;
    QToolButton* m_modelButton;
    QToolButton* m_dateButton;
    QToolButton* m_starsButton;
    QToolButton* m_tagButton;
    QToolButton* m_collectionButton;
    QToolButton* m_groupButton;
    QToolButton* m_trash;
    QToolButton* m_clearButton;
    QToolButton* m_moreButton;
    QMenu* m_moreMenu;
    QSlider* m_tileSlider;
    QLabel* m_countLabel;
    QMenu* m_modelMenu;
    QMenu* m_dateMenu;
    QMenu* m_starsMenu;
    QMenu* m_tagMenu;
    QMenu* m_collectionMenu;
    QMenu* m_groupMenu;
    QAction* m_clearAction;

    QStringList m_modelNames;
    QStringList m_tagNames;
    QStringList m_collectionNames;
    QStringList m_models;
    DateRange m_dateRange = DateRange::Any;
    QDate m_customFrom;
    QDate m_customTo;
    int m_minStars = 0;
    QString m_tag;
    QString m_collection;
    GalleryModel::Grouping m_grouping = GalleryModel::Grouping::None;
};

} // namespace Pixapi
