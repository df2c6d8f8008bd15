#include "usage/UsagePeriod.h"

#include <QRegularExpression>

namespace Pixapi {

namespace {

QDateTime localMidnight(const QDate& date, const QTimeZone& zone)
{
    return QDateTime(date, QTime(0, 0), zone).toUTC();
}

} // namespace

std::optional<QDateTime> UsagePeriod::parseMoment(const QString& input, const QDateTime& nowUtc, const QTimeZone& zone)
{
    const QString text = input.trimmed().toLower();
    if (text.isEmpty())
        return std::nullopt;
    const QDate today = nowUtc.toTimeZone(zone).date();
    if (text == QLatin1String("today"))
        return localMidnight(today, zone);
    if (text == QLatin1String("yesterday"))
        return localMidnight(today.addDays(-1), zone);

    static const QRegularExpression span(QStringLiteral("^(\\d{1,6})\\s*([mhdw])$"));
    if (const QRegularExpressionMatch match = span.match(text); match.hasMatch()) {
        const qint64 amount = match.captured(1).toLongLong();
        const QChar unit = match.captured(2).at(0);
        const qint64 seconds = unit == QLatin1Char('m')   ? 60
                               : unit == QLatin1Char('h') ? 3600
                               : unit == QLatin1Char('d') ? 86400
                                                          : 7 * 86400;
        return nowUtc.addSecs(-amount * seconds);
    }

    // (QDate::fromString would also take the date part of a date and time.)
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (dateOnly.match(text).hasMatch()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        return date.isValid() ? std::optional<QDateTime>(localMidnight(date, zone)) : std::nullopt;
    }
    QString iso = input.trimmed();
    iso.replace(QLatin1Char(' '), QLatin1Char('T'));
    QDateTime moment = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!moment.isValid())
        return std::nullopt;
    if (moment.timeSpec() == Qt::LocalTime) // no offset written: the person's own time zone
        moment = QDateTime(moment.date(), moment.time(), zone);
    return moment.toUTC();
}

} // namespace Pixapi
