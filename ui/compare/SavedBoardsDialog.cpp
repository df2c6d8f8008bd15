#include "compare/SavedBoardsDialog.h"

#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"
#include "common/TextLook.h"
#include "support/WhenFinished.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Pixapi {

namespace {

enum Column { WhenColumn, PromptColumn, ModelsColumn, CellsColumn, CreditsColumn, WinnerColumn };

constexpr int BoardIdRole = Qt::UserRole;

} // namespace

SavedBoardsDialog::SavedBoardsDialog(QString libraryRoot, const ModelCatalog* catalog,
                                     std::function<BoardStore*()> store, QWidget* parent)
    : QDialog(parent)
    , m_catalog(catalog)
    , m_store(std::move(store))
    , m_filter(new QLineEdit(this))
    , m_list(new QTreeWidget(this))
    , m_status(new QLabel(tr("Loading…"), this))
    , m_open(new QPushButton(tr("&Open"), this))
    , m_again(new QPushButton(tr("&Run Again…"), this))
    , m_delete(new QPushButton(tr("&Delete"), this))
{
    setObjectName(QStringLiteral("savedBoardsDialog"));
    setWindowTitle(tr("Saved Boards"));
    resize(900, 480);
    m_filter->setObjectName(QStringLiteral("boardsFilter"));
    m_filter->setPlaceholderText(tr("Filter by prompt, model, winner or note"));
    m_filter->setClearButtonEnabled(true);
    m_list->setObjectName(QStringLiteral("boardsList"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setHeaderLabels({tr("When"), tr("Prompt"), tr("Models"), tr("Done"), tr("Credits"), tr("Winner")});
    m_list->header()->setSectionResizeMode(PromptColumn, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    m_list->setAccessibleName(tr("Saved comparison boards"));
    m_status->setObjectName(QStringLiteral("boardsStatus"));
    TextLook::setDim(m_status);
    m_open->setObjectName(QStringLiteral("openBoardButton"));
    m_open->setDefault(true);
    m_again->setObjectName(QStringLiteral("runBoardAgainButton"));
    m_delete->setObjectName(QStringLiteral("deleteBoardButton"));
    m_delete->setToolTip(tr("Forget the board; its images stay in the library"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_open, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_again, QDialogButtonBox::ActionRole);
    buttons->addButton(m_delete, QDialogButtonBox::DestructiveRole);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    updateButtons();

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_filter, &QLineEdit::textChanged, this, &SavedBoardsDialog::applyFilter);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &SavedBoardsDialog::updateButtons);
    connect(m_list, &QTreeWidget::itemActivated, this, [this] { m_open->click(); });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (const SavedBoard* board = selectedBoard()) {
            Q_EMIT openRequested(board->id);
            accept();
        }
    });
    connect(m_again, &QPushButton::clicked, this, [this] {
        if (const SavedBoard* board = selectedBoard()) {
            const BoardSpec spec = board->spec;
            accept();
            Q_EMIT runAgainRequested(spec);
        }
    });
    connect(m_delete, &QPushButton::clicked, this, &SavedBoardsDialog::deleteSelected);

    whenFinished(this, BoardStore::readRecent(std::move(libraryRoot), MaxListed),
                 [this](const Result<QList<SavedBoard>, ApiError>& boards) {
                     m_loaded = true;
                     if (!boards) {
                         m_status->setText(tr("The boards could not be read: %1").arg(boards.error().userMessage()));
                         return;
                     }
                     showBoards(boards.value());
                 });
}

void SavedBoardsDialog::showBoards(const QList<SavedBoard>& boards)
{
    m_boards = boards;
    m_list->clear();
    const QLocale locale;
    const auto nameOf = [this](const QString& id) { return m_catalog ? m_catalog->displayName(id) : id; };
    for (const SavedBoard& board : boards) {
        QStringList models;
        for (const QString& model : board.spec.models)
            models << nameOf(model);
        const auto done = std::count_if(board.cells.cbegin(), board.cells.cend(),
                                        [](const BoardCell& cell) { return cell.state == BoardCell::State::Done; });
        double credits = 0;
        for (const BoardCell& cell : board.cells)
            credits += cell.credits.value_or(0);
        const QString winner = board.winner && *board.winner < board.cells.size()
                                   ? nameOf(board.cells.at(*board.winner).params.model)
                                   : QString();
        auto* item = new QTreeWidgetItem(m_list);
        item->setData(WhenColumn, BoardIdRole, board.id);
        item->setText(WhenColumn, locale.toString(board.createdAt.toLocalTime(), QLocale::ShortFormat));
        item->setText(PromptColumn, board.spec.base.prompt.simplified());
        item->setToolTip(PromptColumn, board.spec.base.prompt);
        item->setText(ModelsColumn, tr("%n model(s)", nullptr, int(models.size())));
        item->setToolTip(ModelsColumn, models.join(QLatin1Char('\n')));
        item->setText(CellsColumn, tr("%1 of %2").arg(done).arg(board.cells.size()));
        item->setText(CreditsColumn, CostEstimate::creditsText(credits));
        item->setTextAlignment(CreditsColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(WinnerColumn, winner.isEmpty() ? tr("—") : winner);
        item->setToolTip(WinnerColumn, board.note);
        // What the filter looks at besides the columns.
        item->setData(PromptColumn, Qt::UserRole, QStringList {models.join(QLatin1Char(' ')), board.note}.join(u' '));
    }
    for (const int column : {WhenColumn, ModelsColumn, CellsColumn, CreditsColumn, WinnerColumn})
        m_list->resizeColumnToContents(column);
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    applyFilter(m_filter->text());
}

void SavedBoardsDialog::applyFilter(const QString& text)
{
    const QString needle = text.trimmed();
    int shown = 0;
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        QTreeWidgetItem* item = m_list->topLevelItem(row);
        const QString haystack = item->text(PromptColumn) + u' ' + item->text(WinnerColumn) + u' '
                                 + item->data(PromptColumn, Qt::UserRole).toString();
        const bool match = needle.isEmpty() || haystack.contains(needle, Qt::CaseInsensitive);
        item->setHidden(!match);
        shown += match ? 1 : 0;
    }
    if (m_boards.isEmpty())
        m_status->setText(tr("No boards yet. Models → Compare Models… sends one prompt to several models."));
    else if (shown == int(m_boards.size()))
        m_status->setText(tr("%n board(s)", nullptr, shown));
    else
        m_status->setText(tr("%1 of %2 boards").arg(shown).arg(m_boards.size()));
    updateButtons();
}

const SavedBoard* SavedBoardsDialog::selectedBoard() const
{
    const QTreeWidgetItem* item = m_list->currentItem();
    if (!item || item->isHidden())
        return nullptr;
    const qint64 id = item->data(WhenColumn, BoardIdRole).toLongLong();
    for (const SavedBoard& board : m_boards) {
        if (board.id == id)
            return &board;
    }
    return nullptr;
}

void SavedBoardsDialog::select(qint64 boardId)
{
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        if (m_list->topLevelItem(row)->data(WhenColumn, BoardIdRole).toLongLong() == boardId)
            m_list->setCurrentItem(m_list->topLevelItem(row));
    }
}

void SavedBoardsDialog::updateButtons()
{
    const bool selected = selectedBoard() != nullptr;
    m_open->setEnabled(selected);
    m_again->setEnabled(selected);
    m_delete->setEnabled(selected && m_store);
}

void SavedBoardsDialog::deleteSelected()
{
    const SavedBoard* board = selectedBoard();
    BoardStore* store = m_store ? m_store() : nullptr;
    if (!board || !store)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Delete Board"),
        tr("Delete the board “%1”? Its images stay in the library.").arg(board->spec.base.prompt.simplified().left(80)),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    const qint64 id = board->id;
    if (const auto removed = store->remove(id); !removed) {
        Q_EMIT failed(tr("The board could not be deleted: %1").arg(removed.error().userMessage()));
        return;
    }
    m_boards.erase(std::remove_if(m_boards.begin(), m_boards.end(), [id](const SavedBoard& b) { return b.id == id; }),
                   m_boards.end());
    delete m_list->currentItem();
    applyFilter(m_filter->text());
}

} // namespace Pixapi
