#pragma once

#include "batch/BatchFile.h"
#include "generation/GenerationOutcome.h"

#include <QList>
#include <QObject>

namespace Pixapi {

class BatchJournal;
class Library;
class PixapiClient;
class TagWrites;

// Before a batch runs again: the answers that a killed run had received but not yet stored (ResponseSpool) are
// stored now, and the requests they answer, which the journal left Sending or Uncertain, become Done and their images
// get the batch's tags. Other spooled answers (a generate, the app) are stored too: a paid image never waits in the
// spool. Nothing is sent.
class BatchRecovery : public QObject
{
    Q_OBJECT

public:
    // `journal` must be open; everything must outlive the recovery.
    BatchRecovery(PixapiClient* client, Library* library, BatchJournal* journal, QString batchName,
                  QList<BatchItem> items, QObject* parent = nullptr);

    // Emits finished() once, from the event loop, also when there is nothing to recover.
    void start();
    int recoveredItems() const { return m_recoveredItems; }

Q_SIGNALS:
    // The images of one spooled answer are stored; `itemIndex` is the batch item it answered, or -1.
    void answerRecovered(int itemIndex, const Pixapi::GenerationOutcome& outcome);
    void finished();

private:
    int itemFor(const GenerationParams& params);
    void finishIfDone();

    PixapiClient* m_client;
    Library* m_library;
    BatchJournal* m_journal;
    TagWrites* m_tags;
    QString m_name;
    QList<BatchItem> m_items;
    QList<int> m_unsettled; // items the journal left Sending or Uncertain, not matched yet
    int m_saving = 0;
    int m_recoveredItems = 0;
    bool m_finishedSent = false;
};

} // namespace Pixapi
