#include "compare/ComparisonBoardView.h"

#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"
#include "common/TextLook.h"
#include "compare/BoardABView.h"
#include "compare/BoardCellWidget.h"
#include "compare/BoardStore.h"
#include "compare/ComparisonRun.h"
#include "compare/ContactSheet.h"
#include "support/WhenFinished.h"
#include "viewer/ImageCanvas.h"
#include "viewer/ImageDecoder.h"
#include "viewer/LinkedCanvases.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace Pixapi {

ComparisonBoardView::ComparisonBoardView(const ModelCatalog* catalog, QWidget* parent)
    : QWidget(parent)
    , m_catalog(catalog)
    , m_prompt(new QLabel(this))
    , m_blind(new QCheckBox(tr("&Blind"), this))
    , m_note(new QLineEdit(this))
    , m_summary(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel Board"), this))
    , m_export(new QPushButton(tr("Export Sheet…"), this))
    , m_again(new QPushButton(tr("Run Again…"), this))
    , m_abButton(new QPushButton(tr("A/B…"), this))
    , m_link(new QCheckBox(tr("&Link zoom"), this))
    , m_decoder(new ImageDecoder(this))
    , m_links(new LinkedCanvases(this))
    , m_pages(new QStackedWidget(this))
    , m_ab(new BoardABView(m_decoder, this))
    , m_grid(new QWidget(this))
    , m_gridLayout(new QGridLayout(m_grid))
{
    auto* title = new QLabel(tr("Comparison"), this);
    TextLook::setWeight(title, QFont::DemiBold, 13);
    m_prompt->setObjectName(QStringLiteral("boardPrompt"));
    m_prompt->setWordWrap(true);
    m_prompt->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(QStringLiteral("boardSummary"));
    TextLook::setDim(m_summary);
    m_cancel->setObjectName(QStringLiteral("cancelBoardButton"));
    auto* back = new QPushButton(tr("Back to Library"), this);
    back->setObjectName(QStringLiteral("closeBoardButton"));
    back->setToolTip(tr("Back to the library (Esc); the board is saved"));

    m_blind->setObjectName(QStringLiteral("blindCheck"));
    m_blind->setToolTip(tr("Hide the models until you have picked a winner"));
    m_note->setObjectName(QStringLiteral("boardNote"));
    m_note->setPlaceholderText(tr("Why this one? The note is saved with the board"));
    m_note->setEnabled(false); // once there is a winner

    auto* header = new QHBoxLayout;
    header->addWidget(title);
    header->addWidget(m_summary, 1);
    header->addWidget(m_blind);
    header->addWidget(m_export);
    header->addWidget(m_again);
    header->addWidget(m_cancel);
    header->addWidget(back);
    // Review: the cells zoom and pan together; Fit, 100 % and the A/B slider.
    m_link->setObjectName(QStringLiteral("linkZoomCheck"));
    m_link->setChecked(true);
    m_link->setToolTip(tr("Zoom and pan all cells together, to compare the same detail"));
    auto* fit = new QPushButton(tr("Fit"), this);
    fit->setObjectName(QStringLiteral("fitCellsButton"));
    fit->setToolTip(tr("Show every image whole (Ctrl+0)"));
    auto* actual = new QPushButton(tr("100 %"), this);
    actual->setObjectName(QStringLiteral("actualPixelsButton"));
    actual->setToolTip(tr("One image pixel per screen pixel (Ctrl+1); the other cells show the same part"));
    m_abButton->setObjectName(QStringLiteral("abButton"));
    m_abButton->setToolTip(tr("Wipe between two results with a slider"));
    m_abButton->setEnabled(false);   // once two cells have images
    m_gridTools = new QWidget(this); // for the grid only: the A/B page has its own
    auto* tools = new QHBoxLayout(m_gridTools);
    tools->setContentsMargins(0, 0, 0, 0);
    tools->addWidget(m_link);
    tools->addWidget(fit);
    tools->addWidget(actual);
    tools->addWidget(m_abButton);
    auto* review = new QHBoxLayout;
    review->addWidget(m_prompt, 1);
    review->addWidget(m_gridTools);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_grid);
    m_pages->addWidget(scroll);
    m_pages->addWidget(m_ab);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(review);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_note);

    connect(m_link, &QCheckBox::toggled, m_links, &LinkedCanvases::setLinked);
    connect(fit, &QPushButton::clicked, m_links, &LinkedCanvases::fitAll);
    connect(actual, &QPushButton::clicked, m_links, &LinkedCanvases::actualPixels);
    connect(m_abButton, &QPushButton::clicked, this, [this] {
        // The winner against the next result, or the first two.
        QList<int> withImages;
        for (int i = 0; i < m_cells.size(); ++i) {
            if (m_cells.at(i)->hasImage())
                withImages << i;
        }
        if (withImages.size() < 2)
            return;
        const int a = m_winner && m_cells.at(*m_winner)->hasImage() ? *m_winner : withImages.first();
        const int b = withImages.at(withImages.first() == a ? 1 : 0);
        showAB(a, b);
    });
    connect(m_ab, &BoardABView::closed, this, &ComparisonBoardView::showGridPage);
    connect(m_decoder, &ImageDecoder::decoded, this, [this](const QString& path, const DecodedImage& image) {
        for (BoardCellWidget* cell : std::as_const(m_cells))
            cell->showFullImage(path, image);
    });
    const auto shortcut = [this](const QKeySequence& keys, auto slot) {
        auto* key = new QShortcut(keys, this);
        connect(key, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence(Qt::Key_Escape), [this] {
        if (isShowingAB())
            showGridPage();
        else
            Q_EMIT closed();
    });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_0), [this] { m_links->fitAll(); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_1), [this] { m_links->actualPixels(); });
    shortcut(QKeySequence::ZoomIn, [this] { m_links->zoomIn(); });
    shortcut(QKeySequence::ZoomOut, [this] { m_links->zoomOut(); });

    connect(back, &QPushButton::clicked, this, &ComparisonBoardView::closed);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_run)
            m_run->cancel();
    });
    connect(m_blind, &QCheckBox::toggled, this, &ComparisonBoardView::setBlind);
    m_again->setObjectName(QStringLiteral("runAgainButton"));
    m_again->setToolTip(tr("Set up a new board like this one: the same models, the same or a new prompt"));
    connect(m_again, &QPushButton::clicked, this, [this] {
        if (m_run)
            Q_EMIT runAgainRequested(m_run->spec());
    });
    m_export->setObjectName(QStringLiteral("exportSheetButton"));
    m_export->setToolTip(tr("Save the board with its captions as one PNG image or PDF page"));
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export Contact Sheet"),
                                         QDir(QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
                                             .filePath(tr("comparison") + QStringLiteral(".pdf")),
                                         tr("PDF page (*.pdf);;PNG image (*.png)"));
        if (!path.isEmpty())
            exportSheet(path);
    });
    connect(m_note, &QLineEdit::editingFinished, this, &ComparisonBoardView::saveVerdict);
}

bool ComparisonBoardView::isShowingAB() const
{
    return m_pages->currentWidget() == m_ab;
}

bool ComparisonBoardView::showAB(int a, int b)
{
    QList<BoardABView::Choice> choices;
    QList<int> cells;
    int choiceA = -1;
    int choiceB = -1;
    for (int i = 0; i < m_cells.size(); ++i) {
        const BoardCellWidget* cell = m_cells.at(i);
        if (!cell->hasImage())
            continue;
        if (i == a)
            choiceA = int(choices.size());
        if (i == b)
            choiceB = int(choices.size());
        choices << BoardABView::Choice {cell->caption(), cell->imagePath()};
        cells << i;
    }
    if (choiceA < 0 || choiceB < 0)
        return false;
    m_abCells = cells;
    m_pages->setCurrentWidget(m_ab);
    m_gridTools->hide();
    m_ab->setChoices(choices, choiceA, choiceB);
    return true;
}

void ComparisonBoardView::showGridPage()
{
    m_pages->setCurrentIndex(0);
    m_gridTools->show();
}

void ComparisonBoardView::updateReviewButtons()
{
    const auto withImages =
        std::count_if(m_cells.cbegin(), m_cells.cend(), [](const BoardCellWidget* cell) { return cell->hasImage(); });
    m_abButton->setEnabled(withImages >= 2);
}

void ComparisonBoardView::setBlind(bool blind)
{
    const QSignalBlocker quiet(m_blind);
    m_blind->setChecked(blind);
    for (int i = 0; i < m_cells.size(); ++i)
        m_cells.at(i)->setBlind(blind, tr("Image %1").arg(QChar(u'A' + i % 26)));
    if (isShowingAB()) // the slider's labels follow
        showAB(m_abCells.value(m_ab->indexA(), -1), m_abCells.value(m_ab->indexB(), -1));
}

void ComparisonBoardView::exportSheet(const QString& path)
{
    if (!m_run)
        return;
    const ModelCatalog* catalog = m_catalog;
    const auto nameOf = [catalog](const QString& id) { return catalog ? catalog->displayName(id) : id; };
    m_export->setEnabled(false);
    whenFinished(this,
                 ContactSheet::write(ContactSheet::fromBoard(m_run->spec(), m_run->cells(), nameOf, m_winner), path),
                 [this](const Result<QString, ApiError>& written) {
                     m_export->setEnabled(true);
                     if (written)
                         Q_EMIT sheetExported(written.value());
                     else
                         Q_EMIT failed(tr("The contact sheet could not be saved: %1").arg(written.error().detail));
                 });
}

void ComparisonBoardView::pick(int index)
{
    // Clicking the winner again takes the pick back.
    showWinner(m_winner == index ? std::nullopt : std::optional<int>(index));
    saveVerdict();
}

void ComparisonBoardView::setVerdict(std::optional<int> winner, const QString& note)
{
    if (winner && (*winner < 0 || *winner >= m_cells.size()))
        winner.reset();
    m_note->setText(winner ? note : QString());
    showWinner(winner);
}

void ComparisonBoardView::showWinner(std::optional<int> winner)
{
    m_winner = winner;
    for (int i = 0; i < m_cells.size(); ++i)
        m_cells.at(i)->setPicked(m_winner == i);
    m_note->setEnabled(m_winner.has_value());
    if (m_winner && m_blind->isChecked())
        setBlind(false); // the verdict is in: show who is who
}

void ComparisonBoardView::saveVerdict()
{
    BoardStore* store = m_store ? m_store() : nullptr;
    if (store && m_run && m_run->boardId())
        store->setVerdict(m_run->boardId(), m_winner, m_winner ? m_note->text().trimmed() : QString());
}

void ComparisonBoardView::setRun(ComparisonRun* run)
{
    if (m_run)
        m_run->disconnect(this);
    showGridPage();
    m_links->clear();
    qDeleteAll(m_cells);
    m_cells.clear();
    m_abButton->setEnabled(false);
    m_run = run;
    m_winner.reset();
    m_note->clear();
    m_note->setEnabled(false);
    const BoardSpec& spec = run->spec();
    m_prompt->setText(spec.base.prompt);
    const QList<BoardCell>& cells = run->cells();
    const bool axis = !spec.variants.isEmpty();
    const int wrap = spec.layoutColumns();
    for (int i = 0; i < cells.size(); ++i) {
        const QString model = cells.at(i).params.model;
        const QString subtitle = axis ? spec.variants.at(i % spec.columns()).label() : QString();
        auto* cell = new BoardCellWidget(m_catalog ? m_catalog->displayName(model) : model, subtitle, m_grid);
        cell->setObjectName(QStringLiteral("boardCell%1").arg(i));
        m_gridLayout->addWidget(cell, i / wrap, i % wrap);
        connect(cell, &BoardCellWidget::pickClicked, this, [this, i] { pick(i); });
        connect(cell, &BoardCellWidget::previewShown, this, [this, cell] {
            m_links->adopt(cell->canvas());
            updateReviewButtons();
        });
        connect(cell, &BoardCellWidget::fullImageWanted, m_decoder, &ImageDecoder::request);
        m_links->add(cell->canvas());
        m_cells << cell;
        updateCell(i);
    }
    connect(run, &ComparisonRun::cellChanged, this, &ComparisonBoardView::updateCell);
    connect(run, &ComparisonRun::finished, this, &ComparisonBoardView::updateSummary);
    setBlind(m_blind->isChecked());
    updateSummary();
}

void ComparisonBoardView::updateCell(int index)
{
    if (!m_run || index < 0 || index >= m_cells.size())
        return;
    m_cells.at(index)->showCell(m_run->cells().at(index));
    updateSummary();
}

QString ComparisonBoardView::summaryText() const
{
    return m_summary->text();
}

void ComparisonBoardView::updateSummary()
{
    if (!m_run)
        return;
    const int total = int(m_run->cells().size());
    m_summary->setText(tr("%1 of %2 done · %3 charged")
                           .arg(m_run->finishedCount())
                           .arg(total)
                           .arg(CostEstimate::creditsText(m_run->creditsCharged())));
    m_cancel->setEnabled(!m_run->isFinished());
}

} // namespace Pixapi
