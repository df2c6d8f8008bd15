#include "BatchProgress.h"

#include "CliConsole.h"
#include "batch/BatchRun.h"
#include "catalog/CostEstimate.h"

#include <QCoreApplication>

namespace Pixapi {

namespace {
constexpr int BarCells = 20;
}

BatchProgress::BatchProgress(BatchRun* run, CliConsole* console, QObject* parent)
    : QObject(parent)
    , m_run(run)
    , m_console(console)
    , m_terminal(CliConsole::stderrIsTerminal())
{
    m_clock.start();
    connect(run, &BatchRun::itemStarted, this, [this] {
        if (m_terminal)
            showBar();
    });
    connect(run, &BatchRun::itemFinished, this, &BatchProgress::onItemFinished);
}

BatchProgress::~BatchProgress()
{
    m_console->setStatus({});
}

QString BatchProgress::barText(int finished, int total, int images, double credits, int failed, int running,
                               double imagesPerSecond)
{
    const int filled = total > 0 ? int(qint64(finished) * BarCells / total) : BarCells;
    QString text = QStringLiteral("%1/%2 ").arg(finished).arg(total) + QChar(0x2595) + QString(filled, QChar(0x2588))
                   + QString(BarCells - filled, QLatin1Char(' ')) + QChar(0x258F);
    const QString dot = QStringLiteral(" · ");
    text += QLatin1Char(' ') + QCoreApplication::translate("pixapi-cli", "%n image(s)", nullptr, images);
    text += dot + CostEstimate::creditsText(credits);
    if (failed > 0)
        text += dot + QCoreApplication::translate("pixapi-cli", "%n failed", nullptr, failed);
    if (running > 0)
        text += dot + QCoreApplication::translate("pixapi-cli", "%n running", nullptr, running);
    if (imagesPerSecond > 0)
        text += dot + QCoreApplication::translate("pixapi-cli", "%1 images/s").arg(imagesPerSecond, 0, 'f', 1);
    return text;
}

void BatchProgress::showBar()
{
    const double seconds = double(m_clock.elapsed()) / 1000;
    m_console->setStatus(barText(m_run->finishedCount(), m_run->total(), m_run->images(), m_run->credits(),
                                 m_run->failed() + m_run->uncertain(), m_run->running(),
                                 seconds > 0 ? m_run->images() / seconds : 0));
}

void BatchProgress::onItemFinished(int index, BatchJournal::State state, const GenerationOutcome& outcome)
{
    if (m_terminal) {
        showBar();
        return;
    }
    const BatchItem& item = m_run->items().at(index);
    QString how;
    switch (state) {
    case BatchJournal::State::Done:
        how = QCoreApplication::translate("pixapi-cli", "done, %n image(s)", nullptr, int(outcome.saved.size()));
        break;
    case BatchJournal::State::Failed:
        how = QCoreApplication::translate("pixapi-cli", "failed, not charged");
        break;
    default:
        how = QCoreApplication::translate("pixapi-cli", "failed, may have been charged");
        break;
    }
    m_console->printNotice(
        QStringLiteral("[%1/%2] ").arg(m_run->finishedCount()).arg(m_run->total())
        + QCoreApplication::translate("pixapi-cli", "line %1, %2: %3").arg(item.line).arg(item.params.model, how));
}

} // namespace Pixapi
