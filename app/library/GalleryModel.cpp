#include "library/GalleryModel.h"

#include "library/ThumbnailLoader.h"

#include <QFileInfo>
#include <QPainter>

#include <algorithm>

namespace Pixapi {

namespace {
constexpr int MaxToolTipPromptChars = 400;
} // namespace

GalleryModel::GalleryModel(QObject* parent)
    : QAbstractListModel(parent)
    , m_loader(new ThumbnailLoader(this))
{
    connect(m_loader, &ThumbnailLoader::loaded, this, &GalleryModel::onThumbnailLoaded);
}

GalleryModel::~GalleryModel() = default;

void GalleryModel::setThumbnailEdge(int pixels)
{
    m_loader->setMaxEdge(pixels);
}

int GalleryModel::thumbnailEdge() const
{
    return m_loader->maxEdge();
}

int GalleryModel::responseIndex(const LibraryRecord& record)
{
    return record.params.value(QStringLiteral("index")).toInt();
}

quint64 GalleryModel::groupFor(const QString& requestId)
{
    if (requestId.isEmpty())
        return ++m_lastGroup; // unknown request: a group of its own
    auto it = m_groups.find(requestId);
    if (it == m_groups.end())
        it = m_groups.insert(requestId, ++m_lastGroup);
    return *it;
}

void GalleryModel::addRecord(const LibraryRecord& record)
{
    Row row {record, {}, ThumbnailState::Pending, groupFor(record.requestId), responseIndex(record)};
    // Rows are ordered by group (newest first), then by index within the group.
    int at = 0;
    while (
        at < m_rows.size()
        && (m_rows.at(at).group > row.group || (m_rows.at(at).group == row.group && m_rows.at(at).index <= row.index)))
        ++at;
    beginInsertRows({}, at, at);
    m_rows.insert(at, std::move(row));
    endInsertRows();
    m_loader->request(record.filePath);
}

void GalleryModel::setRecords(QList<LibraryRecord> records)
{
    std::stable_sort(records.begin(), records.end(), [](const LibraryRecord& a, const LibraryRecord& b) {
        if (a.createdAt != b.createdAt)
            return a.createdAt > b.createdAt;
        if (a.requestId != b.requestId)
            return a.requestId > b.requestId;
        return responseIndex(a) < responseIndex(b);
    });
    beginResetModel();
    m_rows.clear();
    m_groups.clear();
    // Oldest first, so newer requests get higher groups; then back to newest first.
    for (auto it = records.crbegin(); it != records.crend(); ++it)
        m_rows.prepend(Row {*it, {}, ThumbnailState::Pending, groupFor(it->requestId), responseIndex(*it)});
    endResetModel();
    for (const Row& row : std::as_const(m_rows))
        m_loader->request(row.record.filePath);
}

void GalleryModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_groups.clear();
    endResetModel();
}

void GalleryModel::setFavorite(qint64 id, bool favorite)
{
    const int row = rowOfId(id);
    if (row < 0 || m_rows.at(row).record.favorite == favorite)
        return;
    m_rows[row].record.favorite = favorite;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, {FavoriteRole});
}

void GalleryModel::removeIds(const QList<qint64>& ids)
{
    for (const qint64 id : ids) {
        if (const int row = rowOfId(id); row >= 0) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
}

int GalleryModel::rowOfId(qint64 id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).record.id == id)
            return i;
    }
    return -1;
}

void GalleryModel::onThumbnailLoaded(const QString& filePath, const QImage& image)
{
    for (int i = 0; i < m_rows.size(); ++i) {
        Row& row = m_rows[i];
        if (row.record.filePath != filePath)
            continue;
        row.thumbnail = image;
        row.state = image.isNull() ? ThumbnailState::Failed : ThumbnailState::Ready;
        const QModelIndex changed = index(i);
        Q_EMIT dataChanged(changed, changed, {Qt::DecorationRole, ThumbnailStateRole});
    }
}

int GalleryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DecorationRole:
        return row.state == ThumbnailState::Ready ? row.thumbnail : placeholder(thumbnailEdge(), row.state);
    case Qt::ToolTipRole:
        return toolTip(row.record);
    case Qt::AccessibleTextRole:
    case PromptRole:
        return row.record.prompt;
    case RecordIdRole:
        return row.record.id;
    case FilePathRole:
        return row.record.filePath;
    case ModelRole:
        return row.record.model;
    case CreatedAtRole:
        return row.record.createdAt;
    case ThumbnailStateRole:
        return static_cast<int>(row.state);
    case FavoriteRole:
        return row.record.favorite;
    default:
        return {};
    }
}

QHash<int, QByteArray> GalleryModel::roleNames() const
{
    QHash<int, QByteArray> roles = QAbstractListModel::roleNames();
    roles.insert(RecordIdRole, "recordId");
    roles.insert(FilePathRole, "filePath");
    roles.insert(PromptRole, "prompt");
    roles.insert(ModelRole, "model");
    roles.insert(CreatedAtRole, "createdAt");
    roles.insert(ThumbnailStateRole, "thumbnailState");
    roles.insert(FavoriteRole, "favorite");
    return roles;
}

QString GalleryModel::toolTip(const LibraryRecord& record) const
{
    QString prompt = record.prompt;
    if (prompt.size() > MaxToolTipPromptChars)
        prompt = prompt.left(MaxToolTipPromptChars) + QChar(0x2026);
    QStringList lines {prompt, tr("Model: %1").arg(record.model)};
    if (record.width > 0 && record.height > 0)
        lines << tr("Size: %1 × %2 px").arg(record.width).arg(record.height);
    const QFileInfo file(record.filePath);
    if (!file.exists())
        lines << tr("The file is missing: %1").arg(record.filePath);
    return lines.join(QLatin1Char('\n'));
}

QImage GalleryModel::placeholder(int edge, ThumbnailState state)
{
    // Cached per state: the view asks for it on every paint.
    static QImage pending;
    static QImage failed;
    QImage& cached = state == ThumbnailState::Failed ? failed : pending;
    if (cached.width() == edge)
        return cached;
    cached = QImage(edge, edge, QImage::Format_ARGB32_Premultiplied);
    cached.fill(state == ThumbnailState::Failed ? QColor(0x4a, 0x2f, 0x33) : QColor(0x3a, 0x3d, 0x44));
    if (state == ThumbnailState::Failed) {
        // A diagonal cross: "this image could not be shown".
        QPainter painter(&cached);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(QColor(0xc0, 0x70, 0x78), qMax(2, edge / 48)));
        const int m = edge / 3;
        painter.drawLine(m, m, edge - m, edge - m);
        painter.drawLine(edge - m, m, m, edge - m);
    }
    return cached;
}

} // namespace Pixapi
