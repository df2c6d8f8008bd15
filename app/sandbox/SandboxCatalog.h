#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
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
    // Edit inputs (edit-capable models only): how many images, bytes per file, and the long edge a larger input is
    // scaled down to.
    int maxInputImages = 0;
    qint64 maxInputBytes = 0;
    int maxInputEdge = 0;
    bool asyncOnly = false;
    bool isImage = true;
    QString speed;           // "fast" / "standard" / "slow"
    QString qualityHint;     // "draft" / "standard" / "premium"
    QStringList resolutions; // tiers the model takes in `size`
    // Price rows by tier ("512", "1K", "2K", "4K") → quality → credits; the single quality "" when the price does
    // not depend on quality. Empty: the flat creditsPerImage.
    QMap<QString, QMap<QString, int>> creditsTable;
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

    // Credits for n images: the model's price table (tier by the size's long edge, then quality; auto = high), else
    // its flat price per image.
    static double cost(const SandboxModel& model, const QString& size, const QString& quality, int n);
};

} // namespace Pixapi
