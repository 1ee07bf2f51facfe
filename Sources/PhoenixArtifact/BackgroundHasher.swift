import Dispatch
import PhoenixCrypto

/// SHA-256 of an artifact's stored bytes, computed on a thread of its own beside the sealing
/// (or the opening): AES-256-GCM runs at more than twice SHA-256's speed, so on one thread the
/// hash set the pace of the whole stage while the second core idled.
///
/// At most `slots` pieces wait or are being hashed, so a writer that outruns the hash waits
/// instead of holding more memory. Pieces are hashed in the order given (a serial queue).
///
/// `inline` hashes on the caller's thread instead, without copies: for a reader that runs
/// beside other work that keeps the cores busy (a backup's read-back following its upload).
final class BackgroundHasher: @unchecked Sendable {
    // Safety: `hasher` is touched only on `queue`, or only by the caller when inline; `slots`
    // is a semaphore.
    private var hasher = SHA256.Hasher()
    private let queue = DispatchQueue(label: "phoenix.artifact.sha256")
    private let slots: DispatchSemaphore
    private let isInline: Bool

    init(slots: Int = 2, inline: Bool = false) {
        self.slots = DispatchSemaphore(value: slots)
        isInline = inline
    }

    /// Queues `bytes` to be hashed after every piece queued before it.
    func update(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if isInline { return hasher.update(bytes) }
        slots.wait()
        queue.async {
            self.hasher.update(bytes)
            self.slots.signal()
        }
    }

    /// Queues a copy of `bytes` (a reader's input, valid only during its call).
    func update(_ bytes: UnsafeRawBufferPointer) {
        if isInline { return hasher.update(bytes) }
        update(Array(bytes))
    }

    /// Waits for every queued piece, then returns the digest.
    func finalize() -> [UInt8] {
        isInline ? hasher.finalize() : queue.sync { hasher.finalize() }
    }
}
