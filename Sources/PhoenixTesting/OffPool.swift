import Foundation

/// Runs blocking work (writing hundreds of MiB of test data, a synchronous read, a watch loop)
/// on a thread of its own, neither on the cooperative pool nor on Dispatch's global queue: both
/// have one thread per core, two here, and a parallel test run keeps them busy for seconds.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try work() })
        }
    }
}
