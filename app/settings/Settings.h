#pragma once

#include <QObject>
#include <QSettings>
#include <QString>
#include <QVariant>

#include <memory>

namespace Pixapi {

// Typed settings: one table of keys with their defaults (KeePassXC's ConfigKey idea). Never holds a secret:
// API keys live only in the keychain (ApiKeyStore).
class Settings : public QObject
{
    Q_OBJECT

public:
    enum class Key {
        BaseUrl,
        AccountId,
        KeyStored, // a key was saved to the keychain for the account: a later "missing" read means "locked?"
        LastModel,
        ImageCount,
        Size,
        Quality,
        ResponseFormat,
        RunAsync, // "Run as background task": the async endpoint and the task queue
        MainWindowGeometry,
        MainWindowState,
        FavoriteModels,       // QStringList of canonical model ids, starred in the picker
        GalleryTileSize,      // preferred thumbnail tile edge in the grid, device-independent pixels
        GalleryGrouping,      // GalleryModel::Grouping as a name: "none", "day", "prompt", "model"
        GalleryThumbnailEdge, // the thumbnail edge (device pixels) of the last layout: the next start prefetches at it
        GalleryScreenTiles,   // tiles on one screen of the grid at the last layout: how many the next start prefetches
        ExportFolder,         // last folder exported to; empty = Pictures
        ExportPattern,        // file name pattern (Exporter tokens)
        ExportFormat,         // "png", "jpeg", "webp"
        ExportQuality,        // 0..100 for JPEG/WebP
        ExportEmbedMetadata,
        ExportStripPrompt,
        ViewerSplitterState, // the viewer's image / metadata split
        CompareModels,       // QStringList: the models of the last comparison board
        CompareConfirmAbove, // credits: a board estimated above this (or of unknown price) asks first; 0 = never
        // Usage and spending guards (credits; 0 = no cap / no warning).
        UsageDailyCap,          // estimated spend per local day above which a generation is refused before sending
        UsagePerRunCap,         // one run (a generation, a board, a batch) estimated above this is refused
        UsageLowBalanceWarning, // a balance below this shows a warning
        UsageKnownBalances,     // QVariantMap accountId -> {credits, at (ISO UTC), source}: last balance fetched/entered
        // Accounts (never a secret: keys and proxy passwords live in the keychain).
        Accounts,      // QVariantList of QVariantMap {id, name, baseUrl, kind ("pixapi" | "openai"), keyStored}
        ProxyMode,     // "system" (default), "none", "manual"
        ProxyType,     // "http" or "socks5", for manual
        ProxyHost,     // for manual
        ProxyPort,     // for manual
        ProxyUser,     // for manual; the password is in the keychain
    };

    // `fileName` empty: the platform's standard location (QSettings with organization/application names).
    explicit Settings(const QString& fileName = {}, QObject* parent = nullptr);

    QVariant value(Key key) const;
    void setValue(Key key, const QVariant& value);
    void reset(Key key);
    void sync();
    QString fileName() const;

    // Convenience typed accessors for the common keys.
    QString baseUrl() const { return value(Key::BaseUrl).toString(); }
    QString accountId() const { return value(Key::AccountId).toString(); }

    static QString keyName(Key key);
    static QVariant defaultValue(Key key);

Q_SIGNALS:
    void changed(Pixapi::Settings::Key key);

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace Pixapi
