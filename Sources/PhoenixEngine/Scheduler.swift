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

        public init(dataset: String, schedule: CronSchedule) {
            self.dataset = dataset
            self.schedule = schedule
        }
    }

    let entries: [Entry]
    let catalog: any JobCatalog
    let now: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    /// - Parameter sleep: waits for a duration (a manual clock's sleep in tests).
    public init(entries: [Entry], catalog: any JobCatalog, now: @escaping @Sendable () -> Date,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }, logger: Logger) {
        self.entries = entries
        self.catalog = catalog
        self.now = now
        self.sleep = sleep
        self.logger = logger
    }

    /// Entries for every dataset whose schedule parses in its time zone.
    public static func entries(for datasets: [DatasetSpec]) -> [Entry] {
        datasets.compactMap { dataset in
            let zone = TimeZone(identifier: dataset.timeZone) ?? CronSchedule.utc
            return (try? CronSchedule(parsing: dataset.schedule, timeZone: zone)).map { Entry(dataset: dataset.name, schedule: $0) }
        }
    }

    public func run() async throws {
        guard !entries.isEmpty else { return }
        try await cancelWhenGracefulShutdown {
            for entry in self.entries { try await self.catchUp(entry) }
            var next: [String: Date] = [:]
            for entry in self.entries { next[entry.dataset] = entry.schedule.nextFire(after: self.now()) }
            while !Task.isCancelled {
                guard let (dataset, fire) = next.min(by: { $0.value < $1.value }) else { return }
                let wait = fire.timeIntervalSince(self.now())
                if wait > 0 { try await self.sleep(.milliseconds(Int64((wait * 1000).rounded(.up)))) }
                guard let entry = self.entries.first(where: { $0.dataset == dataset }) else { return }
                try await self.enqueue(entry, fire: fire, trigger: "schedule")
                next[dataset] = entry.schedule.nextFire(after: fire)
            }
        }
    }

    /// Queues one job for the slots missed since the last scheduled run, if any.
    public func catchUp(_ entry: Entry) async throws {
        let recent = try await catalog.list(JobQuery(kind: .backup, dataset: entry.dataset, limit: 20))
        guard let last = recent.compactMap({ Self.fireTime(of: $0) }).max() else { return }
        let missed = entry.schedule.fireTimes(after: last, through: now())
        guard let latest = missed.last else { return }
        logger.warning("missed scheduled backups", metadata: ["dataset": "\(entry.dataset)", "schedule.missed": "\(missed.count)"])
        try await enqueue(entry, fire: latest, trigger: "schedule (caught up; \(missed.count) missed)")
    }

    /// Queues the job of one slot (exposed for tests of idempotency).
    public func enqueueForTests(_ entry: Entry, fire: Date) async throws {
        try await enqueue(entry, fire: fire, trigger: "schedule")
    }

    func enqueue(_ entry: Entry, fire: Date, trigger: String) async throws {
        let key = "schedule:\(entry.dataset):\(Self.stamp(fire))"
        let job = Job(kind: .backup, dataset: entry.dataset, trigger: trigger, idempotencyKey: key, createdAt: now())
        let stored = try await catalog.enqueue(job)
        if stored.id == job.id { logger.debug("scheduled backup queued", metadata: ["job.id": "\(job.id)", "dataset": "\(entry.dataset)"]) }
    }

    /// The slot a scheduled job was queued for, read back from its idempotency key.
    static func fireTime(of job: Job) -> Date? {
        guard let key = job.idempotencyKey, key.hasPrefix("schedule:"), let colon = key.lastIndex(of: ":") else { return nil }
        return Double(key[key.index(after: colon)...]).map { Date(timeIntervalSince1970: $0) }
    }

    static func stamp(_ date: Date) -> String {
        String(Int64(date.timeIntervalSince1970))
    }
}
