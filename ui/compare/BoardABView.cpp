#include "compare/BoardABView.h"

#include "viewer/ImageDecoder.h"
#include "viewer/SplitCompareCanvas.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Pixapi {

BoardABView::BoardABView(ImageDecoder* decoder, QWidget* parent)
    : QWidget(parent)
    , m_decoder(decoder)
    , m_a(new QComboBox(this))
    , m_b(new QComboBox(this))
    , m_canvas(new SplitCompareCanvas(this))
{
    m_a->setObjectName(QStringLiteral("abChoiceA"));
    m_b->setObjectName(QStringLiteral("abChoiceB"));
    m_canvas->setObjectName(QStringLiteral("abCanvas"));
    m_canvas->setAccessibleName(tr("A/B comparison"));
    m_canvas->setAccessibleDescription(
        tr("Left and Right move the divider, plus and minus zoom, 0 fits; drag the divider to wipe, elsewhere to pan"));
    auto* labelA = new QLabel(tr("&A:"), this);
    labelA->setBuddy(m_a);
    auto* labelB = new QLabel(tr("&B:"), this);
    labelB->setBuddy(m_b);
    auto* swap = new QPushButton(tr("S&wap"), this);
    swap->setObjectName(QStringLiteral("abSwapButton"));
    auto* fit = new QPushButton(tr("Fit"), this);
    auto* back = new QPushButton(tr("Back to Board"), this);
    back->setObjectName(QStringLiteral("abBackButton"));
    auto* hint = new QLabel(tr("Drag the divider or press Left / Right; wheel to zoom, drag to pan"), this);
    hint->setEnabled(false);

    auto* bar = new QHBoxLayout;
    bar->addWidget(labelA);
    bar->addWidget(m_a, 1);
    bar->addWidget(swap);
    bar->addWidget(labelB);
    bar->addWidget(m_b, 1);
    bar->addWidget(fit);
    bar->addWidget(back);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(hint);

    connect(m_decoder, &ImageDecoder::decoded, this, &BoardABView::onDecoded);
    for (QComboBox* box : {m_a, m_b})
        connect(box, &QComboBox::activated, this, &BoardABView::showPair);
    connect(swap, &QPushButton::clicked, this, [this] {
        const int a = indexA();
        m_a->setCurrentIndex(indexB());
        m_b->setCurrentIndex(a);
        showPair();
    });
    connect(fit, &QPushButton::clicked, m_canvas, &SplitCompareCanvas::fit);
    connect(back, &QPushButton::clicked, this, &BoardABView::closed);
}

void BoardABView::setChoices(const QList<Choice>& choices, int a, int b)
{
    m_choices = choices;
    for (QComboBox* box : {m_a, m_b}) {
        box->clear();
        for (const Choice& choice : choices)
            box->addItem(choice.label);
    }
    m_a->setCurrentIndex(a);
    m_b->setCurrentIndex(b);
    showPair();
    m_canvas->setFocus();
}

int BoardABView::indexA() const
{
    return m_a->currentIndex();
}

int BoardABView::indexB() const
{
    return m_b->currentIndex();
}

void BoardABView::showPair()
{
    const int a = indexA();
    const int b = indexB();
    if (a < 0 || b < 0 || a >= m_choices.size() || b >= m_choices.size())
        return;
    m_canvas->setImages({}, m_choices.at(a).label, {}, m_choices.at(b).label);
    // decoded() always follows later (never inside request()), cached or not.
    m_decoder->request(m_choices.at(a).filePath);
    m_decoder->request(m_choices.at(b).filePath);
}

void BoardABView::onDecoded(const QString& filePath, const DecodedImage& image)
{
    const int a = indexA();
    const int b = indexB();
    if (a < 0 || b < 0 || a >= m_choices.size() || b >= m_choices.size())
        return;
    // A failed decode shows its reason on that side instead of "Loading…" for ever.
    if (m_choices.at(a).filePath == filePath)
        m_canvas->setImageA(image);
    if (m_choices.at(b).filePath == filePath)
        m_canvas->setImageB(image);
}

} // namespace Pixapi
