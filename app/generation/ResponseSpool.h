#pragma once

#include "api/ApiError.h"
#include "api/ApiTypes.h"
#include "generation/ResultSaver.h"
#include "support/Result.h"

#include <QList>
#include <QString>

namespace Pixapi {

// A generation answer written to disk the moment it arrives, before its images are saved: what a crash between the
// answer and the library would otherwise lose (the images are paid for; their URLs expire).
struct SpooledResponse
{
    QString id; // the entry's directory name
    GenerationResponse response;
    ResultSaver::Context context;
};

// `<library>/incoming/<id>/`: the b64 images as `image-<n>.bin` (bytes as decoded), then `response.json` (the
// response's URLs and fields, and the request's context) written last, atomically: an entry without it was cut
// short and never counts. Only files: safe on any thread; callers run it on a worker.
class ResponseSpool
{
public:
    explicit ResponseSpool(QString libraryRoot);

    QString directory() const;
    // Writes the entry and returns its id.
    Result<QString, ApiError> write(const GenerationResponse& response, const ResultSaver::Context& context) const;
    // Complete entries, oldest first. Entries cut short by a crash are deleted; unreadable ones are kept aside as
    // `<id>.unreadable` for a person to look at, never silently dropped.
    QList<SpooledResponse> pending() const;
    void remove(const QString& id) const;

private:
    QString m_root;
};

} // namespace Pixapi
