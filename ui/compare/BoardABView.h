#pragma once

#include <QList>
#include <QString>
#include <QWidget>

class QComboBox;

namespace Pixapi {

class ImageDecoder;
class SplitCompareCanvas;
struct DecodedImage;

// Two cells of a board under one A/B slider: pick A and B (in blind mode by their aliases), wipe between them
// over the same detail. The images are decoded by the board's decoder, off the UI thread.
class BoardABView : public QWidget
{
    Q_OBJECT

public:
    struct Choice
    {
        QString label;
        QString filePath;
    };

    BoardABView(ImageDecoder* decoder, QWidget* parent = nullptr);

    // The cells with an image; a and b index into them.
    void setChoices(const QList<Choice>& choices, int a, int b);
    int indexA() const;
    int indexB() const;
    SplitCompareCanvas* canvas() const { return m_canvas; }

Q_SIGNALS:
    void closed();

private:
    void showPair();
    void onDecoded(const QString& filePath, const DecodedImage& image);

    ImageDecoder* m_decoder;
    QList<Choice> m_choices;
    QComboBox* m_a;
    QComboBox* m_b;
    SplitCompareCanvas* m_canvas;
};

} // namespace Pixapi
