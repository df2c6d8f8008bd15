#pragma once

#include "sandbox/SandboxCatalog.h"
#include "sandbox/SandboxReply.h"
#include "support/Result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace Pixapi {

class SandboxFileStore;
struct SandboxEditInputs;

// A validated POST /v1/images/generations body (contract §3.1), or an edit's (§3.2: the same fields plus images).
struct SandboxGeneration
{
    enum class Kind { Generation, Edit };

    const SandboxModel* model = nullptr; // resolved from id or alias
    QString prompt;
    int n = 1;
    QString size;    // as requested, or the model's default
    QString quality; // as requested, or the model's default ("" when the model has none)
    bool base64 = false;
    std::shared_ptr<const SandboxEditInputs> edit; // set for edits: what renders draw on

    // Validates in the order a real server would: JSON, model, prompt, n, size, quality, response_format.
    static Result<SandboxGeneration, SandboxApiError> parse(const QByteArray& body);
    // The same from fields already read (an edit's multipart text fields); an edit also needs supports_edits.
    static Result<SandboxGeneration, SandboxApiError> fromFields(const QJsonObject& json, Kind kind);

    double cost() const;
    // Renders the n images and returns the response's "data": b64_json items, or url items stored in `files`.
    QJsonArray render(SandboxFileStore& files, const QUrl& baseUrl) const;
};

} // namespace Pixapi
