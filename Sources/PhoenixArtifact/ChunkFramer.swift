import PhoenixCrypto

/// The writer's side of the chunk framing: cuts a byte stream into `chunkSize` pieces and seals
/// them in order.
///
/// A full chunk is sealed as non-final only once at least one more byte arrives, and whatever is
/// buffered at `finish` becomes the final chunk (possibly empty): so there is always exactly one
/// final chunk and the reader never needs a length field. At most one chunk is buffered.
final class ChunkFramer {
    private let codec: ChunkCodec
    private var pending: [UInt8]
    private var counter: UInt32 = 0
    /// Chunks sealed so far.
    private(set) var chunkCount = 0

    init(codec: ChunkCodec) {
        self.codec = codec
        pending = []
        pending.reserveCapacity(codec.chunkSize)
    }

    /// Adds plaintext, appending every chunk it completes to `output`.
    func append(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) throws(ArtifactError) {
        var rest = bytes
        let chunkSize = codec.chunkSize
        while !rest.isEmpty {
            if pending.count == chunkSize {
                try sealPending(to: &output)
            }
            // Whole chunks straight from the caller's buffer when nothing is pending (no copy);
            // strictly more than one chunk, so the last one may still turn out to be final.
            if pending.isEmpty, rest.count > chunkSize {
                try seal(UnsafeRawBufferPointer(rebasing: rest[..<chunkSize]), isFinal: false, to: &output)
                rest = UnsafeRawBufferPointer(rebasing: rest[chunkSize...])
                continue
            }
            let take = min(chunkSize - pending.count, rest.count)
            pending.append(contentsOf: rest[..<take])
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
        }
    }

    /// Seals what is buffered as the final chunk.
    func finish(to output: inout [UInt8]) throws(ArtifactError) {
        try pending.withUnsafeContiguousBytes { (raw) throws(ArtifactError) in
            try seal(raw, isFinal: true, to: &output)
        }
        pending = []
    }

    private func sealPending(to output: inout [UInt8]) throws(ArtifactError) {
        // `seal` never touches `pending`, so reading it in place is exclusive-access safe.
        try pending.withUnsafeContiguousBytes { (raw) throws(ArtifactError) in
            try seal(raw, isFinal: false, to: &output)
        }
        pending.removeAll(keepingCapacity: true)
    }

    private func seal(_ plaintext: UnsafeRawBufferPointer, isFinal: Bool, to output: inout [UInt8]) throws(ArtifactError) {
        // A non-final chunk promises a successor, whose counter must still fit in 32 bits.
        guard isFinal || counter < UInt32.max else { throw .artifactTooLarge }
        try codec.seal(plaintext, counter: counter, isFinal: isFinal, appendingTo: &output)
        chunkCount += 1
        if !isFinal { counter += 1 }
    }
}
