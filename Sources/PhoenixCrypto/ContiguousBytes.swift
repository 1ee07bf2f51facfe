/// Typed-throws access to contiguous bytes.
///
/// The standard library's `withUnsafeBytes` and `withContiguousStorageIfAvailable` are `rethrows`,
/// which erases a typed error to `any Error`; these helpers carry the closure's error type through
/// a `Result` so callers can keep `throws(CryptoError)` / `throws(ArtifactError)`.
extension Collection<UInt8> {
    /// Calls `body` with the bytes laid out contiguously, copying only when the collection is not.
    package func withUnsafeContiguousBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        var result: Result<R, E>?
        _ = withContiguousStorageIfAvailable { buffer in
            result = Result { () throws(E) -> R in try body(UnsafeRawBufferPointer(buffer)) }
        }
        if let result { return try result.get() }
        let copy = Array(self)
        copy.withUnsafeBytes { buffer in
            result = Result { () throws(E) -> R in try body(buffer) }
        }
        // Safety: the closure above always runs exactly once and sets `result`.
        guard let result else { preconditionFailure("withUnsafeBytes did not call its closure") }
        return try result.get()
    }
}

extension Array<UInt8> {
    /// Appends `count` zero bytes and calls `body` with just the appended region.
    ///
    /// Used to let C write straight into the tail of an output array (no intermediate copy).
    /// The room is reserved first, and grown at most geometrically: appending a 1 MiB chunk to
    /// a header reserves what the chunk needs, not twice that. The zeros come from a static
    /// block: a temporary array of `count` zeros (and `repeatElement`, which debug builds walk
    /// element by element) held a second chunk-sized buffer for every chunk sealed or opened.
    package mutating func appendUninitializedTail<R, E: Error>(
        count: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let start = self.count
        if capacity - start < count {
            reserveCapacity(Swift.max(start + count, start == 0 ? 0 : 2 * capacity))
        }
        var left = count
        while left > 0 {
            let piece = Swift.min(left, zeroBlock.count)
            append(contentsOf: zeroBlock[..<piece])
            left -= piece
        }
        var result: Result<R, E>?
        withUnsafeMutableBytes { buffer in
            let tail = UnsafeMutableRawBufferPointer(rebasing: buffer[start...])
            result = Result { () throws(E) -> R in try body(tail) }
        }
        guard let result else { preconditionFailure("withUnsafeMutableBytes did not call its closure") }
        return try result.get()
    }
}

/// Zeros to append from; 64 KiB, so a 1 MiB chunk takes 16 copies.
private let zeroBlock = [UInt8](repeating: 0, count: 64 << 10)
