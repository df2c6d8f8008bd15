#include "TestEnv.h"
#include "support/Redactor.h"

#include <QTest>

using namespace Pixapi;

class tst_Redactor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }
    void cleanup() { Redactor::clearSecrets(); }

    void masksRegisteredSecrets()
    {
        Redactor::addSecret(QStringLiteral("sk_live_ABCDEF123456"));
        const QString out = Redactor::redact(QStringLiteral("key sk_live_ABCDEF123456 twice sk_live_ABCDEF123456"));
        QVERIFY(!out.contains(QLatin1String("ABCDEF123456")));
        QCOMPARE(out.count(QLatin1String("[redacted]")), 2);
    }

    void masksAuthorizationHeadersAndQuerySecrets_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("secret");
        QTest::newRow("header") << QStringLiteral("Authorization: Bearer sk_abc123xyz") << QStringLiteral("sk_abc123xyz");
        QTest::newRow("bare bearer") << QStringLiteral("sent bearer tok_98765, done") << QStringLiteral("tok_98765");
        QTest::newRow("gemini key query") << QStringLiteral("GET https://x.example/v1?key=AIzaSECRET&alt=json")
                                          << QStringLiteral("AIzaSECRET");
        QTest::newRow("signed CDN URL") << QStringLiteral("https://cdn.example/a.png?X-Amz-Signature=deadbeef99")
                                        << QStringLiteral("deadbeef99");
    }

    void masksAuthorizationHeadersAndQuerySecrets()
    {
        QFETCH(QString, input);
        QFETCH(QString, secret);
        const QString out = Redactor::redact(input);
        QVERIFY2(!out.contains(secret), qPrintable(out));
        QVERIFY(out.contains(QLatin1String("[redacted]")));
    }

    void leavesOrdinaryTextAlone()
    {
        Redactor::addSecret(QStringLiteral("abc")); // too short to be a key: ignored
        const QString text = QStringLiteral("a cabbage on a table, ?size=1024x1024");
        QCOMPARE(Redactor::redact(text), text);
    }

    void messageHandlerRedacts()
    {
        static QStringList captured;
        qInstallMessageHandler([](QtMsgType, const QMessageLogContext&, const QString& msg) { captured << msg; });
        Redactor::installMessageHandler();
        Redactor::addSecret(QStringLiteral("sk_test_SUPERSECRET"));
        qWarning() << "loaded key" << QStringLiteral("sk_test_SUPERSECRET");
        QCOMPARE(captured.size(), 1);
        QVERIFY(!captured.at(0).contains(QLatin1String("SUPERSECRET")));
    }
};

QTEST_GUILESS_MAIN(tst_Redactor)
#include "tst_Redactor.moc"
