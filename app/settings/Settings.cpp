#include "settings/Settings.h"

#include <QByteArray>
#include <QStringList>

namespace Pixapi {
namespace {

struct KeyInfo
{
    Settings::Key key;
    const char* name;
    QVariant defaultValue;
};

// The one table of settings keys and defaults.
const KeyInfo& info(Settings::Key key)
{
    static const KeyInfo table[] = {
        {Settings::Key::BaseUrl, "connection/baseUrl", QStringLiteral("https://api.pixapi.ai")},
        {Settings::Key::AccountId, "connection/accountId", QStringLiteral("default")},
        {Settings::Key::KeyStored, "connection/keyStored", false},
        {Settings::Key::LastModel, "generate/model", QString()},
        {Settings::Key::ImageCount, "generate/n", 1},
        {Settings::Key::Size, "generate/size", QString()},
        {Settings::Key::Quality, "generate/quality", QString()},
        {Settings::Key::ResponseFormat, "generate/responseFormat", QString()},
        {Settings::Key::RunAsync, "generate/async", false},
        {Settings::Key::MainWindowGeometry, "window/geometry", QByteArray()},
        {Settings::Key::MainWindowState, "window/state", QByteArray()},
        {Settings::Key::FavoriteModels, "models/favorites", QStringList()},
        {Settings::Key::GalleryTileSize, "gallery/tileSize", 232},
        {Settings::Key::GalleryGrouping, "gallery/grouping", QStringLiteral("none")},
        {Settings::Key::GalleryThumbnailEdge, "gallery/thumbnailEdge", 0},
        {Settings::Key::GalleryScreenTiles, "gallery/screenTiles", 0},
        {Settings::Key::ExportFolder, "export/folder", QString()},
        {Settings::Key::ExportPattern, "export/pattern", QStringLiteral("{date}_{time}_{prompt:30}_{index}")},
        {Settings::Key::ExportFormat, "export/format", QStringLiteral("png")},
        {Settings::Key::ExportQuality, "export/quality", 90},
        {Settings::Key::ExportEmbedMetadata, "export/embedMetadata", true},
        {Settings::Key::ExportStripPrompt, "export/stripPrompt", false},
        {Settings::Key::ViewerSplitterState, "viewer/splitter", QByteArray()},
        {Settings::Key::CompareModels, "compare/models", QStringList()},
        {Settings::Key::CompareConfirmAbove, "compare/confirmAbove", 50.0},
        {Settings::Key::UsageDailyCap, "usage/dailyCap", 0.0},
        {Settings::Key::UsagePerRunCap, "usage/perRunCap", 0.0},
        {Settings::Key::UsageLowBalanceWarning, "usage/lowBalanceWarning", 50.0},
        {Settings::Key::UsageKnownBalances, "usage/knownBalances", QVariantMap()},
        {Settings::Key::Accounts, "accounts/list", QVariantList()},
        {Settings::Key::ProxyMode, "network/proxyMode", QStringLiteral("system")},
        {Settings::Key::ProxyType, "network/proxyType", QStringLiteral("http")},
        {Settings::Key::ProxyHost, "network/proxyHost", QString()},
        {Settings::Key::ProxyPort, "network/proxyPort", 8080},
        {Settings::Key::ProxyUser, "network/proxyUser", QString()},
    };
    for (const KeyInfo& entry : table) {
        if (entry.key == key)
            return entry;
    }
    Q_UNREACHABLE();
}

} // namespace

Settings::Settings(const QString& fileName, QObject* parent)
    : QObject(parent)
    , m_settings(fileName.isEmpty() ? std::make_unique<QSettings>()
                                    : std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{ }

QString Settings::keyName(Key key)
{
    return QString::fromLatin1(info(key).name);
}

QVariant Settings::defaultValue(Key key)
{
    return info(key).defaultValue;
}

QVariant Settings::value(Key key) const
{
    return m_settings->value(keyName(key), defaultValue(key));
}

void Settings::setValue(Key key, const QVariant& value)
{
    if (m_settings->value(keyName(key)) == value)
        return;
    m_settings->setValue(keyName(key), value);
    Q_EMIT changed(key);
}

void Settings::reset(Key key)
{
    m_settings->remove(keyName(key));
    Q_EMIT changed(key);
}

void Settings::sync()
{
    m_settings->sync();
}

QString Settings::fileName() const
{
    return m_settings->fileName();
}

} // namespace Pixapi
