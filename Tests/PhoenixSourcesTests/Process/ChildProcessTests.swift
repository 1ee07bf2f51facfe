import Foundation
import Glibc
@testable import PhoenixSources
import PhoenixTesting
import Testing

/// The tools' launcher: exit statuses, signals, and reaping exactly once, so that a late
/// `terminate()` cannot reach a process that has taken a reaped tool's pid.
@Suite struct ChildProcessTests {
    @Test func anExitStatusAndATerminationByOurSignalAreReported() async throws {
        let failing = try ChildProcess("sh", arguments: ["-c", "echo broken >&2; exit 3"])
        #expect(await failing.wait() == 3)
        #expect(failing.errorOutput.contains("broken"))
        let sleeping = try ChildProcess("sleep", arguments: ["1000"])
        sleeping.terminate()
        #expect(await sleeping.wait() == 128 + SIGTERM)
        // Reaped: asking again gives the same answer, and a terminate now signals nothing.
        sleeping.terminate()
        #expect(await sleeping.wait() == 128 + SIGTERM)
    }

    @Test func aToolDroppedBeforeItsExitIsKilledAndReaped() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The pid through a file: a read of stdout waits for its size or the end of output.
        let pidFile = directory.path + "/pid"
        var tool: ChildProcess? = try ChildProcess("sh", arguments: ["-c", "echo $$ > \(pidFile).new && mv \(pidFile).new \(pidFile); exec sleep 1000"])
        #expect(await eventually(timeout: .seconds(30)) { FileManager.default.fileExists(atPath: pidFile) })
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        let pid = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == 0)
        tool = nil
        // ESRCH once reaped: not left running, and no zombie (which kill(0) would still find).
        #expect(await eventually(timeout: .seconds(30)) { kill(pid, 0) != 0 && errno == ESRCH })
    }

    @Test func aGrandchildHoldingStderrDoesNotHoldTheStatus() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The shell exits at once; the background sleep would keep stderr open for 60 s.
        let pidFile = directory.path + "/grandchild"
        let tool = try ChildProcess("sh", arguments: ["-c", "echo last words >&2; sleep 60 & echo $! > \(pidFile); exit 0"])
        let started = ContinuousClock.now
        #expect(await tool.wait() == 0)
        // A bound far from both the second the wait allows and the minute the sleep lasts.
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(tool.errorOutput.contains("last words"))
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGTERM)
        }
    }
}
