import COpenSSL
import Glibc

/// The BIO between OpenSSL and a non-blocking socket: OpenSSL's own socket BIO, plus what our
/// edge-triggered loop needs to know. After a read that got fewer bytes than asked for (or
/// EAGAIN) the socket is drained, so the stream can stop reading without one more read(2) just
/// to see EAGAIN; writes use MSG_NOSIGNAL, so a peer that went away cannot raise SIGPIPE.
enum SocketBIO {
    /// Per-connection state the callbacks reach through the BIO's data pointer.
    struct State {
        var fd: Int32
        /// The last read(2) took everything the socket had.
        var isDrained = false
    }

    /// One method table for the process; OpenSSL keeps the pointer.
    nonisolated(unsafe) static let method: OpaquePointer? = {
        guard let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "phoenix-socket") else { return nil }
        _ = BIO_meth_set_read_ex(method, readCallback)
        _ = BIO_meth_set_write_ex(method, writeCallback)
        _ = BIO_meth_set_ctrl(method, controlCallback)
        return method
    }()

    /// A BIO over `state.fd`; the caller keeps `state` alive until the BIO is freed.
    static func make(_ state: UnsafeMutablePointer<State>) -> OpaquePointer? {
        guard let method, let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, state)
        BIO_set_init(bio, 1)
        return bio
    }
}

private let readCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutablePointer<Int>?) -> Int32 = { bio, buffer, length, done in
    guard let bio, let done, let state = BIO_get_data(bio)?.assumingMemoryBound(to: SocketBIO.State.self) else { return 0 }
    phx_bio_clear_retry_flags(bio)
    while true {
        let count = read(state.pointee.fd, buffer, length)
        if count > 0 {
            state.pointee.isDrained = count < length
            done.pointee = count
            return 1
        }
        if count == 0 {  // the peer's FIN: OpenSSL decides whether that was a clean close
            state.pointee.isDrained = true
            return 0
        }
        let code = errno
        if code == EINTR { continue }
        if code == EAGAIN || code == EWOULDBLOCK {
            state.pointee.isDrained = true
            phx_bio_set_retry_read(bio)
        }
        return 0
    }
}

private let writeCallback: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<Int>?) -> Int32 = { bio, buffer, length, done in
    guard let bio, let done, let state = BIO_get_data(bio)?.assumingMemoryBound(to: SocketBIO.State.self) else { return 0 }
    phx_bio_clear_retry_flags(bio)
    while true {
        let count = send(state.pointee.fd, buffer, length, Int32(MSG_NOSIGNAL))
        if count >= 0 {
            done.pointee = count
            return 1
        }
        let code = errno
        if code == EINTR { continue }
        if code == EAGAIN || code == EWOULDBLOCK { phx_bio_set_retry_write(bio) }
        return 0
    }
}

/// Only what libssl asks of a socket BIO: flushing (nothing is buffered here).
private let controlCallback: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int = { _, command, _, _ in
    command == BIO_CTRL_FLUSH ? 1 : 0
}
