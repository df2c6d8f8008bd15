#include "gallery/LibraryFilterBar.h"

#include "gallery/DateRangeDialog.h"
#include "gallery/GalleryView.h"

#include <QAction>
#include <QActionGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMetaEnum>
#include <QSlider>
#include <QToolButton>

namespace Pixapi {

namespace {
constexpr int TileSliderStep = 16;
constexpr int SearchMinimumWidth = 140;
constexpr int SearchPreferredWidth = 240;

QString starsText(int stars)
{
    return QString(stars, QChar(0x2605));
}

// Start of a local calendar day, as the UTC instant the library compares with.
QDateTime startOf(QDate day)
{
    return day.startOfDay().toUTC();
}
} // namespace

LibraryFilterBar::LibraryFilterBar(QWidget* parent)
    : QWidget(parent)
    , m_search(new QLineEdit(this))
    , m_favoritesAction(new QAction(tr("Favorites"), this))
    , m_trashAction(new QAction(tr("Trash"), this))
    , m_favorites(new QToolButton(this))
    , m_trash(new QToolButton(this))
    , m_clearButton(new QToolButton(this))
    , m_moreButton(new QToolButton(this))
    , m_moreMenu(new QMenu(this))
    , m_tileSlider(new QSlider(Qt::Horizontal, this))
    , m_countLabel(new QLabel(this))
    , m_modelMenu(new QMenu(this))
    , m_dateMenu(new QMenu(this))
    , m_starsMenu(new QMenu(this))
    , m_tagMenu(new QMenu(this))
    , m_collectionMenu(new QMenu(this))
    , m_groupMenu(new QMenu(this))
    , m_clearAction(new QAction(tr("Clear Filters"), this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSizeConstraint(QLayout::SetNoConstraint); // narrower than all buttons: see fitToWidth()
    layout->setSpacing(2);

    m_search->setObjectName(QStringLiteral("librarySearch"));
    m_search->setPlaceholderText(tr("Search prompts, models and tags"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(SearchMinimumWidth);
    layout->addWidget(m_search);
    m_favoritesAction->setObjectName(QStringLiteral("favoritesFilterAction"));
    m_favoritesAction->setToolTip(tr("Show only favorite images"));
    m_favoritesAction->setCheckable(true);
    m_favorites->setObjectName(QStringLiteral("favoritesFilter"));
    m_favorites->setDefaultAction(m_favoritesAction);
    m_favorites->setAutoRaise(true);
    layout->addWidget(m_favorites);

    m_modelMenu->setObjectName(QStringLiteral("modelFilterMenu"));
    m_modelButton = addMenuButton(QStringLiteral("modelFilter"), m_modelMenu);
    m_dateMenu->setObjectName(QStringLiteral("dateFilterMenu"));
    m_dateButton = addMenuButton(QStringLiteral("dateFilter"), m_dateMenu);
    auto* dates = new QActionGroup(this);
    const std::pair<DateRange, QString> dateChoices[] = {
        {DateRange::Any, tr("Any Time")},          {DateRange::Today, tr("Today")},
        {DateRange::Last7Days, tr("Last 7 Days")}, {DateRange::Last30Days, tr("Last 30 Days")},
        {DateRange::ThisYear, tr("This Year")},    {DateRange::Custom, tr("Custom Range…")},
    };
    for (const auto& [range, text] : dateChoices) {
        QAction* action = addChoice(m_dateMenu, dates, text, int(range));
        action->setObjectName(QStringLiteral("date")
                              + QLatin1String(QMetaEnum::fromType<DateRange>().valueToKey(int(range))));
    }
    m_starsMenu->setObjectName(QStringLiteral("starsFilterMenu"));
    m_starsButton = addMenuButton(QStringLiteral("starsFilter"), m_starsMenu);
    auto* stars = new QActionGroup(this);
    for (int n = 0; n <= 5; ++n) {
        QAction* action =
            addChoice(m_starsMenu, stars, n == 0 ? tr("Any Rating") : tr("%1 or More").arg(starsText(n)), n);
        action->setObjectName(QStringLiteral("minStars%1").arg(n));
    }
    m_tagMenu->setObjectName(QStringLiteral("tagFilterMenu"));
    m_tagButton = addMenuButton(QStringLiteral("tagFilter"), m_tagMenu);
    m_collectionMenu->setObjectName(QStringLiteral("collectionFilterMenu"));
    m_collectionButton = addMenuButton(QStringLiteral("collectionFilter"), m_collectionMenu);
    m_groupMenu->setObjectName(QStringLiteral("groupingMenu"));
    m_groupButton = addMenuButton(QStringLiteral("groupingButton"), m_groupMenu);
    auto* groupings = new QActionGroup(this);
    const std::pair<GalleryModel::Grouping, QString> groupChoices[] = {
        {GalleryModel::Grouping::None, tr("No Grouping")},
        {GalleryModel::Grouping::Day, tr("Day")},
        {GalleryModel::Grouping::Prompt, tr("Prompt")},
        {GalleryModel::Grouping::Model, tr("Model")},
    };
    for (const auto& [grouping, text] : groupChoices) {
        QAction* action = addChoice(m_groupMenu, groupings, text, int(grouping));
        action->setObjectName(QStringLiteral("groupBy")
                              + QLatin1String(QMetaEnum::fromType<GalleryModel::Grouping>().valueToKey(int(grouping))));
    }

    m_trashAction->setObjectName(QStringLiteral("trashFilterAction"));
    m_trashAction->setToolTip(tr("Show the images in the trash"));
    m_trashAction->setCheckable(true);
    m_trash->setObjectName(QStringLiteral("trashFilter"));
    m_trash->setDefaultAction(m_trashAction);
    m_trash->setAutoRaise(true);
    layout->addWidget(m_trash);
    m_clearAction->setObjectName(QStringLiteral("clearFiltersAction"));
    m_clearButton->setObjectName(QStringLiteral("clearFiltersButton"));
    m_clearButton->setDefaultAction(m_clearAction);
    m_clearButton->setAutoRaise(true);
    layout->addWidget(m_clearButton);
    m_moreMenu->setObjectName(QStringLiteral("moreFiltersMenu"));
    m_moreButton->setObjectName(QStringLiteral("moreFiltersButton"));
    m_moreButton->setText(tr("Filters"));
    m_moreButton->setMenu(m_moreMenu);
    m_moreButton->setPopupMode(QToolButton::InstantPopup);
    m_moreButton->setAutoRaise(true);
    m_moreButton->hide();
    layout->addWidget(m_moreButton);

    m_tileSlider->setObjectName(QStringLiteral("tileSizeSlider"));
    m_tileSlider->setToolTip(tr("Thumbnail size"));
    m_tileSlider->setRange(GalleryView::MinimumTileSize, GalleryView::MaximumTileSize);
    m_tileSlider->setSingleStep(TileSliderStep);
    m_tileSlider->setPageStep(4 * TileSliderStep);
    m_tileSlider->setFixedWidth(96);
    layout->addWidget(m_tileSlider);
    m_countLabel->setObjectName(QStringLiteral("libraryCountLabel"));
    layout->addWidget(m_countLabel);

    connect(m_search, &QLineEdit::textChanged, this, [this] {
        updateTexts();
        Q_EMIT searchEdited();
    });
    connect(m_favoritesAction, &QAction::toggled, this, [this] {
        updateTexts();
        Q_EMIT filtersChanged();
    });
    connect(m_trashAction, &QAction::toggled, this, &LibraryFilterBar::filtersChanged);
    connect(m_modelMenu, &QMenu::triggered, this, [this](QAction* action) {
        const QString model = action->data().toString();
        if (model.isEmpty())
            m_models.clear(); // "All models"
        else if (!m_models.removeOne(model))
            m_models << model;
        rebuildModelMenu();
        updateTexts();
        Q_EMIT filtersChanged();
    });
    connect(m_dateMenu, &QMenu::triggered, this, [this](QAction* action) {
        const auto range = DateRange(action->data().toInt());
        if (range == DateRange::Custom)
            askCustomRange();
        else
            setDateRange(range);
    });
    connect(m_starsMenu, &QMenu::triggered, this, [this](QAction* action) {
        m_minStars = action->data().toInt();
        updateTexts();
        Q_EMIT filtersChanged();
    });
    connect(m_tagMenu, &QMenu::triggered, this, [this](QAction* action) {
        m_tag = action->data().toString();
        rebuildNamesMenu(m_tagMenu, m_tagNames, m_tag, tr("Any Tag"));
        updateTexts();
        Q_EMIT filtersChanged();
    });
    connect(m_collectionMenu, &QMenu::triggered, this, [this](QAction* action) {
        m_collection = action->data().toString();
        rebuildNamesMenu(m_collectionMenu, m_collectionNames, m_collection, tr("Any Collection"));
        updateTexts();
        Q_EMIT filtersChanged();
    });
    connect(m_groupMenu, &QMenu::triggered, this, [this](QAction* action) {
        const auto grouping = GalleryModel::Grouping(action->data().toInt());
        if (grouping == m_grouping)
            return;
        m_grouping = grouping;
        updateTexts();
        Q_EMIT groupingChanged(grouping);
    });
    connect(m_clearAction, &QAction::triggered, this, &LibraryFilterBar::clearFilters);
    connect(m_tileSlider, &QSlider::valueChanged, this, &LibraryFilterBar::tileSizeChanged);

    rebuildModelMenu();
    rebuildNamesMenu(m_tagMenu, m_tagNames, m_tag, tr("Any Tag"));
    rebuildNamesMenu(m_collectionMenu, m_collectionNames, m_collection, tr("Any Collection"));
    updateTexts();
}

QToolButton* LibraryFilterBar::addMenuButton(const QString& objectName, QMenu* menu)
{
    auto* button = new QToolButton(this);
    button->setObjectName(objectName);
    button->setMenu(menu);
    button->setPopupMode(QToolButton::InstantPopup);
    button->setAutoRaise(true);
    layout()->addWidget(button);
    return button;
}

QAction* LibraryFilterBar::addChoice(QMenu* menu, QActionGroup* group, const QString& text, const QVariant& value)
{
    QAction* action = menu->addAction(text);
    action->setCheckable(true);
    action->setData(value);
    if (group) {
        group->addAction(action);
        action->setChecked(value.toInt() == 0);
    }
    return action;
}

void LibraryFilterBar::applyTo(LibraryQuery& query) const
{
    query.text = m_search->text();
    query.favoritesOnly = m_favoritesAction->isChecked();
    query.models = m_models;
    query.minStars = m_minStars;
    query.tag = m_tag;
    query.collection = m_collection;
    query.trashOnly = m_trashAction->isChecked();
    const QDate today = QDate::currentDate();
    query.from = {};
    query.to = {};
    switch (m_dateRange) {
    case DateRange::Any:
        break;
    case DateRange::Today:
        query.from = startOf(today);
        break;
    case DateRange::Last7Days:
        query.from = startOf(today.addDays(-6));
        break;
    case DateRange::Last30Days:
        query.from = startOf(today.addDays(-29));
        break;
    case DateRange::ThisYear:
        query.from = startOf(QDate(today.year(), 1, 1));
        break;
    case DateRange::Custom:
        query.from = startOf(m_customFrom);
        query.to = startOf(m_customTo.addDays(1)); // the last day included
        break;
    }
}

bool LibraryFilterBar::hasFilters() const
{
    return !LibraryQuery::matchExpression(m_search->text()).isEmpty() || m_favoritesAction->isChecked()
           || !m_models.isEmpty() || m_dateRange != DateRange::Any || m_minStars > 0 || !m_tag.isEmpty()
           || !m_collection.isEmpty();
}

bool LibraryFilterBar::isTrashView() const
{
    return m_trashAction->isChecked();
}

void LibraryFilterBar::clearFilters()
{
    const QSignalBlocker searchBlocker(m_search);
    const QSignalBlocker favoritesBlocker(m_favoritesAction);
    m_search->clear();
    m_favoritesAction->setChecked(false);
    m_models.clear();
    m_dateRange = DateRange::Any;
    m_minStars = 0;
    m_tag.clear();
    m_collection.clear();
    for (QMenu* menu : {m_dateMenu, m_starsMenu}) {
        const QList<QAction*> actions = menu->actions();
        actions.first()->setChecked(true);
    }
    rebuildModelMenu();
    rebuildNamesMenu(m_tagMenu, m_tagNames, m_tag, tr("Any Tag"));
    rebuildNamesMenu(m_collectionMenu, m_collectionNames, m_collection, tr("Any Collection"));
    updateTexts();
    Q_EMIT filtersChanged();
}

void LibraryFilterBar::setGrouping(GalleryModel::Grouping grouping)
{
    m_grouping = grouping;
    const QList<QAction*> actions = m_groupMenu->actions();
    for (QAction* action : actions)
        action->setChecked(action->data().toInt() == int(grouping));
    updateTexts();
}

int LibraryFilterBar::tileSize() const
{
    return m_tileSlider->value();
}

void LibraryFilterBar::setTileSize(int pixels)
{
    m_tileSlider->setValue(pixels);
}

void LibraryFilterBar::setModelNames(const QStringList& names)
{
    m_modelNames = names;
    rebuildModelMenu();
}

void LibraryFilterBar::setTagNames(const QStringList& names)
{
    m_tagNames = names;
    rebuildNamesMenu(m_tagMenu, m_tagNames, m_tag, tr("Any Tag"));
}

void LibraryFilterBar::setCollectionNames(const QStringList& names)
{
    m_collectionNames = names;
    rebuildNamesMenu(m_collectionMenu, m_collectionNames, m_collection, tr("Any Collection"));
}

void LibraryFilterBar::setCount(int images)
{
    m_countLabel->setText(images >= 0 ? tr("%Ln image(s)", nullptr, images) : QString());
    fitToWidth();
}

void LibraryFilterBar::setCustomDateRange(QDate from, QDate to)
{
    m_customFrom = from;
    m_customTo = to;
    setDateRange(DateRange::Custom);
}

void LibraryFilterBar::rebuildModelMenu()
{
    m_modelMenu->clear();
    QAction* all = m_modelMenu->addAction(tr("All Models"));
    all->setCheckable(true);
    all->setChecked(m_models.isEmpty());
    m_modelMenu->addSeparator();
    QStringList names = m_modelNames;
    for (const QString& chosen : std::as_const(m_models)) {
        if (!names.contains(chosen))
            names << chosen;
    }
    for (const QString& name : std::as_const(names)) {
        QAction* action = m_modelMenu->addAction(name);
        action->setCheckable(true);
        action->setChecked(m_models.contains(name));
        action->setData(name);
    }
}

void LibraryFilterBar::rebuildNamesMenu(QMenu* menu, const QStringList& names, const QString& chosen,
                                        const QString& anyText)
{
    menu->clear();
    addChoice(menu, nullptr, anyText, QString())->setChecked(chosen.isEmpty());
    menu->addSeparator();
    QStringList offered = names;
    if (!chosen.isEmpty() && !offered.contains(chosen, Qt::CaseInsensitive))
        offered << chosen;
    for (const QString& name : std::as_const(offered))
        addChoice(menu, nullptr, name, name)->setChecked(name.compare(chosen, Qt::CaseInsensitive) == 0);
}

void LibraryFilterBar::setDateRange(DateRange range)
{
    m_dateRange = range;
    const QList<QAction*> actions = m_dateMenu->actions();
    for (QAction* action : actions)
        action->setChecked(action->data().toInt() == int(range));
    updateTexts();
    Q_EMIT filtersChanged();
}

void LibraryFilterBar::askCustomRange()
{
    const QDate today = QDate::currentDate();
    auto* dialog = new DateRangeDialog(m_customFrom.isValid() ? m_customFrom : today.addDays(-7),
                                       m_customTo.isValid() ? m_customTo : today, this);
    dialog->setObjectName(QStringLiteral("dateRangeDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result == QDialog::Accepted)
            setCustomDateRange(dialog->from(), dialog->to());
        else
            setDateRange(m_dateRange); // back to the range that was on
    });
    dialog->open();
}

void LibraryFilterBar::updateTexts()
{
    // Each button says what it filters by once it does: "Model: gpt-image-1".
    m_modelButton->setText(m_models.isEmpty()     ? tr("Model")
                           : m_models.size() == 1 ? tr("Model: %1").arg(m_models.first())
                                                  : tr("Models: %Ln", nullptr, int(m_models.size())));
    QString date;
    switch (m_dateRange) {
    case DateRange::Any:
        date = tr("Date");
        break;
    case DateRange::Today:
        date = tr("Date: Today");
        break;
    case DateRange::Last7Days:
        date = tr("Date: Last 7 Days");
        break;
    case DateRange::Last30Days:
        date = tr("Date: Last 30 Days");
        break;
    case DateRange::ThisYear:
        date = tr("Date: This Year");
        break;
    case DateRange::Custom:
        date = tr("Date: %1 – %2")
                   .arg(QLocale().toString(m_customFrom, QLocale::ShortFormat),
                        QLocale().toString(m_customTo, QLocale::ShortFormat));
        break;
    }
    m_dateButton->setText(date);
    m_starsButton->setText(m_minStars > 0 ? tr("Stars: %1+").arg(starsText(m_minStars)) : tr("Stars"));
    m_tagButton->setText(m_tag.isEmpty() ? tr("Tag") : tr("Tag: %1").arg(m_tag));
    m_collectionButton->setText(m_collection.isEmpty() ? tr("Collection") : tr("Collection: %1").arg(m_collection));
    QString grouping;
    switch (m_grouping) {
    case GalleryModel::Grouping::None:
        grouping = tr("Group By");
        break;
    case GalleryModel::Grouping::Day:
        grouping = tr("Group: Day");
        break;
    case GalleryModel::Grouping::Prompt:
        grouping = tr("Group: Prompt");
        break;
    case GalleryModel::Grouping::Model:
        grouping = tr("Group: Model");
        break;
    }
    m_groupButton->setText(grouping);
    // The same words when the button has moved into the "Filters" menu.
    for (QToolButton* button :
         {m_modelButton, m_dateButton, m_starsButton, m_tagButton, m_collectionButton, m_groupButton})
        button->menu()->setTitle(button->text());
    m_clearAction->setEnabled(hasFilters());
    fitToWidth();
}

QSize LibraryFilterBar::minimumSizeHint() const
{
    // The search field and the "Filters" button; everything else can move into its menu.
    const int spacing = layout()->spacing();
    return {m_search->minimumWidth() + spacing + m_moreButton->sizeHint().width(), QWidget::minimumSizeHint().height()};
}

void LibraryFilterBar::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitToWidth();
}

void LibraryFilterBar::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    fitToWidth();
}

QList<LibraryFilterBar::Item> LibraryFilterBar::items() const
{
    // In the order they give way (the last one first).
    return {
        {m_favorites, nullptr, m_favoritesAction, true},
        {m_trash, nullptr, m_trashAction, true},
        {m_modelButton, m_modelMenu, nullptr, true},
        {m_dateButton, m_dateMenu, nullptr, true},
        {m_starsButton, m_starsMenu, nullptr, true},
        {m_tagButton, m_tagMenu, nullptr, true},
        {m_collectionButton, m_collectionMenu, nullptr, true},
        {m_groupButton, m_groupMenu, nullptr, true},
        {m_clearButton, nullptr, m_clearAction, hasFilters()},
        {m_tileSlider, nullptr, nullptr, true},
        {m_countLabel, nullptr, nullptr, !m_countLabel->text().isEmpty()},
    };
}

int LibraryFilterBar::wantedWidth() const
{
    const int spacing = layout()->spacing();
    int width = 0;
    const QList<Item> all = items();
    for (const Item& item : all) {
        if (item.wanted)
            width += item.widget->sizeHint().width() + spacing;
    }
    return width;
}

QSize LibraryFilterBar::sizeHint() const
{
    return {SearchPreferredWidth + wantedWidth(), QWidget::sizeHint().height()};
}

void LibraryFilterBar::fitToWidth()
{
    const int spacing = layout()->spacing();
    int room = width() - m_search->minimumWidth();
    const bool overflow = wantedWidth() > room;
    if (overflow)
        room -= m_moreButton->sizeHint().width() + spacing;
    m_moreMenu->clear();
    bool fits = true;
    const QList<Item> all = items();
    for (const Item& item : all) {
        const int itemWidth = item.widget->sizeHint().width() + spacing;
        fits = fits && (!overflow || itemWidth <= room);
        const bool shown = item.wanted && fits;
        if (shown)
            room -= itemWidth;
        item.widget->setVisible(shown);
        if (!item.wanted || shown)
            continue;
        if (item.menu) {
            m_moreMenu->addMenu(item.menu);
        } else if (item.action) {
            m_moreMenu->addAction(item.action);
        }
    }
    m_moreButton->setVisible(overflow);
    updateGeometry();
}

} // namespace Pixapi
