#pragma once

#include <QDialog>
#include <QStringList>

class QLineEdit;
class QListWidget;
class QPushButton;

namespace Pixapi {

// "Tags…" for the selected images: lists the tags any of them has, adds tags (completed from the tags in use) and
// removes them. The caller applies added() and removed() to every selected image.
class TagEditorDialog : public QDialog
{
    Q_OBJECT

public:
    TagEditorDialog(const QStringList& currentTags, const QStringList& knownTags, QWidget* parent = nullptr);

    QStringList added() const { return m_added; }
    QStringList removed() const { return m_removed; }

private:
    void addTag();
    void removeSelectedTags();
    void updateButtons();

    QLineEdit* m_input;
    QListWidget* m_list;
    QPushButton* m_addButton;
    QPushButton* m_removeButton;
    QStringList m_current;
    QStringList m_added;
    QStringList m_removed;
};

} // namespace Pixapi
