#pragma once

#include "usage/UsageLedger.h"

#include <QDialog>

class QChartView;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace Pixapi {

class BalanceService;
class ModelCatalog;
class Settings;

// Usage & Credits: the balance (fetched where the server offers it, else the last one entered, with the spend
// recorded since), spend today / 7 / 30 days, spend per day and per model as charts, the models' requests, failures
// and average latency, why requests failed, the spending limits, and a CSV export of the ledger. Everything is read
// from the ledger on a worker; refresh() is cheap to call often (it coalesces).
class UsageDialog : public QDialog
{
    Q_OBJECT

public:
    UsageDialog(QString ledgerPath, BalanceService* balance, Settings* settings, const ModelCatalog* catalog,
                QWidget* parent = nullptr);

    // Reads the ledger again (soon, once however often it is called).
    void refresh();
    // Writes the shown account's ledger as CSV, off the UI thread; exported() or failed() follows.
    void exportCsv(const QString& path);

    bool isLoaded() const { return m_loaded; }
    const UsageSummary& summary() const { return m_summary; }
    QString balanceText() const;

Q_SIGNALS:
    void loaded();
    void exported(const QString& path, int rows);
    void failed(const QString& message);

private:
    void load();
    void showSummary(const UsageSummary& summary);
    void showBalance();
    void updateCharts();

    const QString m_ledgerPath;
    BalanceService* m_balance;
    Settings* m_settings;
    const ModelCatalog* m_catalog;
    UsageSummary m_summary;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_reloadAfter = false;
    QTimer* m_refreshTimer;
    QLabel* m_balanceValue;
    QLabel* m_balanceSource;
    QLabel* m_lowBalance;
    QPushButton* m_refreshBalance;
    QLabel* m_today;
    QLabel* m_week;
    QLabel* m_month;
    QLabel* m_counts;
    QChartView* m_perDay;
    QChartView* m_perModel;
    QTreeWidget* m_models;
    QTreeWidget* m_failures;
    QDoubleSpinBox* m_dailyCap;
    QDoubleSpinBox* m_perRunCap;
    QDoubleSpinBox* m_lowWarning;
    QPushButton* m_export;
};

} // namespace Pixapi
