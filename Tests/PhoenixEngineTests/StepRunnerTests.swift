import FoundationEssentials
import PhoenixDomain
import PhoenixEngine
import PhoenixPersistence
import Synchronization
import Testing

/// Counts calls from inside `@Sendable` closures.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    @discardableResult func next() -> Int { value.add(1, ordering: .relaxed).newValue }
    var count: Int { value.load(ordering: .relaxed) }
}

struct Flaky: Error, CustomStringConvertible {
    let attempt: Int
    var description: String { "flaky failure \(attempt)" }
}

private func queuedJob(_ catalog: SQLiteJobCatalog) async throws -> Job {
    try await catalog.enqueue(Job(kind: .recovery, trigger: "test", createdAt: Date(timeIntervalSince1970: 1_780_000_000)))
}

@Suite struct StepRunnerTests {
    @Test func failedAttemptsAreRetriedAndEachIsRecorded() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let job = try await queuedJob(catalog)
        let runner = StepRunner(catalog: catalog, job: job.id, clock: ContinuousClock(), now: { Date(timeIntervalSince1970: 1_780_000_100) })
        let calls = Counter()
        let value = try await runner.run(StepPolicy(name: "data_restoration", timeout: .seconds(5), retries: 2, initialBackoff: .milliseconds(5))) {
            let attempt = calls.next()
            if attempt < 3 { throw Flaky(attempt: attempt) }
            return 42
        }
        #expect(value == 42)
        let steps = try #require(try await catalog.job(job.id)).steps
        #expect(steps.map(\.attempt) == [1, 2, 3])
        #expect(steps.map(\.error) == ["flaky failure 1", "flaky failure 2", nil])
        #expect(steps.allSatisfy { $0.name == "data_restoration" && $0.finishedAt != nil })
    }

    @Test func aStepThatHangsHitsItsTimeoutOnEveryAttempt() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let job = try await queuedJob(catalog)
        let runner = StepRunner(catalog: catalog, job: job.id, clock: ContinuousClock(), now: { Date(timeIntervalSince1970: 1_780_000_100) })
        let calls = Counter()
        await #expect(throws: StepFailure.exhausted(step: "service_startup", attempts: 2, lastError: "service_startup timed out after 0.05 seconds")) {
            try await runner.run(StepPolicy(name: "service_startup", timeout: .milliseconds(50), retries: 1, initialBackoff: .milliseconds(5))) {
                calls.next()
                try await Task.sleep(for: .seconds(30))
            }
        }
        #expect(calls.count == 2)
        let steps = try #require(try await catalog.job(job.id)).steps
        #expect(steps.count == 2)
        #expect(steps.allSatisfy { $0.error == "service_startup timed out after 0.05 seconds" })
    }

    @Test func cancellationIsNeverRetried() async throws {
        let catalog = try await SQLiteJobCatalog.makeTemporary()
        let job = try await queuedJob(catalog)
        let runner = StepRunner(catalog: catalog, job: job.id, clock: ContinuousClock(), now: { Date(timeIntervalSince1970: 1_780_000_100) })
        let calls = Counter()
        let task = Task {
            try await runner.run(StepPolicy(name: "backup_validation", timeout: .seconds(30), retries: 3, initialBackoff: .milliseconds(5))) {
                calls.next()
                try await Task.sleep(for: .seconds(30))
            }
        }
        // Cancelled once the step runs (not on a timer a loaded machine can outrun).
        for _ in 0..<3000 where calls.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(calls.count == 1)
    }

    @Test func backoffDoublesUpToItsCeiling() {
        let policy = StepPolicy(name: "x", timeout: .seconds(1), retries: 5, initialBackoff: .seconds(1), maxBackoff: .seconds(3))
        #expect(policy.backoffForTests(2) == .seconds(1))
        #expect(policy.backoffForTests(3) == .seconds(2))
        #expect(policy.backoffForTests(4) == .seconds(3))
        #expect(policy.backoffForTests(6) == .seconds(3))
    }
}
