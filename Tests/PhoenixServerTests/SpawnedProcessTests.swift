import Foundation
import Glibc
import PhoenixTesting
import Synchronization
import Testing

/// The tests' process launcher. Foundation's `Process.run()` crashed the test process now and
/// then with a thousand-odd descriptors open (it reads past a readdir buffer of /proc/self/fd),
/// and let descriptors without close-on-exec reach its children.
@Suite struct SpawnedProcessTests {
    @Test func twoThousandOpenDescriptorsReachNoChildWhileHundredsOfToolsStart() async throws {
        // Not close-on-exec, like the tests' sockets.
        let extra = (0..<2000).map { _ in open("/dev/null", O_RDONLY) }
        defer { for fd in extra where fd >= 0 { close(fd) } }
        try #require(extra.allSatisfy { $0 >= 0 })
        let stop = StopFlag()
        // Descriptors opened and closed beside the launches, as other suites do.
        async let churned = offPool { () -> Int in
            var rounds = 0
            while !stop.isSet {
                let fd = open("/dev/null", O_RDONLY)
                if fd >= 0 { close(fd) }
                rounds += 1
                usleep(20)  // busy, but leaves the core to the launches
            }
            return rounds
        }
        let statuses = try await Self.concurrently(300) { _ in try await ProcessRunner.run("true", []).status }
        // The shell's own descriptors (the `; true` keeps dash from exec'ing ls in its place).
        let listings = try await Self.concurrently(20) { _ in try await ProcessRunner.run("sh", ["-c", "ls /proc/$$/fd; true"]).stdout }
        stop.set()
        #expect(try await churned > 0)
        #expect(statuses.count == 300)
        #expect(statuses.allSatisfy { $0 == 0 })
        for listing in listings {
            let fds = Set(listing.split(separator: "\n").compactMap { Int32($0) })
            #expect(fds == [0, 1, 2], "\(listing)")
        }
    }

    @Test func bothPipesAreReadAtOnceSoNeitherFillsUp() async throws {
        let output = try await ProcessRunner.run("sh", ["-c", "head -c 1000000 /dev/zero >&2; head -c 1000000 /dev/zero; echo done >&2"])
        #expect(output.status == 0)
        #expect(output.stdout.utf8.count == 1_000_000)
        #expect(output.stderr.utf8.count == 1_000_005)
    }

    @Test func theChildGetsOurEnvironmentDefaultSignalsAndNoInput() async throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let output = try await ProcessRunner.run("sh", ["-c", #"echo "$PATH|$PHX_SPAWN_TEST"; cat; grep -E '^Sig(Blk|Ign)' /proc/self/status"#],
                                                 environment: ["PHX_SPAWN_TEST": "set"])
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(path)|set")
        // Nothing read from stdin (/dev/null), and none of the standard signals (1 to 31) blocked
        // or ignored. (glibc keeps two of its own real-time ones, 32 and 33, ignored.)
        let masks = lines.dropFirst().compactMap { UInt64($0.split(separator: "\t").last ?? "", radix: 16) }
        #expect(masks.count == 2, "\(output.stdout)")
        #expect(masks.allSatisfy { $0 & 0x7FFF_FFFF == 0 }, "\(output.stdout)")
    }

    @Test func aMissingToolThrowsAndAKilledOneReportsItsSignal() async throws {
        await #expect(throws: SpawnError.self) { try await ProcessRunner.run("phx-no-such-tool", []) }
        let killed = try SpawnedProcess("sh", ["-c", "kill -TERM $$"])
        await killed.waitUntilExit()
        #expect(!killed.isRunning)
        #expect(!killed.didExitNormally)
        #expect(killed.terminationStatus == SIGTERM)
    }

    @Test func aServerIsKilledWhenItsObjectGoes() async throws {
        var server: SpawnedProcess? = try SpawnedProcess("sleep", ["1000"], stderr: .pipe)
        let pid = try #require(server?.processIdentifier)
        #expect(server?.isRunning == true)
        server = nil
        // Gone (ESRCH) once reaped by the reaper thread.
        #expect(await eventually(timeout: .seconds(30)) { kill(pid, 0) != 0 })
    }

    /// `count` runs of `body`, 16 at a time.
    private static func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            var results: [T] = []
            for index in 0..<count {
                if index >= 16, let result = try await group.next() { results.append(result) }
                group.addTask { try await body(index) }
            }
            for try await result in group { results.append(result) }
            return results
        }
    }
}

private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}
