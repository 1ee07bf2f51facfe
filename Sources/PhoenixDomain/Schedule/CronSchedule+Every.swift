import FoundationEssentials

extension CronSchedule {
    /// The schedule equivalent to "every `minutes` minutes", for a dataset configured with only
    /// `backup_interval_minutes` (DESIGN.md §5).
    ///
    /// Cron can only express intervals that divide an hour or a day evenly:
    /// - a divisor of 60 gives `*/N * * * *` (1 gives `* * * * *`, 60 gives `0 * * * *`);
    /// - a multiple of 60 dividing 1440 gives `0 */H * * *` (1440 gives `0 0 * * *`).
    ///
    /// Hourly steps are interval-like for daylight saving time: see the type's notes.
    /// - Throws: `CronError` for any other interval, saying which intervals have an equivalent.
    public static func every(minutes: Int, timeZone: TimeZone = CronSchedule.utc) throws(CronError) -> CronSchedule {
        try CronSchedule(parsing: try expression(everyMinutes: minutes), timeZone: timeZone)
    }

    /// The cron expression for an interval of `minutes`.
    private static func expression(everyMinutes minutes: Int) throws(CronError) -> String {
        guard minutes >= 1 else {
            throw CronError("an interval of \(minutes) minutes is not positive")
        }
        switch minutes {
        case 1:
            return "* * * * *"
        case 60:
            return "0 * * * *"
        case 1440:
            return "0 0 * * *"
        case _ where 60 % minutes == 0:
            return "*/\(minutes) * * * *"
        case _ where minutes % 60 == 0 && 1440 % minutes == 0:
            return "0 */\(minutes / 60) * * *"
        default:
            throw CronError(
                "an interval of \(minutes) minutes has no cron equivalent: use a divisor of 60 "
                    + "(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60) or of 1440 in whole hours "
                    + "(120, 180, 240, 360, 480, 720, 1440), or write a schedule"
            )
        }
    }
}
