#pragma once

#include <QDate>
#include <QDialog>

class QDateEdit;

namespace Pixapi {

// "Custom range…" of the date filter: two calendar dates, both days included.
class DateRangeDialog : public QDialog
{
    Q_OBJECT

public:
    DateRangeDialog(QDate from, QDate to, QWidget* parent = nullptr);

    QDate from() const;
    QDate to() const;

private:
    QDateEdit* m_from;
    QDateEdit* m_to;
};

} // namespace Pixapi
