#pragma once

#include "api/ApiTypes.h"
#include "library/Library.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <optional>

namespace Pixapi {

class PixapiClient;
class ApiJob;

// What a finished generation produced: the images safely in the library, and the first error if any.
struct GenerationOutcome
{
    QList<LibraryRecord> saved;
    int expected = 0;               // images the server returned (0 when the request failed)
    std::optional<ApiError> error;  // the request error, or the first image that could not be saved
    bool complete() const { return !error && expected > 0 && saved.size() == expected; }
};

// One text-to-image generation end to end: POST, fetch every image (URLs are downloaded at once, they expire),
// store each in the library, and only then report it. Emits imageSaved() per image as it lands and finished() once.
// Cancel stops the request; once the server has answered, the paid images are always saved.
class GenerationJob : public QObject
{
    Q_OBJECT

public:
    GenerationJob(PixapiClient* client, Library* library, GenerationParams params, QObject* parent = nullptr);

    // The catalog price, recorded with each image when the server does not report what it charged.
    void setCreditsPerImage(std::optional<double> credits) { m_creditsPerImage = credits; }
    // The account that pays; recorded with each image (empty for the sandbox).
    void setAccountId(const QString& accountId) { m_accountId = accountId; }
    void start();
    void cancel();
    const GenerationParams& params() const { return m_params; }
    const GenerationOutcome& outcome() const { return m_outcome; }
    bool isRunning() const { return m_started && !m_done; }

Q_SIGNALS:
    void stageChanged(const QString& description);
    void imageSaved(const Pixapi::LibraryRecord& record);
    void finished(const Pixapi::GenerationOutcome& outcome);

private:
    void onResponse(const GenerationResponse& response);
    void storeImage(int index, QByteArray bytes);
    void imageFailed(const ApiError& error);
    void imageDone();
    void finish();

    PixapiClient* m_client;
    QPointer<Library> m_library;
    GenerationParams m_params;
    GenerationResponse m_response;
    GenerationOutcome m_outcome;
    QPointer<ApiJob> m_request;
    QElapsedTimer m_timer;
    std::optional<double> m_creditsPerImage;
    QString m_accountId;
    qint64 m_requestMs = -1;
    int m_pending = 0;
    bool m_started = false;
    bool m_done = false;
};

} // namespace Pixapi

Q_DECLARE_METATYPE(Pixapi::GenerationOutcome)
