import Foundation
import Glibc

/// Runs a command-line tool (curl, openssl, psql) to its end and collects its output.
public enum ProcessRunner {
    /// The result of a finished process.
    public struct Output: Sendable {
        /// The exit status, or the number of the signal that killed the tool.
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`, stdin from
    /// /dev/null (tools that read input, openssl s_client, end at once instead of waiting on
    /// ours), and waits for its exit. Both pipes are read at once on a thread of its own, so
    /// neither fills up and blocks the tool, and no read blocks the cooperative pool.
    /// - Throws: `SpawnError` when the tool cannot be started (not installed).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        let process = try SpawnedProcess(executable, arguments, environment: environment, stdout: .pipe, stderr: .pipe)
        guard let stdout = process.standardOutput, let stderr = process.standardError else { throw SpawnError("no pipes") }
        let (output, errors) = try await offPool { readBoth(stdout, stderr) }
        await process.waitUntilExit()
        return Output(status: process.terminationStatus ?? -1,
                      stdout: String(decoding: output, as: UTF8.self),
                      stderr: String(decoding: errors, as: UTF8.self))
    }

    /// Reads both pipes to their ends, whichever has data first.
    private static func readBoth(_ first: PipeReader, _ second: PipeReader) -> ([UInt8], [UInt8]) {
        let readers = [first, second]
        var polled = readers.map { pollfd(fd: $0.fileDescriptor, events: Int16(POLLIN), revents: 0) }
        var bytes: [[UInt8]] = [[], []]
        var open = readers.count
        while open > 0 {
            if poll(&polled, nfds_t(polled.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in polled.indices where polled[index].fd >= 0 && polled[index].revents != 0 {
                // Readable or hung up: this read does not block, and is empty at the end.
                let chunk = readers[index].read()
                if chunk.isEmpty {
                    polled[index].fd = -1  // poll skips it from now on
                    open -= 1
                } else {
                    bytes[index] += chunk
                }
            }
        }
        return (bytes[0], bytes[1])
    }
}
