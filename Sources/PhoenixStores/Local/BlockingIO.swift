import Dispatch
import Glibc
import PhoenixDomain

/// Runs blocking file system calls on a serial Dispatch queue, never on the cooperative pool
/// (STYLE.md: large writes and fsync block).
struct BlockingIO: Sendable {
    let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// A store error for the failed call `operation` on `path`, reading errno first.
    static func failure(_ operation: String, _ what: String, errno code: Int32 = errno) -> StoreError {
        let reason = String(cString: strerror(code))
        let kind: StoreError.Code = switch code {
        case ENOENT: .notFound
        case EACCES, EPERM, EROFS: .denied
        default: .io
        }
        return StoreError(kind, "could not \(what): \(reason)", detail: "\(operation) errno \(code)")
    }
}
