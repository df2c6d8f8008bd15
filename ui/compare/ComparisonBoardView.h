#pragma once

#include <QPointer>

#include <QWidget>
#include <functional>
#include <optional>

class QCheckBox;
class QStackedWidget;
class QGridLayout;
class QLineEdit;
class QLabel;
class QPushButton;

namespace Pixapi {

class BoardABView;
class BoardCellWidget;
class ImageDecoder;
class LinkedCanvases;
class BoardStore;
struct BoardSpec;
class ComparisonRun;
class ModelCatalog;

// A comparison board on screen: the prompt, how far the board has got and what it has cost so far, and a grid of
// cells (one row per model, one column per variant; without a second axis the cells wrap) that fill in as the
// cells finish. It follows a ComparisonRun it does not own.
class ComparisonBoardView : public QWidget
{
    Q_OBJECT

public:
    explicit ComparisonBoardView(const ModelCatalog* catalog, QWidget* parent = nullptr);

    // Where verdicts (winner, note) are saved when the run has a board id; asked each time (it may be reopened).
    void setStore(std::function<BoardStore*()> store) { m_store = std::move(store); }
    void setRun(ComparisonRun* run);
    ComparisonRun* run() const { return m_run; }
    std::optional<int> winner() const { return m_winner; }
    // The verdict of a reopened board, shown as saved (not saved again).
    void setVerdict(std::optional<int> winner, const QString& note);
    // Blind review: labels hidden until a winner is picked (then they are shown, the winner's first).
    void setBlind(bool blind);
    // The board as a contact sheet (.png or .pdf), written off the UI thread; sheetExported or failed follows.
    void exportSheet(const QString& path);
    QList<BoardCellWidget*> cellWidgets() const { return m_cells; }
    LinkedCanvases* linkedCanvases() const { return m_links; }
    // The A/B slider between two cells with images (by cell index); false when either has none.
    bool showAB(int a, int b);
    BoardABView* abView() const { return m_ab; }
    bool isShowingAB() const;
    QString summaryText() const;

Q_SIGNALS:
    void closed();
    void sheetExported(const QString& path);
    // Run Again…: set up a new board from this one.
    void runAgainRequested(const Pixapi::BoardSpec& spec);
    void failed(const QString& message);

private:
    void updateCell(int index);
    void updateSummary();
    void pick(int index);
    void showWinner(std::optional<int> winner);
    void saveVerdict();
    void showGridPage();
    void updateReviewButtons();

    const ModelCatalog* m_catalog;
    QPointer<ComparisonRun> m_run;
    std::function<BoardStore*()> m_store;
    std::optional<int> m_winner;
    QLabel* m_prompt;
    QCheckBox* m_blind;
    QLineEdit* m_note;
    QLabel* m_summary;
    QPushButton* m_cancel;
    QPushButton* m_export;
    QPushButton* m_again;
    QPushButton* m_abButton;
    QCheckBox* m_link;
    QWidget* m_gridTools;
    ImageDecoder* m_decoder;
    LinkedCanvases* m_links;
    QStackedWidget* m_pages;
    BoardABView* m_ab;
    QList<int> m_abCells; // the cell of each A/B choice
    QWidget* m_grid;
    QGridLayout* m_gridLayout;
    QList<BoardCellWidget*> m_cells;
};

} // namespace Pixapi
