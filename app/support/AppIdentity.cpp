#include "support/AppIdentity.h"

#include "support/Logging.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QStringList>
#include <QTranslator>

namespace Pixapi::AppIdentity {

void apply()
{
    const QStringList parts = QStringLiteral(PIXAPI_APP_ID).split(QLatin1Char('.'));
    QCoreApplication::setOrganizationName(QStringLiteral("Pixapi"));
    QCoreApplication::setOrganizationDomain(parts.size() >= 2 ? parts.at(1) + QLatin1Char('.') + parts.at(0) : QString());
    QCoreApplication::setApplicationName(QStringLiteral("Pixapi Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PIXAPI_VERSION));
}

void installTranslators(QCoreApplication& app)
{
    auto* qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto* own = new QTranslator(&app);
    const QString prefix = QStringLiteral("pixapi-studio");
    const QString dir = QStringLiteral(":/i18n");
    if (own->load(QLocale(), prefix, QStringLiteral("_"), dir) || own->load(prefix + QStringLiteral("_en"), dir))
        QCoreApplication::installTranslator(own);
    else
        qCDebug(lcUi) << "no translation for" << QLocale().name();
}

} // namespace Pixapi::AppIdentity
