import FoundationEssentials
import FoundationInternationalization

/// Which backups of one dataset to keep: restic `forget` rules plus a `retention_days` cap.
///
/// Every `keep*` count follows restic: `nil` or `0` switches the rule off, a negative count
/// (restic accepts `-1`) keeps every bucket. The rules are OR'ed; `maxAgeDays` then caps them.
///
/// ```swift
/// let policy = RetentionPolicy(keepLast: 3, keepDaily: 7, keepWeekly: 4, maxAgeDays: 30)
/// ```
public struct RetentionPolicy: Sendable, Equatable {
    /// Keep the newest this many backups (`keep_last`).
    public var keepLast: Int?
    /// Keep the newest backup of each of this many hours that hold one (`keep_hourly`).
    public var keepHourly: Int?
    /// Keep the newest backup of each of this many days that hold one (`keep_daily`).
    public var keepDaily: Int?
    /// Keep the newest backup of each of this many ISO 8601 weeks that hold one (`keep_weekly`).
    public var keepWeekly: Int?
    /// Keep the newest backup of each of this many months that hold one (`keep_monthly`).
    public var keepMonthly: Int?
    /// Keep the newest backup of each of this many years that hold one (`keep_yearly`).
    public var keepYearly: Int?
    /// retention_days: nothing older than this many days is kept (except the safety rule below).
    ///
    /// Days are calendar days in ``timeZone``, so across a DST change one day may be 23 or 25
    /// hours. With no `keep*` rule, every backup inside the window is kept ("within N days").
    /// The newest verified backup is kept even when it is older.
    public var maxAgeDays: Int?
    /// The zone in which hour, day, week, month and year buckets are computed; default UTC.
    public var timeZone: TimeZone

    /// Creates a policy; every rule defaults to off and the time zone to UTC.
    public init(
        keepLast: Int? = nil,
        keepHourly: Int? = nil,
        keepDaily: Int? = nil,
        keepWeekly: Int? = nil,
        keepMonthly: Int? = nil,
        keepYearly: Int? = nil,
        maxAgeDays: Int? = nil,
        timeZone: TimeZone = RetentionPolicy.defaultTimeZone
    ) {
        self.keepLast = keepLast
        self.keepHourly = keepHourly
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
        self.keepMonthly = keepMonthly
        self.keepYearly = keepYearly
        self.maxAgeDays = maxAgeDays
        self.timeZone = timeZone
    }

    /// UTC, the zone used when a policy names none (swift-foundation reports it as "GMT").
    public static let defaultTimeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt

    /// True when no `keep*` rule is switched on and there is no `maxAgeDays`: everything is kept.
    public var isEmpty: Bool {
        !hasKeepRule && maxAgeDays == nil
    }

    /// True when at least one `keep*` count is non-zero (restic treats `0` as "not set").
    var hasKeepRule: Bool {
        [keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly]
            .contains { ($0 ?? 0) != 0 }
    }
}
