#pragma once

#include "library/LibraryIntegrity.h"

#include <QFrame>
#include <QString>

class QLabel;

namespace Pixapi {

// The banner above the grid saying the library index and its files disagree, with "Review…" and a dismiss ×.
// Hidden while there is nothing to say. checkLibrary() runs the fast check (sizes only) in the background.
class IntegrityNotice : public QFrame
{
    Q_OBJECT

public:
    explicit IntegrityNotice(QWidget* parent = nullptr);

    // Runs LibraryIntegrity::check(rootDir, sizes only) on a worker; shows the banner if the report is not clean.
    void checkLibrary(const QString& rootDir);
    // Shows the banner for this report, or hides it when the report is clean.
    void showReport(const IntegrityReport& report);

    // "The library index and its files disagree: 3 images without a file, 2 files not in the library." Empty when
    // the report is clean.
    static QString describe(const IntegrityReport& report);

Q_SIGNALS:
    void reviewRequested();
    // checkLibrary() ended; the banner is shown or hidden by then. A check that failed leaves the banner hidden.
    void checkFinished();

private:
    QLabel* m_label;
};

} // namespace Pixapi
