/// Proleptic Gregorian arithmetic on day numbers (days since 1970-01-01), exact for every year.
///
/// The conversions are Howard Hinnant's `days_from_civil` and `civil_from_days`
/// (https://howardhinnant.github.io/date_algorithms.html). The cron search runs on wall-clock
/// seconds with these, and touches `TimeZone` only to turn a wall time into an instant.
enum CivilCalendar {
    /// A calendar date.
    struct Day: Sendable, Hashable {
        /// The year, e.g. 2026.
        var year: Int
        /// The month, 1–12.
        var month: Int
        /// The day of the month, 1–31.
        var day: Int
    }

    /// Seconds in a day; wall-clock time has no leap seconds.
    static let secondsPerDay = 86_400

    /// The day number of `date`.
    static func dayNumber(of date: Day) -> Int {
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let monthFromMarch = (date.month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of day number `number`.
    static func day(number: Int) -> Day {
        let shifted = number + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return Day(year: year, month: month, day: day)
    }

    /// The weekday of day number `number`, 0 = Sunday (1970-01-01 was a Thursday).
    static func weekday(dayNumber number: Int) -> Int {
        ((number % 7) + 11) % 7
    }

    /// The number of days in `month` of `year`.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Whether `year` has a 29 February.
    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// `value` divided by `divisor`, rounded towards minus infinity.
    static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
