#include "compare/BoardCellWidget.h"

#include "catalog/CostEstimate.h"
#include "common/TextLook.h"
#include "library/ThumbnailCache.h"
#include "library/ThumbnailLoader.h"
#include "support/BackgroundWork.h"
#include "support/Logging.h"
#include "support/WhenFinished.h"
#include "viewer/ImageCanvas.h"
#include "viewer/ImageDecoder.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace Pixapi {

BoardCellWidget::BoardCellWidget(const QString& title, const QString& subtitle, QWidget* parent)
    : QFrame(parent)
    , m_title(title)
    , m_heading(new QLabel(title, this))
    , m_variant(new QLabel(subtitle, this))
    , m_canvas(new ImageCanvas(this))
    , m_status(new QLabel(this))
    , m_pick(new QPushButton(tr("Pick"), this))
{
    setFrameShape(QFrame::StyledPanel);
    m_heading->setObjectName(QStringLiteral("cellTitle"));
    // Long model names must not widen the board's columns; the full name is in the tooltip.
    m_heading->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_heading->setToolTip(title);
    TextLook::setWeight(m_heading, QFont::DemiBold);
    m_variant->setObjectName(QStringLiteral("cellVariant"));
    m_variant->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_variant->setToolTip(subtitle);
    TextLook::setDim(m_variant);
    m_variant->setVisible(!subtitle.isEmpty());
    m_pick->setObjectName(QStringLiteral("cellPickButton"));
    m_pick->setCheckable(true);
    m_pick->setEnabled(false); // once there is an image
    m_pick->setToolTip(tr("Pick this result as the board's winner"));
    connect(m_pick, &QPushButton::clicked, this, &BoardCellWidget::pickClicked);
    m_canvas->setObjectName(QStringLiteral("cellImage"));
    m_canvas->setMinimumSize(ImageEdge / 2, ImageEdge / 2);
    m_canvas->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_canvas->setAccessibleName(tr("Result of %1").arg(title));
    connect(m_canvas, &ImageCanvas::moreDetailWanted, this, [this] {
        if (!m_shownPath.isEmpty())
            Q_EMIT fullImageWanted(m_shownPath);
    });
    m_status->setObjectName(QStringLiteral("cellStatus"));
    m_status->setWordWrap(true);
    auto* top = new QHBoxLayout;
    top->addWidget(m_heading, 1);
    top->addWidget(m_pick);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_variant);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_status);
}

void BoardCellWidget::setBlind(bool blind, const QString& alias)
{
    m_blind = blind;
    m_heading->setText(blind ? alias : m_title);
    m_heading->setToolTip(blind ? QString() : m_title); // nothing may give the model away
    m_canvas->setAccessibleName(tr("Result of %1").arg(blind ? alias : m_title));
    m_variant->setVisible(!blind && !m_variant->text().isEmpty());
    m_status->setVisible(!blind); // the seconds and credits give the model away too
}

QString BoardCellWidget::shownTitle() const
{
    return m_heading->text();
}

QString BoardCellWidget::caption() const
{
    if (m_blind || m_variant->text().isEmpty())
        return shownTitle();
    return m_title + QStringLiteral(" · ") + m_variant->text();
}

void BoardCellWidget::setPicked(bool picked)
{
    m_pick->setChecked(picked);
    m_pick->setText(picked ? tr("Winner") : tr("Pick"));
}

bool BoardCellWidget::isPicked() const
{
    return m_pick->isChecked();
}

QString BoardCellWidget::statusText() const
{
    return m_status->text();
}

void BoardCellWidget::showCell(const BoardCell& cell)
{
    m_status->setPalette(QPalette());
    switch (cell.state) {
    case BoardCell::State::Queued:
        m_status->setText(tr("Waiting for a free slot…"));
        break;
    case BoardCell::State::Running:
        m_status->setText(tr("Generating…"));
        break;
    case BoardCell::State::Done: {
        const QString seconds = cell.latencyMs >= 0
                                    ? tr("%1 s").arg(QLocale().toString(double(cell.latencyMs) / 1000.0, 'f', 1))
                                    : tr("time unknown");
        const QString charged = cell.credits ? CostEstimate::creditsText(*cell.credits) : tr("credits not reported");
        QString text = seconds + QStringLiteral(" · ") + charged;
        if (cell.error) // some images of the cell could not be saved
            text += QLatin1Char('\n') + cell.error->userMessage();
        m_status->setText(text);
        if (!cell.images.isEmpty())
            loadImage(cell.images.constFirst());
        break;
    }
    case BoardCell::State::Failed:
        TextLook::setColor(m_status, QColor(0xd0, 0x30, 0x30));
        m_status->setText(cell.error ? cell.error->userMessage() : tr("Failed."));
        m_canvas->setError(tr("No image"));
        break;
    case BoardCell::State::Cancelled:
        m_status->setText(tr("Cancelled"));
        break;
    }
}

void BoardCellWidget::loadImage(const LibraryRecord& record)
{
    if (record.id == m_shownId)
        return;
    m_shownId = record.id;
    m_shownPath = record.filePath;
    m_canvas->setPreview({}, QSize(record.width, record.height)); // "Loading…"
    // As large as the cell shows it, so only a zoom past the fit needs the full image.
    const int edge = int(std::max({ImageEdge, m_canvas->width(), m_canvas->height()}) * devicePixelRatioF());
    whenFinished(this, runInBackground(&ThumbnailLoader::load, record, edge, ThumbnailCache::defaultDir(), false),
                 [this, id = record.id](const QImage& image) {
                     if (id != m_shownId)
                         return;
                     if (image.isNull()) {
                         m_canvas->setError(tr("The image could not be read."));
                         return;
                     }
                     m_canvas->setPreview(image, QSize(m_canvas->imageSize()));
                     m_hasImage = true;
                     m_pick->setEnabled(true);
                     Q_EMIT previewShown();
                 });
}

void BoardCellWidget::showFullImage(const QString& filePath, const DecodedImage& image)
{
    if (filePath != m_shownPath || m_canvas->hasFullImage())
        return;
    if (image.isNull()) {
        qCWarning(lcUi) << "a board image could not be decoded:" << image.error;
        return; // the thumbnail stays
    }
    m_canvas->setImage(image);
}

} // namespace Pixapi
