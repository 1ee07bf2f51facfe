import FoundationEssentials
import FoundationInternationalization
import PhoenixDomain
import Testing

/// Helpers for the cron tests: fixed instants from ISO 8601 text, never the current time.
enum CronFixture {
    /// A named time zone, failing the test when the database lacks it.
    static func zone(_ identifier: String) throws -> TimeZone {
        try #require(TimeZone(identifier: identifier), "time zone \(identifier) is missing")
    }

    /// The instant written as ISO 8601 with an explicit offset, e.g. `2026-03-29T03:00:00+02:00`.
    static func instant(_ text: String) throws -> Date {
        try Date(text, strategy: .iso8601)
    }

    /// `date` on the wall clock of `zone`, with its offset: `2026-03-29T03:00:00+02:00` (`Z` for UTC).
    static func local(_ date: Date, in zone: TimeZone) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: zone))
    }

    /// The fire times of `expression` in `zone` over `(start, end]`, as local ISO 8601 text.
    static func fires(
        _ expression: String,
        in zone: TimeZone = CronSchedule.utc,
        after start: String,
        through end: String,
        limit: Int = 10_000
    ) throws -> [String] {
        let schedule = try CronSchedule(parsing: expression, timeZone: zone)
        return schedule.fireTimes(after: try instant(start), through: try instant(end), limit: limit)
            .map { local($0, in: zone) }
    }

    /// The next fire of `expression` in `zone` after `start`, as local ISO 8601 text.
    static func next(_ expression: String, in zone: TimeZone = CronSchedule.utc, after start: String) throws -> String? {
        let schedule = try CronSchedule(parsing: expression, timeZone: zone)
        return schedule.nextFire(after: try instant(start)).map { local($0, in: zone) }
    }

    /// The UTC minutes (0–59) at which `expression` fires during the hour 2026-01-01T00:00Z.
    static func minutesInFirstHour(_ expression: String) throws -> [Int] {
        let schedule = try CronSchedule(parsing: expression)
        return schedule.fireTimes(after: try instant("2025-12-31T23:59:59Z"), through: try instant("2026-01-01T00:59:59Z"))
            .map { Int($0.timeIntervalSince1970) / 60 % 60 }
    }

    /// The UTC hours at which `expression` fires on 2026-01-01.
    static func hoursOnFirstDay(_ expression: String) throws -> [Int] {
        let schedule = try CronSchedule(parsing: expression)
        return schedule.fireTimes(after: try instant("2025-12-31T23:59:59Z"), through: try instant("2026-01-01T23:59:59Z"))
            .map { Int($0.timeIntervalSince1970) / 3600 % 24 }
    }

    /// The days of the month on which a midnight job with these day fields fires in April 2026
    /// (1 April 2026 is a Wednesday).
    static func aprilDays(dayOfMonth: String, dayOfWeek: String, month: String = "*") throws -> [Int] {
        try fires("0 0 \(dayOfMonth) \(month) \(dayOfWeek)", after: "2026-03-31T23:59:59Z", through: "2026-04-30T23:59:59Z")
            .map { Int($0.dropFirst(8).prefix(2)) ?? -1 }
    }
}
