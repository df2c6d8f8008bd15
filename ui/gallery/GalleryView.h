#pragma once

#include <QListView>

namespace Pixapi {

class GalleryDelegate;

// The results grid: large square tiles that reflow with the width, and a hint while it is empty.
class GalleryView : public QListView
{
    Q_OBJECT

public:
    explicit GalleryView(QWidget* parent = nullptr);

    // The preferred tile edge; actual tiles grow or shrink a little so the columns fill the width.
    void setTileSize(int pixels);
    int tileSize() const;
    void setEmptyText(const QString& text);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void layoutTiles();

    GalleryDelegate* m_delegate;
    int m_preferredTile = 220;
    QString m_emptyText;
};

} // namespace Pixapi
