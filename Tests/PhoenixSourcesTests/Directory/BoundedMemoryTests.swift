import FoundationEssentials
import Glibc
import Synchronization
import Testing

@testable import PhoenixSources

/// A 200 MiB file streams through archiver and verifier in fixed-size pieces: no step holds the
/// file. Measured by the bytes passing through, not by time.
struct BoundedMemoryTests {
    /// The sink: feeds a verifier as chunks arrive and records their sizes.
    final class StreamingCheck: Sendable {
        struct State {
            var verifier = DirectoryVerifier()
            var chunkSizes: [Int] = []
            var failure: DirectorySourceError?
        }

        let state = Mutex(State())

        func consume(_ chunk: [UInt8]) {
            state.withLock { state in
                state.chunkSizes.append(chunk.count)
                do throws(DirectorySourceError) { try state.verifier.consume(chunk) } catch { state.failure = error }
            }
        }
    }

    @Test func a200MiBFileStreamsInChunkSizedPieces() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = try temporary.folder("source")
        let size = 200 * 1024 * 1024
        let chunk = 256 * 1024
        let fd = open(source + "/sparse.img", O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0 && ftruncate(fd, off_t(size)) == 0)
        close(fd)

        let reads = Mutex<[Int64]>([])
        var options = ArchiveOptions(chunkSize: chunk)
        options.readObserver = { _, bytesRead in reads.withLock { $0.append(bytesRead) } }
        let check = StreamingCheck()
        let summary = try await DirectoryArchiver(root: source, options: options, logger: TarTestSupport.logger)
            .archive(into: { check.consume($0) })

        let (sizes, failure) = check.state.withLock { ($0.chunkSizes, $0.failure) }
        #expect(failure == nil)
        #expect(summary.archiveBytes == Int64(512 + size + 1024))
        #expect(sizes.reduce(0, +) == 512 + size + 1024)
        #expect(sizes.allSatisfy { $0 <= chunk } && sizes.count == (512 + size + 1024 + chunk - 1) / chunk)
        let steps = reads.withLock { zip($0, [0] + $0).map { $0 - $1 } }
        #expect(steps.allSatisfy { $0 > 0 && $0 <= Int64(chunk) })
        // Memory is bounded by what passes through: every piece and every read at most one chunk.
        // The process's RSS is not asserted here: other suites run in the same process at once
        // (the 512 MiB backup binary test measures a process of its own instead).

        let verified = try check.state.withLock { state throws(DirectorySourceError) in try state.verifier.finish() }
        #expect(verified == summary.tree)
        #expect(summary.tree.fileBytes == Int64(size) && summary.tree.fileCount == 1)
    }
}
