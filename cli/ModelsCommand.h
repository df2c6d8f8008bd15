#pragma once

#include "CliCommand.h"

#include <QList>

namespace Pixapi {

class CliConsole;
class ModelCatalog;
class PixapiClient;
struct ApiError;
struct ModelInfo;

// `pixapi-cli models`: the image models of the live catalog, as a table or as a JSON array.
class ModelsCommand : public CliCommand
{
    Q_OBJECT

public:
    ModelsCommand(PixapiClient* client, bool json, CliConsole* console, QObject* parent = nullptr);

    void start() override;
    void cancel() override;

private:
    void printTable(const QList<ModelInfo>& models) const;
    void printJson(const QList<ModelInfo>& models) const;
    void onFailed(const ApiError& error);

    ModelCatalog* m_catalog;
    bool m_json;
    CliConsole* m_console;
};

} // namespace Pixapi
