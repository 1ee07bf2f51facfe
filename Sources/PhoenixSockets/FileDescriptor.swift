import CLinuxSystem
import Glibc
import Synchronization

/// The single owner of a file descriptor: it closes the descriptor exactly once, either when
/// `close()` is called or when the owner is released.
///
/// ```swift
/// let fd = try FileDescriptor.socket(domain: AF_INET, type: SOCK_STREAM)
/// defer { fd.close() }
/// ```
public final class FileDescriptor: Sendable {
    // Safety-relevant: the raw value is swapped to -1 under the lock, so two closes from two
    // threads cannot both reach close(2) and close a number the kernel may have reused.
    private let state: Mutex<Int32>

    /// Takes ownership of `rawValue`, which must be an open descriptor no one else closes.
    public init(taking rawValue: Int32) {
        state = Mutex(rawValue)
    }

    deinit {
        close()
    }

    /// The descriptor number, or -1 once closed. Valid only while this owner is alive.
    public var rawValue: Int32 {
        state.withLock { $0 }
    }

    /// Whether the descriptor has been closed.
    public var isClosed: Bool { rawValue < 0 }

    /// Closes the descriptor; later calls do nothing.
    public func close() {
        let fd = state.withLock { value -> Int32 in
            let old = value
            value = -1
            return old
        }
        // close(2) on Linux releases the number even when it reports EINTR: never retry.
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Opens a non-blocking, close-on-exec socket.
    public static func socket(domain: Int32, type: Int32) throws(SocketError) -> FileDescriptor {
        let fd = phx_socket_nonblocking(domain, type)
        guard fd >= 0 else { throw .lastError("socket") }
        return FileDescriptor(taking: fd)
    }
}
