import FoundationEssentials
import FoundationInternationalization

/// A cron schedule evaluated on the wall clock of a time zone: when a backup or a drill is due.
///
/// Five fields, `minute hour day-of-month month day-of-week`, with Vixie cron's syntax: numbers,
/// `*`, lists `a,b`, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n` (from `a` to the field's end),
/// month names `JAN`–`DEC` and weekday names `SUN`–`SAT` in any case, and weekday 0 or 7 for
/// Sunday. The macros `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`) and
/// `@hourly` stand for their usual expansions.
///
/// When both day fields are restricted, a day matches if either does; otherwise the restricted one
/// applies. As in Vixie cron, a day field that starts with `*` (so also `*/2`) counts as
/// unrestricted for this rule.
///
/// Daylight saving time, on the wall clock of `timeZone`:
/// - A wall time skipped by a spring-forward change fires once, at the first instant after the gap
///   (02:30 on 2026-03-29 in Europe/Berlin fires at 03:00 CEST), for a job with a fixed hour field.
/// - A wall time repeated by a fall-back change fires once, at its first occurrence, for a job with
///   a fixed hour field.
/// - A job whose hour field is `*` or contains a step (`*/15 * * * *`, `0 * * * *`,
///   `0 */6 * * *`) is interval-like: it fires at every wall time that really occurs, so in both
///   repeated hours of a fall-back day and not at all in the skipped hour of a spring-forward day.
///   This is Vixie cron's split between "wildcard" and fixed-time jobs, decided on the hour field.
///
/// ```swift
/// let nightly = try CronSchedule(parsing: "30 2 * * *", timeZone: TimeZone(identifier: "Europe/Berlin")!)
/// let due = nightly.nextFire(after: wallClock.now())
/// ```
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    /// The expression as parsed, with runs of whitespace reduced to one space and a macro in lower case.
    public let expression: String

    /// The time zone whose wall clock the fields describe.
    public let timeZone: TimeZone

    /// The allowed minutes, hours, days of the month, months and weekdays.
    let minutes: CronField, hours: CronField, daysOfMonth: CronField, months: CronField, weekdays: CronField

    /// Parses a 5-field cron expression or a macro, evaluated in `timeZone`.
    /// - Parameters:
    ///   - expression: `minute hour day-of-month month day-of-week`, or `@hourly` and the like.
    ///   - timeZone: the zone whose wall clock the fields describe; UTC by default.
    /// - Throws: `CronError` naming the field and the text at fault.
    public init(parsing expression: String, timeZone: TimeZone = CronSchedule.utc) throws(CronError) {
        let words = expression.split(whereSeparator: \.isWhitespace)
        let normalized = words.joined(separator: " ")
        guard let first = words.first else { throw CronError("cron expression is empty") }
        var fieldWords = words
        if first.hasPrefix("@") {
            guard words.count == 1 else {
                throw CronError("macro \"\(first)\" must be the whole expression, found \"\(normalized)\"")
            }
            guard let expansion = Self.macros[first.lowercased()] else {
                throw CronError("unknown macro \"\(first)\": expected \(Self.macroList)")
            }
            fieldWords = expansion.split(separator: " ")
        } else if words.count != 5 {
            throw CronError(
                "expected 5 fields (minute hour day-of-month month day-of-week), found \(words.count) in \"\(normalized)\""
            )
        }
        let fields = try Self.parseFields(fieldWords)
        self.expression = first.hasPrefix("@") ? first.lowercased() : normalized
        self.timeZone = timeZone
        (minutes, hours, daysOfMonth, months, weekdays) = (fields[0], fields[1], fields[2], fields[3], fields[4])
    }

    /// UTC, the zone a schedule uses when none is given.
    ///
    /// Named zones come from FoundationInternationalization: with only FoundationEssentials linked,
    /// `TimeZone(identifier:)` is nil even for "UTC". The fallbacks keep this total regardless.
    public static let utc: TimeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .gmt

    /// The expression and the time zone, e.g. `30 2 * * * (Europe/Berlin)`.
    ///
    /// Foundation on Linux turns `TimeZone(identifier: "UTC")` into the identifier "GMT"; it is
    /// shown as UTC, the name operators write.
    public var description: String {
        let zone = timeZone.identifier == "GMT" ? "UTC" : timeZone.identifier
        return "\(expression) (\(zone))"
    }

    /// The macros and the fields they stand for.
    private static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// The macro names, for the "unknown macro" message.
    private static let macroList = "@yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"

    /// The five fields in order.
    private static func parseFields(_ words: [Substring]) throws(CronError) -> [CronField] {
        var fields: [CronField] = []
        for (word, kind) in zip(words, CronField.Kind.allCases) {
            fields.append(try CronField(parsing: word, kind: kind))
        }
        return fields
    }
}
