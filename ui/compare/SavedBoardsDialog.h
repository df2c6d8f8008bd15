#pragma once

#include "compare/BoardStore.h"

#include <QDialog>
#include <QList>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace Pixapi {

class ModelCatalog;

// The boards saved in the library, newest first: when, the prompt, the models, how far each got, what it cost and
// who won. Open shows a board again (its images, winner and note); Run Again sets up a new one like it; Delete
// forgets the board (its images stay in the library). The list is read off the UI thread.
class SavedBoardsDialog : public QDialog
{
    Q_OBJECT

public:
    static constexpr int MaxListed = 500;

    SavedBoardsDialog(QString libraryRoot, const ModelCatalog* catalog, std::function<BoardStore*()> store,
                      QWidget* parent = nullptr);

    bool isLoaded() const { return m_loaded; }
    int boardCount() const { return int(m_boards.size()); }
    // Selects the row of a board (tests, and the board shown last).
    void select(qint64 boardId);

Q_SIGNALS:
    void openRequested(qint64 boardId);
    void runAgainRequested(const Pixapi::BoardSpec& spec);
    void failed(const QString& message);

private:
    void showBoards(const QList<SavedBoard>& boards);
    void applyFilter(const QString& text);
    const SavedBoard* selectedBoard() const;
    void updateButtons();
    void deleteSelected();

    const ModelCatalog* m_catalog;
    std::function<BoardStore*()> m_store;
    QList<SavedBoard> m_boards;
    bool m_loaded = false;
    QLineEdit* m_filter;
    QTreeWidget* m_list;
    QLabel* m_status;
    QPushButton* m_open;
    QPushButton* m_again;
    QPushButton* m_delete;
};

} // namespace Pixapi
