#include "TestEnv.h"
#include "catalog/CostEstimate.h"
#include "settings/Settings.h"
#include "usage/SpendGuard.h"
#include "usage/UsageAdvice.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Pixapi;

namespace {

// An amount as the messages write it (the plural forms come from the translation, absent in tests).
QString credits(double amount)
{
    return CostEstimate::creditsText(amount);
}

} // namespace

// Spending guards and the out-of-credits advice (issue #6, item 3): caps refuse a run before it is sent with a
// sentence that names the numbers and where to change them; 0 means no cap.
class tst_UsageGuards : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { TestEnv::init(); }

    void readsItsLimitsFromSettings()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("settings.ini"));
        {
            Settings settings(file);
            const SpendGuard defaults = SpendGuard::fromSettings(settings);
            QCOMPARE(defaults.dailyCap, 0.0);
            QCOMPARE(defaults.perRunCap, 0.0);
            QCOMPARE(defaults.lowBalanceWarning, 50.0);
            settings.setValue(Settings::Key::UsageDailyCap, 200.0);
            settings.setValue(Settings::Key::UsagePerRunCap, 40.0);
            settings.setValue(Settings::Key::UsageLowBalanceWarning, 25.0);
            settings.sync();
        }
        Settings reread(file);
        const SpendGuard guard = SpendGuard::fromSettings(reread);
        QCOMPARE(guard.dailyCap, 200.0);
        QCOMPARE(guard.perRunCap, 40.0);
        QCOMPARE(guard.lowBalanceWarning, 25.0);
    }

    void perRunCap()
    {
        SpendGuard guard;
        guard.perRunCap = 10;
        QCOMPARE(guard.refusal(10, true, 0), std::nullopt); // at the cap is allowed
        const auto refused = guard.refusal(12, true, 0);
        QVERIFY(refused);
        QVERIFY2(refused->contains(credits(12)), qPrintable(*refused));
        QVERIFY(refused->contains(QStringLiteral("per-run cap of ") + credits(10)));
        QVERIFY(refused->contains(QStringLiteral("Settings → Usage")));
        QCOMPARE(guard.refusal(12, true, 1e6), refused); // today's spend is not the per-run cap's business
    }

    void dailyCapCountsTodaysSpend()
    {
        SpendGuard guard;
        guard.dailyCap = 20;
        QCOMPARE(guard.refusal(5, true, 15), std::nullopt); // 15 + 5 = the cap
        const auto refused = guard.refusal(6, true, 15);
        QVERIFY(refused);
        QVERIFY2(refused->contains(credits(6)), qPrintable(*refused));
        QVERIFY(refused->contains(credits(15) + QStringLiteral(" spent today")));
        QVERIFY(refused->contains(QStringLiteral("daily cap of ") + credits(20)));
        QVERIFY(refused->contains(QStringLiteral("Settings → Usage")));
        QVERIFY(guard.refusal(0.5, true, 19.75)); // fractions count
        QVERIFY(guard.refusal(1, true, 25));      // already past the cap
    }

    void unknownPriceIsRefusedUnderAnyCap()
    {
        SpendGuard none;
        QCOMPARE(none.refusal(0, false, 0), std::nullopt);

        SpendGuard perRun;
        perRun.perRunCap = 10;
        const auto a = perRun.refusal(0, false, 0);
        QVERIFY(a);
        QVERIFY(a->contains(QStringLiteral("unknown")));
        QVERIFY(a->contains(QStringLiteral("per-run cap of ") + credits(10)));
        QVERIFY(!a->contains(QStringLiteral("daily")));

        SpendGuard daily;
        daily.dailyCap = 30;
        const auto b = daily.refusal(2, false, 0); // a partly known price is still unknown
        QVERIFY(b);
        QVERIFY(b->contains(QStringLiteral("unknown")));
        QVERIFY(b->contains(QStringLiteral("daily cap of ") + credits(30)));
        QVERIFY(!b->contains(QStringLiteral("per-run")));

        SpendGuard both;
        both.perRunCap = 10;
        both.dailyCap = 30;
        const auto c = both.refusal(0, false, 0);
        QVERIFY(c);
        QVERIFY(c->contains(credits(10)) && c->contains(credits(30)));
        QVERIFY(c->contains(QStringLiteral("Settings → Usage")));
    }

    void zeroMeansNoCap()
    {
        const SpendGuard guard;
        QCOMPARE(guard.refusal(1e6, true, 1e6), std::nullopt);
        SpendGuard dailyOnly;
        dailyOnly.dailyCap = 100;
        QCOMPARE(dailyOnly.refusal(90, true, 0), std::nullopt); // no per-run cap
    }

    void lowBalance()
    {
        SpendGuard guard;
        guard.lowBalanceWarning = 50;
        QVERIFY(guard.isLow(49.5));
        QVERIFY(guard.isLow(-3));
        QVERIFY(!guard.isLow(50));
        QVERIFY(!guard.isLow(840));
        guard.lowBalanceWarning = 0;
        QVERIFY(!guard.isLow(0));
        QVERIFY(!guard.isLow(-3));
    }

    void outOfCreditsAdvice()
    {
        ApiError error = ApiError::make(ApiError::Kind::InsufficientCredits);
        error.httpStatus = 402;

        const auto pixapi = UsageAdvice::forError(error, QUrl(QStringLiteral("https://api.pixapi.ai")));
        QVERIFY(pixapi);
        QCOMPARE(pixapi->topUpUrl, QUrl(QStringLiteral("https://pixapi.ai/pricing")));
        QVERIFY(pixapi->text.contains(QStringLiteral("https://pixapi.ai/pricing")));
        QVERIFY(pixapi->text.contains(QStringLiteral("refresh the balance")));
        QVERIFY(pixapi->text.contains(QStringLiteral("nothing was charged")));

        const auto sandbox = UsageAdvice::forError(error, QUrl(QStringLiteral("http://127.0.0.1:8765")));
        QVERIFY(sandbox);
        QVERIFY(sandbox->topUpUrl.isEmpty());
        QVERIFY(sandbox->text.contains(QStringLiteral("sandbox")));

        const auto other = UsageAdvice::forError(error, QUrl(QStringLiteral("https://api.openai.com/v1")));
        QVERIFY(other);
        QVERIFY(other->topUpUrl.isEmpty());
        QVERIFY(other->text.contains(QStringLiteral("provider")));
        // A host that merely ends like Pixapi's is someone else.
        QVERIFY(UsageAdvice::forError(error, QUrl(QStringLiteral("https://notpixapi.ai")))->topUpUrl.isEmpty());

        for (const ApiError::Kind kind :
             {ApiError::Kind::RateLimited, ApiError::Kind::ServerError, ApiError::Kind::Unauthorized}) {
            QVERIFY(!UsageAdvice::forError(ApiError::make(kind), QUrl(QStringLiteral("https://api.pixapi.ai"))));
        }
    }
};

QTEST_GUILESS_MAIN(tst_UsageGuards)
#include "tst_UsageGuards.moc"
