/// Names what went wrong when a stored chunk fails to authenticate at its position.
///
/// A chunk's nonce carries its counter and final flag, so a chunk that fails where it is may
/// still authenticate as another position: trying the other flag and the nearest counters tells
/// a changed byte from a moved, repeated, missing or extra chunk. Trial plaintext is discarded.
struct ChunkClassifier {
    /// Counters tried on each side of the failing position, and later chunks read to tell a
    /// reordered chunk from a missing one. Each try is one chunk decryption, only on failure.
    static let window = 8

    /// What the failing chunk turned out to be.
    enum Verdict: Equatable {
        /// The failure is fully classified.
        case failure(ArtifactError)
        /// It is chunk `found`, from further on: chunks from the failing position are missing
        /// or were moved later; reading on decides which.
        case chunkFromAhead(found: Int)
    }

    let codec: ChunkCodec

    /// Classifies `stored`, which failed as the chunk at `position`.
    /// - Parameter expectedLength: bytes from this chunk's start to where the caller says the
    ///   artifact ends, when known.
    func classify(_ stored: UnsafeRawBufferPointer, position: Int, isLast: Bool, expectedLength: Int?) throws(ArtifactError) -> Verdict {
        // Bytes appended after a final chunk shorter than the chunk size merge with it; when the
        // end is known, the piece cut there authenticating as final proves exactly that.
        if let expectedLength, expectedLength >= codec.overhead, expectedLength < stored.count,
           try opens(UnsafeRawBufferPointer(rebasing: stored[..<expectedLength]), counter: position, isFinal: true) {
            return .failure(.trailingData(afterChunk: position))
        }
        guard let (counter, isFinal) = try identify(stored, position: position, isLast: isLast) else {
            return .failure(.tamperedChunk(index: position))
        }
        if counter == position {
            // Only the flag differs: a final chunk followed by more data, or a stream that
            // stops after a non-final chunk.
            return .failure(isFinal ? .trailingData(afterChunk: position) : .truncated(.beforeFinalChunk(afterChunks: position + 1)))
        }
        if counter < position { return .failure(.duplicatedChunk(index: counter, position: position)) }
        // Nothing can follow the last piece, so chunk `position` cannot turn up later.
        return isLast ? .failure(.missingChunk(index: position)) : .chunkFromAhead(found: counter)
    }

    /// Whether `stored` authenticates as chunk `counter` with either final flag.
    func isChunk(_ stored: UnsafeRawBufferPointer, counter: Int) throws(ArtifactError) -> Bool {
        if try opens(stored, counter: counter, isFinal: false) { return true }
        return try opens(stored, counter: counter, isFinal: true)
    }

    /// The counter and flag `stored` authenticates as: the same position with the other flag
    /// first, then the nearest counters outwards.
    private func identify(_ stored: UnsafeRawBufferPointer, position: Int, isLast: Bool) throws(ArtifactError) -> (Int, Bool)? {
        if try opens(stored, counter: position, isFinal: !isLast) { return (position, !isLast) }
        for distance in 1...Self.window {
            for counter in [position + distance, position - distance] where counter >= 0 {
                for isFinal in [false, true] {
                    if try opens(stored, counter: counter, isFinal: isFinal) { return (counter, isFinal) }
                }
            }
        }
        return nil
    }

    private func opens(_ stored: UnsafeRawBufferPointer, counter: Int, isFinal: Bool) throws(ArtifactError) -> Bool {
        var discarded: [UInt8] = []
        return try codec.open(stored, counter: counter, isFinal: isFinal, appendingTo: &discarded)
    }
}
