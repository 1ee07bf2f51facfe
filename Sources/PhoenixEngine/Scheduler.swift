import FoundationEssentials
import FoundationInternationalization
import Logging
import PhoenixDomain
import ServiceLifecycle

/// Turns each dataset's cron schedule into queued backup jobs.
///
/// The idempotency key of a scheduled job is `schedule:<dataset>:<fire time>`, so two instances
/// (or a restart) never queue the same slot twice. After downtime, the missed slots are caught
/// up with ONE job, whose trigger records how many were missed.
public final class Scheduler: Service {
    public struct Entry: Sendable {
        public var dataset: String
        public var schedule: CronSchedule
        /// `backup`, or `retention` for the daily prune.
        public var kind: JobKind

        /// One entry per dataset and kind.
        var id: String { "\(kind.rawValue):\(dataset)" }

        public init(dataset: String, schedule: CronSchedule, kind: JobKind = .backup) {
            self.dataset = dataset
            self.schedule = schedule
            self.kind = kind
        }
    }

    let entries: [Entry]
    let catalog: any JobCatalog
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let leadership: Leadership
    let wakeup: JobWakeup?
    /// Where catch-ups are recorded (`schedule.caught_up`), if anywhere.
    let events: EventRecorder?
    let logger: Logger

    /// Whether this instance should queue scheduled jobs.
    public enum Leadership: Sendable {
        /// The only instance on its catalog (SQLite): always.
        case sole
        /// While `isLeader()` holds, checked every `pollInterval` (several instances on one catalog).
        case elected(isLeader: @Sendable () -> Bool, pollInterval: Duration)
    }

    /// - Parameter sleep: waits for a duration (a manual clock's sleep in tests).
    public init(entries: [Entry], catalog: any JobCatalog, now: @escaping @Sendable () -> Date,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
                leadership: Leadership = .sole, wakeup: JobWakeup? = nil, events: EventRecorder? = nil, logger: Logger) {
        self.events = events
        self.entries = entries
        self.catalog = catalog
        self.now = now
        self.sleep = sleep
        self.leadership = leadership
        self.wakeup = wakeup
        self.logger = logger
    }

    /// Entries for every dataset whose schedule parses in its time zone: its backups, and a
    /// daily retention run at 03:17 (off the hour, when most schedules fire).
    public static func entries(for datasets: [DatasetSpec]) -> [Entry] {
        datasets.flatMap { dataset -> [Entry] in
            let zone = TimeZone(identifier: dataset.timeZone) ?? CronSchedule.utc
            var entries: [Entry] = []
            if let schedule = try? CronSchedule(parsing: dataset.schedule, timeZone: zone) {
                entries.append(Entry(dataset: dataset.name, schedule: schedule))
            }
            if let daily = try? CronSchedule(parsing: "17 3 * * *", timeZone: zone) {
                entries.append(Entry(dataset: dataset.name, schedule: daily, kind: .retention))
            }
            return entries
        }
    }

    public func run() async throws {
        // A service that returns early stops the whole group: with nothing to schedule, idle.
        guard !entries.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        try await untilGracefulShutdown { try await self.fireLoop() }
    }

    /// Queues each slot as it comes while leading. On becoming leader (at start for the sole
    /// instance) it first catches up what was missed, so a new leader covers its predecessor's gap.
    private func fireLoop() async throws {
        var wasLeading = false
        var next: [String: Date] = [:]
        while !Task.isCancelled {
            let leading = isLeading
            if leading && !wasLeading {
                for entry in entries { try await catchUp(entry) }
                next = [:]
            }
            wasLeading = leading
            let current = now()
            for entry in entries {
                guard let fire = next[entry.id] else {
                    next[entry.id] = entry.schedule.nextFire(after: current)
                    continue
                }
                guard fire <= current else { continue }
                if leading { try await enqueue(entry, fire: fire, trigger: "schedule") }
                next[entry.id] = entry.schedule.nextFire(after: fire)
            }
            guard let soonest = next.values.min() else { return }
            try await sleep(waitDuration(until: soonest))
        }
    }

    private var isLeading: Bool {
        switch leadership {
        case .sole: true
        case .elected(let isLeader, _): isLeader()
        }
    }

    /// Until the soonest slot, but no longer than the leadership poll interval.
    private func waitDuration(until fire: Date) -> Duration {
        let millis = max(0, Int64((fire.timeIntervalSince(now()) * 1000).rounded(.up)))
        let untilFire = Duration.milliseconds(millis)
        guard case .elected(_, let pollInterval) = leadership else { return untilFire }
        return min(untilFire, pollInterval)
    }

    /// Queues one job for the slots missed since the last scheduled run, if any. The last run is
    /// the newest job queued by this schedule (read by its key, however many jobs the API queued
    /// since); before the schedule ever queued one, the newest job of the dataset of that kind
    /// (e.g. a first backup through the API) marks where the schedule starts counting. A dataset
    /// without any job has missed nothing: its first slot comes on time.
    public func catchUp(_ entry: Entry) async throws {
        let scheduled = try await catalog.list(JobQuery(kind: entry.kind, dataset: entry.dataset,
                                                        keyPrefix: Self.keyPrefix(entry), limit: 1)).first
        let last: Date
        if let scheduled, let fire = Self.fireTime(of: scheduled) {
            last = fire
        } else if let any = try await catalog.list(JobQuery(kind: entry.kind, dataset: entry.dataset, limit: 1)).first {
            last = any.createdAt
        } else {
            return
        }
        let missed = entry.schedule.fireTimes(after: last, through: now())
        guard let latest = missed.last else { return }
        logger.warning("missed scheduled backups", metadata: ["dataset": "\(entry.dataset)", "schedule.missed": "\(missed.count)"])
        try await enqueue(entry, fire: latest, trigger: "schedule (caught up; \(missed.count) missed)")
        await events?.record("schedule.caught_up", subject: entry.dataset, severity: .warning,
                             message: "\(missed.count) missed \(entry.kind.rawValue) slot(s) caught up with one job",
                             details: ["kind": entry.kind.rawValue, "missed": "\(missed.count)", "slot": Self.stamp(latest)])
    }

    /// Queues the job of one slot (exposed for tests of idempotency).
    public func enqueueForTests(_ entry: Entry, fire: Date) async throws {
        try await enqueue(entry, fire: fire, trigger: "schedule")
    }

    func enqueue(_ entry: Entry, fire: Date, trigger: String) async throws {
        let key = Self.keyPrefix(entry) + Self.stamp(fire)
        let job = Job(kind: entry.kind, dataset: entry.dataset, trigger: trigger, idempotencyKey: key, createdAt: now())
        let stored = try await catalog.enqueue(job)
        wakeup?.signal()
        if stored.id == job.id { logger.debug("scheduled backup queued", metadata: ["job.id": "\(job.id)", "dataset": "\(entry.dataset)"]) }
    }

    /// The start of the idempotency keys of `entry`'s jobs. Backups keep the key format of
    /// earlier versions; other kinds name themselves.
    static func keyPrefix(_ entry: Entry) -> String {
        let scope = entry.kind == .backup ? "schedule" : "schedule-\(entry.kind.rawValue)"
        return "\(scope):\(entry.dataset):"
    }

    /// The slot a scheduled job was queued for, read back from its idempotency key.
    static func fireTime(of job: Job) -> Date? {
        guard let key = job.idempotencyKey, key.hasPrefix("schedule"), let colon = key.lastIndex(of: ":") else { return nil }
        return Double(key[key.index(after: colon)...]).map { Date(timeIntervalSince1970: $0) }
    }

    static func stamp(_ date: Date) -> String {
        String(Int64(date.timeIntervalSince1970))
    }
}
