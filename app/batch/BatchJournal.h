#pragma once

#include "api/ApiError.h"
#include "library/IndexConnection.h"
#include "support/Result.h"

#include <QHash>
#include <QLockFile>
#include <QString>

#include <memory>
#include <optional>

namespace Pixapi {

struct BatchItem;

// What a batch has done with each of its requests, in the library's SQLite file (schema version 6: batch_items), so
// that running the same batch again sends only what is left. Like TaskStore: a connection of its own, one small
// synchronous write per request, on the calling thread.
//
// A request's row is written as Sending before it goes out. A run that ends without an answer (a kill, a second
// Ctrl+C) leaves it Sending; the next run makes it Uncertain: the server may have processed and charged it, so it is
// never sent again by itself (contract §5: generation is not idempotent).
class BatchJournal
{
public:
    enum class State {
        Sending,   // went out; no answer recorded yet
        Done,      // its images are in the library
        Failed,    // refused before anything was processed (not charged): sent again on the next run
        Uncertain, // may have been charged without an image reaching us: never sent again by itself
    };
    struct Entry
    {
        QString key;
        int line = 0;
        QString model;
        State state = State::Sending;
        int images = 0;
        std::optional<double> credits;
        QString error;
    };

    explicit BatchJournal(QString libraryRoot);
    ~BatchJournal();
    Q_DISABLE_COPY_MOVE(BatchJournal)

    Result<bool, ApiError> open(); // creates and migrates the index like Library::open()
    bool isOpen() const;

    // Held while a batch runs: a second process running the same batch would take the first one's requests on their
    // way for interrupted ones, and send (and pay for) what the first is about to send. A lock left by a killed process
    // is taken over (QLockFile checks its process id). Fails with the id of the process that holds it (0 when the lock
    // file cannot be created at all).
    Result<std::unique_ptr<QLockFile>, qint64> lock(const QString& batch) const;
    // Every entry of a batch, by item key.
    Result<QHash<QString, Entry>, ApiError> entries(const QString& batch) const;
    Result<bool, ApiError> markSending(const QString& batch, const BatchItem& item);
    Result<bool, ApiError> markFinished(const QString& batch, const QString& key, State state, int images,
                                        std::optional<double> credits, const QString& error);
    // The Sending rows a previous run left behind become Uncertain. Returns how many there were.
    Result<int, ApiError> settleInterrupted(const QString& batch);
    // Uncertain rows become sendable again (the person checked their balance and asks for it).
    Result<int, ApiError> forgetUncertain(const QString& batch);

    static QString stateName(State state);
    static std::optional<State> stateNamed(const QString& name);

private:
    Result<int, ApiError> changeState(const QString& batch, State from, const QString& statement);

    const QString m_root;
    IndexConnection m_index;
};

} // namespace Pixapi
