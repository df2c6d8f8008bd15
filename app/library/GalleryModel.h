#pragma once

#include "library/Library.h"

#include <QAbstractListModel>
#include <QHash>
#include <QImage>
#include <QList>

namespace Pixapi {

class ThumbnailLoader;

// The images shown in the results grid, newest first. DecorationRole is a QImage thumbnail decoded off the UI
// thread (ThumbnailLoader); a neutral placeholder stands in until it is ready. Widgets-free: views turn the
// QImage into a pixmap.
class GalleryModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        RecordIdRole = Qt::UserRole + 1,
        FilePathRole,
        PromptRole,
        ModelRole,
        CreatedAtRole,
        ThumbnailStateRole, // a ThumbnailState as int
        FavoriteRole,
    };
    enum class ThumbnailState { Pending, Ready, Failed };
    Q_ENUM(ThumbnailState)

    explicit GalleryModel(QObject* parent = nullptr);
    ~GalleryModel() override;

    // Longest thumbnail edge in pixels; applies to thumbnails requested afterwards.
    void setThumbnailEdge(int pixels);
    int thumbnailEdge() const;

    // Puts a newly stored image at the top and starts decoding its thumbnail. Images of one request stay together
    // in response order (index), whatever order they are stored in; the request seen last comes first.
    void addRecord(const LibraryRecord& record);
    // Replaces the content (records in any order; shown newest first).
    void setRecords(QList<LibraryRecord> records);
    void clear();
    // Keep the grid in step with library edits made elsewhere (unknown ids are ignored).
    void setFavorite(qint64 id, bool favorite);
    void removeIds(const QList<qint64>& ids);

    const LibraryRecord& record(int row) const { return m_rows.at(row).record; }
    int rowOfId(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The image shown while a thumbnail is being decoded (or could not be).
    static QImage placeholder(int edge, ThumbnailState state);

private:
    struct Row
    {
        LibraryRecord record;
        QImage thumbnail;
        ThumbnailState state = ThumbnailState::Pending;
        quint64 group = 0; // arrival order of the record's request: higher is newer
        int index = 0;     // position in the request's response
    };
    static int responseIndex(const LibraryRecord& record);
    quint64 groupFor(const QString& requestId);
    void onThumbnailLoaded(const QString& filePath, const QImage& image);
    QString toolTip(const LibraryRecord& record) const;

    QList<Row> m_rows;
    QHash<QString, quint64> m_groups; // requestId → group
    quint64 m_lastGroup = 0;
    ThumbnailLoader* m_loader;
};

} // namespace Pixapi
