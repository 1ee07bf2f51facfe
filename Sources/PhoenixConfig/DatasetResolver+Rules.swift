import FoundationEssentials
import FoundationInternationalization
import PhoenixDomain

extension DatasetResolver {
    /// DESIGN.md §5: an explicit or seed cron `schedule` wins over `backup_interval_minutes`
    /// (with a warning when they differ); a dataset with only the interval gets its equivalent.
    func resolveSchedule(name: String, source: DatasetSpec.SourceKind, repository: String?,
                         fields: [String: ConfigNode], tierSpec: DataTierSpec?) -> String? {
        if let node = fields["schedule"] {
            let schedule = SectionReader(configuration: configuration, log: log).schedule(node)
            if let schedule, let interval = tierSpec?.backupIntervalMinutes,
               let equivalent = try? CronSchedule.every(minutes: interval).expression, !Self.fireAlike(equivalent, schedule) {
                node.warning("\"\(schedule)\" differs from data_tiers \(name).backup_interval_minutes (\(interval)); the schedule wins")
            }
            return schedule
        }
        let seedSchedule: (key: String, value: String)? = switch source {
        case .redis: configuration.backup.redis?.schedule.map { ("backup.redis.schedule", $0) }
        case .vault: configuration.backup.vault?.schedule.map { ("backup.vault.schedule", $0) }
        case .git: configuration.backup.git?.repositories.firstIndex { $0.name == repository }.flatMap { index in
            configuration.backup.git?.repositories[index].backupSchedule.map { ("backup.git.repositories[\(index)].backup_schedule", $0) }
        }
        default: nil
        }
        let interval = tierSpec.map(\.backupIntervalMinutes)
        let equivalent = interval.flatMap { try? CronSchedule.every(minutes: $0).expression }
        if let seedSchedule {
            if let interval, let equivalent, !Self.fireAlike(equivalent, seedSchedule.value) {
                log.warning("\(seedSchedule.key)", line: nil,
                            "\"\(seedSchedule.value)\" differs from data_tiers \(name).backup_interval_minutes (\(interval)); the schedule wins")
            }
            return seedSchedule.value
        }
        if let interval, equivalent == nil {
            let index = configuration.dataTiers.firstIndex { $0.name == name } ?? 0
            let reason = (try? CronSchedule.every(minutes: interval)).map { _ in "" } ?? Self.everyError(interval)
            log.error("data_tiers[\(index)].backup_interval_minutes", line: nil, "\(reason); set datasets.\(name).schedule")
        }
        return equivalent
    }

    static func everyError(_ minutes: Int) -> String {
        do {
            _ = try CronSchedule.every(minutes: minutes)
            return ""
        } catch {
            return error.message
        }
    }

    /// Whether two cron expressions fire at the same times over a week (`0 */1 * * *` and
    /// `0 * * * *` differ as text but not in effect).
    static func fireAlike(_ first: String, _ second: String) -> Bool {
        guard let a = try? CronSchedule(parsing: first), let b = try? CronSchedule(parsing: second) else { return false }
        let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00Z
        let end = start.addingTimeInterval(8 * 86_400)
        return a.fireTimes(after: start, through: end) == b.fireTimes(after: start, through: end)
    }

    /// DESIGN.md §5: keep_* rules reaching beyond retention_days are capped, with a warning.
    func checkRetention(_ rules: RetentionRules, of name: String, at key: String, against tier: DataTierSpec?) {
        guard let tier else { return }
        let reach: [(String, Int?, Double)] = [
            ("keep_hourly", rules.keepHourly, 1.0 / 24), ("keep_daily", rules.keepDaily, 1),
            ("keep_weekly", rules.keepWeekly, 7), ("keep_monthly", rules.keepMonthly, 30.44), ("keep_yearly", rules.keepYearly, 365.25),
        ]
        for (ruleKey, count, days) in reach {
            guard let count, Double(count) * days > Double(tier.retentionDays) else { continue }
            log.warning("\(key).\(ruleKey)", line: nil,
                        "\(count) reaches beyond data_tiers \(name).retention_days (\(tier.retentionDays) days); capped at \(tier.retentionDays) days")
        }
    }

    /// S3 lifecycle expiry shorter than the dataset's retention contradicts it as the seed wrote
    /// it: warn, naming both keys, and say how it is resolved (the rule acts on `expired/` only).
    func checkLifecycle(prefix: String, of name: String, against tier: DataTierSpec?) {
        guard let tier, let rules = configuration.backup.s3?.lifecycleRules,
              let index = rules.firstIndex(where: { $0.prefix == prefix }), rules[index].expirationDays < tier.retentionDays
        else { return }
        log.warning("backup.s3.lifecycle_rules[\(index)].expiration_days", line: nil,
                    "\(rules[index].expirationDays) is shorter than data_tiers \(name).retention_days (\(tier.retentionDays)); applied to retired objects under expired/ only, so retention decides what is kept")
    }

    /// DESIGN.md §5: a backup interval above the RPO acceptable is an error, above the target a
    /// warning. The interval of a cron schedule is its longest gap over a week.
    func checkRPO(name: String, schedule: String, timeZone: String) {
        let zone = TimeZone(identifier: timeZone) ?? CronSchedule.utc
        guard let rpo = configuration.rpoTargets[name], let cron = try? CronSchedule(parsing: schedule, timeZone: zone) else { return }
        // A fixed 31-day window from 2026-01-01T00:00Z: long enough for weekly schedules; the
        // gaps before the first and after the last fire count too, so a monthly job cannot pass.
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let end = start.addingTimeInterval(31 * 86_400)
        let fires = [start] + cron.fireTimes(after: start, through: end) + [end]
        let longest = zip(fires, fires.dropFirst()).map { $1.timeIntervalSince($0) / 60 }.max() ?? 0
        let minutes = Int(longest.rounded())
        if minutes > rpo.acceptableMinutes {
            log.error("rpo_targets.\(name)", line: nil,
                      "backups every \(minutes) minutes (\(schedule)) cannot meet acceptable_minutes \(rpo.acceptableMinutes)")
        } else if minutes > rpo.targetMinutes {
            log.warning("rpo_targets.\(name)", line: nil,
                        "backups every \(minutes) minutes (\(schedule)) miss target_minutes \(rpo.targetMinutes)")
        }
    }
}
