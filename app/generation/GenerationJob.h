#pragma once

#include "api/ApiTypes.h"
#include "generation/GenerationOutcome.h"
#include "library/Library.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <optional>

namespace Pixapi {

class PixapiClient;
class ApiJob;
class ResultSaver;

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
    // Library images this generation was made from; recorded as the parents of every image.
    void setParentIds(const QList<qint64>& ids) { m_parentIds = ids; }
    // Input images (and a mask): the request becomes an edit (POST .../images/edits).
    void setEditInputs(const EditInputs& inputs) { m_edit = inputs; }
    void start();
    void cancel();
    const GenerationParams& params() const { return m_params; }
    const GenerationOutcome& outcome() const { return m_outcome; }
    bool isRunning() const { return m_started && !m_done; }
    // The stage shown while a refused request waits to be sent again (shared with AsyncGenerationJob).
    static QString retryStage(int delayMs, int httpStatus);

Q_SIGNALS:
    void stageChanged(const QString& description);
    void imageSaved(const Pixapi::LibraryRecord& record);
    void finished(const Pixapi::GenerationOutcome& outcome);

private:
    void onResponse(const GenerationResponse& response);
    void finish();

    PixapiClient* m_client;
    QPointer<Library> m_library;
    GenerationParams m_params;
    GenerationOutcome m_outcome;
    QPointer<ApiJob> m_request;
    ResultSaver* m_saver = nullptr; // set once the server answered; from then on nothing is cancelled
    QElapsedTimer m_timer;
    std::optional<double> m_creditsPerImage;
    QString m_accountId;
    QList<qint64> m_parentIds;
    EditInputs m_edit;
    qint64 m_requestMs = -1;
    bool m_started = false;
    bool m_done = false;
};

} // namespace Pixapi
