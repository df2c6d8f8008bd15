#pragma once

#include "library/Library.h"
#include "viewer/ImageDecoder.h"

#include <QKeySequence>
#include <QList>
#include <QWidget>

#include <optional>

class QAction;
class QSplitter;
class QStackedWidget;
class QToolBar;
class QToolButton;

namespace Pixapi {

class GalleryModel;
class ImageCanvas;
class ImageDecoder;
class MetadataPanel;
class SplitCompareCanvas;
class Settings;

// One image at a time, large, with its metadata beside it: the page the window shows in place of the grid. It steps
// through the grid's image rows (and follows rows coming and going), and reaches images outside the grid through
// their lineage. Edits (favorite, stars, tags) go to the Library; what the window does (export, trash, reuse, copy
// the image) is asked for by signals.
class ImageViewer : public QWidget
{
    Q_OBJECT

public:
    ImageViewer(Library* library, GalleryModel* model, Settings* settings, QWidget* parent = nullptr);

    // An image row of the model; a header row shows the image after it.
    void showRow(int row);
    // An image that may not be in the grid (a lineage parent or child).
    void showRecord(const LibraryRecord& record);
    qint64 currentId() const { return m_record.id; }
    const LibraryRecord& currentRecord() const { return m_record; }
    // The model row of the shown image, -1 when it is not in the grid.
    int currentRow() const;
    ImageCanvas* canvas() const { return m_canvas; }
    SplitCompareCanvas* sourceCompare() const { return m_sourceCompare; }
    // The shown image against the image it was made from (its first source: the edited input), under one divider.
    // Available once the lineage is read and the image has a source; off again when another image is shown.
    void setComparingWithSource(bool on);
    bool isComparingWithSource() const;

Q_SIGNALS:
    void closed();
    void currentChanged(qint64 id);
    // The full-size decode of the shown image is on screen (ok) or the file could not be read (!ok, message shown).
    void imageLoaded(qint64 id, bool ok);
    void reuseSettingsRequested(const Pixapi::LibraryRecord& record);
    void generateAgainRequested(const Pixapi::LibraryRecord& record);
    void useAsReferenceRequested(const Pixapi::LibraryRecord& record);
    void exportRequested(const QList<Pixapi::LibraryRecord>& records);
    void copyImageRequested(const Pixapi::LibraryRecord& record);
    void trashRequested(const QList<qint64>& ids);
    void failed(const QString& message);

private:
    QAction* makeAction(const QString& objectName, const QString& text, const QList<QKeySequence>& keys);
    void createActions();
    void createToolBar();
    void display(const LibraryRecord& record, int row);
    void onDecoded(const QString& filePath, const DecodedImage& image);
    void onRecordChanged(qint64 id);
    void onRowsAboutToBeRemoved(int first, int last);
    void onRowsRemoved();
    void fetchLineage();
    void onLineage(const Lineage& lineage);
    void showSourceImages();
    void updateNavigation();
    void updateZoomText(qreal factor, bool fitMode);
    void step(bool forward);
    void copyPrompt();
    void runEdit(const QFuture<Result<bool, ApiError>>& edit);

    Library* m_library;
    GalleryModel* m_model;
    Settings* m_settings;
    ImageDecoder* m_decoder;
    QToolBar* m_toolBar;
    QSplitter* m_splitter;
    QStackedWidget* m_stack; // the canvas, or the source comparison
    ImageCanvas* m_canvas;
    SplitCompareCanvas* m_sourceCompare;
    MetadataPanel* m_panel;
    QToolButton* m_zoomButton;

    QAction* m_back = nullptr;
    QAction* m_previous = nullptr;
    QAction* m_next = nullptr;
    QAction* m_fit = nullptr;
    QAction* m_actualSize = nullptr;
    QAction* m_zoomIn = nullptr;
    QAction* m_zoomOut = nullptr;
    QAction* m_favorite = nullptr;
    QAction* m_copyImage = nullptr;
    QAction* m_copyPrompt = nullptr;
    QAction* m_reuseSettings = nullptr;
    QAction* m_generateAgain = nullptr;
    QAction* m_useAsReference = nullptr;
    QAction* m_export = nullptr;
    QAction* m_trash = nullptr;
    QAction* m_compareSource = nullptr;

    LibraryRecord m_record;
    std::optional<LibraryRecord> m_source; // the first parent, once the lineage is read
    DecodedImage m_shownImage;             // the full decode on the canvas (the comparison's B side)
    QString m_loadedPath;                  // the file whose full decode is on the canvas
    quint64 m_recordSerial = 0;            // answers to older record / lineage reads are dropped
    quint64 m_lineageSerial = 0;
    bool m_currentRemoved = false;
    qint64 m_fallbackId = 0; // where to go when the shown image leaves the grid
};

} // namespace Pixapi
