#include "gallery/TagEditorDialog.h"

#include <QCompleter>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>

namespace Pixapi {

TagEditorDialog::TagEditorDialog(const QStringList& currentTags, const QStringList& knownTags, QWidget* parent)
    : QDialog(parent)
    , m_input(new QLineEdit(this))
    , m_list(new QListWidget(this))
    , m_addButton(new QPushButton(tr("&Add"), this))
    , m_removeButton(new QPushButton(tr("&Remove"), this))
    , m_current(currentTags)
{
    setWindowTitle(tr("Tags"));
    m_input->setObjectName(QStringLiteral("tagInput"));
    m_input->setPlaceholderText(tr("New tag"));
    auto* completer = new QCompleter(knownTags, m_input);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_input->setCompleter(completer);
    m_list->setObjectName(QStringLiteral("tagList"));
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->addItems(currentTags);
    m_addButton->setObjectName(QStringLiteral("addTagButton"));
    m_addButton->setAutoDefault(false);
    m_removeButton->setObjectName(QStringLiteral("removeTagButton"));
    m_removeButton->setAutoDefault(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("tagButtons"));

    auto* grid = new QGridLayout(this);
    grid->addWidget(new QLabel(tr("Tags of the selected images:"), this), 0, 0, 1, 2);
    grid->addWidget(m_list, 1, 0);
    grid->addWidget(m_removeButton, 1, 1, Qt::AlignTop);
    grid->addWidget(m_input, 2, 0);
    grid->addWidget(m_addButton, 2, 1);
    grid->addWidget(buttons, 3, 0, 1, 2);

    // Return in the field adds the tag rather than closing the dialog.
    connect(m_input, &QLineEdit::returnPressed, this, &TagEditorDialog::addTag);
    connect(m_input, &QLineEdit::textChanged, this, &TagEditorDialog::updateButtons);
    connect(m_addButton, &QPushButton::clicked, this, &TagEditorDialog::addTag);
    connect(m_removeButton, &QPushButton::clicked, this, &TagEditorDialog::removeSelectedTags);
    connect(m_list, &QListWidget::itemSelectionChanged, this, &TagEditorDialog::updateButtons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        addTag(); // a tag typed but not added yet is meant
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateButtons();
}

void TagEditorDialog::addTag()
{
    const QString tag = m_input->text().simplified();
    m_input->clear();
    if (tag.isEmpty() || !m_list->findItems(tag, Qt::MatchFixedString).isEmpty())
        return; // MatchFixedString is case-insensitive, as tags are
    m_list->addItem(tag);
    if (m_removed.removeIf([&tag](const QString& t) { return t.compare(tag, Qt::CaseInsensitive) == 0; }) == 0
        && !m_current.contains(tag, Qt::CaseInsensitive))
        m_added << tag;
}

void TagEditorDialog::removeSelectedTags()
{
    const QList<QListWidgetItem*> items = m_list->selectedItems();
    for (QListWidgetItem* item : items) {
        const QString tag = item->text();
        if (m_added.removeIf([&tag](const QString& t) { return t.compare(tag, Qt::CaseInsensitive) == 0; }) == 0)
            m_removed << tag;
        delete item;
    }
    updateButtons();
}

void TagEditorDialog::updateButtons()
{
    m_addButton->setEnabled(!m_input->text().simplified().isEmpty());
    m_removeButton->setEnabled(!m_list->selectedItems().isEmpty());
}

} // namespace Pixapi
