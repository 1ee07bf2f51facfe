import FoundationEssentials

/// The calendar buckets of one snapshot time, as the labels that appear in reasons.
///
/// Labels are compared as strings: equal labels mean the same bucket (restic compares the
/// equivalent integers `YYYYMMDDHH`, `YYYYMMDD`, `YYYYWW`, `YYYYMM`, `YYYY`).
struct RetentionBuckets: Equatable {
    /// `yyyy-MM-ddTHH`, e.g. `2026-06-10T15`.
    var hour: String
    /// `yyyy-MM-dd`, e.g. `2026-06-10`.
    var day: String
    /// ISO 8601 week-year and week, weeks Monday to Sunday, e.g. `2026-W24`.
    var week: String
    /// `yyyy-MM`, e.g. `2026-06`.
    var month: String
    /// `yyyy`, e.g. `2026`.
    var year: String

    /// Computes the buckets of `date` in the time zone of `calendar` (a Gregorian calendar).
    init(of date: Date, in calendar: Calendar) {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .weekday], from: date)
        // The Gregorian calendar always yields these components; the defaults are unreachable.
        let y = parts.year ?? 1970, m = parts.month ?? 1, d = parts.day ?? 1
        let h = parts.hour ?? 0, weekday = parts.weekday ?? 1
        year = Self.pad(y, 4)
        month = "\(year)-\(Self.pad(m, 2))"
        day = "\(month)-\(Self.pad(d, 2))"
        hour = "\(day)T\(Self.pad(h, 2))"
        // Calendar weekdays run Sunday = 1 … Saturday = 7; ISO 8601 runs Monday = 1 … Sunday = 7.
        let isoWeekday = (weekday + 5) % 7 + 1
        let iso = Self.isoWeek(year: y, month: m, day: d, isoWeekday: isoWeekday)
        week = "\(Self.pad(iso.year, 4))-W\(Self.pad(iso.week, 2))"
    }

    /// A Gregorian calendar in `timeZone`, for ``init(of:in:)``.
    static func makeCalendar(timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    // MARK: - ISO 8601 weeks

    /// The ISO 8601 week-year and week number of a calendar date.
    ///
    /// ISO 8601 §3.2.2: week 1 is the week holding the year's first Thursday, so the week number
    /// is `(ordinal − weekday + 10) / 7`; 0 belongs to the previous year's last week, and a week
    /// past the year's count is week 1 of the next year (2026-12-31 and 2027-01-01 are 2026-W53).
    static func isoWeek(year: Int, month: Int, day: Int, isoWeekday: Int) -> (year: Int, week: Int) {
        let ordinal = ordinalDay(year: year, month: month, day: day)
        let week = (ordinal - isoWeekday + 10) / 7
        if week < 1 {
            return (year - 1, weeksInYear(year - 1))
        }
        if week > weeksInYear(year) {
            return (year + 1, 1)
        }
        return (year, week)
    }

    /// 53 when the year starts on a Thursday, or on a Wednesday in a leap year; else 52.
    static func weeksInYear(_ year: Int) -> Int {
        // The weekday of December 31st, 0 = Sunday … 4 = Thursday … 6 = Saturday.
        func weekdayOfDecember31(_ y: Int) -> Int {
            (y + y / 4 - y / 100 + y / 400) % 7
        }
        return weekdayOfDecember31(year) == 4 || weekdayOfDecember31(year - 1) == 3 ? 53 : 52
    }

    /// The day of the year, 1 for January 1st.
    static func ordinalDay(year: Int, month: Int, day: Int) -> Int {
        let daysBeforeMonth = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let leapDay = isLeap && month > 2 ? 1 : 0
        return daysBeforeMonth[month - 1] + leapDay + day
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
