import Dispatch

/// Runs blocking work (writing hundreds of MiB of test data, a synchronous read) on a Dispatch
/// thread instead of the cooperative pool. That pool has one thread per core, two here: a test
/// that blocks one of them for seconds stalls every other test's polling in the same process.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
