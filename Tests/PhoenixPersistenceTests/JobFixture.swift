import FoundationEssentials
import PhoenixDomain

/// Jobs and dates for the catalog contract. Dates fall on whole milliseconds: the precision
/// every catalog keeps, so stored jobs compare equal to the ones written.
enum JobFixture {
    /// `seconds` (and `milliseconds`) after 2027-01-15T08:00:00Z.
    static func date(_ seconds: Int, milliseconds: Int = 0) -> Date {
        let unixMillis = 1_800_000_000_000 + Int64(seconds) * 1000 + Int64(milliseconds)
        return Date(timeIntervalSince1970: Double(unixMillis) / 1000)
    }

    /// A queued job created `seconds` after the fixture epoch.
    static func job(_ kind: JobKind = .backup, dataset: String? = nil, at seconds: Int, key: String? = nil) -> Job {
        Job(kind: kind, dataset: dataset, trigger: "schedule", idempotencyKey: key, createdAt: date(seconds))
    }

    /// A job with every optional field set and two steps, one of them failed.
    static func jobWithEveryField() -> Job {
        Job(
            kind: .recovery, state: .running, dataset: "redis_data", trigger: "api:ops-token",
            idempotencyKey: "k-\(JobID.make())", parameters: ["backup_id": "20261127T120000Z-3f9a1c0e", "note": "ü \"x\""],
            createdAt: date(10, milliseconds: 123),
            startedAt: date(11, milliseconds: 7), finishedAt: date(99), worker: "eu-west-1a",
            bytesDone: 5_000_000_000, bytesTotal: 8_000_000_000, items: 42, error: "step \"data_restoration\" failed once",
            isCancelRequested: true,
            steps: [
                JobStep(name: "backup_validation", attempt: 1, startedAt: date(12), finishedAt: date(13)),
                JobStep(name: "data_restoration", attempt: 1, startedAt: date(14), finishedAt: date(15, milliseconds: 999),
                        error: "timeout after 30m"),
            ])
    }
}
