#include "gallery/DateRangeDialog.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>

namespace Pixapi {

DateRangeDialog::DateRangeDialog(QDate from, QDate to, QWidget* parent)
    : QDialog(parent)
    , m_from(new QDateEdit(from, this))
    , m_to(new QDateEdit(to, this))
{
    setWindowTitle(tr("Images Made Between"));
    m_from->setObjectName(QStringLiteral("dateFromEdit"));
    m_to->setObjectName(QStringLiteral("dateToEdit"));
    for (QDateEdit* edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setMaximumDate(QDate::currentDate());
    }
    // A range that ends before it starts is never what was meant: keep the ends in order.
    connect(m_from, &QDateEdit::dateChanged, this, [this](QDate date) {
        if (m_to->date() < date)
            m_to->setDate(date);
    });
    connect(m_to, &QDateEdit::dateChanged, this, [this](QDate date) {
        if (m_from->date() > date)
            m_from->setDate(date);
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->setObjectName(QStringLiteral("dateRangeButtons"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* form = new QFormLayout(this);
    form->addRow(tr("From:"), m_from);
    form->addRow(tr("To:"), m_to);
    form->addRow(buttons);
}

QDate DateRangeDialog::from() const
{
    return m_from->date();
}

QDate DateRangeDialog::to() const
{
    return m_to->date();
}

} // namespace Pixapi
