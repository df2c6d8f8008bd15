// Key safety in the GUI (issue #8 item 3): the real MainWindow with the key in the (private) keychain and every log
// category on, through a generation, a refused generation, the accounts window's Test Connection and the key dialog's
// test of a mistyped key. Nothing logged, nothing shown outside a password field, and no file under HOME or the app's
// data directory holds the key.
#include "MainWindow.h"
#include "accounts/AccountJob.h"
#include "accounts/AccountRegistry.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "library/GalleryModel.h"
#include "sandbox/SandboxServer.h"
#include "settings/AccountsDialog.h"
#include "settings/ApiKeyDialog.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"
#include "support/Redactor.h"

#include "LeakScan.h"
#include "TestApp.h"
#include "TestEnv.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLoggingCategory>
#include <QMutex>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <QTextEdit>

using namespace Pixapi;

namespace {

// Every text a widget shows, except what the user types into a password field.
QStringList shownTexts()
{
    QStringList texts;
    const QList<QWidget*> widgets = QApplication::allWidgets();
    for (QWidget* widget : widgets) {
        const QString where = QString::fromLatin1(widget->metaObject()->className()) + QLatin1Char(' ')
                              + widget->objectName() + QStringLiteral(": ");
        if (auto* edit = qobject_cast<QLineEdit*>(widget); edit && edit->echoMode() == QLineEdit::Normal)
            texts << where + edit->text();
        else if (auto* label = qobject_cast<QLabel*>(widget))
            texts << where + label->text() + label->toolTip();
        else if (auto* plain = qobject_cast<QPlainTextEdit*>(widget))
            texts << where + plain->toPlainText();
        else if (auto* rich = qobject_cast<QTextEdit*>(widget))
            texts << where + rich->toPlainText();
        else if (auto* button = qobject_cast<QAbstractButton*>(widget))
            texts << where + button->text();
        else if (auto* status = qobject_cast<QStatusBar*>(widget))
            texts << where + status->currentMessage();
        if (!widget->toolTip().isEmpty())
            texts << where + widget->toolTip();
        if (widget->isWindow())
            texts << where + widget->windowTitle();
    }
    return texts;
}

} // namespace

class tst_KeySafetyUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void sessionNeverRevealsTheKey();

private:
    void verifyNoLeak(const QString& where, const QByteArray& data);
    QList<LeakScan::Form> m_forms;
};

void tst_KeySafetyUi::initTestCase()
{
    TestEnv::init();
    AppIdentity::installTranslators(*QCoreApplication::instance());
    qRegisterMetaType<AccountResult>();
    // As main.cpp: the Redactor wraps the handler in place (here, the capture).
    TestEnv::LogCapture::install(/*quiet=*/true);
    Redactor::installMessageHandler();
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true\n*.info=true"));
}

void tst_KeySafetyUi::cleanupTestCase()
{
    QLoggingCategory::setFilterRules(QString());
}

void tst_KeySafetyUi::verifyNoLeak(const QString& where, const QByteArray& data)
{
    const QStringList found = LeakScan::find(data, m_forms);
    QVERIFY2(found.isEmpty(), qPrintable(where + QStringLiteral(" holds ") + found.join(QStringLiteral(", "))
                                         + QStringLiteral(":\n") + QString::fromUtf8(data.left(2000))));
}

void tst_KeySafetyUi::sessionNeverRevealsTheKey()
{
    const LeakScan::Canary key = LeakScan::Canary::make(QStringLiteral("ui"));
    const LeakScan::Canary mistyped = LeakScan::Canary::make(QStringLiteral("uiwrong"));
    m_forms = key.forms(QStringLiteral("the API key")) + mistyped.forms(QStringLiteral("the mistyped key"));

    SandboxServer sandbox;
    sandbox.setAcceptedKeys({key.key});
    QVERIFY(sandbox.listen());

    // The account as the app leaves it after "Save": its server in the settings, its key in the keychain.
    TestApp app;
    QVERIFY(app.dir.isValid());
    QVERIFY(app.library.open().ok());
    QVERIFY(app.tasks.open().ok());
    AccountRegistry* registry = app.session.accounts();
    const auto account = registry->add(QStringLiteral("Key safety"), sandbox.baseUrl(), Account::Kind::Pixapi);
    QVERIFY(account.ok());
    {
        AccountJob* job = registry->saveKey(account.value().id, key.key); // what "Save" does: write, read back
        QSignalSpy saved(job, &AccountJob::finished);
        QVERIFY(saved.wait(20000));
        const auto result = saved.constFirst().constFirst().value<AccountResult>();
        QVERIFY2(result.ok(), AccountResult::statusName(result.status).data());
    }
    QVERIFY(registry->switchTo(account.value().id));
    app.session.start();
    QTRY_COMPARE_WITH_TIMEOUT(app.session.state(), AccountSession::State::Ready, 15000);
    QCOMPARE(app.client.baseUrl(), sandbox.baseUrl());

    {
        MainWindow window(app.services());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* models = window.findChild<QComboBox*>(QStringLiteral("modelCombo"));
        QVERIFY(models);
        QTRY_VERIFY_WITH_TIMEOUT(models->count() > 0, 15000);

        // A generation with the key.
        auto* prompt = window.findChild<QPlainTextEdit*>(QStringLiteral("promptEdit"));
        auto* generate = window.findChild<QPushButton*>(QStringLiteral("generateButton"));
        QVERIFY(prompt && generate);
        QTest::keyClicks(prompt, QStringLiteral("a key under the doormat"));
        QTest::mouseClick(generate, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window.galleryModel()->rowCount(), 1, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(window.runningGenerations(), 0, 30000);

        // A generation the server refuses (401): the error is shown, the key is not.
        SandboxFault refused;
        refused.kind = SandboxFault::Kind::Status;
        refused.status = 401;
        refused.pathPrefix = QStringLiteral("/v1/images/generations");
        sandbox.addFault(refused);
        QTest::mouseClick(generate, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.statusBar()->currentMessage().contains(QLatin1String("API key")), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(window.runningGenerations(), 0, 15000);
        sandbox.clearFaults();

        // The accounts window: Test Connection reads the key from the keychain and uses it.
        window.findChild<QAction*>(QStringLiteral("actionAccounts"))->trigger();
        auto* accounts = window.findChild<AccountsDialog*>(QStringLiteral("accountsDialog"));
        QVERIFY(accounts);
        QVERIFY(QTest::qWaitForWindowExposed(accounts));
        auto* list = accounts->findChild<QListWidget*>(QStringLiteral("accountList"));
        auto* test = accounts->findChild<QPushButton*>(QStringLiteral("testAccountButton"));
        auto* result = accounts->findChild<QLabel*>(QStringLiteral("accountResultLabel"));
        QVERIFY(list && test && result);
        for (int row = 0; row < list->count(); ++row) {
            if (list->item(row)->data(Qt::UserRole).toString() == account.value().id)
                list->setCurrentRow(row);
        }
        QVERIFY(list->currentItem());
        const qsizetype before = sandbox.requests().size();
        QTest::mouseClick(test, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled() && sandbox.requests().size() > before, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String("model")), 15000);

        // The key dialog: testing a mistyped key shows the refusal.
        window.findChild<QAction*>(QStringLiteral("actionApiKey"))->trigger();
        auto* keyDialog = window.findChild<ApiKeyDialog*>(QStringLiteral("apiKeyDialog"));
        QVERIFY(keyDialog);
        auto* keyEdit = keyDialog->findChild<QLineEdit*>(QStringLiteral("keyEdit"));
        auto* testKey = keyDialog->findChild<QPushButton*>(QStringLiteral("testButton"));
        auto* testResult = keyDialog->findChild<QLabel*>(QStringLiteral("testResultLabel"));
        QVERIFY(keyEdit && testKey && testResult);
        QCOMPARE(keyEdit->echoMode(), QLineEdit::Password);
        QVERIFY(keyEdit->text().isEmpty()); // the saved key is never put back into a field
        keyEdit->setText(mistyped.key);
        QTest::mouseClick(testKey, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(testResult->text().contains(QLatin1String("refused")), 15000);

        // What the windows show (a password field's typed text aside).
        for (const QString& text : shownTexts()) {
            verifyNoLeak(QStringLiteral("a widget"), text.toUtf8());
            if (QTest::currentTestFailed())
                return;
        }
        keyDialog->reject();
        accounts->close();
        window.close();
    }
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);

    // The session used the key, as a header, only with the sandbox.
    const QList<SandboxRequestRecord> requests = sandbox.requests();
    QVERIFY(std::any_of(requests.cbegin(), requests.cend(), [](const SandboxRequestRecord& r) {
        return r.hadAuthorization && r.path == QLatin1String("/v1/images/generations");
    }));

    // The log: the sandbox in this process logs whole request headers, so the Redactor had work to do.
    const QStringList log = TestEnv::LogCapture::lines();
    QVERIFY(log.size() > 50);
    QVERIFY(std::any_of(log.cbegin(), log.cend(),
                        [](const QString& line) { return line.contains(QLatin1String("uthorization")); }));
    for (const QString& line : log) {
        verifyNoLeak(QStringLiteral("the log"), line.toUtf8());
        if (QTest::currentTestFailed())
            return;
    }

    // Files: the app's data directory (settings.ini, library, databases, thumbnails) and the private HOME (QSettings,
    // caches), the keyring's own file aside (the key is meant to be there, encrypted).
    const QString home = qEnvironmentVariable("PIXAPI_TEST_HOME");
    int scanned = 0;
    QStringList hits = LeakScan::findInFiles(app.root, m_forms, {}, &scanned);
    QVERIFY(scanned >= 3); // settings.ini, the library's database and the image at least
    hits += LeakScan::findInFiles(home, m_forms, {QDir(home).filePath(QStringLiteral(".local/share/keyrings"))});
    QVERIFY2(hits.isEmpty(), qPrintable(hits.join(QLatin1Char('\n'))));
}

QTEST_MAIN(tst_KeySafetyUi)
#include "tst_KeySafetyUi.moc"
