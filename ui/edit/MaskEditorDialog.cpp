#include "edit/MaskEditorDialog.h"

#include "common/TextLook.h"
#include "edit/MaskCanvas.h"
#include "support/BackgroundWork.h"
#include "support/WhenFinished.h"

#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScreen>
#include <QShortcut>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

namespace Pixapi {

MaskEditorDialog::MaskEditorDialog(const QString& imagePath, const EditMask& mask, QWidget* parent)
    : QDialog(parent)
    , m_canvas(new MaskCanvas(this))
    , m_size(new QSlider(Qt::Horizontal, this))
    , m_coverage(new QLabel(this))
    , m_tools(new QWidget(this))
{
    setObjectName(QStringLiteral("maskEditorDialog"));
    setWindowTitle(tr("Paint Mask"));
    m_canvas->setObjectName(QStringLiteral("maskCanvas"));
    m_canvas->setAccessibleName(tr("Mask canvas"));
    m_canvas->setAccessibleDescription(tr("Paint where the model may change the image"));

    auto* tools = new QHBoxLayout(m_tools);
    tools->setContentsMargins(0, 0, 0, 0);
    m_brush = addToolButton(tr("&Brush"), tr("Paint where the model may change the image"), Qt::Key_B);
    m_eraser = addToolButton(tr("&Eraser"), tr("Take paint away: the image is kept there"), Qt::Key_E);
    for (QToolButton* tool : {m_brush, m_eraser}) {
        tool->setCheckable(true);
        tool->setAutoExclusive(true);
    }
    m_brush->setChecked(true);
    m_brush->setObjectName(QStringLiteral("maskBrushButton"));
    m_eraser->setObjectName(QStringLiteral("maskEraserButton"));
    tools->addWidget(m_brush);
    tools->addWidget(m_eraser);

    auto* sizeLabel = new QLabel(tr("&Size"), m_tools);
    sizeLabel->setBuddy(m_size);
    m_size->setObjectName(QStringLiteral("maskBrushSize"));
    m_size->setRange(MaskCanvas::MinBrush, MaskCanvas::MaxBrush);
    m_size->setValue(m_canvas->brushSize());
    m_size->setAccessibleName(tr("Brush size"));
    m_size->setToolTip(tr("Brush size in screen pixels ([ and ], or Ctrl+wheel)"));
    m_size->setMaximumWidth(180);
    tools->addSpacing(12);
    tools->addWidget(sizeLabel);
    tools->addWidget(m_size);
    tools->addSpacing(12);

    QToolButton* invert = addToolButton(tr("&Invert"), tr("Swap painted and kept areas"), Qt::Key_I);
    QToolButton* clear = addToolButton(tr("&Clear"), tr("Take all paint away"), Qt::Key_Delete);
    m_undo = addToolButton(tr("&Undo"), tr("Undo the last stroke"), QKeySequence::Undo);
    invert->setObjectName(QStringLiteral("maskInvertButton"));
    clear->setObjectName(QStringLiteral("maskClearButton"));
    m_undo->setObjectName(QStringLiteral("maskUndoButton"));
    for (QToolButton* button : {invert, clear, m_undo})
        tools->addWidget(button);
    tools->addStretch(1);
    m_coverage->setObjectName(QStringLiteral("maskCoverage"));
    TextLook::setDim(m_coverage);
    tools->addWidget(m_coverage);

    auto* hint = new QLabel(tr("Paint over what should change. Unpainted areas are kept as they are. The right mouse "
                               "button or Shift erases while the brush is chosen."),
                            this);
    hint->setWordWrap(true);
    TextLook::setDim(hint);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Use Mask"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_tools);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(hint);
    layout->addWidget(buttons);

    connect(m_brush, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            m_canvas->setTool(EditMask::Tool::Brush);
    });
    connect(m_eraser, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            m_canvas->setTool(EditMask::Tool::Eraser);
    });
    connect(m_size, &QSlider::valueChanged, m_canvas, &MaskCanvas::setBrushSize);
    connect(m_canvas, &MaskCanvas::brushSizeChanged, m_size, &QSlider::setValue);
    connect(invert, &QToolButton::clicked, m_canvas, &MaskCanvas::invert);
    connect(clear, &QToolButton::clicked, m_canvas, &MaskCanvas::clear);
    connect(m_undo, &QToolButton::clicked, m_canvas, &MaskCanvas::undo);
    connect(m_canvas, &MaskCanvas::maskChanged, this, &MaskEditorDialog::updateState);
    auto* smaller = new QShortcut(QKeySequence(Qt::Key_BracketLeft), this);
    auto* larger = new QShortcut(QKeySequence(Qt::Key_BracketRight), this);
    connect(smaller, &QShortcut::activated, this, [this] { m_canvas->stepBrushSize(-1); });
    connect(larger, &QShortcut::activated, this, [this] { m_canvas->stepBrushSize(1); });

    m_tools->setEnabled(false);
    updateState();
    resize(900, 720);
    const QScreen* screen = parent ? parent->screen() : QGuiApplication::primaryScreen();
    const int previewEdge =
        screen ? qRound(std::max(screen->size().width(), screen->size().height()) * screen->devicePixelRatio()) : 2048;
    whenFinished(this, runInBackground(&MaskEditorDialog::read, imagePath, previewEdge),
                 [this, mask](const Picture& picture) { onRead(picture, mask); });
}

QToolButton* MaskEditorDialog::addToolButton(const QString& text, const QString& tip, const QKeySequence& key)
{
    auto* button = new QToolButton(m_tools);
    button->setText(text);
    button->setShortcut(key);
    button->setToolTip(tr("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    button->setAccessibleName(QString(text).remove(QLatin1Char('&')));
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

MaskEditorDialog::Picture MaskEditorDialog::read(const QString& path, int previewEdge)
{
    // The pixels as stored: the mask must line up with the bytes the server gets, which carry no rotation applied.
    QImageReader reader(path);
    reader.setAutoTransform(false);
    Picture picture;
    picture.size = reader.size();
    if (picture.size.isValid() && std::max(picture.size.width(), picture.size.height()) > previewEdge)
        reader.setScaledSize(picture.size.scaled(previewEdge, previewEdge, Qt::KeepAspectRatio));
    picture.preview = reader.read();
    if (picture.preview.isNull()) {
        picture.error = reader.errorString();
        picture.size = {};
    } else if (!picture.size.isValid()) {
        picture.size = picture.preview.size(); // a format without a size in its header
    }
    return picture;
}

void MaskEditorDialog::onRead(const Picture& picture, const EditMask& mask)
{
    if (picture.preview.isNull()) {
        m_coverage->setText(tr("The image could not be read: %1").arg(picture.error));
        Q_EMIT loaded(false);
        return;
    }
    m_canvas->setImage(picture.preview, picture.size);
    m_canvas->setMask(mask);
    m_tools->setEnabled(true);
    m_canvas->setFocus();
    updateState();
    Q_EMIT loaded(true);
}

bool MaskEditorDialog::isLoaded() const
{
    return m_canvas->hasImage();
}

EditMask MaskEditorDialog::mask() const
{
    return m_canvas->mask();
}

void MaskEditorDialog::updateState()
{
    const EditMask& mask = m_canvas->mask();
    m_undo->setEnabled(mask.canUndo());
    if (!m_canvas->hasImage())
        return;
    m_coverage->setText(
        mask.isEmpty() ? tr("Nothing painted: the whole image may change")
                       : tr("%1 % of the image may change").arg(QLocale().toString(mask.coverage() * 100, 'f', 1)));
}

} // namespace Pixapi
