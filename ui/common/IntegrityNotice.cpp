#include "common/IntegrityNotice.h"

#include "support/Logging.h"
#include "support/WhenFinished.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace Pixapi {

IntegrityNotice::IntegrityNotice(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("integrityNotice"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);

    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("integrityNoticeLabel"));
    m_label->setWordWrap(true);
    auto* review = new QPushButton(tr("Review…"), this);
    review->setObjectName(QStringLiteral("integrityNoticeReviewButton"));
    auto* dismiss = new QToolButton(this);
    dismiss->setObjectName(QStringLiteral("integrityNoticeDismissButton"));
    dismiss->setText(QStringLiteral("×"));
    dismiss->setAutoRaise(true);
    dismiss->setToolTip(tr("Dismiss"));
    dismiss->setAccessibleName(tr("Dismiss"));

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(m_label, 1);
    layout->addWidget(review);
    layout->addWidget(dismiss);

    connect(review, &QPushButton::clicked, this, &IntegrityNotice::reviewRequested);
    connect(dismiss, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void IntegrityNotice::checkLibrary(const QString& rootDir)
{
    whenFinished(this, LibraryIntegrity::check(rootDir, false),
                 [this](const Result<IntegrityReport, ApiError>& result) {
                     if (result)
                         showReport(result.value());
                     else
                         qCWarning(lcUi).noquote() << "library check failed:" << result.error().detail;
                     Q_EMIT checkFinished();
                 });
}

void IntegrityNotice::showReport(const IntegrityReport& report)
{
    m_label->setText(describe(report));
    setVisible(!report.isClean());
}

QString IntegrityNotice::describe(const IntegrityReport& report)
{
    // Phrased without verbs that agree with the number: the English plurals file only adds "s".
    QStringList parts;
    if (!report.missing.isEmpty())
        parts << tr("%n image(s) without a file", nullptr, int(report.missing.size()));
    if (!report.mismatched.isEmpty())
        parts << tr("%n image(s) changed on disk", nullptr, int(report.mismatched.size()));
    if (!report.orphans.isEmpty())
        parts << tr("%n file(s) not in the library", nullptr, int(report.orphans.size()));
    if (parts.isEmpty())
        return {};
    return tr("The library index and its files disagree: %1.").arg(parts.join(tr(", ")));
}

} // namespace Pixapi
