#include "TestEnv.h"
#include "batch/BatchFile.h"
#include "batch/CsvReader.h"

#include <QTest>

using namespace Pixapi;
using namespace Qt::StringLiterals;

// Batch files as people write them in spreadsheets and scripts: CSV (quotes, line breaks in fields, ';' from
// European spreadsheets, a BOM from Excel) and JSON Lines, prompt templates × models, and the problems reported by
// line.
class tst_BatchFile : public QObject
{
    Q_OBJECT

private:
    static Result<QList<BatchItem>, QStringList> csv(const QByteArray& text, const BatchDefaults& defaults = {})
    {
        return BatchFile::parse(text, BatchFile::Format::Csv, defaults);
    }
    static Result<QList<BatchItem>, QStringList> jsonl(const QByteArray& text)
    {
        return BatchFile::parse(text, BatchFile::Format::JsonLines, {});
    }

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void csvReaderFollowsRfc4180()
    {
        const auto records =
            CsvReader::parse(QStringLiteral("\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\n,,\n"));
        QVERIFY(records.ok());
        QCOMPARE(records.value().size(), 3); // the blank line is skipped, the empty fields are not
        QCOMPARE(records.value().at(0).fields, QStringList({u"a"_s, u"b"_s, u"c"_s}));
        QCOMPARE(records.value().at(1).fields, QStringList({u"x, y"_s, u"say \"hi\""_s, u"two\nlines"_s}));
        QCOMPARE(records.value().at(1).line, 2);
        QCOMPARE(records.value().at(2).line, 5); // line numbers count the line break inside the quotes
        QCOMPARE(records.value().at(2).fields, QStringList({u""_s, u""_s, u""_s}));
    }

    void csvReaderFindsTheSeparator()
    {
        QCOMPARE(CsvReader::separatorOf(QStringLiteral("prompt;model\na,b;c")), QLatin1Char(';'));
        QCOMPARE(CsvReader::separatorOf(QStringLiteral("prompt\tmodel")), QLatin1Char('\t'));
        QCOMPARE(CsvReader::separatorOf(QStringLiteral("\"a;b\",c")), QLatin1Char(',')); // not inside quotes
        QCOMPARE(CsvReader::separatorOf(QStringLiteral("prompt")), QLatin1Char(','));
        const auto records = CsvReader::parse(QStringLiteral("prompt;model\n\"a, b\";gpt-image-2\n"));
        QVERIFY(records.ok());
        QCOMPARE(records.value().at(1).fields, QStringList({u"a, b"_s, u"gpt-image-2"_s}));
    }

    void csvReaderRefusesBrokenQuotes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("never closed") << QStringLiteral("a,b\n\"open,x\ny\n")
                                      << QStringLiteral("line 2: a quoted field is never closed");
        QTest::newRow("text after quote")
            << QStringLiteral("a\n\"x\"y\n") << QStringLiteral("line 2: text after a closing quote");
    }

    void csvReaderRefusesBrokenQuotes()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        const auto records = CsvReader::parse(text);
        QVERIFY(!records.ok());
        QVERIFY2(records.error().startsWith(error), qPrintable(records.error()));
    }

    void templatesTimesModels()
    {
        const auto items = csv("prompt,model,n,size,quality,tags,output,product,background\n"
                               "\"a {product} on {background}\",gpt-image-2|gemini-2.5-flash-image,2,1024x1024,high,"
                               "hero|spring,\"hero {product}/{background}\",sneaker|boot,marble\n");
        QVERIFY2(items.ok(), qPrintable(items.ok() ? QString() : items.error().join(QLatin1Char('\n'))));
        QCOMPARE(items.value().size(), 4); // 2 products × 1 background × 2 models, model-major
        const BatchItem& first = items.value().at(0);
        QCOMPARE(first.line, 2);
        QCOMPARE(first.params.model, QStringLiteral("gpt-image-2"));
        QCOMPARE(first.params.prompt, QStringLiteral("a sneaker on marble"));
        QCOMPARE(first.params.n, 2);
        QCOMPARE(first.params.size, QStringLiteral("1024x1024"));
        QCOMPARE(first.params.quality, QStringLiteral("high"));
        QCOMPARE(first.tags, QStringList({u"hero"_s, u"spring"_s, u"product: sneaker"_s, u"background: marble"_s}));
        QCOMPARE(first.outputName, QStringLiteral("hero sneaker_marble")); // '/' cannot be in a file name
        QCOMPARE(items.value().at(1).params.prompt, QStringLiteral("a boot on marble"));
        QCOMPARE(items.value().at(2).params.model, QStringLiteral("gemini-2.5-flash-image"));
    }

    void defaultsFillWhatARowLeavesOut()
    {
        BatchDefaults defaults;
        defaults.models = {QStringLiteral("gpt-image-2"), QStringLiteral("sandbox-sketch")};
        defaults.n = 3;
        defaults.size = QStringLiteral("1K");
        defaults.responseFormat = QStringLiteral("b64_json");
        const auto items = csv("prompt,model,size\nfirst,,\nsecond,gpt-image-1.5,512x512\n", defaults);
        QVERIFY(items.ok());
        QCOMPARE(items.value().size(), 3);
        QCOMPARE(items.value().at(1).params.model, QStringLiteral("sandbox-sketch"));
        QCOMPARE(items.value().at(1).params.size, QStringLiteral("1K"));
        QCOMPARE(items.value().at(2).params.size, QStringLiteral("512x512"));
        for (const BatchItem& item : items.value()) {
            QCOMPARE(item.params.n, 3);
            QCOMPARE(item.params.responseFormat, QStringLiteral("b64_json"));
        }
    }

    // The journal's identity of a request: the same request keeps its key when rows move or others are added, a
    // request written twice is meant twice, and any change to what is sent is a new request.
    void keysAreStableAndDistinct()
    {
        const auto before = csv("prompt,model\nalpha,gpt-image-2\nbeta,gpt-image-2\nalpha,gpt-image-2\n");
        const auto after = csv("prompt,model\nnew row,gpt-image-2\nbeta,gpt-image-2\nalpha,gpt-image-2\n"
                               "alpha,gpt-image-2\n");
        const auto changed = csv("prompt,model,n\nalpha,gpt-image-2,2\n");
        QVERIFY(before.ok() && after.ok() && changed.ok());
        const QString alpha = before.value().at(0).key;
        QCOMPARE(alpha.size(), 32);
        QCOMPARE(before.value().at(2).key, alpha + QStringLiteral("-2"));
        QCOMPARE(after.value().at(2).key, alpha);
        QCOMPARE(after.value().at(3).key, alpha + QStringLiteral("-2"));
        QCOMPARE(after.value().at(1).key, before.value().at(1).key);
        QVERIFY(changed.value().at(0).key != alpha);
    }

    void jsonLines()
    {
        const auto items = jsonl("{\"prompt\": \"a {product} on sand\", \"model\": [\"gpt-image-2\"], \"n\": 2,"
                                 " \"tags\": \"spring|sale\", \"output\": \"{product}\","
                                 " \"vars\": {\"product\": [\"sneaker\", \"boot\"]}}\n"
                                 "\n"
                                 "{\"prompt\": \"plain\", \"model\": \"gemini-2.5-flash-image\", \"size\": 1024}\n");
        QVERIFY2(items.ok(), qPrintable(items.ok() ? QString() : items.error().join(QLatin1Char('\n'))));
        QCOMPARE(items.value().size(), 3);
        QCOMPARE(items.value().at(1).params.prompt, QStringLiteral("a boot on sand"));
        QCOMPARE(items.value().at(1).outputName, QStringLiteral("boot"));
        QCOMPARE(items.value().at(1).tags, QStringList({u"spring"_s, u"sale"_s, u"product: boot"_s}));
        QCOMPARE(items.value().at(2).line, 3);
        QCOMPARE(items.value().at(2).params.size, QStringLiteral("1024"));
    }

    void problemsNameTheirLine_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("jsonLines");
        QTest::addColumn<QString>("problem");
        QTest::newRow("no prompt column") << QByteArray("model\ngpt-image-2\n") << false
                                          << QStringLiteral("line 1: the header has no \"prompt\" column");
        QTest::newRow("duplicate column") << QByteArray("prompt,model,prompt\na,b,c\n") << false
                                          << QStringLiteral("line 1: column \"prompt\" appears twice");
        QTest::newRow("too many fields") << QByteArray("prompt,model\na,b,c\n") << false
                                         << QStringLiteral("line 2: 3 fields, but the header names 2 columns");
        QTest::newRow("n not a number") << QByteArray("prompt,model,n\na,b,two\n") << false
                                        << QStringLiteral("line 2: n is \"two\", not a whole number");
        QTest::newRow("n too large") << QByteArray("prompt,model,n\na,b,11\n") << false
                                     << QStringLiteral("line 2: n must be from 1 to 10");
        QTest::newRow("no model") << QByteArray("prompt\na\n") << false
                                  << QStringLiteral("line 2: no model: add a \"model\" column or give --model");
        QTest::newRow("empty prompt") << QByteArray("prompt,model\n ,b\n") << false
                                      << QStringLiteral("line 2: the prompt is empty");
        QTest::newRow("variable without values")
            << QByteArray("prompt,model\n\"a {thing}\",b\n") << false << QStringLiteral("line 2: ");
        QTest::newRow("unused column (a typo)")
            << QByteArray("prompt,model,qualty\na,b,high\n") << false
            << QStringLiteral("line 2: \"qualty\" has values but the prompt has no {qualty}");
        QTest::newRow("output variable") << QByteArray("prompt,model,output\na,b,{x}\n") << false
                                         << QStringLiteral(
                                                "line 2: the output name uses a variable the prompt does not have");
        QTest::newRow("no rows") << QByteArray("prompt,model\n") << false << QStringLiteral("the file has no rows");
        QTest::newRow("not utf-8") << QByteArray("prompt\n\xff\xfe\n") << false
                                   << QStringLiteral("the file is not UTF-8 text");
        QTest::newRow("not json") << QByteArray("{\"prompt\": \"a\"}\n{oops\n") << true
                                  << QStringLiteral("line 2: not JSON");
        QTest::newRow("not an object") << QByteArray("[1]\n") << true << QStringLiteral("line 1: not a JSON object");
        QTest::newRow("wrong type") << QByteArray("{\"prompt\": 3, \"model\": \"m\"}\n") << true
                                    << QStringLiteral("line 1: \"prompt\" must be a string");
        QTest::newRow("fractional n") << QByteArray("{\"prompt\": \"a\", \"model\": \"m\", \"n\": 1.5}\n") << true
                                      << QStringLiteral("line 1: \"n\" must be a whole number");
        QTest::newRow("unknown key") << QByteArray("{\"prompt\": \"a\", \"model\": \"m\", \"colour\": 1}\n") << true
                                     << QStringLiteral("line 1: unknown key \"colour\" (variables go in \"vars\")");
    }

    void problemsNameTheirLine()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, jsonLines);
        QFETCH(QString, problem);
        const auto items = jsonLines ? jsonl(content) : csv(content);
        QVERIFY(!items.ok());
        QVERIFY2(items.error().constFirst().startsWith(problem), qPrintable(items.error().join(QLatin1Char('\n'))));
    }

    // A file broken on every line reports a screenful, not thousands of lines; a file that grows past the limit stops.
    void problemsAndSizeAreCapped()
    {
        QByteArray broken("prompt,model,n\n");
        for (int i = 0; i < 500; ++i)
            broken += "a,b,0\n";
        const auto problems = csv(broken);
        QVERIFY(!problems.ok());
        QCOMPARE(problems.error().size(), 21);
        QVERIFY(problems.error().constLast().contains(QStringLiteral("480")));

        QByteArray huge("prompt,model,v\n");
        QByteArray values;
        for (int i = 0; i < 60; ++i)
            values += (i ? "|" : "") + QByteArray::number(i);
        for (int i = 0; i < 200; ++i)
            huge += "\"p {v} " + QByteArray::number(i) + "\",m," + values + "\n"; // 200 × 60 = 12,000
        const auto tooMany = csv(huge);
        QVERIFY(!tooMany.ok());
        QVERIFY2(tooMany.error().constFirst().contains(QStringLiteral("past 10000 requests")),
                 qPrintable(tooMany.error().constFirst()));

        QByteArray manyModels("prompt,model\nsame prompt,");
        for (int i = 0; i < 20000; ++i)
            manyModels += (i ? "|m" : "m") + QByteArray::number(i);
        const auto tooManyModels = csv(manyModels + "\n");
        QVERIFY(!tooManyModels.ok());
        QVERIFY(tooManyModels.error().constFirst().contains(QStringLiteral("past 10000 requests")));

        QVERIFY(!csv(QByteArray(BatchFile::MaxFileBytes + 1, 'a')).ok());
    }

    void formatIsGuessedFromTheName()
    {
        QCOMPARE(BatchFile::formatOf(QStringLiteral("a.JSONL"), "prompt"), BatchFile::Format::JsonLines);
        QCOMPARE(BatchFile::formatOf(QStringLiteral("a.ndjson"), "x"), BatchFile::Format::JsonLines);
        QCOMPARE(BatchFile::formatOf(QStringLiteral("a.csv"), "{"), BatchFile::Format::Csv);
        QCOMPARE(BatchFile::formatOf(QStringLiteral("batch"), "  {\"prompt\": 1}"), BatchFile::Format::JsonLines);
        QCOMPARE(BatchFile::formatOf(QStringLiteral("batch.txt"), "prompt,model"), BatchFile::Format::Csv);
    }

    void safeFileNames()
    {
        QCOMPARE(BatchFile::safeFileName(QStringLiteral("../etc/passwd")), QStringLiteral("_etc_passwd"));
        QCOMPARE(BatchFile::safeFileName(QStringLiteral("a:b*c?\"d<e>f|g\\h")), QStringLiteral("a_b_c__d_e_f_g_h"));
        QCOMPARE(BatchFile::safeFileName(QStringLiteral(" .hidden ")), QStringLiteral("hidden"));
        QCOMPARE(BatchFile::safeFileName(QString(300, QLatin1Char('x'))).size(), 120);
    }
};

QTEST_GUILESS_MAIN(tst_BatchFile)
#include "tst_BatchFile.moc"
