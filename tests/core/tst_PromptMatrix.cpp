#include "QueueFixture.h"
#include "TestEnv.h"
#include "catalog/ModelCatalog.h"
#include "compare/BoardSpec.h"
#include "compare/BoardStore.h"
#include "compare/MatrixBatch.h"
#include "compare/PromptMatrix.h"
#include "generation/GenerationOutcome.h"
#include "generation/GenerationQueue.h"
#include "library/Library.h"
#include "sandbox/SandboxServer.h"

#include <QDir>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;
using Binding = QPair<QString, QString>;

namespace {

// The expected fill, written as a character scanner (the code under test uses one regular expression): "{{" and "}}"
// are literal braces, "{name}" takes `value`, anything else is text.
QString referenceFill(const QString& prompt, const QString& value)
{
    QString out;
    for (qsizetype i = 0; i < prompt.size();) {
        const QChar c = prompt.at(i);
        const QChar next = i + 1 < prompt.size() ? prompt.at(i + 1) : QChar();
        if ((c == u'{' && next == u'{') || (c == u'}' && next == u'}')) {
            out += c;
            i += 2;
            continue;
        }
        if (c == u'{' && next.isLetter()) {
            qsizetype end = i + 2;
            while (end < prompt.size()
                   && (prompt.at(end).isLetterOrNumber() || prompt.at(end) == u'_' || prompt.at(end) == u'-'))
                ++end;
            if (end < prompt.size() && prompt.at(end) == u'}') {
                out += value;
                i = end + 1;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return out;
}

QStringList texts(const QList<FilledPrompt>& prompts)
{
    QStringList list;
    for (const FilledPrompt& prompt : prompts)
        list << prompt.text;
    return list;
}

QList<GenerationParams> paramsOf(const QList<MatrixBatch::Item>& items)
{
    QList<GenerationParams> list;
    for (const MatrixBatch::Item& item : items)
        list << item.params;
    return list;
}

} // namespace

// The prompt matrix of comparison boards (issue #5, item 6): a prompt with {variables} × models, as a board (a column
// per prompt, saved and reloaded) or as a batch (tagged images, priced before sending, checked against the sandbox).
class tst_PromptMatrix : public QObject
{
    Q_OBJECT

private:
    const QString m_flash = QStringLiteral("gemini-2.5-flash-image"); // 2 credits / image
    const QString m_flash2 = QStringLiteral("gemini-3.1-flash-image-preview");
    const QString m_gpt = QStringLiteral("gpt-image-1.5"); // 1 credit / image
    QueueFixture m_env;

    static PromptMatrix productMatrix()
    {
        return PromptMatrix::fromPrompt(QStringLiteral("a {product} on {background} {{studio}}"),
                                        {{QStringLiteral("product"), QStringLiteral("sneaker | boot")},
                                         {QStringLiteral("background"), QStringLiteral("marble|sand, wet|snow")}});
    }

    QList<LibraryRecord> allImages() const
    {
        LibraryQuery query;
        query.sort = LibraryQuery::Sort::Oldest;
        auto found = m_env.library->search(query);
        found.waitForFinished();
        return found.result().ok() ? found.result().value() : QList<LibraryRecord>();
    }

    std::unique_ptr<ModelCatalog> loadedCatalog() const
    {
        auto catalog = std::make_unique<ModelCatalog>(m_env.sandbox.client.get());
        QSignalSpy loaded(catalog.get(), &ModelCatalog::modelsChanged);
        catalog->refresh();
        return loaded.wait(10000) ? std::move(catalog) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        TestEnv::init();
        qRegisterMetaType<LibraryRecord>();
        qRegisterMetaType<GenerationOutcome>();
    }

    void init() { QVERIFY(m_env.start()); }

    void cleanup() { m_env.reset(); }

    void variablesAreNamedPlaceholdersInOrder()
    {
        QCOMPARE(PromptMatrix::variablesIn(QStringLiteral("a {product} on {background}, {product} again")),
                 (QStringList {QStringLiteral("product"), QStringLiteral("background")}));
        QCOMPARE(PromptMatrix::variablesIn(QStringLiteral("{x1_y-z}{Ünïcode}")),
                 (QStringList {QStringLiteral("x1_y-z"), QStringLiteral("Ünïcode")}));
        // Escaped braces, and braces around something that is not a name, are text.
        QCOMPARE(PromptMatrix::variablesIn(QStringLiteral("{{product}} { } {1x} {a b} {} {_a} {a")), QStringList());
        QCOMPARE(PromptMatrix::variablesIn(QStringLiteral("{{{inner}}}")), QStringList {QStringLiteral("inner")});
        QCOMPARE(PromptMatrix::variablesIn(QString()), QStringList());
    }

    void valuesAreSplitOnBarsOnly()
    {
        QCOMPARE(
            PromptMatrix::splitValues(QStringLiteral(" sneaker | boot, red leather ||  | sneaker|boot ")),
            (QStringList {QStringLiteral("sneaker"), QStringLiteral("boot, red leather"), QStringLiteral("boot")}));
        QCOMPARE(PromptMatrix::splitValues(QStringLiteral(" | ")), QStringList());
        QCOMPARE(PromptMatrix::splitValues(QString()), QStringList());
    }

    void expandIsTheCartesianProductFirstVariableSlowest()
    {
        const PromptMatrix matrix = productMatrix();
        QCOMPARE(matrix.variables.size(), 2);
        QCOMPARE(matrix.variables.at(0).name, QStringLiteral("product"));
        QCOMPARE(matrix.variables.at(1).values,
                 (QStringList {QStringLiteral("marble"), QStringLiteral("sand, wet"), QStringLiteral("snow")}));
        QCOMPARE(matrix.combinationCount(), 6);
        QCOMPARE(matrix.problem(), std::nullopt);

        const QList<FilledPrompt> prompts = matrix.expand();
        QCOMPARE(texts(prompts),
                 (QStringList {
                     QStringLiteral("a sneaker on marble {studio}"), QStringLiteral("a sneaker on sand, wet {studio}"),
                     QStringLiteral("a sneaker on snow {studio}"), QStringLiteral("a boot on marble {studio}"),
                     QStringLiteral("a boot on sand, wet {studio}"), QStringLiteral("a boot on snow {studio}")}));
        QCOMPARE(prompts.at(4).bindings,
                 (QList<Binding> {{QStringLiteral("product"), QStringLiteral("boot")},
                                  {QStringLiteral("background"), QStringLiteral("sand, wet")}}));
        QCOMPARE(prompts.at(4).label(), QStringLiteral("boot · sand, wet"));
        QCOMPARE(PromptMatrix::tagFor(prompts.at(4).bindings.at(0)), QStringLiteral("product: boot"));

        // A repeated placeholder takes the same value; a value is inserted as it is, never expanded again.
        const PromptMatrix nested =
            PromptMatrix::fromPrompt(QStringLiteral("{a}+{a}"), {{QStringLiteral("a"), QStringLiteral("{a}|x}}")}});
        QCOMPARE(texts(nested.expand()), (QStringList {QStringLiteral("{a}+{a}"), QStringLiteral("x}}+x}}")}));

        // Without variables: the prompt itself, braces unescaped, no bindings.
        const PromptMatrix plain = PromptMatrix::fromPrompt(QStringLiteral("plain {{x}} }} { }"), {});
        QCOMPARE(plain.combinationCount(), 1);
        const QList<FilledPrompt> one = plain.expand();
        QCOMPARE(one.size(), 1);
        QCOMPARE(one.at(0).text, QStringLiteral("plain {x} } { }"));
        QVERIFY(one.at(0).bindings.isEmpty());
        QCOMPARE(one.at(0).label(), QString());

        // A placeholder the matrix has no variable for stays as written.
        PromptMatrix partial;
        partial.prompt = QStringLiteral("{a} {b}");
        partial.variables = {{QStringLiteral("a"), {QStringLiteral("1")}}};
        QCOMPARE(texts(partial.expand()), QStringList {QStringLiteral("1 {b}")});
    }

    void problemsAreNamed()
    {
        QCOMPARE(PromptMatrix::fromPrompt(QStringLiteral("  "), {}).problem(), QStringLiteral("Write a prompt first."));

        const PromptMatrix missing = PromptMatrix::fromPrompt(QStringLiteral("a {product} on {background}"),
                                                              {{QStringLiteral("product"), QStringLiteral("boot")},
                                                               {QStringLiteral("background"), QStringLiteral(" | ")}});
        QCOMPARE(missing.combinationCount(), 0);
        QVERIFY(missing.expand().isEmpty());
        QCOMPARE(missing.problem(), QStringLiteral("Give {background} at least one value (separate values with |)."));

        // 64 prompts are fine; 65 are not (and are never built).
        QHash<QString, QString> twos;
        QString prompt;
        for (int i = 0; i < 6; ++i) {
            prompt += QStringLiteral("{v%1} ").arg(i);
            twos.insert(QStringLiteral("v%1").arg(i), QStringLiteral("a|b"));
        }
        const PromptMatrix sixtyFour = PromptMatrix::fromPrompt(prompt, twos);
        QCOMPARE(sixtyFour.combinationCount(), PromptMatrix::MaxPrompts);
        QCOMPARE(sixtyFour.problem(), std::nullopt);
        const QList<FilledPrompt> all = sixtyFour.expand();
        QCOMPARE(all.size(), 64);
        QCOMPARE(all.first().text, QStringLiteral("a a a a a a "));
        QCOMPARE(all.last().text, QStringLiteral("b b b b b b "));
        const QStringList allTexts = texts(all);
        QCOMPARE(QSet<QString>(allTexts.cbegin(), allTexts.cend()).size(), 64);

        const PromptMatrix sixtyFive = PromptMatrix::fromPrompt(
            QStringLiteral("{a} {b}"), {{QStringLiteral("a"), QStringLiteral("1|2|3|4|5")},
                                        {QStringLiteral("b"), QStringLiteral("1|2|3|4|5|6|7|8|9|10|11|12|13")}});
        QCOMPARE(sixtyFive.combinationCount(), 65);
        QCOMPARE(sixtyFive.problem(), QStringLiteral("The matrix makes 65 prompts; at most 64 are sent at once."));
        QVERIFY(sixtyFive.expand().isEmpty());

        // Huge products saturate instead of overflowing into a small or negative count.
        PromptMatrix huge;
        huge.prompt = QStringLiteral("x");
        for (int i = 0; i < 40; ++i)
            huge.variables << PromptVariable {QStringLiteral("v%1").arg(i),
                                              {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}};
        QCOMPARE(huge.combinationCount(), std::numeric_limits<int>::max());
        QVERIFY(huge.problem());
        QVERIFY(huge.expand().isEmpty());
    }

    void randomPromptsNeverBreakTheParser()
    {
        static const QRegularExpression name(QStringLiteral(R"(^\p{L}[\p{L}\p{Nd}_-]*$)"));
        const QString alphabet = QStringLiteral("{}{}ab|_-1 ");
        QRandomGenerator random(20240605); // fixed: a failure can be replayed
        for (int round = 0; round < 3000; ++round) {
            QString prompt;
            const int length = random.bounded(25);
            for (int i = 0; i < length; ++i)
                prompt += alphabet.at(random.bounded(int(alphabet.size())));

            const QStringList names = PromptMatrix::variablesIn(prompt);
            QCOMPARE(QSet<QString>(names.cbegin(), names.cend()).size(), names.size());
            QHash<QString, QString> values;
            for (const QString& variable : names) {
                QVERIFY2(name.match(variable).hasMatch(), qPrintable(prompt));
                QVERIFY2(prompt.contains(QLatin1Char('{') + variable + QLatin1Char('}')), qPrintable(prompt));
                values.insert(variable, QStringLiteral("V"));
            }
            // One value each: one prompt, every placeholder filled the way the scanner above fills it.
            const PromptMatrix matrix = PromptMatrix::fromPrompt(prompt, values);
            QCOMPARE(matrix.combinationCount(), 1);
            const QList<FilledPrompt> filled = matrix.expand();
            QCOMPARE(filled.size(), 1);
            QVERIFY2(filled.at(0).text == referenceFill(prompt, QStringLiteral("V")), qPrintable(prompt));
            QCOMPARE(filled.at(0).bindings.size(), names.size());
            if (names.isEmpty()) // nothing to fill: the text round-trips, unescaped
                QCOMPARE(filled.at(0).text, referenceFill(prompt, QString()));

            // Two values each: 2^n distinct prompts while that stays within the limit.
            for (const QString& variable : names)
                values.insert(variable, QStringLiteral("x|y"));
            const PromptMatrix pairs = PromptMatrix::fromPrompt(prompt, values);
            if (names.size() <= 6) {
                const QStringList all = texts(pairs.expand());
                QCOMPARE(all.size(), 1 << names.size());
                QCOMPARE(QSet<QString>(all.cbegin(), all.cend()).size(), all.size());
            }
        }
    }

    void boardOfAMatrixHasAPromptColumnEach()
    {
        GenerationParams base;
        base.n = 2;
        base.size = QStringLiteral("1024x1024");
        base.quality = QStringLiteral("high");
        const PromptMatrix matrix =
            PromptMatrix::fromPrompt(QStringLiteral("a {product} on {background}"),
                                     {{QStringLiteral("product"), QStringLiteral("sneaker|boot")},
                                      {QStringLiteral("background"), QStringLiteral("marble|sand")}});
        const BoardSpec board = BoardSpec::fromMatrix(matrix, base, {m_flash, m_gpt});
        QCOMPARE(board.problem(), std::nullopt);
        QVERIFY(board.hasPromptAxis());
        QCOMPARE(board.base.prompt, QStringLiteral("a {product} on {background}")); // the template, for the header
        QCOMPARE(board.columns(), 4);
        QCOMPARE(board.variants.at(1).prompt, QStringLiteral("a sneaker on sand"));
        QCOMPARE(board.variants.at(1).label(), QStringLiteral("sneaker · sand"));
        const QList<GenerationParams> cells = board.cellParams();
        QCOMPARE(cells.size(), 8);
        QCOMPARE(cells.at(2).model, m_flash);
        QCOMPARE(cells.at(2).prompt, QStringLiteral("a boot on marble"));
        QCOMPARE(cells.at(4).model, m_gpt);
        QCOMPARE(cells.at(4).prompt, QStringLiteral("a sneaker on marble"));
        for (const GenerationParams& cell : cells) { // a prompt column keeps the board's size, quality and count
            QCOMPARE(cell.size, base.size);
            QCOMPARE(cell.quality, base.quality);
            QCOMPARE(cell.n, 2);
        }
        // ... unless it sets its own; the label puts the values first.
        BoardSpec sized = board;
        sized.variants[0].size = QStringLiteral("1536x1024");
        QCOMPARE(sized.cellParams().at(0).size, QStringLiteral("1536x1024"));
        QCOMPARE(sized.cellParams().at(0).quality, QStringLiteral("high"));
        QCOMPARE(sized.variants.at(0).label(), QStringLiteral("sneaker · marble · 1536x1024"));
        // A size axis keeps the board's quality too (and a quality axis its size).
        BoardSpec sizeAxis;
        sizeAxis.base = base;
        sizeAxis.models = {m_flash, m_gpt};
        sizeAxis.variants = {BoardVariant {QStringLiteral("1024x1024"), QString()},
                             BoardVariant {QStringLiteral("1024x1536"), QString()}};
        for (const GenerationParams& cell : sizeAxis.cellParams())
            QCOMPARE(cell.quality, QStringLiteral("high"));
        QCOMPARE(sizeAxis.cellParams().at(1).size, QStringLiteral("1024x1536"));

        // More prompts than a board shows: a batch.
        const BoardSpec six = BoardSpec::fromMatrix(productMatrix(), base, {m_flash, m_gpt});
        QCOMPARE(six.variants.size(), 6);
        QCOMPARE(six.problem(), QStringLiteral("A board shows at most 4 prompts; send the 6 as a batch instead."));
        BoardSpec same = board;
        same.variants[1] = same.variants.at(0);
        QCOMPARE(same.problem(), QStringLiteral("Each prompt can be on the board once."));

        // One prompt: a plain board of the filled prompt.
        const BoardSpec single =
            BoardSpec::fromMatrix(PromptMatrix::fromPrompt(QStringLiteral("{{x}} a {product}"),
                                                           {{QStringLiteral("product"), QStringLiteral("boot")}}),
                                  base, {m_flash, m_gpt});
        QVERIFY(single.variants.isEmpty());
        QCOMPARE(single.base.prompt, QStringLiteral("{x} a boot"));
        QCOMPARE(single.problem(), std::nullopt);

        // A matrix without prompts never becomes a board that sends its template.
        const BoardSpec broken =
            BoardSpec::fromMatrix(PromptMatrix::fromPrompt(QStringLiteral("a {product}"), {}), base, {m_flash, m_gpt});
        QVERIFY(broken.variants.isEmpty());
        QVERIFY(broken.problem());
    }

    void promptBoardIsSavedAndOldBoardsStillLoad()
    {
        BoardStore store(m_env.dir->path());
        QVERIFY(store.open().ok());
        GenerationParams base;
        base.size = QStringLiteral("1024x1024");
        const BoardSpec board = BoardSpec::fromMatrix(
            PromptMatrix::fromPrompt(QStringLiteral("a {product} on teal"),
                                     {{QStringLiteral("product"), QStringLiteral("sneaker|boot|lamp")}}),
            base, {m_flash, m_gpt});
        QCOMPARE(board.problem(), std::nullopt);
        const auto id = store.create(board);
        QVERIFY(id.ok());
        const auto saved = store.load(id.value());
        QVERIFY(saved.ok());
        QCOMPARE(saved.value().spec.base.prompt, QStringLiteral("a {product} on teal"));
        QCOMPARE(saved.value().spec.models, board.models);
        QCOMPARE(saved.value().spec.variants, board.variants); // prompt and label included
        // The variables with their values, to set the board up again.
        QCOMPARE(saved.value().spec.promptVariables, board.promptVariables);
        QCOMPARE(saved.value().spec.promptVariables.at(0).values,
                 (QStringList {QStringLiteral("sneaker"), QStringLiteral("boot"), QStringLiteral("lamp")}));
        QCOMPARE(saved.value().spec.variants.at(2).label(), QStringLiteral("lamp"));
        QCOMPARE(saved.value().cells.size(), 6);
        QCOMPARE(saved.value().cells.at(4).params.prompt, QStringLiteral("a boot on teal"));
        QCOMPARE(saved.value().cells.at(4).params.model, m_gpt);
        QCOMPARE(saved.value().spec.cellParams().at(4).prompt, QStringLiteral("a boot on teal"));

        // A board saved before prompt columns existed: its variants have no "prompt" / "prompt_label".
        {
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            raw.setDatabaseName(QDir(m_env.dir->path()).filePath(QStringLiteral("library.sqlite")));
            QVERIFY(raw.open());
            QSqlQuery old(raw);
            old.prepare(QStringLiteral("UPDATE boards SET spec_json = ? WHERE id = ?"));
            old.addBindValue(QStringLiteral(R"({"base":{"prompt":"a kite","n":1},"models":["%1","%2"],)"
                                            R"("variants":[{"size":"1024x1024","quality":""},)"
                                            R"({"size":"1024x1536","quality":"high"}]})")
                                 .arg(m_flash, m_gpt));
            old.addBindValue(id.value());
            QVERIFY(old.exec());
            QCOMPARE(old.numRowsAffected(), 1);
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        const auto legacy = store.load(id.value());
        QVERIFY(legacy.ok());
        QCOMPARE(legacy.value().spec.variants,
                 (QList<BoardVariant> {{QStringLiteral("1024x1024"), QString()},
                                       {QStringLiteral("1024x1536"), QStringLiteral("high")}}));
        QVERIFY(!legacy.value().spec.hasPromptAxis());
        QCOMPARE(legacy.value().spec.cellParams().at(1).prompt, QStringLiteral("a kite"));
        QCOMPARE(legacy.value().spec.variants.at(1).label(), QStringLiteral("1024x1536 · high"));
    }

    void batchTagsEveryImageAndCostsWhatWasPriced()
    {
        const std::unique_ptr<ModelCatalog> catalog = loadedCatalog();
        QVERIFY(catalog);
        const PromptMatrix matrix = PromptMatrix::fromPrompt(
            QStringLiteral("a {product} on teal"), {{QStringLiteral("product"), QStringLiteral("sneaker|boot|lamp")}});
        const QList<MatrixBatch::Item> items = MatrixBatch::itemsFor(matrix, GenerationParams(), {m_flash, m_gpt});
        QCOMPARE(items.size(), 6);
        QCOMPARE(items.at(0).params.model, m_flash); // model-major
        QCOMPARE(items.at(2).params.model, m_flash);
        QCOMPARE(items.at(2).params.prompt, QStringLiteral("a lamp on teal"));
        QCOMPARE(items.at(3).params.model, m_gpt);
        QCOMPARE(items.at(3).params.prompt, QStringLiteral("a sneaker on teal"));
        QCOMPARE(items.at(4).tags, QStringList {QStringLiteral("product: boot")});

        // Priced before sending: 3 × 2 + 3 × 1 credits.
        const BoardCost cost = BoardCost::estimate(paramsOf(items), *catalog);
        QVERIFY(cost.known);
        QCOMPARE(cost.total, 9.0);

        MatrixBatch batch(m_env.queue.get(), m_env.library.get(), items, catalog.get());
        QSignalSpy finished(&batch, &MatrixBatch::finished);
        QSignalSpy progressed(&batch, &MatrixBatch::progressed);
        // Each tag write reports recordChanged: all six are in by the time finished() is emitted.
        QSignalSpy tagged(m_env.library.get(), &Library::recordChanged);
        qsizetype taggedAtFinish = -1;
        connect(&batch, &MatrixBatch::finished, &batch, [&] { taggedAtFinish = tagged.count(); });
        QCOMPARE(batch.total(), 6);
        batch.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(taggedAtFinish, 6);
        QTest::qWait(50);
        QCOMPARE(finished.count(), 1);
        QVERIFY(batch.isFinished());
        QVERIFY(progressed.count() >= 6);
        QCOMPARE(batch.finishedCount(), 6);
        QCOMPARE(batch.failedCount(), 0);
        QCOMPARE(batch.imageCount(), 6);
        QCOMPARE(m_env.sandbox.server->postCount(), 6); // one request each, nothing retried
        const double charged =
            m_env.sandbox.server->creditsCharged(m_flash) + m_env.sandbox.server->creditsCharged(m_gpt);
        QCOMPARE(charged, cost.total);
        QCOMPARE(batch.creditsCharged(), charged);

        // The tags are written by the time finished() is emitted, each image with the value it was made with.
        const QList<LibraryRecord> images = allImages();
        QCOMPARE(images.size(), 6);
        QHash<QString, int> perModel;
        for (const LibraryRecord& image : images) {
            const QString value = image.prompt.section(QLatin1Char(' '), 1, 1); // "a boot on teal" → "boot"
            QCOMPARE(image.tags, QStringList {QStringLiteral("product: ") + value});
            ++perModel[image.model];
        }
        QCOMPARE(perModel, (QHash<QString, int> {{m_flash, 3}, {m_gpt, 3}}));
        LibraryQuery boots;
        boots.tag = QStringLiteral("product: boot");
        auto found = m_env.library->search(boots);
        found.waitForFinished();
        QVERIFY(found.result().ok());
        QCOMPARE(found.result().value().size(), 2);
    }

    void oneModelFailingLeavesTheOthersFinished()
    {
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash2, SandboxFault::Kind::Status, 500));

        const PromptMatrix matrix = PromptMatrix::fromPrompt(
            QStringLiteral("{product} on {background}"), {{QStringLiteral("product"), QStringLiteral("sneaker|boot")},
                                                          {QStringLiteral("background"), QStringLiteral("marble")}});
        // With the catalog: the sandbox reports no cost, the images record the catalog price.
        const std::unique_ptr<ModelCatalog> catalog = loadedCatalog();
        QVERIFY(catalog);
        MatrixBatch batch(m_env.queue.get(), m_env.library.get(),
                          MatrixBatch::itemsFor(matrix, GenerationParams(), {m_flash, m_flash2, m_gpt}), catalog.get());
        QSignalSpy finished(&batch, &MatrixBatch::finished);
        batch.start();
        QVERIFY(finished.wait(20000));
        QCOMPARE(batch.total(), 6);
        QCOMPARE(batch.finishedCount(), 6);
        QCOMPARE(batch.failedCount(), 2);
        QCOMPARE(batch.cancelledCount(), 0);
        QCOMPARE(batch.imageCount(), 4);
        QCOMPARE(m_env.sandbox.server->postCount(), 6);
        QCOMPARE(m_env.sandbox.server->creditsCharged(m_flash2), 0.0);
        QCOMPARE(batch.creditsCharged(),
                 m_env.sandbox.server->creditsCharged(m_flash) + m_env.sandbox.server->creditsCharged(m_gpt));
        QVERIFY(batch.creditsCharged() > 0);

        const QList<LibraryRecord> images = allImages();
        QCOMPARE(images.size(), 4);
        for (const LibraryRecord& image : images) {
            QVERIFY(image.model != m_flash2);
            const QString product = image.prompt.section(QLatin1Char(' '), 0, 0);
            QCOMPARE(image.tags,
                     (QStringList {QStringLiteral("background: marble"), QStringLiteral("product: ") + product}));
        }
    }

    void cancelTakesOutTheWaitingRequests()
    {
        m_env.queue->setGlobalLimit(1);
        m_env.sandbox.server->addFault(SandboxFault::generationOf(m_flash, SandboxFault::Kind::Latency, 0, 400));

        const PromptMatrix matrix = PromptMatrix::fromPrompt(
            QStringLiteral("a {product}"), {{QStringLiteral("product"), QStringLiteral("sneaker|boot")}});
        MatrixBatch batch(m_env.queue.get(), m_env.library.get(),
                          MatrixBatch::itemsFor(matrix, GenerationParams(), {m_flash, m_gpt}));
        QSignalSpy finished(&batch, &MatrixBatch::finished);
        batch.start();
        QTRY_COMPARE_WITH_TIMEOUT(m_env.sandbox.server->postCount(), 1, 5000); // the first is held at the server
        QCOMPARE(batch.finishedCount(), 0);
        batch.cancel();
        QVERIFY(batch.cancelledCount() >= 3); // the waiting ones at once (the running one may follow inside the call)
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QTest::qWait(100);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(batch.finishedCount(), 4);
        QCOMPARE(batch.failedCount(), 0);
        QCOMPARE(batch.cancelledCount() + batch.imageCount(), 4);
        QCOMPARE(m_env.sandbox.server->postCount(), 1); // the waiting ones were never sent
        QVERIFY(m_env.library->count() <= 1);

        // Cancelling again (or after the end) changes nothing.
        batch.cancel();
        QCOMPARE(finished.count(), 1);
    }

    void emptyBatchFinishesAtOnce()
    {
        MatrixBatch batch(m_env.queue.get(), m_env.library.get(), {});
        QSignalSpy finished(&batch, &MatrixBatch::finished);
        batch.start();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(m_env.sandbox.server->postCount(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_PromptMatrix)
#include "tst_PromptMatrix.moc"
