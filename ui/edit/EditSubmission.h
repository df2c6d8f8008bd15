#pragma once

#include "edit/EditInputPrep.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QWidget;

namespace Pixapi {

// Turns the prompt panel's input images into the files of an edit on a worker (EditInputPrep), before anything is
// sent. Inputs over the model's limits are not sent as they are: the user is asked (a window-modal question named
// "downscaleQuestion") whether to send smaller copies; anything else that is wrong is reported through refused().
class EditSubmission : public QObject
{
    Q_OBJECT

public:
    explicit EditSubmission(QWidget* window);

    // `ready` runs on this thread with the files, once they are checked (and downscaled if the user agreed).
    void prepare(EditInputRequest request, std::function<void(const EditInputs&)> ready);

Q_SIGNALS:
    // Nothing was sent; `message` says why (translated).
    void refused(const QString& message);

private:
    void onPrepared(const Result<EditInputs, EditRefusal>& result, const EditInputRequest& request,
                    const std::function<void(const EditInputs&)>& ready);
    void askToDownscale(const EditRefusal& refusal, EditInputRequest request,
                        std::function<void(const EditInputs&)> ready);

    QPointer<QWidget> m_window;
};

} // namespace Pixapi
