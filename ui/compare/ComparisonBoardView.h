#pragma once

#include <QPointer>
#include <QWidget>

class QGridLayout;
class QLabel;
class QPushButton;

namespace Pixapi {

class BoardCellWidget;
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

    void setRun(ComparisonRun* run);
    ComparisonRun* run() const { return m_run; }
    QList<BoardCellWidget*> cellWidgets() const { return m_cells; }
    QString summaryText() const;

Q_SIGNALS:
    void closed();

private:
    void updateCell(int index);
    void updateSummary();

    const ModelCatalog* m_catalog;
    QPointer<ComparisonRun> m_run;
    QLabel* m_prompt;
    QLabel* m_summary;
    QPushButton* m_cancel;
    QWidget* m_grid;
    QGridLayout* m_gridLayout;
    QList<BoardCellWidget*> m_cells;
};

} // namespace Pixapi
