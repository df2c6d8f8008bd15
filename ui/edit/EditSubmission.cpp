#include "edit/EditSubmission.h"

#include "support/WhenFinished.h"

#include <QMessageBox>
#include <QPushButton>

namespace Pixapi {

EditSubmission::EditSubmission(QWidget* window)
    : QObject(window)
    , m_window(window)
{ }

void EditSubmission::prepare(EditInputRequest request, std::function<void(const EditInputs&)> ready)
{
    whenFinished(
        this, EditInputPrep::prepareAsync(request),
        [this, request, ready](const Result<EditInputs, EditRefusal>& result) { onPrepared(result, request, ready); });
}

void EditSubmission::onPrepared(const Result<EditInputs, EditRefusal>& result, const EditInputRequest& request,
                                const std::function<void(const EditInputs&)>& ready)
{
    if (result.ok()) {
        ready(result.value());
        return;
    }
    if (result.error().canDownscale && !request.downscale)
        askToDownscale(result.error(), request, ready);
    else
        Q_EMIT refused(result.error().message);
}

void EditSubmission::askToDownscale(const EditRefusal& refusal, EditInputRequest request,
                                    std::function<void(const EditInputs&)> ready)
{
    auto* box = new QMessageBox(QMessageBox::Question, tr("Input Image Too Large"),
                                refusal.message + QStringLiteral("\n\n")
                                    + tr("Send a smaller copy instead? The image in the library stays as it is."),
                                QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("downscaleQuestion"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* send = box->addButton(tr("Send Smaller Copy"), QMessageBox::AcceptRole);
    box->setDefaultButton(send);
    connect(box, &QMessageBox::finished, this, [this, box, send, request, ready]() mutable {
        if (box->clickedButton() != send)
            return; // nothing sent, nothing to say
        request.downscale = true;
        prepare(std::move(request), std::move(ready));
    });
    box->open();
}

} // namespace Pixapi
