#pragma once

#include "api/ApiTypes.h"
#include "generation/GenerationOutcome.h"
#include "library/Library.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace Pixapi {

class PixapiClient;
struct SpooledResponse;

// Puts every image of a generation response into the library: b64 images directly, URLs downloaded at once (they
// expire), each validated and committed before imageSaved(). finished() follows once, when every image is either
// saved or failed; outcome() then holds the saved records and the first error. Shared by the sync and async paths.
// Nothing here can be cancelled: the images were paid for. A sync answer is first written to the ResponseSpool (on a
// worker), so a crash before its images are in the library loses nothing: recover() saves it at the next start.
class ResultSaver : public QObject
{
    Q_OBJECT

public:
    // What is recorded with each image besides the response itself.
    struct Context
    {
        GenerationParams params;
        QString accountId;
        std::optional<double> creditsPerImage; // used when the response carries no cost
        qint64 durationMs = -1;
        QString taskId;          // async only: recorded in params and used as request id when the response has none
        QList<qint64> parentIds; // library images the request was made from (lineage of every image)
        int inputImages = 0;     // an edit: how many input images were sent (the first parentIds, in order); 0: none
        bool masked = false;     // an edit with a mask
        bool replay = false;     // saved again after a crash: images already in the library are not stored twice
    };

    ResultSaver(PixapiClient* client, Library* library, QObject* parent = nullptr);

    void save(const GenerationResponse& response, Context context);
    // Saves a response spooled before a crash, then deletes it from the spool.
    void recover(const SpooledResponse& spooled);
    const GenerationOutcome& outcome() const { return m_outcome; }

Q_SIGNALS:
    void imageSaved(const Pixapi::LibraryRecord& record);
    void finished();

private:
    void begin(const GenerationResponse& response, Context context);
    void storeAll();
    void storeImage(int index, QByteArray bytes);
    void imageFailed(const ApiError& error);
    void imageDone();

    PixapiClient* m_client;
    QPointer<Library> m_library;
    GenerationResponse m_response;
    Context m_context;
    GenerationOutcome m_outcome;
    int m_pending = 0;
    QString m_spoolId; // the spool entry to delete once every image is stored
};

} // namespace Pixapi
