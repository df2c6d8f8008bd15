#include "usage/UsageDialog.h"

#include "catalog/CostEstimate.h"
#include "catalog/ModelCatalog.h"
#include "common/TextLook.h"
#include "settings/Settings.h"
#include "support/WhenFinished.h"
#include "usage/BalanceService.h"
#include "usage/SpendGuard.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QValueAxis>

namespace Pixapi {

namespace {

constexpr int RefreshDelayMs = 300; // a burst of finished requests reads the ledger once
constexpr int ChartedModels = 8;
constexpr double MaxLimit = 1e7;

QDoubleSpinBox* limitBox(const QString& objectName, QWidget* parent)
{
    auto* box = new QDoubleSpinBox(parent);
    box->setObjectName(objectName);
    box->setRange(0, MaxLimit);
    box->setDecimals(0);
    box->setSingleStep(10);
    return box;
}

QChartView* chartView(const QString& objectName, const QString& title, QWidget* parent)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->hide();
    chart->setBackgroundVisible(false);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* view = new QChartView(chart, parent);
    view->setObjectName(objectName);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    view->setAccessibleName(title);
    return view;
}

// Replaces a chart's series and axes by one bar set. `labels` name the bars by index: a horizontal chart names every
// bar (its categories); a vertical one (thirty days) only those given, placed under their bars.
void showBars(QChartView* view, const QList<std::pair<int, QString>>& labels, const QList<qreal>& values,
              bool horizontal)
{
    QChart* chart = view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis; // removeAxis() gives the axis back to the caller (LeakSanitizer: two axes per chart per refresh)
    }
    auto* set = new QBarSet(UsageDialog::tr("Credits"));
    set->append(values);
    set->setColor(QColor(0x5b, 0x5f, 0xf5));
    QAbstractBarSeries* series = horizontal ? static_cast<QAbstractBarSeries*>(new QHorizontalBarSeries)
                                            : static_cast<QAbstractBarSeries*>(new QBarSeries);
    series->append(set);
    series->setBarWidth(0.7);
    chart->addSeries(series);
    QAbstractAxis* names = nullptr;
    if (horizontal) {
        auto* categories = new QBarCategoryAxis;
        for (const auto& label : labels)
            categories->append(label.second);
        names = categories;
    } else {
        auto* ticks = new QCategoryAxis;
        ticks->setRange(-0.5, qreal(values.size()) - 0.5);
        ticks->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
        for (const auto& [index, text] : labels)
            ticks->append(text, index);
        names = ticks;
    }
    auto* amounts = new QValueAxis;
    const qreal top = values.isEmpty() ? 0 : *std::max_element(values.cbegin(), values.cend());
    amounts->setRange(0, std::max<qreal>(top, 1));
    amounts->applyNiceNumbers(); // round steps: 0, 0.5, 1, … rather than 0, 0.55, 1.1
    amounts->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(names, horizontal ? Qt::AlignLeft : Qt::AlignBottom);
    chart->addAxis(amounts, horizontal ? Qt::AlignBottom : Qt::AlignLeft);
    series->attachAxis(names);
    series->attachAxis(amounts);
}

} // namespace

UsageDialog::UsageDialog(QString ledgerPath, BalanceService* balance, Settings* settings, const ModelCatalog* catalog,
                         QWidget* parent)
    : QDialog(parent)
    , m_ledgerPath(std::move(ledgerPath))
    , m_balance(balance)
    , m_settings(settings)
    , m_catalog(catalog)
    , m_refreshTimer(new QTimer(this))
    , m_balanceValue(new QLabel(this))
    , m_balanceSource(new QLabel(this))
    , m_lowBalance(new QLabel(this))
    , m_refreshBalance(new QPushButton(tr("&Refresh"), this))
    , m_today(new QLabel(this))
    , m_week(new QLabel(this))
    , m_month(new QLabel(this))
    , m_counts(new QLabel(this))
    , m_perDay(chartView(QStringLiteral("usagePerDayChart"), tr("Spend per day, last 30 days"), this))
    , m_perModel(chartView(QStringLiteral("usagePerModelChart"), tr("Spend per model, last 30 days"), this))
    , m_models(new QTreeWidget(this))
    , m_failures(new QTreeWidget(this))
    , m_dailyCap(limitBox(QStringLiteral("dailyCapBox"), this))
    , m_perRunCap(limitBox(QStringLiteral("perRunCapBox"), this))
    , m_lowWarning(limitBox(QStringLiteral("lowBalanceBox"), this))
    , m_export(new QPushButton(tr("&Export CSV…"), this))
{
    setObjectName(QStringLiteral("usageDialog"));
    setWindowTitle(tr("Usage & Credits"));
    resize(980, 760);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(RefreshDelayMs);
    connect(m_refreshTimer, &QTimer::timeout, this, &UsageDialog::load);

    // Balance: the number, where it comes from, and a warning when it is low.
    m_balanceValue->setObjectName(QStringLiteral("balanceValue"));
    TextLook::setWeight(m_balanceValue, QFont::DemiBold, 20);
    m_balanceSource->setObjectName(QStringLiteral("balanceSource"));
    m_balanceSource->setWordWrap(true);
    TextLook::setDim(m_balanceSource);
    m_lowBalance->setObjectName(QStringLiteral("lowBalanceWarning"));
    m_lowBalance->setWordWrap(true);
    TextLook::setColor(m_lowBalance, QColor(0xc2, 0x6a, 0x00));
    m_refreshBalance->setObjectName(QStringLiteral("refreshBalanceButton"));
    auto* enter = new QPushButton(tr("E&nter Balance…"), this);
    enter->setObjectName(QStringLiteral("enterBalanceButton"));
    enter->setToolTip(tr("Type the balance your dashboard shows; the spend recorded from now on is taken off it"));
    auto* balanceBox = new QGroupBox(tr("Balance"), this);
    auto* balanceButtons = new QHBoxLayout;
    balanceButtons->addWidget(m_refreshBalance);
    balanceButtons->addWidget(enter);
    balanceButtons->addStretch(1);
    auto* balanceLayout = new QVBoxLayout(balanceBox);
    balanceLayout->addWidget(m_balanceValue);
    balanceLayout->addWidget(m_balanceSource);
    balanceLayout->addWidget(m_lowBalance);
    balanceLayout->addLayout(balanceButtons);

    // Spend at a glance.
    auto* spendBox = new QGroupBox(tr("Spend"), this);
    auto* spendLayout = new QGridLayout(spendBox);
    const QList<std::pair<QString, QLabel*>> periods {
        {tr("Today"), m_today}, {tr("Last 7 days"), m_week}, {tr("Last 30 days"), m_month}};
    for (int column = 0; column < periods.size(); ++column) {
        auto* caption = new QLabel(periods.at(column).first, spendBox);
        TextLook::setDim(caption);
        QLabel* value = periods.at(column).second;
        TextLook::setWeight(value, QFont::DemiBold, 16);
        spendLayout->addWidget(caption, 0, column);
        spendLayout->addWidget(value, 1, column);
    }
    m_today->setObjectName(QStringLiteral("spendToday"));
    m_week->setObjectName(QStringLiteral("spendWeek"));
    m_month->setObjectName(QStringLiteral("spendMonth"));
    m_counts->setObjectName(QStringLiteral("usageCounts"));
    m_counts->setWordWrap(true);
    TextLook::setDim(m_counts);
    spendLayout->addWidget(m_counts, 2, 0, 1, int(periods.size()));

    // Limits, saved as they are changed.
    auto* limits = new QGroupBox(tr("Limits (0 = none)"), this);
    auto* limitsForm = new QFormLayout(limits);
    m_dailyCap->setToolTip(tr("A generation that would take today's spend above this is refused before sending"));
    m_perRunCap->setToolTip(tr("One generation, board or batch estimated above this is refused before sending"));
    m_lowWarning->setToolTip(tr("Warn when the balance falls below this"));
    limitsForm->addRow(tr("&Daily cap"), m_dailyCap);
    limitsForm->addRow(tr("&Per-run cap"), m_perRunCap);
    limitsForm->addRow(tr("&Warn below"), m_lowWarning);
    const QList<std::pair<QDoubleSpinBox*, Settings::Key>> limitKeys {
        {m_dailyCap, Settings::Key::UsageDailyCap},
        {m_perRunCap, Settings::Key::UsagePerRunCap},
        {m_lowWarning, Settings::Key::UsageLowBalanceWarning}};
    for (const auto& [box, key] : limitKeys) {
        box->setSuffix(tr(" credits"));
        box->setValue(m_settings->value(key).toDouble());
        // key = key: clang 14 cannot capture a structured binding itself (C++20, clang 16).
        connect(box, &QDoubleSpinBox::valueChanged, this, [this, key = key](double value) {
            m_settings->setValue(key, value);
            showBalance(); // the low-balance warning follows its threshold
        });
    }

    m_models->setObjectName(QStringLiteral("usageModels"));
    m_models->setRootIsDecorated(false);
    m_models->setHeaderLabels({tr("Model"), tr("Credits"), tr("Requests"), tr("Failed"), tr("Average time")});
    m_models->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_models->setAccessibleName(tr("Spend, requests and average time per model"));
    m_failures->setObjectName(QStringLiteral("usageFailures"));
    m_failures->setRootIsDecorated(false);
    m_failures->setHeaderLabels({tr("Why requests failed"), tr("Count"), tr("Last request ID")});
    m_failures->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_failures->setAccessibleName(tr("Failed requests by reason, last 30 days"));

    m_export->setObjectName(QStringLiteral("exportUsageButton"));
    m_export->setToolTip(tr("Save every recorded request of this account as a CSV file"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_export, QDialogButtonBox::ActionRole);

    auto* top = new QHBoxLayout;
    top->addWidget(balanceBox, 1);
    top->addWidget(spendBox, 2);
    top->addWidget(limits, 1);
    auto* charts = new QHBoxLayout;
    charts->addWidget(m_perDay, 3);
    charts->addWidget(m_perModel, 2);
    auto* tables = new QHBoxLayout;
    tables->addWidget(m_models, 3);
    tables->addWidget(m_failures, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(charts, 1);
    layout->addLayout(tables, 1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_refreshBalance, &QPushButton::clicked, m_balance, &BalanceService::refresh);
    connect(enter, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const double credits =
            QInputDialog::getDouble(this, tr("Enter Balance"), tr("The balance your Pixapi dashboard shows:"),
                                    m_balance->state().estimatedNow().value_or(0), 0, MaxLimit, 0, &ok);
        if (ok)
            m_balance->setEnteredBalance(credits);
    });
    connect(m_balance, &BalanceService::balanceChanged, this, &UsageDialog::showBalance);
    connect(m_balance, &BalanceService::refreshFailed, this, [this](const ApiError& error) {
        m_balanceSource->setText(tr("The balance could not be fetched: %1").arg(error.userMessage()));
    });
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export Usage"),
                                         QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                             .filePath(tr("pixapi-usage") + QStringLiteral(".csv")),
                                         tr("CSV file (*.csv)"));
        if (!path.isEmpty())
            exportCsv(path);
    });

    showBalance();
    load();
    m_balance->refresh();
}

QString UsageDialog::balanceText() const
{
    return m_balanceValue->text();
}

void UsageDialog::refresh()
{
    m_refreshTimer->start();
}

void UsageDialog::load()
{
    if (m_loading) {
        m_reloadAfter = true; // once the read in flight is in
        return;
    }
    m_loading = true;
    whenFinished(this, UsageLedger::summarize(m_ledgerPath, m_balance->accountId(), QDateTime::currentDateTimeUtc()),
                 [this](const Result<UsageSummary, ApiError>& summary) {
                     m_loading = false;
                     if (summary)
                         showSummary(summary.value());
                     else
                         m_counts->setText(tr("The usage could not be read: %1").arg(summary.error().userMessage()));
                     m_loaded = true;
                     showBalance(); // "spent since" moved too
                     Q_EMIT loaded();
                     if (std::exchange(m_reloadAfter, false))
                         load();
                 });
}

void UsageDialog::showSummary(const UsageSummary& summary)
{
    m_summary = summary;
    m_today->setText(CostEstimate::creditsText(summary.today));
    m_week->setText(CostEstimate::creditsText(summary.last7Days));
    m_month->setText(CostEstimate::creditsText(summary.last30Days));
    QStringList counts {tr("%n request(s) in 30 days", nullptr, summary.requests30d),
                        tr("%n failed", nullptr, summary.failed30d)};
    if (summary.estimated30d > 0)
        counts << tr("%1 of it estimated from catalog prices").arg(CostEstimate::creditsText(summary.estimated30d));
    if (summary.unpriced30d > 0)
        counts << tr("%n request(s) of unknown price not counted", nullptr, summary.unpriced30d);
    m_counts->setText(counts.join(QStringLiteral(" · ")));

    const QLocale locale;
    m_models->clear();
    for (const ModelUsage& model : summary.perModel) {
        auto* item = new QTreeWidgetItem(m_models);
        item->setText(0, m_catalog ? m_catalog->displayName(model.model) : model.model);
        item->setToolTip(0, model.model);
        item->setText(1, locale.toString(model.credits, 'f', model.credits == std::floor(model.credits) ? 0 : 1));
        item->setText(2, locale.toString(model.requests));
        item->setText(3, locale.toString(model.failures));
        item->setText(4, model.averageLatencyMs >= 0
                             ? tr("%1 s").arg(locale.toString(double(model.averageLatencyMs) / 1000.0, 'f', 1))
                             : tr("—"));
        for (int column = 1; column < 5; ++column)
            item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_failures->clear();
    for (const FailureUsage& failure : summary.failures) {
        const auto kind = ApiError::kindFromName(failure.errorKind);
        auto* item = new QTreeWidgetItem(m_failures);
        item->setText(0, kind ? ApiError::make(*kind).userMessage() : failure.errorKind);
        item->setToolTip(0, item->text(0));
        item->setText(1, locale.toString(failure.count));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(2, failure.lastRequestId);
    }
    if (summary.failures.isEmpty())
        new QTreeWidgetItem(m_failures, {tr("No failed requests in 30 days")});
    updateCharts();
}

void UsageDialog::updateCharts()
{
    constexpr int LabelEveryDays = 5;
    const QLocale locale;
    QList<std::pair<int, QString>> days;
    QList<qreal> perDay;
    for (int i = 0; i < m_summary.perDay.size(); ++i) {
        const DayUsage& day = m_summary.perDay.at(i);
        // Thirty dates do not fit under thirty bars: every fifth day, counted back from today.
        if ((m_summary.perDay.size() - 1 - i) % LabelEveryDays == 0)
            days.append({i, locale.toString(day.date, tr("d MMM", "a short date under the spend-per-day chart"))});
        perDay << day.credits;
    }
    showBars(m_perDay, days, perDay, false);
    QList<std::pair<int, QString>> models;
    QList<qreal> perModel;
    // Most credits at the top of a horizontal chart: its first category is drawn at the bottom.
    const auto shown = std::min<qsizetype>(ChartedModels, m_summary.perModel.size());
    for (qsizetype i = shown - 1; i >= 0; --i) {
        const ModelUsage& model = m_summary.perModel.at(i);
        models.append({int(models.size()), m_catalog ? m_catalog->displayName(model.model) : model.model});
        perModel << model.credits;
    }
    showBars(m_perModel, models, perModel, true);
}

void UsageDialog::showBalance()
{
    const BalanceService::BalanceState state = m_balance->state();
    const std::optional<double> now = state.estimatedNow();
    m_balanceValue->setText(now ? CostEstimate::creditsText(*now) : tr("Unknown"));
    const QString when =
        state.at.isValid() ? QLocale().toString(state.at.toLocalTime(), QLocale::ShortFormat) : QString();
    QString source;
    switch (state.source) {
    case BalanceService::BalanceState::Source::Fetched:
        source = tr("From the server, %1.").arg(when);
        break;
    case BalanceService::BalanceState::Source::Entered:
        source = tr("Entered %1: %2, less %3 spent since (recorded here).")
                     .arg(when, CostEstimate::creditsText(state.credits.value_or(0)),
                          CostEstimate::creditsText(state.spentSinceKnown));
        break;
    case BalanceService::BalanceState::Source::Unknown:
        source = tr("Not known yet.");
        break;
    }
    if (state.serverOffersBalance == false)
        source += QLatin1Char(' ')
                  + tr("This server has no balance API: enter the balance your dashboard shows, and the spend recorded "
                       "here is taken off it.");
    m_balanceSource->setText(source);
    const SpendGuard guard = SpendGuard::fromSettings(*m_settings);
    const bool low = now && guard.isLow(*now);
    m_lowBalance->setText(low ? tr("Low balance: below the %1 you set to be warned about.")
                                    .arg(CostEstimate::creditsText(guard.lowBalanceWarning))
                              : QString());
    m_lowBalance->setVisible(low);
}

void UsageDialog::exportCsv(const QString& path)
{
    UsageQuery query;
    query.accountId = m_balance->accountId();
    m_export->setEnabled(false);
    whenFinished(this, UsageLedger::exportCsv(m_ledgerPath, query, path),
                 [this, path](const Result<int, ApiError>& written) {
                     m_export->setEnabled(true);
                     if (written)
                         Q_EMIT exported(path, written.value());
                     else
                         Q_EMIT failed(tr("The usage could not be exported: %1").arg(written.error().detail));
                 });
}

} // namespace Pixapi
