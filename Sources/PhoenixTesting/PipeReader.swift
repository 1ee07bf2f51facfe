import Foundation
import Glibc

/// The read end of a pipe from a spawned child (its stdout or stderr), closed when the last
/// reference goes. Reads block: call them from a thread of their own (`offPool`), never from the
/// cooperative pool.
///
/// Plain read(2) retried on EINTR, not `FileHandle.availableData`, which traps on EINTR in
/// swift-corelibs-foundation.
public final class PipeReader: Sendable {
    public let fileDescriptor: Int32

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    deinit {
        close(fileDescriptor)
    }

    /// Up to `maxCount` bytes, as soon as some arrive; empty at the end (every writer closed
    /// it) or on a read error.
    public func read(maxCount: Int = 64 * 1024) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, maxCount) }
            if count < 0 && errno == EINTR { continue }
            buffer.removeLast(maxCount - max(count, 0))
            return buffer
        }
    }

    /// Everything until the end.
    public func readToEnd() -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let chunk = read()
            if chunk.isEmpty { return bytes }
            bytes += chunk
        }
    }

    /// Reads and drops everything until the end on a thread of its own, so a long-running child
    /// never blocks on a full pipe nobody reads any more.
    public func drainInBackground() {
        Thread.detachNewThread { [self] in
            while !read().isEmpty {}
        }
    }
}
