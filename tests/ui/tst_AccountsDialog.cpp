#include "MainWindow.h"
#include "accounts/AccountRegistry.h"
#include "accounts/AccountSession.h"
#include "accounts/ApiKeyStore.h"
#include "accounts/ProxySettings.h"
#include "api/PixapiClient.h"
#include "sandbox/SandboxServer.h"
#include "settings/AccountsDialog.h"
#include "settings/Settings.h"
#include "support/AppIdentity.h"

#include "TestApp.h"
#include "TestEnv.h"

#include <QAction>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QTest>
#include <QUuid>

using namespace Pixapi;

namespace {

// The secret stored under QtKeychain's libsecret schema (server = service, user = entry name); nothing when absent.
std::optional<QString> keyringLookup(const QString& entry)
{
    QProcess process;
    process.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("server"),
                                                  QStringLiteral(PIXAPI_APP_ID), QStringLiteral("user"), entry});
    if (!process.waitForFinished(15000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return std::nullopt;
    return QString::fromUtf8(process.readAllStandardOutput());
}

QString newKey(const char* what)
{
    return QStringLiteral("pk-accounts-%1-").arg(QLatin1String(what)) + QUuid::createUuid().toString(QUuid::Id128);
}

template <typename T>
T* child(QObject* parent, const char* name)
{
    return parent->findChild<T*>(QLatin1String(name));
}

QListWidgetItem* itemFor(QListWidget* list, const QString& id)
{
    for (int row = 0; row < list->count(); ++row) {
        if (list->item(row)->data(Qt::UserRole).toString() == id)
            return list->item(row);
    }
    return nullptr;
}

} // namespace

// The real accounts window, opened from the MainWindow, against two loopback sandboxes and a private keyring.
class tst_AccountsDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void addSwitchTestRotateRemove();
    void badUrlKeepsAddDisabled();
    void proxyProblemsAreShownAndModesSaved();
    void withoutProxySettingsThereIsNoNetworkTab();

private:
    AccountsDialog* openDialog(MainWindow& window);
    AppServices services();

    SandboxServer m_sandbox;
    SandboxServer m_otherSandbox; // where the first (migrated) account points
    std::unique_ptr<TestApp> m_app;
    std::unique_ptr<ProxySettings> m_proxy;
};

void tst_AccountsDialog::initTestCase()
{
    TestEnv::init();
    AppIdentity::installTranslators(*QCoreApplication::instance());
    qRegisterMetaType<AccountResult>();
    QVERIFY(m_sandbox.listen());
    QVERIFY(m_otherSandbox.listen());
}

void tst_AccountsDialog::init()
{
    m_app = std::make_unique<TestApp>();
    QVERIFY(m_app->dir.isValid());
    QVERIFY(m_app->library.open().ok());
    QVERIFY(m_app->tasks.open().ok());
    m_app->settings.setValue(Settings::Key::AccountId, QString::fromLatin1(QTest::currentTestFunction()));
    m_app->settings.setValue(Settings::Key::BaseUrl, m_otherSandbox.baseUrl().toString());
    m_proxy = std::make_unique<ProxySettings>(&m_app->settings, &m_app->keys, &m_app->network);
    m_sandbox.setAcceptedKeys({SandboxServer::defaultKey()});
    m_sandbox.clearRequests();
}

void tst_AccountsDialog::cleanup()
{
    m_proxy.reset();
    m_app.reset();
}

AppServices tst_AccountsDialog::services()
{
    AppServices s = m_app->services();
    s.proxy = m_proxy.get();
    return s;
}

AccountsDialog* tst_AccountsDialog::openDialog(MainWindow& window)
{
    auto* action = window.findChild<QAction*>(QStringLiteral("actionAccounts"));
    if (!action)
        return nullptr;
    action->trigger();
    action->trigger(); // one window, however often it is asked for
    if (window.findChildren<AccountsDialog*>().size() != 1)
        return nullptr;
    auto* dialog = window.findChild<AccountsDialog*>(QStringLiteral("accountsDialog"));
    if (dialog && !QTest::qWaitForWindowExposed(dialog))
        return nullptr;
    return dialog;
}

void tst_AccountsDialog::addSwitchTestRotateRemove()
{
    m_app->session.start();
    QTRY_COMPARE_WITH_TIMEOUT(m_app->session.state(), AccountSession::State::NoKey, 15000);
    MainWindow window(services());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    AccountsDialog* dialog = openDialog(window);
    QVERIFY(dialog);
    AccountRegistry* registry = m_app->session.accounts();
    QCOMPARE(registry->accounts().size(), 1);

    auto* list = child<QListWidget>(dialog, "accountList");
    auto* result = child<QLabel>(dialog, "accountResultLabel");
    auto* add = child<QPushButton>(dialog, "addAccountButton");
    auto* form = child<QWidget>(dialog, "accountForm");
    auto* name = child<QLineEdit>(dialog, "accountNameEdit");
    auto* url = child<QLineEdit>(dialog, "accountUrlEdit");
    auto* kind = child<QComboBox>(dialog, "accountKindCombo");
    auto* key = child<QLineEdit>(dialog, "accountKeyEdit");
    auto* formAdd = child<QPushButton>(dialog, "accountFormAddButton");
    auto* test = child<QPushButton>(dialog, "testAccountButton");
    auto* rotate = child<QPushButton>(dialog, "rotateKeyButton");
    auto* remove = child<QPushButton>(dialog, "removeAccountButton");
    auto* busy = child<QProgressBar>(dialog, "accountBusyIndicator");
    QVERIFY(list && result && add && form && name && url && kind && key && formAdd && test && rotate && remove && busy);
    QCOMPARE(list->count(), 1);
    QVERIFY(list->item(0)->text().contains(QStringLiteral("no key")));

    // Add: a profile for the sandbox with a key of its own.
    const QString accountKey = newKey("first");
    m_sandbox.setAcceptedKeys({SandboxServer::defaultKey(), accountKey});
    QVERIFY(form->isHidden());
    QTest::mouseClick(add, Qt::LeftButton);
    QVERIFY(form->isVisible());
    QCOMPARE(key->echoMode(), QLineEdit::Password);
    QTest::keyClicks(name, QStringLiteral("Studio Sandbox"));
    QTest::keyClicks(url, m_sandbox.baseUrl().toString());
    kind->setCurrentIndex(kind->findData(int(Account::Kind::Pixapi)));
    QVERIFY(!formAdd->isEnabled()); // no key yet
    key->setText(accountKey);
    QVERIFY(formAdd->isEnabled());
    QTest::mouseClick(formAdd, Qt::LeftButton);
    QVERIFY(!add->isEnabled()); // busy until the key is stored
    QVERIFY(busy->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(add->isEnabled(), 15000);
    QVERIFY2(result->text().contains(QStringLiteral("added")), qPrintable(result->text()));
    QVERIFY(key->text().isEmpty());

    QCOMPARE(registry->accounts().size(), 2);
    const Account added = registry->accounts().last();
    QCOMPARE(added.name, QStringLiteral("Studio Sandbox"));
    QCOMPARE(added.baseUrl, m_sandbox.baseUrl());
    QVERIFY(added.keyStored);
    QVERIFY(keyringLookup(m_app->keys.entryName(added.id)) == accountKey);
    QVERIFY(TestEnv::filesContaining(m_app->root, accountKey.toUtf8()).isEmpty()); // never in settings
    QListWidgetItem* item = itemFor(list, added.id);
    QVERIFY(item);
    QVERIFY(item->text().contains(QStringLiteral("Studio Sandbox")));
    QVERIFY(item->text().contains(QStringLiteral("127.0.0.1")));
    QVERIFY(item->text().contains(QStringLiteral("Pixapi")));
    QVERIFY(!item->text().contains(QStringLiteral("no key")));
    QVERIFY(!item->text().contains(QStringLiteral("✓")));
    QVERIFY(registry->current()->id != added.id); // adding does not switch

    // Switch with a double click: the session applies the new account's server and key.
    list->setCurrentItem(item);
    list->scrollToItem(item);
    const QPoint center = list->visualItemRect(item).center();
    // QTest's widget double click sends the double-click event alone: press first, as a user's first click does.
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, center);
    QCOMPARE(m_app->session.state(), AccountSession::State::NoKey); // one click only selects
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, center);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->session.state(), AccountSession::State::Ready, 15000);
    QCOMPARE(m_app->session.accountId(), added.id);
    QCOMPARE(m_app->client.baseUrl(), m_sandbox.baseUrl());
    auto* indicator = window.findChild<QLabel*>(QStringLiteral("connectionIndicator"));
    QVERIFY(indicator);
    QTRY_VERIFY(indicator->text().contains(QStringLiteral("Studio Sandbox")));
    item = itemFor(list, added.id);
    QVERIFY(item && item->text().contains(QStringLiteral("✓")));
    QVERIFY(!child<QPushButton>(dialog, "useAccountButton")->isEnabled()); // already in use

    // Test Connection lists the models with the stored key.
    m_sandbox.clearRequests();
    list->setCurrentItem(itemFor(list, added.id));
    QVERIFY(test->isEnabled());
    QTest::mouseClick(test, Qt::LeftButton);
    QVERIFY(!test->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(test->isEnabled(), 15000);
    const QRegularExpressionMatch count = QRegularExpression(QStringLiteral("(\\d+) model")).match(result->text());
    QVERIFY2(count.hasMatch(), qPrintable(result->text()));
    QVERIFY(count.captured(1).toInt() > 0);
    QVERIFY(!m_sandbox.requests().isEmpty());

    // Rotate with a key the server refuses: the old key stays, and the user is told so.
    const QString refusedKey = newKey("refused");
    QTest::mouseClick(rotate, Qt::LeftButton);
    auto* input = dialog->findChild<QInputDialog*>(QStringLiteral("rotateKeyInput"));
    QVERIFY(input);
    QCOMPARE(input->textEchoMode(), QLineEdit::Password);
    input->setTextValue(refusedKey);
    input->accept();
    QVERIFY(!rotate->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(rotate->isEnabled(), 15000);
    QVERIFY2(result->text().contains(QStringLiteral("old key was kept")), qPrintable(result->text()));
    QVERIFY(keyringLookup(m_app->keys.entryName(added.id)) == accountKey);

    // Rotate with a key it accepts: the new one replaces the old one.
    const QString newerKey = newKey("rotated");
    m_sandbox.setAcceptedKeys({accountKey, newerKey});
    QTest::mouseClick(rotate, Qt::LeftButton);
    QTRY_VERIFY((input = dialog->findChild<QInputDialog*>(QStringLiteral("rotateKeyInput"))) != nullptr);
    input->setTextValue(newerKey);
    input->accept();
    QTRY_VERIFY_WITH_TIMEOUT(rotate->isEnabled(), 15000);
    QVERIFY2(result->text().contains(QStringLiteral("replaced the old one")), qPrintable(result->text()));
    QVERIFY(keyringLookup(m_app->keys.entryName(added.id)) == newerKey);

    // Remove asks first; Cancel keeps everything.
    list->setCurrentItem(itemFor(list, added.id));
    QTest::mouseClick(remove, Qt::LeftButton);
    auto* confirm = dialog->findChild<QMessageBox*>(QStringLiteral("removeAccountConfirmation"));
    QVERIFY(confirm);
    confirm->button(QMessageBox::Cancel)->click();
    QTest::qWait(50);
    QCOMPARE(registry->accounts().size(), 2);
    QTRY_VERIFY(dialog->findChild<QMessageBox*>(QStringLiteral("removeAccountConfirmation")) == nullptr);

    // Yes deletes the account and its keychain entry; the remaining account becomes current.
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_VERIFY((confirm = dialog->findChild<QMessageBox*>(QStringLiteral("removeAccountConfirmation"))) != nullptr);
    confirm->button(QMessageBox::Yes)->click();
    QTRY_COMPARE_WITH_TIMEOUT(registry->accounts().size(), 1, 15000);
    QVERIFY(!registry->account(added.id));
    QVERIFY(!keyringLookup(m_app->keys.entryName(added.id)));
    QTRY_VERIFY(add->isEnabled());
    QVERIFY(!itemFor(list, added.id));
    QCOMPARE(list->count(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(m_app->session.state(), AccountSession::State::NoKey, 15000);
    QVERIFY(!indicator->text().contains(QStringLiteral("Studio Sandbox")));
    QVERIFY(!remove->isEnabled()); // the last account stays
}

void tst_AccountsDialog::badUrlKeepsAddDisabled()
{
    MainWindow window(services());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    AccountsDialog* dialog = openDialog(window);
    QVERIFY(dialog);
    auto* name = child<QLineEdit>(dialog, "accountNameEdit");
    auto* url = child<QLineEdit>(dialog, "accountUrlEdit");
    auto* key = child<QLineEdit>(dialog, "accountKeyEdit");
    auto* problem = child<QLabel>(dialog, "accountUrlProblemLabel");
    auto* formAdd = child<QPushButton>(dialog, "accountFormAddButton");
    QVERIFY(name && url && key && problem && formAdd);
    QTest::mouseClick(child<QPushButton>(dialog, "addAccountButton"), Qt::LeftButton);
    name->setText(QStringLiteral("Plain HTTP"));
    key->setText(newKey("unused"));
    QVERIFY(problem->isHidden());

    url->setText(QStringLiteral("http://example.com"));
    QVERIFY(problem->isVisible());
    QVERIFY(!problem->text().isEmpty());
    QCOMPARE(problem->text(), *Account::urlProblem(QUrl(QStringLiteral("http://example.com"))));
    QVERIFY(!formAdd->isEnabled());

    url->setText(QStringLiteral("https://example.com"));
    QVERIFY(problem->isHidden());
    QVERIFY(formAdd->isEnabled()); // the same form with a good URL can be sent
    QCOMPARE(m_app->session.accounts()->accounts().size(), 1);
}

void tst_AccountsDialog::proxyProblemsAreShownAndModesSaved()
{
    MainWindow window(services());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    AccountsDialog* dialog = openDialog(window);
    QVERIFY(dialog);
    QVERIFY(dialog->findChild<QWidget*>(QStringLiteral("networkTab")));
    auto* system = child<QRadioButton>(dialog, "proxySystemRadio");
    auto* none = child<QRadioButton>(dialog, "proxyNoneRadio");
    auto* manual = child<QRadioButton>(dialog, "proxyManualRadio");
    auto* host = child<QLineEdit>(dialog, "proxyHostEdit");
    auto* save = child<QPushButton>(dialog, "proxySaveButton");
    auto* status = child<QLabel>(dialog, "proxyStatusLabel");
    QVERIFY(system && none && manual && host && save && status);
    QVERIFY(system->isChecked()); // the default

    // A manual proxy without a host is refused, with the reason, and nothing changes.
    manual->setChecked(true);
    QVERIFY(host->isEnabled());
    host->clear();
    save->click();
    QTRY_VERIFY_WITH_TIMEOUT(!status->text().isEmpty(), 15000);
    ProxyConfig noHost;
    noHost.mode = ProxyConfig::Mode::Manual;
    QVERIFY(noHost.problem());
    QVERIFY2(status->text().contains(*noHost.problem()), qPrintable(status->text()));
    QCOMPARE(m_proxy->config().mode, ProxyConfig::Mode::System);

    none->setChecked(true);
    QVERIFY(!host->isEnabled());
    save->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_proxy->config().mode, ProxyConfig::Mode::None, 15000);
    QTRY_VERIFY(status->text().contains(QStringLiteral("saved")));
}

void tst_AccountsDialog::withoutProxySettingsThereIsNoNetworkTab()
{
    AccountsDialog dialog(m_app->session.accounts(), nullptr);
    QVERIFY(!dialog.findChild<QWidget*>(QStringLiteral("networkTab")));
    QVERIFY(dialog.findChild<QListWidget*>(QStringLiteral("accountList")));
}

QTEST_MAIN(tst_AccountsDialog)
#include "tst_AccountsDialog.moc"
