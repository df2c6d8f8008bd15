#include "viewer/MetadataPanel.h"

#include "viewer/LineageStrip.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace Pixapi {

namespace {
constexpr int MaxStars = 5;
const QLatin1String StarOnStyle("QToolButton { color: #f5c518; font-size: 16px; }");
const QLatin1String StarOffStyle("QToolButton { color: #80848c; font-size: 16px; }");

QLabel* makeText(QWidget* parent, const QString& objectName)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QString paramText(const QJsonObject& params, const QString& key)
{
    const QJsonValue value = params.value(key);
    return value.isString() ? value.toString().trimmed() : QString();
}

// What the request asked for (size, aspect ratio, resolution), as far as it was recorded.
QString requestedSize(const QJsonObject& params)
{
    QStringList parts;
    for (const QString& key : {QStringLiteral("size"), QStringLiteral("aspect_ratio"), QStringLiteral("resolution")}) {
        if (const QString text = paramText(params, key); !text.isEmpty())
            parts << text;
    }
    return parts.join(QStringLiteral(", "));
}
} // namespace

MetadataPanel::MetadataPanel(QWidget* parent)
    : QScrollArea(parent)
    , m_form(new QFormLayout)
    , m_favoriteButton(new QToolButton)
    , m_copyPromptButton(new QToolButton)
    , m_showInFolder(new QToolButton)
    , m_tagEdit(new QLineEdit)
    , m_madeFrom(new LineageStrip)
    , m_usedFor(new LineageStrip)
{
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* content = new QWidget(this);
    content->setObjectName(QStringLiteral("metadataContent"));
    auto* layout = new QVBoxLayout(content);

    // Rating first: it is what one changes most while stepping through images.
    auto* rating = new QHBoxLayout;
    m_favoriteButton->setObjectName(QStringLiteral("metadataFavoriteButton"));
    m_favoriteButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    rating->addWidget(m_favoriteButton);
    rating->addStretch();
    for (int star = 1; star <= MaxStars; ++star) {
        auto* button = new QToolButton(content);
        button->setObjectName(QStringLiteral("starButton%1").arg(star));
        button->setAutoRaise(true);
        button->setAccessibleName(tr("Rate %1 of 5 stars").arg(star));
        button->setToolTip(tr("%1 of 5 stars (key %1); click again to clear").arg(star));
        connect(button, &QToolButton::clicked, this,
                [this, star] { Q_EMIT starsChosen(star == m_record.stars ? 0 : star); });
        m_starButtons << button;
        rating->addWidget(button);
    }
    layout->addLayout(rating);

    layout->addWidget(addCaption(tr("Prompt")));
    m_prompt = makeText(content, QStringLiteral("promptLabel"));
    m_prompt->setAccessibleName(tr("Prompt"));
    layout->addWidget(m_prompt);
    m_copyPromptButton->setObjectName(QStringLiteral("copyPromptButton"));
    layout->addWidget(m_copyPromptButton, 0, Qt::AlignLeft);
    m_revisedCaption = addCaption(tr("Revised prompt"));
    layout->addWidget(m_revisedCaption);
    m_revisedPrompt = makeText(content, QStringLiteral("revisedPromptLabel"));
    m_revisedPrompt->setAccessibleName(tr("Revised prompt"));
    layout->addWidget(m_revisedPrompt);

    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    layout->addLayout(m_form);
    m_model = addValue(QStringLiteral("modelLabel"), tr("Model"));
    m_size = addValue(QStringLiteral("sizeLabel"), tr("Size"));
    m_quality = addValue(QStringLiteral("qualityLabel"), tr("Quality"));
    m_count = addValue(QStringLiteral("countLabel"), tr("Image"));
    m_edit = addValue(QStringLiteral("editLabel"), tr("Made by"));
    m_requestId = addValue(QStringLiteral("requestIdLabel"), tr("Request ID"));
    m_credits = addValue(QStringLiteral("creditsLabel"), tr("Credits"));
    m_duration = addValue(QStringLiteral("durationLabel"), tr("Duration"));
    m_created = addValue(QStringLiteral("createdLabel"), tr("Created"));

    layout->addWidget(addCaption(tr("File")));
    m_path = new QLineEdit(content);
    m_path->setObjectName(QStringLiteral("pathField"));
    m_path->setReadOnly(true);
    m_path->setFrame(false);
    m_path->setAccessibleName(tr("File path"));
    layout->addWidget(m_path);
    auto* fileRow = new QHBoxLayout;
    m_fileInfo = makeText(content, QStringLiteral("fileInfoLabel"));
    m_fileInfo->setAccessibleName(tr("File size and format"));
    fileRow->addWidget(m_fileInfo, 1);
    m_showInFolder->setObjectName(QStringLiteral("showInFolderButton"));
    m_showInFolder->setText(tr("Show in Folder"));
    m_showInFolder->setAccessibleName(tr("Show in folder"));
    fileRow->addWidget(m_showInFolder);
    layout->addLayout(fileRow);
    connect(m_showInFolder, &QToolButton::clicked, this, &MetadataPanel::showInFolder);

    layout->addWidget(addCaption(tr("Tags")));
    m_tags = new QLabel(content);
    m_tags->setObjectName(QStringLiteral("tagsLabel"));
    m_tags->setWordWrap(true);
    m_tags->setTextFormat(Qt::RichText);
    m_tags->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
    m_tags->setToolTip(tr("Click a tag to remove it"));
    layout->addWidget(m_tags);
    connect(m_tags, &QLabel::linkActivated, this,
            [this](const QString& link) { Q_EMIT tagRemoved(QUrl::fromPercentEncoding(link.toUtf8())); });
    m_tagEdit->setObjectName(QStringLiteral("tagEdit"));
    m_tagEdit->setPlaceholderText(tr("Add a tag and press Enter"));
    m_tagEdit->setAccessibleName(tr("New tag"));
    m_tagEdit->setClearButtonEnabled(true);
    layout->addWidget(m_tagEdit);
    connect(m_tagEdit, &QLineEdit::returnPressed, this, [this] {
        const QString tag = m_tagEdit->text().trimmed();
        if (tag.isEmpty())
            return;
        m_tagEdit->clear();
        Q_EMIT tagAdded(tag);
    });

    layout->addWidget(addCaption(tr("Collections")));
    m_collections = makeText(content, QStringLiteral("collectionsLabel"));
    m_collections->setAccessibleName(tr("Collections"));
    layout->addWidget(m_collections);

    m_madeFromCaption = addCaption(tr("Made from"));
    layout->addWidget(m_madeFromCaption);
    m_madeFrom->setObjectName(QStringLiteral("madeFromList"));
    m_madeFrom->setAccessibleName(tr("Made from"));
    layout->addWidget(m_madeFrom);
    m_usedForCaption = addCaption(tr("Used for"));
    layout->addWidget(m_usedForCaption);
    m_usedFor->setObjectName(QStringLiteral("usedForList"));
    m_usedFor->setAccessibleName(tr("Used for"));
    layout->addWidget(m_usedFor);
    connect(m_madeFrom, &LineageStrip::recordActivated, this, &MetadataPanel::recordActivated);
    connect(m_usedFor, &LineageStrip::recordActivated, this, &MetadataPanel::recordActivated);
    layout->addStretch();

    setWidget(content);
    clearLineage();
    updateStars(0);
}

QLabel* MetadataPanel::addCaption(const QString& text)
{
    auto* caption = new QLabel(text);
    QFont font = caption->font();
    font.setBold(true);
    caption->setFont(font);
    return caption;
}

QLabel* MetadataPanel::addValue(const QString& objectName, const QString& caption)
{
    QLabel* value = makeText(nullptr, objectName);
    value->setAccessibleName(caption);
    m_form->addRow(caption, value);
    return value;
}

void MetadataPanel::setActions(QAction* favorite, QAction* copyPrompt)
{
    m_favoriteButton->setDefaultAction(favorite);
    m_copyPromptButton->setDefaultAction(copyPrompt);
}

void MetadataPanel::setRecord(const LibraryRecord& record)
{
    const QLocale locale;
    m_record = record;
    m_prompt->setText(record.prompt.isEmpty() ? tr("(no prompt)") : record.prompt);
    const QString revised = paramText(record.params, QStringLiteral("revised_prompt"));
    m_revisedPrompt->setText(revised);
    m_revisedCaption->setVisible(!revised.isEmpty());
    m_revisedPrompt->setVisible(!revised.isEmpty());

    m_model->setText(record.model);
    const QString pixels = tr("%1 × %2 px").arg(record.width).arg(record.height);
    const QString requested = requestedSize(record.params);
    m_size->setText(requested.isEmpty() ? pixels : tr("%1 (requested %2)").arg(pixels, requested));
    const QString quality = paramText(record.params, QStringLiteral("quality"));
    m_quality->setText(quality);
    m_form->setRowVisible(m_quality, !quality.isEmpty());
    const int n = record.params.value(QStringLiteral("n")).toInt();
    const int index = record.params.value(QStringLiteral("index")).toInt();
    m_count->setText(tr("%1 of %2").arg(index + 1).arg(n));
    m_form->setRowVisible(m_count, n > 1);
    // An edit, or an image brought in as an input: how it came to be (its inputs are under "Made from").
    const int inputs = record.params.value(QStringLiteral("input_images")).toInt();
    const QString imported = paramText(record.params, QStringLiteral("imported_from"));
    if (inputs > 0)
        m_edit->setText(record.params.value(QStringLiteral("mask")).toBool()
                            ? tr("an edit of %n input image(s), with a mask", nullptr, inputs)
                            : tr("an edit of %n input image(s)", nullptr, inputs));
    else
        m_edit->setText(imported.isEmpty() ? QString() : tr("imported from “%1”").arg(imported));
    m_form->setRowVisible(m_edit, !m_edit->text().isEmpty());
    m_form->setRowVisible(m_model, !record.model.isEmpty());
    m_requestId->setText(record.requestId.isEmpty() ? tr("none") : record.requestId);
    m_credits->setText(record.credits ? locale.toString(*record.credits, 'g', QLocale::FloatingPointShortest)
                                      : tr("unknown"));
    m_duration->setText(record.durationMs < 0 ? tr("unknown")
                                              : tr("%1 s").arg(locale.toString(record.durationMs / 1000.0, 'f', 1)));
    m_created->setText(locale.toString(record.createdAt.toLocalTime(), QLocale::LongFormat));

    m_path->setText(QDir::toNativeSeparators(record.filePath));
    m_path->setCursorPosition(0);
    m_fileInfo->setText(tr("%1 · %2").arg(locale.formattedDataSize(record.fileSize), record.format.toUpper()));

    QStringList links;
    for (const QString& tag : record.tags) {
        links << QStringLiteral("<a href=\"%1\">%2&nbsp;✕</a>")
                     .arg(QString::fromLatin1(QUrl::toPercentEncoding(tag)), tag.toHtmlEscaped());
    }
    m_tags->setText(links.isEmpty() ? tr("No tags") : links.join(QStringLiteral(" &nbsp; ")));
    m_tags->setAccessibleName(record.tags.isEmpty() ? tr("No tags")
                                                    : tr("Tags: %1").arg(record.tags.join(QStringLiteral(", "))));
    m_collections->setText(record.collections.isEmpty() ? tr("None") : record.collections.join(QStringLiteral(", ")));
    updateStars(record.stars);
}

void MetadataPanel::updateStars(int stars)
{
    for (int i = 0; i < m_starButtons.size(); ++i) {
        const bool on = i < stars;
        m_starButtons.at(i)->setText(on ? QStringLiteral("★") : QStringLiteral("☆"));
        m_starButtons.at(i)->setStyleSheet(on ? StarOnStyle : StarOffStyle);
    }
}

void MetadataPanel::setLineage(const Lineage& lineage)
{
    m_madeFrom->setRecords(lineage.parents);
    m_usedFor->setRecords(lineage.children);
    m_madeFromCaption->setVisible(!lineage.parents.isEmpty());
    m_usedForCaption->setVisible(!lineage.children.isEmpty());
}

void MetadataPanel::clearLineage()
{
    setLineage({});
}

void MetadataPanel::showInFolder()
{
    // Opening the folder is as far as Qt goes portably; selecting the file needs each platform's file manager.
    QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_record.filePath).absolutePath()));
}

} // namespace Pixapi
