// Gallery benchmark: one measurement per process, so every run is a cold start. run-benchmarks.py runs each mode
// several times and prints medians as ratios against the blank window measured in the same run.
//
//   bench_gallery make-library DIR COUNT [EDGE]   fill DIR/library through Library::store
//   bench_gallery blank                           a blank QMainWindow: start → first paint, RSS
//   bench_gallery open DIR [--scroll]             the studio window on DIR: start → first paint → first screen of
//                                                 thumbnails; with --scroll, then page through the whole grid
//   bench_gallery search DIR                      Library::search latency for typical queries

#include "BenchProbe.h"
#include "LibraryGenerator.h"
#include "TestApp.h"
#include "VisibleTiles.h"

#include "MainWindow.h"
#include "gallery/GalleryView.h"
#include "library/GalleryModel.h"
#include "library/LibraryQuery.h"
#include "sandbox/SandboxHost.h"
#include "sandbox/SandboxServer.h"
#include "support/AppPaths.h"
#include "support/MemoryTuning.h"
#include "support/StartupWarmup.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QMainWindow>
#include <QPointer>
#include <QScrollBar>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <memory>

using namespace Pixapi;
using namespace Pixapi::Bench;

namespace {

const QSize WindowSize(1440, 900);

// Calls `painted` once, after the first paint of `window` (or of a child) has been delivered.
class FirstPaint : public QObject
{
public:
    FirstPaint(QWidget* window, std::function<void()> painted)
        : m_window(window)
        , m_painted(std::move(painted))
    {
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (m_painted && event->type() == QEvent::Paint && watched->isWidgetType()
            && static_cast<QWidget*>(watched)->window() == m_window) {
            qApp->removeEventFilter(this);
            // Queued: runs after this paint pass has finished.
            QTimer::singleShot(0, this, std::exchange(m_painted, {}));
        }
        return false;
    }

private:
    QWidget* m_window;
    std::function<void()> m_painted;
};

int runBlank()
{
    QMainWindow window;
    window.resize(WindowSize);
    QJsonObject figures {{QStringLiteral("mode"), QStringLiteral("blank")}};
    FirstPaint probe(&window, [&figures] {
        figures.insert(QStringLiteral("first_paint_ms"), elapsedMs());
        figures.insert(QStringLiteral("rss_kib"), rssKiB());
        figures.insert(QStringLiteral("peak_rss_kib"), peakRssKiB());
        QCoreApplication::quit();
    });
    window.show();
    QApplication::exec();
    report(figures);
    return 0;
}

// Pages down the grid until the end of the whole library is shown, each page waiting for its thumbnails.
class Scroller : public QObject
{
public:
    Scroller(GalleryView* view, VisibleTiles* tiles, int libraryCount, std::function<void(QJsonObject)> done)
        : m_view(view)
        , m_tiles(tiles)
        , m_libraryCount(libraryCount)
        , m_done(std::move(done))
    {
        m_total.start();
        step();
    }

private:
    void step()
    {
        QScrollBar* bar = m_view->verticalScrollBar();
        const auto* model = static_cast<const GalleryModel*>(m_view->model());
        if (bar->value() >= bar->maximum() && model->imageCount() >= m_libraryCount) {
            m_done(QJsonObject {{QStringLiteral("scroll_total_ms"), double(m_total.elapsed())},
                                {QStringLiteral("scroll_pages"), int(m_pageMs.size())},
                                {QStringLiteral("scroll_page_median_ms"), median(m_pageMs)},
                                {QStringLiteral("scroll_page_max_ms"),
                                 m_pageMs.isEmpty() ? 0.0 : *std::max_element(m_pageMs.cbegin(), m_pageMs.cend())},
                                {QStringLiteral("scroll_peak_rss_kib"), peakRssKiB()}});
            return;
        }
        m_page.start();
        bar->setValue(bar->value() + bar->pageStep());
        m_tiles->whenReady([this] {
            m_pageMs << double(m_page.nsecsElapsed()) / 1e6;
            QTimer::singleShot(0, this, [this] { step(); });
        });
    }

    GalleryView* m_view;
    VisibleTiles* m_tiles;
    int m_libraryCount;
    std::function<void(QJsonObject)> m_done;
    QElapsedTimer m_total;
    QElapsedTimer m_page;
    QList<double> m_pageMs;
};

int runOpen(const QString& dataDir, bool scroll)
{
    // Where the start goes, for the report: each step's end since process start.
    QJsonObject steps {{QStringLiteral("qapplication_ms"), elapsedMs()}};
    warmUpInBackground(); // as pixapi-studio's main() does
    AppPaths::setDataDirOverride(dataDir);
    TestApp app(dataDir);
    if (!app.library.open() || !app.tasks.open()) {
        QTextStream(stderr) << "cannot open the library in " << dataDir << Qt::endl;
        return 1;
    }
    steps.insert(QStringLiteral("library_open_ms"), elapsedMs());
    // As with a saved key: the window is built while the session settles, and the server answers later. The sandbox
    // stands in for the remote server; its own start (threads, listening socket) is not the studio's cost, so it
    // starts once the first screen is measured.
    SandboxHost sandbox;
    AppServices services = app.services();
    services.enableSandbox = [] { return true; };

    MainWindow window(services);
    window.resize(WindowSize);
    steps.insert(QStringLiteral("window_built_ms"), elapsedMs());
    auto* view = window.findChild<GalleryView*>();
    VisibleTiles tiles(view);
    QJsonObject figures {{QStringLiteral("mode"), QStringLiteral("open")},
                         {QStringLiteral("library_images"), app.library.count()},
                         {QStringLiteral("steps"), steps}};
    std::unique_ptr<Scroller> scroller;
    FirstPaint probe(&window, [&] {
        figures.insert(QStringLiteral("first_paint_ms"), elapsedMs());
        if (app.library.count() == 0) { // nothing to wait for: the first paint is the first screen
            figures.insert(QStringLiteral("first_thumbnails_ms"), elapsedMs());
            figures.insert(QStringLiteral("peak_rss_kib"), peakRssKiB());
            QCoreApplication::quit();
            return;
        }
        tiles.whenReady([&] {
            figures.insert(QStringLiteral("first_thumbnails_ms"), elapsedMs());
            figures.insert(QStringLiteral("rss_kib"), rssKiB());
            figures.insert(QStringLiteral("peak_rss_kib"), peakRssKiB());
            figures.insert(QStringLiteral("visible_tiles"), tiles.visibleImages());
            if (sandbox.start())
                app.session.useSandbox(sandbox.baseUrl(), SandboxServer::defaultKey());
            if (!scroll) {
                QCoreApplication::quit();
                return;
            }
            scroller = std::make_unique<Scroller>(view, &tiles, app.library.count(), [&figures](QJsonObject more) {
                for (auto it = more.begin(); it != more.end(); ++it)
                    figures.insert(it.key(), it.value());
                QCoreApplication::quit();
            });
        });
    });
    window.show();
    QApplication::exec();
    report(figures);
    return 0;
}

int runSearch(const QString& dataDir)
{
    Library library(dataDir + QStringLiteral("/library"));
    if (!library.open())
        return 1;
    struct Case
    {
        const char* name;
        LibraryQuery query;
    };
    LibraryQuery firstPage;
    firstPage.limit = 300;
    LibraryQuery word = firstPage;
    word.text = QStringLiteral("lemon");
    LibraryQuery words = firstPage;
    words.text = QStringLiteral("beach golden ho");
    LibraryQuery model = firstPage;
    model.models = {QStringLiteral("nano-banana")};
    LibraryQuery byPrompt = firstPage;
    byPrompt.sort = LibraryQuery::Sort::PromptThenNewest;
    const QList<Case> cases {{"first_page", firstPage},
                             {"one_word", word},
                             {"prefix_words", words},
                             {"model_filter", model},
                             {"prompt_groups", byPrompt}};
    QJsonObject figures {{QStringLiteral("mode"), QStringLiteral("search")},
                         {QStringLiteral("library_images"), library.count()}};
    for (const Case& c : cases) {
        QList<double> ms;
        for (int run = 0; run < 15; ++run) {
            QElapsedTimer timer;
            timer.start();
            auto future = library.search(c.query);
            future.waitForFinished();
            ms << double(timer.nsecsElapsed()) / 1e6;
            if (!future.result().ok())
                return 1;
        }
        figures.insert(QStringLiteral("search_%1_ms").arg(QLatin1String(c.name)), median(ms));
    }
    report(figures);
    return 0;
}

} // namespace

int main(int argc, char* argv[])
{
    elapsedMs();              // fixes the start when the runner gave none
    tuneAllocatorForImages(); // as pixapi-studio's main() does
    QApplication qtApp(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const QString mode = args.value(1);
    if (mode == QLatin1String("blank"))
        return runBlank();
    if (mode == QLatin1String("open") && args.size() >= 3)
        return runOpen(args.at(2), args.contains(QStringLiteral("--scroll")));
    if (mode == QLatin1String("search") && args.size() >= 3)
        return runSearch(args.at(2));
    if (mode == QLatin1String("make-library") && args.size() >= 4)
        return generateLibrary(args.at(2) + QStringLiteral("/library"), args.at(3).toInt(),
                               args.value(4, QStringLiteral("512")).toInt())
                   ? 0
                   : 1;
    QTextStream(stderr)
        << "usage: bench_gallery blank | open DIR [--scroll] | search DIR | make-library DIR COUNT [EDGE]" << Qt::endl;
    return 2;
}
