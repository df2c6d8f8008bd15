#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Pixapi {

// One model as the sandbox offers it: the ids and prices of PIXAPI-CONTRACT §6 plus the optional fields of §12.
struct SandboxModel
{
    QString id;
    QString name;
    QString family; // "nano-banana", "gemini", "gpt-image", "video"
    QStringList aliases;
    int creditsPerImage = 0; // flat price, or the lowest cell of a price matrix
    QStringList sizes;       // exact `size` strings the sandbox accepts
    QStringList aspectRatios;
    QStringList qualities; // empty: the model takes no `quality`
    int maxN = 1;
    bool supportsEdits = false;
    bool supportsMask = false;
    bool asyncOnly = false;
    bool isImage = true;
};

// The sandbox's model table: lookup by id or alias, the /v1/models JSON, and request prices.
class SandboxCatalog
{
public:
    static const QList<SandboxModel>& models();
    static const SandboxModel* find(const QString& idOrAlias);

    static QJsonObject toJson(const SandboxModel& model);

    static bool acceptsSize(const SandboxModel& model, const QString& size);
    static QString defaultSize(const SandboxModel& model);
    static QString defaultQuality(const SandboxModel& model);

    // Credits for n images. gpt-image-2 follows its quality x tier matrix; every other model charges per image.
    static double cost(const SandboxModel& model, const QString& size, const QString& quality, int n);
};

} // namespace Pixapi
