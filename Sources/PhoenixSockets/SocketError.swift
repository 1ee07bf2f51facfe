import CLinuxSystem
import Glibc

/// The one error type of PhoenixSockets: a failed system call with its `errno`, or a bad address.
public enum SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed; `errno` was read straight after the call.
    case syscall(String, errno: Int32)
    /// An address that could not be parsed or resolved.
    case invalidAddress(String)

    /// Builds a `.syscall` error from the current `errno`. Call it right after the failing call.
    static func lastError(_ operation: String) -> SocketError {
        .syscall(operation, errno: phx_errno())
    }

    public var description: String {
        switch self {
        case .syscall(let operation, let code):
            let message = strerror(code).map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? "unknown error"
            return "\(operation) failed: \(message) (errno \(code))"
        case .invalidAddress(let text):
            return "invalid socket address \"\(text)\""
        }
    }
}
