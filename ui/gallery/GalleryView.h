#pragma once

#include <QListView>

namespace Pixapi {

class GalleryDelegate;

// The results grid: square tiles that stretch to fill the width, group header rows on lines of their own, and a
// hint while it is empty. Rows have their own sizes (headers are wide and short), so there is no uniform grid:
// the list lays out in batches and paints only what is visible, which keeps 10,000 rows smooth. Tiles drag out as
// files (the model's mime data). Ctrl+wheel and Ctrl +/- ask for bigger or smaller tiles.
class GalleryView : public QListView
{
    Q_OBJECT

public:
    static constexpr int MinimumTileSize = 96;
    static constexpr int MaximumTileSize = 512;

    explicit GalleryView(QWidget* parent = nullptr);

    // The preferred tile edge; actual tiles grow or shrink a little so the columns fill the width.
    void setTileSize(int pixels);
    int preferredTileSize() const { return m_preferredTile; }
    int tileSize() const; // as painted
    // Tiles that one screen of the grid shows (counting a partly visible row).
    int tilesPerScreen() const;
    GalleryDelegate* delegate() const { return m_delegate; }
    void setEmptyText(const QString& text);
    QString emptyText() const { return m_emptyText; }

Q_SIGNALS:
    // Ctrl+wheel or Ctrl +/-: one step bigger (positive) or smaller (negative).
    void zoomRequested(int steps);
    // The last row is laid out and within a screen of the visible area: time to load more.
    void nearEnd();
    // The painted tile size changed (preferred size or width).
    void tileSizeChanged(int pixels);

protected:
    void dataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles) override;
    void rowsInserted(const QModelIndex& parent, int start, int end) override;
    void rowsAboutToBeRemoved(const QModelIndex& parent, int start, int end) override;
    void reset() override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void updateGeometries() override;

private:
    void layoutTiles();
    void checkNearEnd();
    bool isLaidOut() const;

    int m_keptScroll = -1; // the scroll position to return to once rows added or removed are laid out

    GalleryDelegate* m_delegate;
    int m_preferredTile = 220;
    QString m_emptyText;
};

} // namespace Pixapi
