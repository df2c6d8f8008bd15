#pragma once

#include "library/Library.h"

#include <QList>
#include <QScrollArea>

class QAction;
class QFormLayout;
class QLabel;
class QLineEdit;
class QToolButton;

namespace Pixapi {

class LineageStrip;

// Everything known about the shown image, beside it: prompt, generation details, file, rating, tags, collections
// and lineage. It shows a record and reports what the user asks to change; the viewer makes the change.
class MetadataPanel : public QScrollArea
{
    Q_OBJECT

public:
    explicit MetadataPanel(QWidget* parent = nullptr);

    // The viewer's actions, shown as buttons here too (one state for toolbar and panel).
    void setActions(QAction* favorite, QAction* copyPrompt);
    void setRecord(const LibraryRecord& record);
    void setLineage(const Lineage& lineage);
    void clearLineage();

Q_SIGNALS:
    void starsChosen(int stars);
    void tagAdded(const QString& tag);
    void tagRemoved(const QString& tag);
    void recordActivated(const Pixapi::LibraryRecord& record);

private:
    QLabel* addValue(const QString& objectName, const QString& caption);
    QLabel* addCaption(const QString& text);
    void updateStars(int stars);
    void showInFolder();

    LibraryRecord m_record;
    QFormLayout* m_form;
    QToolButton* m_favoriteButton;
    QList<QToolButton*> m_starButtons;
    QLabel* m_prompt;
    QToolButton* m_copyPromptButton;
    QLabel* m_revisedCaption;
    QLabel* m_revisedPrompt;
    QLabel* m_model;
    QLabel* m_size;
    QLabel* m_quality;
    QLabel* m_count;
    QLabel* m_requestId;
    QLabel* m_credits;
    QLabel* m_duration;
    QLabel* m_edit;
    QLabel* m_created;
    QLineEdit* m_path;
    QLabel* m_fileInfo;
    QToolButton* m_showInFolder;
    QLabel* m_tags;
    QLineEdit* m_tagEdit;
    QLabel* m_collections;
    QLabel* m_madeFromCaption;
    LineageStrip* m_madeFrom;
    QLabel* m_usedForCaption;
    LineageStrip* m_usedFor;
};

} // namespace Pixapi
