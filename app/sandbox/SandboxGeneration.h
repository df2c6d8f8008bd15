#pragma once

#include "sandbox/SandboxCatalog.h"
#include "sandbox/SandboxReply.h"
#include "support/Result.h"

#include <QByteArray>
#include <QString>

namespace Pixapi {

// A validated POST /v1/images/generations body (contract §3.1).
struct SandboxGeneration
{
    const SandboxModel* model = nullptr; // resolved from id or alias
    QString prompt;
    int n = 1;
    QString size;    // as requested, or the model's default
    QString quality; // as requested, or the model's default ("" when the model has none)
    bool base64 = false;

    // Validates in the order a real server would: JSON, model, prompt, n, size, quality, response_format.
    static Result<SandboxGeneration, SandboxApiError> parse(const QByteArray& body);

    double cost() const;
};

} // namespace Pixapi
