#pragma once

#include "api/ApiError.h"
#include "api/ApiTypes.h"
#include "library/IndexConnection.h"
#include "support/Result.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace Pixapi {

// One async generation as persisted in the `tasks` table of the library index.
struct TaskRow
{
    enum class State {
        Submitting,       // written before the POST is sent; no task id yet
        Running,          // the server answered with a task id: poll it (resumable after a restart)
        Completed,        // every image is in the library
        Failed,           // the task failed, the server refused the submit, or its images could not be saved
        CancelledLocally, // we stopped polling; the server has no cancel endpoint, the task may still run and charge
        Orphaned,         // the submit may have reached the server but no task id is known: may have been charged
        Dismissed,        // an orphan the user has acknowledged
    };

    // What the request was besides its parameters, so a resumed task records its images and its spend the same way.
    // An edit's files are not kept: a resumed edit can be polled but not sent again.
    struct Origin
    {
        QString source;      // "generate", "edit", "board", "batch" (GenerationQueue::Request::source)
        int inputImages = 0; // an edit's input images (the first parentIds, in order); 0: a generation
        bool masked = false;
    };

    qint64 id = 0;    // local id
    QString remoteId; // "task_…"; empty until the submit answered
    GenerationParams params;
    std::optional<double> creditsPerImage; // the catalog price at submit time, recorded with the images
    QList<qint64> parentIds;               // library images it was made from, recorded with the images
    Origin origin;
    State state = State::Submitting;
    QString remoteStatus; // the server's last status text
    int progress = 0;
    QDateTime createdAt; // UTC
    QDateTime updatedAt; // UTC
    QString error;       // a human-readable reason (Failed, Orphaned, or a poll problem while Running)
    QString errorCode;   // machine code when known
    QString accountId;

    static QString stateName(State state); // "submitting", "running", "completed", ... (the stored text)
    static std::optional<State> stateFromName(const QString& name);

    // The params_json column: the request, and its price, parent ids and origin ("credits_per_image", "parent_ids",
    // "source", "input_images", "mask").
    static QString paramsJson(const GenerationParams& params, std::optional<double> creditsPerImage,
                              const QList<qint64>& parentIds, const Origin& origin);
    // Reads a params_json text into params, creditsPerImage, parentIds and origin. Whatever the text (the file may be
    // damaged; this is fuzzed), the values are sane: n >= 1, parent ids > 0, 0..64 input images.
    void readParamsJson(const QString& text);
};

// The `tasks` table on the library's SQLite file (rootDir/library.sqlite, schema version 2). Small synchronous
// writes on the calling thread: every write is the record that must survive a crash before the next step happens.
class TaskStore
{
public:
    explicit TaskStore(QString libraryRoot);
    ~TaskStore();
    Q_DISABLE_COPY_MOVE(TaskStore)

    // Creates the directory, opens its own connection and migrates the schema (same rules as Library::open()).
    Result<bool, ApiError> open();
    // Closes the connection (a library rebuild swaps the file: an open one would keep writing to the old one).
    // Writes fail and reads are empty until open() is called again.
    void close();
    bool isOpen() const;

    // A new row in state Submitting; returns its local id. Call it before the submit is sent.
    // Price, parent ids and origin are kept in the row's params JSON ("credits_per_image", "parent_ids", "source",
    // "input_images", "mask").
    Result<qint64, ApiError> insertSubmitting(const GenerationParams& params, const QString& accountId,
                                              std::optional<double> creditsPerImage = std::nullopt,
                                              const QList<qint64>& parentIds = {}, const TaskRow::Origin& origin = {});
    // The submit answered: records the task id and moves the row to Running (from any state).
    Result<bool, ApiError> setRemoteId(qint64 id, const QString& remoteId, const QString& remoteStatus);
    Result<bool, ApiError> setProgress(qint64 id, const QString& remoteStatus, int progress);
    // Moves the row to `state`, recording a reason (empty clears it).
    Result<bool, ApiError> setState(qint64 id, TaskRow::State state, const QString& error = {},
                                    const QString& errorCode = {});

    std::optional<TaskRow> find(qint64 id) const;
    // Rows that need attention after a restart: Running (resume polling), Submitting and Orphaned (may have been
    // charged, no task id: surface, never resubmit). Oldest first.
    QList<TaskRow> pending() const;
    // Newest first.
    QList<TaskRow> recent(int limit) const;

private:
    Result<bool, ApiError> update(const QString& statement, const QVariantList& values);
    QList<TaskRow> select(const QString& where, const QVariantList& values) const;

    IndexConnection m_index;
};

} // namespace Pixapi
