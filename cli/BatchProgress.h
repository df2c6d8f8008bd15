#pragma once

#include "batch/BatchJournal.h"
#include "generation/GenerationOutcome.h"

#include <QElapsedTimer>
#include <QObject>

namespace Pixapi {

class BatchRun;
class CliConsole;

// How far a batch is, on stderr: on a terminal a progress bar rewritten in place; otherwise (a log, a pipe) one plain
// line per finished request.
class BatchProgress : public QObject
{
    Q_OBJECT

public:
    BatchProgress(BatchRun* run, CliConsole* console, QObject* parent = nullptr);
    ~BatchProgress() override;

    // "37/120 ▕█████▏ 74 images · 148 credits · 2 failed · 8 running · 1.9 images/s"
    static QString barText(int finished, int total, int images, double credits, int failed, int running,
                           double imagesPerSecond);

private:
    void onItemFinished(int index, BatchJournal::State state, const GenerationOutcome& outcome);
    void showBar();

    BatchRun* m_run;
    CliConsole* m_console;
    QElapsedTimer m_clock;
    bool m_terminal;
};

} // namespace Pixapi
