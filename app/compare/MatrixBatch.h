#pragma once

#include "api/ApiTypes.h"
#include "compare/BoardSpec.h"
#include "library/TagWrites.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QStringList>

namespace Pixapi {

class GenerationQueue;
class Library;
class ModelCatalog;
struct GenerationOutcome;
struct PromptMatrix;

// Sends a prompt matrix (every prompt × every model) to the GenerationQueue without a board: the images land in the
// library like any others, each tagged with the values it was made with ("product: sneaker") so the gallery can
// filter by them. Every request is queued at once (the queue's limits decide how many are in flight); nothing is
// retried, and one failure never holds up the others.
class MatrixBatch : public QObject
{
    Q_OBJECT

public:
    struct Item
    {
        GenerationParams params;
        QStringList tags; // added to every image of the request
    };

    // Model-major (all of the first model's prompts, then the next model's), tagged with PromptMatrix::tagFor() of
    // each binding. Empty when the matrix expands to nothing (see PromptMatrix::expand).
    static QList<Item> itemsFor(const PromptMatrix& matrix, const GenerationParams& base, const QStringList& models);
    // The price of sending every item (what the setup shows and what the spending limits check).
    static BoardCost cost(const QList<Item>& items, const ModelCatalog& catalog);

    // With a catalog, each request records its catalog price and uses the async endpoint when its model only has
    // that one (as a board does). The tags go through `library` (the queue's).
    MatrixBatch(GenerationQueue* queue, Library* library, QList<Item> items, const ModelCatalog* catalog = nullptr,
                QObject* parent = nullptr);
    void setAccountId(const QString& accountId) { m_accountId = accountId; } // recorded with the images

    // Enqueues every item. Call once.
    void start();
    // Cancels the requests not finished yet (see GenerationQueue::cancel for what a running request can still do).
    void cancel();

    const QList<Item>& items() const { return m_items; }
    int total() const { return int(m_items.size()); }
    int finishedCount() const;     // done, failed or cancelled
    int failedCount() const;       // finished without an image (cancelled ones not counted)
    int cancelledCount() const;    // cancelled before they made an image
    int imageCount() const;        // images saved so far
    double creditsCharged() const; // of the images whose record reports a price
    // Every request finished and every tag written.
    bool isFinished() const { return m_started && finishedCount() == total() && m_tags->pending() == 0; }

Q_SIGNALS:
    void progressed(); // a request started or finished
    void finished();   // once, after the last request finished and its tags are written

private:
    enum class State { Queued, Running, Done, Failed, Cancelled };
    struct Entry
    {
        quint64 id = 0;
        State state = State::Queued;
        int images = 0;
        double credits = 0;
        bool isFinished() const { return state == State::Done || state == State::Failed || state == State::Cancelled; }
    };

    int count(State state) const;
    void finishIfDone();
    void onStarted(quint64 entryId);
    void onFinished(quint64 entryId, const GenerationOutcome& outcome);

    GenerationQueue* m_queue;
    TagWrites* m_tags;
    const ModelCatalog* m_catalog;
    QString m_accountId;
    QList<Item> m_items;
    QList<Entry> m_entries; // per item
    QHash<quint64, int> m_itemOfEntry;
    bool m_started = false;
    bool m_finishedSent = false;
};

} // namespace Pixapi
