#include "prompt/PromptDropTarget.h"

#include "library/GalleryModel.h"
#include "support/BackgroundWork.h"
#include "support/WhenFinished.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QImageReader>
#include <QLabel>
#include <QMimeData>
#include <QUrl>
#include <QWidget>

#include <optional>

namespace Pixapi {

namespace {
struct Inspection
{
    enum class Outcome { NotAnImage, NoSettings, Settings };
    Outcome outcome = Outcome::NotAnImage;
    ImageMetadata metadata;
};

// Runs on a worker thread: reads the header only (ImageMetadata::read decodes no pixel).
Inspection inspect(const QString& path)
{
    if (!QImageReader(path).canRead())
        return {};
    const std::optional<ImageMetadata> metadata = ImageMetadata::read(path);
    if (!metadata || metadata->isEmpty())
        return {Inspection::Outcome::NoSettings, {}};
    return {Inspection::Outcome::Settings, *metadata};
}

// A copy, never a move: a file manager deletes the source of an accepted move.
bool acceptCopy(QDropEvent* event)
{
    if (!event->possibleActions().testFlag(Qt::CopyAction))
        return false;
    event->setDropAction(Qt::CopyAction);
    event->accept();
    return true;
}
} // namespace

PromptDropTarget::PromptDropTarget(QWidget* panel)
    : QObject(panel)
    , m_panel(panel)
    , m_highlight(new QLabel(panel))
{
    m_highlight->setObjectName(QStringLiteral("dropHighlight"));
    m_highlight->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_highlight->setAlignment(Qt::AlignCenter);
    m_highlight->setWordWrap(true);
    m_highlight->setStyleSheet(
        QStringLiteral("QLabel#dropHighlight { border: 2px dashed #5b5ef7; border-radius: 8px; "
                       "background: rgba(91, 94, 247, 0.12); color: #5b5ef7; font-weight: 600; padding: 24px; }"));
    m_highlight->hide();
    watch(panel);
}

void PromptDropTarget::watch(QWidget* widget)
{
    widget->setAcceptDrops(true);
    widget->installEventFilter(this);
}

bool PromptDropTarget::isHighlighted() const
{
    return m_highlight->isVisible();
}

PromptDropTarget::Kind PromptDropTarget::kindOf(const QMimeData* mime)
{
    if (!mime)
        return Kind::None;
    if (mime->hasFormat(GalleryModel::recordIdsMimeType()))
        return Kind::Records;
    return firstLocalFile(mime).isEmpty() ? Kind::None : Kind::File;
}

QString PromptDropTarget::firstLocalFile(const QMimeData* mime)
{
    const QList<QUrl> urls = mime->urls();
    for (const QUrl& url : urls) {
        if (url.isLocalFile())
            return url.toLocalFile();
    }
    return {};
}

bool PromptDropTarget::eventFilter(QObject* watched, QEvent* event)
{
    switch (event->type()) {
    case QEvent::DragEnter: {
        auto* drag = static_cast<QDragEnterEvent*>(event);
        const Kind kind = kindOf(drag->mimeData());
        if (kind == Kind::None || !acceptCopy(drag))
            return false; // text and the like: the editor takes it as usual
        setHighlight(kind);
        return true;
    }
    case QEvent::DragMove:
        return isHighlighted() && acceptCopy(static_cast<QDragMoveEvent*>(event));
    case QEvent::DragLeave:
        if (!isHighlighted())
            return false;
        setHighlight(Kind::None);
        return true;
    case QEvent::Drop: {
        auto* dropEvent = static_cast<QDropEvent*>(event);
        setHighlight(Kind::None);
        if (kindOf(dropEvent->mimeData()) == Kind::None || !acceptCopy(dropEvent))
            return false;
        drop(dropEvent->mimeData());
        return true;
    }
    case QEvent::Resize:
        if (watched == m_panel)
            m_highlight->setGeometry(m_panel->rect());
        return false;
    default:
        return false;
    }
}

void PromptDropTarget::drop(const QMimeData* mime)
{
    if (kindOf(mime) == Kind::Records) {
        const QList<qint64> ids = GalleryModel::recordIdsFromMime(mime);
        if (!ids.isEmpty())
            Q_EMIT recordsDropped(ids);
        return;
    }
    readFile(firstLocalFile(mime));
}

void PromptDropTarget::readFile(const QString& path)
{
    const quint64 serial = ++m_lastRead;
    const QString fileName = QFileInfo(path).fileName();
    whenFinished(this, runInBackground(inspect, path), [this, serial, path, fileName](const Inspection& inspection) {
        if (serial != m_lastRead) // a newer drop has the last word
            return;
        switch (inspection.outcome) {
        case Inspection::Outcome::NotAnImage:
            Q_EMIT notAnImage(fileName);
            break;
        case Inspection::Outcome::NoSettings:
            Q_EMIT plainImageDropped(path);
            break;
        case Inspection::Outcome::Settings:
            Q_EMIT settingsRead(inspection.metadata, fileName);
            break;
        }
    });
}

void PromptDropTarget::setHighlight(Kind kind)
{
    switch (kind) {
    case Kind::None:
        m_highlight->hide();
        return;
    case Kind::Records:
        m_highlight->setText(tr("Drop to reuse the settings of this image"));
        break;
    case Kind::File:
        m_highlight->setText(
            tr("Drop an image exported from Pixapi Studio to restore its settings, or any other image to edit it"));
        break;
    }
    m_highlight->setGeometry(m_panel->rect());
    m_highlight->raise();
    m_highlight->show();
}

} // namespace Pixapi
