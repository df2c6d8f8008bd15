#include "ModelsCommand.h"

#include "CliConsole.h"
#include "catalog/ModelCatalog.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Pixapi {

namespace {

QString creditsText(const ModelInfo& model)
{
    return model.creditsPerImage ? QString::number(*model.creditsPerImage, 'g', 12) : QStringLiteral("-");
}

QString sizesText(const ModelInfo& model)
{
    const QStringList& sizes = model.sizes.isEmpty() ? model.aspectRatios : model.sizes;
    return sizes.isEmpty() ? QStringLiteral("-") : sizes.join(QStringLiteral(", "));
}

QJsonValue optionalNumber(const std::optional<double>& value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

} // namespace

ModelsCommand::ModelsCommand(PixapiClient* client, bool json, CliConsole* console, QObject* parent)
    : CliCommand(parent)
    , m_catalog(new ModelCatalog(client, this))
    , m_json(json)
    , m_console(console)
{ }

void ModelsCommand::start()
{
    connect(m_catalog, &ModelCatalog::modelsChanged, this, [this] {
        const QList<ModelInfo> models = m_catalog->imageModels();
        if (m_json)
            printJson(models);
        else
            printTable(models);
        finish(ExitCode::Ok);
    });
    connect(m_catalog, &ModelCatalog::refreshFailed, this, &ModelsCommand::onFailed);
    m_catalog->refresh();
}

void ModelsCommand::cancel()
{
    // A GET changes nothing on the server: stopping here is clean; the pending reply dies with the process.
    m_console->printNotice(QCoreApplication::translate("pixapi-cli", "cancelled"));
    finish(ExitCode::Cancelled);
}

void ModelsCommand::printTable(const QList<ModelInfo>& models) const
{
    const QStringList header = {
        QCoreApplication::translate("pixapi-cli", "ID"), QCoreApplication::translate("pixapi-cli", "NAME"),
        QCoreApplication::translate("pixapi-cli", "CREDITS/IMAGE"), QCoreApplication::translate("pixapi-cli", "SIZES")};
    QList<QStringList> rows = {header};
    for (const ModelInfo& model : models)
        rows << QStringList {model.id, model.displayName(), creditsText(model), sizesText(model)};

    QList<qsizetype> widths(header.size() - 1, 0); // the last column is not padded
    for (const QStringList& row : rows) {
        for (qsizetype column = 0; column < widths.size(); ++column)
            widths[column] = std::max(widths.at(column), row.at(column).size());
    }
    for (const QStringList& row : rows) {
        QString line;
        for (qsizetype column = 0; column < widths.size(); ++column)
            line += row.at(column).leftJustified(widths.at(column)) + QStringLiteral("  ");
        m_console->printLine(line + row.constLast());
    }
}

void ModelsCommand::printJson(const QList<ModelInfo>& models) const
{
    QJsonArray array;
    for (const ModelInfo& model : models) {
        array.append(QJsonObject {
            {QStringLiteral("id"), model.id},
            {QStringLiteral("name"), model.displayName()},
            {QStringLiteral("family"), model.family},
            {QStringLiteral("aliases"), QJsonArray::fromStringList(model.aliases)},
            {QStringLiteral("credits_per_image"), optionalNumber(model.creditsPerImage)},
            {QStringLiteral("sizes"), QJsonArray::fromStringList(model.sizes)},
            {QStringLiteral("aspect_ratios"), QJsonArray::fromStringList(model.aspectRatios)},
            {QStringLiteral("qualities"), QJsonArray::fromStringList(model.qualities)},
            {QStringLiteral("max_n"), model.maxN > 0 ? QJsonValue(model.maxN) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("supports_edits"), model.supportsEdits},
        });
    }
    m_console->printLine(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)).trimmed());
}

void ModelsCommand::onFailed(const ApiError& error)
{
    m_console->printApiError(error);
    finish(ExitCode::Failed);
}

} // namespace Pixapi
