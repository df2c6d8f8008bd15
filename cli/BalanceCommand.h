#pragma once

#include "CliCommand.h"

#include <QPointer>

namespace Pixapi {

class ApiJob;
class CliConsole;
class PixapiClient;

// `pixapi-cli balance`: GET /v1/balance, which only some servers offer (the contract documents none).
class BalanceCommand : public CliCommand
{
    Q_OBJECT

public:
    BalanceCommand(PixapiClient* client, bool json, CliConsole* console, QObject* parent = nullptr);

    void start() override;
    void cancel() override;

private:
    PixapiClient* m_client;
    bool m_json;
    CliConsole* m_console;
    QPointer<ApiJob> m_job;
};

} // namespace Pixapi
