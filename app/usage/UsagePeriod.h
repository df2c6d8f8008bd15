#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <optional>

namespace Pixapi {

// A moment as people type it after --since or --until: a date ("2026-11-01", local midnight), a local date and time
// ("2026-11-01T14:30" or "2026-11-01 14:30"), ISO 8601 with an offset or Z, "today" and "yesterday" (local
// midnight), or a span back from now ("90m", "12h", "7d", "4w"). Nothing for anything else.
struct UsagePeriod
{
    static std::optional<QDateTime> parseMoment(const QString& text, const QDateTime& nowUtc,
                                                const QTimeZone& zone = QTimeZone::systemTimeZone());
};

} // namespace Pixapi
