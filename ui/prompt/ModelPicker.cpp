#include "prompt/ModelPicker.h"

#include "catalog/ModelCatalog.h"
#include "catalog/ModelCatalogModel.h"
#include "catalog/ModelFilterProxy.h"
#include "common/TextLook.h"
#include "prompt/ModelItemDelegate.h"
#include "settings/Settings.h"

#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMouseEvent>
#include <QToolButton>
#include <QVBoxLayout>

namespace Pixapi {

namespace {
constexpr int VisibleModels = 12;
constexpr int PopupMinimumWidth = 440;
} // namespace

ModelPicker::ModelPicker(ModelCatalog* catalog, Settings* settings, QWidget* parent)
    : QWidget(parent)
    , m_catalog(catalog)
    , m_settings(settings)
    , m_models(new ModelCatalogModel(catalog, settings, this))
    , m_proxy(new ModelFilterProxy(this))
    , m_delegate(new ModelItemDelegate(catalog, this))
    , m_search(new QLineEdit(this))
    , m_combo(new QComboBox(this))
    , m_favorite(new QToolButton(this))
    , m_refresh(new QToolButton(this))
    , m_caption(new QLabel(this))
    , m_stale(new QLabel(this))
{
    m_search->setObjectName(QStringLiteral("modelSearchEdit"));
    m_search->setPlaceholderText(tr("Search models: name, alias, family"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Filters the model list. An alias such as “nano-banana” picks the model it stands for."));

    m_proxy->setSourceModel(m_models);
    m_combo->setObjectName(QStringLiteral("modelCombo"));
    m_combo->setModel(m_proxy);
    m_combo->setItemDelegate(m_delegate);
    m_combo->setMaxVisibleItems(VisibleModels);
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_combo->setMinimumContentsLength(12);
    m_combo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_combo->setPlaceholderText(tr("No models loaded"));
    m_combo->view()->setMinimumWidth(PopupMinimumWidth);
    // Installed after the popup's own filter, so it runs first: a click on a star toggles it and keeps the popup.
    m_combo->view()->viewport()->installEventFilter(this);

    m_favorite->setObjectName(QStringLiteral("favoriteButton"));
    m_favorite->setCheckable(true);
    m_favorite->setAutoRaise(true);
    m_refresh->setObjectName(QStringLiteral("refreshModelsButton"));
    m_refresh->setAutoRaise(true);

    m_caption->setObjectName(QStringLiteral("modelInfoLabel"));
    m_caption->setTextFormat(Qt::PlainText);
    TextLook::setDim(m_caption);
    TextLook::setWeight(m_caption, QFont::Normal, 9);
    m_stale->setObjectName(QStringLiteral("staleLabel"));
    m_stale->setTextFormat(Qt::PlainText);
    m_stale->setWordWrap(true);
    TextLook::setColor(m_stale, QColor(0xb2, 0x6a, 0x00));
    TextLook::setWeight(m_stale, QFont::Normal, 9);
    m_stale->hide();

    auto* row = new QHBoxLayout;
    row->setSpacing(4);
    row->addWidget(m_combo, 1);
    row->addWidget(m_favorite);
    row->addWidget(m_refresh);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addLayout(row);
    layout->addWidget(m_caption);
    layout->addWidget(m_stale);
    setFocusProxy(m_combo);

    connect(m_search, &QLineEdit::textChanged, this, &ModelPicker::onSearchChanged);
    connect(m_combo, &QComboBox::currentIndexChanged, this, &ModelPicker::onCurrentIndexChanged);
    connect(m_favorite, &QToolButton::clicked, this, [this] { toggleFavorite(currentModelId()); });
    // The combo box picks a row itself during a reset; the remembered model is chosen once the list is in.
    connect(m_models, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_resetting = true; });
    connect(m_models, &QAbstractItemModel::modelReset, this, &ModelPicker::onModelsReset);
    connect(m_models, &QAbstractItemModel::dataChanged, this, &ModelPicker::updateFavoriteButton);
    connect(m_catalog, &ModelCatalog::staleChanged, this, &ModelPicker::updateStale);
    connect(m_catalog, &ModelCatalog::modelsChanged, this, &ModelPicker::updateStale);

    onModelsReset();
}

QString ModelPicker::currentModelId() const
{
    return m_combo->currentData(ModelCatalogModel::IdRole).toString();
}

std::optional<ModelInfo> ModelPicker::currentModel() const
{
    const QString id = currentModelId();
    return id.isEmpty() ? std::nullopt : m_catalog->find(id);
}

bool ModelPicker::selectModel(const QString& idOrAlias)
{
    const int sourceRow = m_models->rowOf(idOrAlias);
    if (sourceRow < 0)
        return false;
    QModelIndex index = m_proxy->mapFromSource(m_models->index(sourceRow));
    if (!index.isValid()) {
        m_search->clear();
        index = m_proxy->mapFromSource(m_models->index(sourceRow));
    }
    m_combo->setCurrentIndex(index.row());
    return true;
}

void ModelPicker::setSearchText(const QString& text)
{
    m_search->setText(text);
}

void ModelPicker::setRefreshAction(QAction* action)
{
    m_refresh->setDefaultAction(action);
}

void ModelPicker::toggleFavorite(const QString& modelId)
{
    if (!modelId.isEmpty())
        m_models->setFavorite(modelId, !m_models->isFavorite(modelId));
}

void ModelPicker::onSearchChanged(const QString& text)
{
    // Filtering moves the combo's current row; decide the selection once, then report it once.
    m_resetting = true;
    m_proxy->setSearchText(text);
    const auto proxyRow = [this](const QString& id) {
        const int sourceRow = m_models->rowOf(id);
        return sourceRow < 0 ? -1 : m_proxy->mapFromSource(m_models->index(sourceRow)).row();
    };
    int row = proxyRow(m_catalog->resolve(text.trimmed())); // an exact id or alias wins
    if (row < 0) // keep the chosen model; after a search that matched nothing, the last one used
        row = proxyRow(m_lastId.isEmpty() ? m_settings->value(Settings::Key::LastModel).toString() : m_lastId);
    if (row < 0 && m_proxy->rowCount() > 0)
        row = 0;
    m_combo->setCurrentIndex(row);
    m_combo->setPlaceholderText(text.trimmed().isEmpty() || m_proxy->rowCount() > 0
                                    ? tr("No models loaded")
                                    : tr("No model matches “%1”").arg(text.trimmed()));
    m_resetting = false;
    onCurrentIndexChanged();
}

void ModelPicker::onModelsReset()
{
    const QString wanted = m_lastId.isEmpty() ? m_settings->value(Settings::Key::LastModel).toString() : m_lastId;
    m_resetting = true;
    const int sourceRow = m_models->rowOf(wanted);
    int row = sourceRow < 0 ? -1 : m_proxy->mapFromSource(m_models->index(sourceRow)).row();
    if (row < 0 && m_proxy->rowCount() > 0)
        row = 0;
    m_combo->setCurrentIndex(row);
    m_resetting = false;
    // The same id may now describe different capabilities: always report a new list.
    m_lastId = currentModelId();
    updateCaption();
    updateFavoriteButton();
    updateStale();
    Q_EMIT currentModelChanged();
}

void ModelPicker::onCurrentIndexChanged()
{
    if (m_resetting)
        return;
    updateCaption();
    updateFavoriteButton();
    const QString id = currentModelId();
    if (id == m_lastId)
        return;
    m_lastId = id;
    Q_EMIT currentModelChanged();
}

void ModelPicker::updateCaption()
{
    const QModelIndex index = m_proxy->index(m_combo->currentIndex(), 0);
    if (!index.isValid()) {
        m_caption->clear();
        m_combo->setToolTip(QString());
        return;
    }
    QStringList parts;
    for (const QString& part : {m_delegate->priceText(index), ModelItemDelegate::hintsText(index)}) {
        if (!part.isEmpty())
            parts << part;
    }
    m_caption->setText(parts.join(QStringLiteral(" · ")));
    m_combo->setToolTip(index.data(Qt::ToolTipRole).toString());
}

void ModelPicker::updateFavoriteButton()
{
    const QString id = currentModelId();
    const bool favorite = !id.isEmpty() && m_models->isFavorite(id);
    m_favorite->setEnabled(!id.isEmpty());
    m_favorite->setChecked(favorite);
    m_favorite->setText(favorite ? QStringLiteral("★") : QStringLiteral("☆"));
    m_favorite->setToolTip(favorite ? tr("Remove from favorites") : tr("Add to favorites (pinned to the top)"));
}

void ModelPicker::updateStale()
{
    const bool stale = m_catalog->isStale() && m_catalog->fetchedAt().isValid();
    m_stale->setVisible(stale);
    if (!stale)
        return;
    const QString when = QLocale().toString(m_catalog->fetchedAt().toLocalTime(), QLocale::ShortFormat);
    m_stale->setText(tr("Offline — model list from %1").arg(when));
    m_stale->setToolTip(tr("The server could not be reached yet; this is the list saved on %1. Prices and "
                           "capabilities may have changed. Refresh to try again.")
                            .arg(when));
}

bool ModelPicker::eventFilter(QObject* watched, QEvent* event)
{
    const QEvent::Type type = event->type();
    const bool click =
        type == QEvent::MouseButtonPress || type == QEvent::MouseButtonRelease || type == QEvent::MouseButtonDblClick;
    if (watched == m_combo->view()->viewport() && click) {
        QAbstractItemView* view = m_combo->view();
        const QPoint pos = static_cast<QMouseEvent*>(event)->position().toPoint();
        const QModelIndex index = view->indexAt(pos);
        if (index.isValid() && m_delegate->starRect(view->visualRect(index), index).contains(pos)) {
            if (type == QEvent::MouseButtonRelease)
                toggleFavorite(index.data(ModelCatalogModel::IdRole).toString());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Pixapi
