extension ArtifactReader {
    /// Splits `bytes` into the header and then stored chunks.
    ///
    /// Tink-style framing has no lengths: a full stored chunk is known to be non-final only once
    /// a byte after it has arrived, so up to one chunk plus one byte waits in `pending`. Whole
    /// chunks inside `bytes` are processed in place, without copying.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var input = bytes
        if case .header = phase {
            guard try readHeader(&input) else { return }
        }
        guard let stored = stream?.codec.storedChunkSize else { return }
        while !input.isEmpty {
            if pending.isEmpty, input.count > stored {
                try process(UnsafeRawBufferPointer(rebasing: input[..<stored]), isLast: false, emit: emit)
                input = UnsafeRawBufferPointer(rebasing: input[stored...])
                continue
            }
            let take = min(stored + 1 - pending.count, input.count)
            // Grown as the bytes come, but never past one chunk and a byte: doubling from just
            // under a 1 MiB chunk would hold 2 MiB for the whole read.
            if pending.capacity < pending.count + take {
                pending.reserveCapacity(min(stored + 1, max(pending.count + take, 2 * pending.capacity)))
            }
            pending.append(contentsOf: input[..<take])
            input = UnsafeRawBufferPointer(rebasing: input[take...])
            if pending.count == stored + 1 {
                // Swap the buffer out so `process` may mutate self while its bytes are borrowed.
                var full: [UInt8] = []
                swap(&full, &pending)
                try full.withUnsafeBytes { raw in
                    try process(UnsafeRawBufferPointer(rebasing: raw[..<stored]), isLast: false, emit: emit)
                }
                full.removeFirst(stored)
                pending = full
            }
        }
    }

    /// Authenticates what is left as the final chunk and checks the stream's end.
    mutating func finishChunks(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let stream else { throw ArtifactError.truncated(.insideHeader(byteCount: pending.count)) }
        if case .chunks = phase {
            if let expected = expectedStoredByteCount, storedByteCount < expected {
                throw ArtifactError.truncated(truncationPoint(position: stream.position, stored: stream.codec.storedChunkSize))
            }
            // Even an empty artifact has a final chunk of at least a tag or digest.
            if pending.isEmpty { throw ArtifactError.truncated(.beforeFinalChunk(afterChunks: stream.position)) }
            if pending.count < stream.codec.overhead { throw ArtifactError.truncated(.insideChunk(index: stream.position)) }
        }
        var last: [UInt8] = []
        swap(&last, &pending)
        try last.withUnsafeBytes { raw in try process(raw, isLast: true, emit: emit) }
        try stream.decompressor?.finish()
        if let expected = expectedStoredByteCount, expected != storedByteCount {
            throw ArtifactError.storedSizeMismatch(expected: expected, actual: storedByteCount)
        }
    }

    /// Where a stream shorter than expected stops, judged from the piece left over.
    private func truncationPoint(position: Int, stored: Int) -> ArtifactError.Truncation {
        if pending.count == stored { return .beforeFinalChunk(afterChunks: position + 1) }
        if pending.isEmpty { return .beforeFinalChunk(afterChunks: position) }
        return .insideChunk(index: position)
    }

    /// Collects header bytes; once complete, accepts the header. Returns whether it is done.
    private mutating func readHeader(_ input: inout UnsafeRawBufferPointer) throws(ArtifactError) -> Bool {
        while true {
            let needed = try ArtifactHeader.requiredByteCount(prefix: pending) ?? ArtifactHeader.prefixCount
            if pending.count == needed {
                try acceptHeader()
                return true
            }
            guard !input.isEmpty else { return false }
            let take = min(needed - pending.count, input.count)
            pending.append(contentsOf: input[..<take])
            input = UnsafeRawBufferPointer(rebasing: input[take...])
        }
    }

    /// Parses the header, finds the key and checks the commitment before any chunk is read.
    private mutating func acceptHeader() throws(ArtifactError) {
        let header = try ArtifactHeader(parsing: pending)
        var schedule: ArtifactKeySchedule?
        if let id = header.keyID {
            guard let key = keyring.key(for: id) else { throw .unknownKeyID(id) }
            let derived = try ArtifactKeySchedule(masterKey: key, salt: header.salt)
            guard derived.isCommitted(by: header) else { throw .wrongKey(id) }
            schedule = derived
        }
        let codec = try ChunkCodec(header: header, schedule: schedule)
        stream = try ChunkStream(codec: codec, compression: header.compression, headerCount: header.byteCount)
        self.header = header
        // No capacity reserved up front: buffers grow with the bytes that actually arrive, so a
        // hostile header claiming 64 MiB chunks costs nothing until 64 MiB are sent.
        pending = []
        phase = .chunks
    }

    /// Handles one stored chunk: deliver it, or find out why it fails, or (while classifying)
    /// look for the chunk that was missing from its place. Never emits after a failure.
    private mutating func process(_ piece: UnsafeRawBufferPointer, isLast: Bool, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let stream else { return }
        let position = stream.position
        let classifier = ChunkClassifier(codec: stream.codec)
        switch phase {
        case .chunks:
            if try stream.deliver(piece, isFinal: isLast, emit: emit) { break }
            let expectedLength = expectedStoredByteCount.map { $0 - stream.offset }
            switch try classifier.classify(piece, position: position, isLast: isLast, expectedLength: expectedLength) {
            case .failure(let error): throw error
            case .chunkFromAhead(let found): phase = .classifying(expected: position, found: found, looked: 0)
            }
        case .classifying(let expected, let found, let looked):
            if try classifier.isChunk(piece, counter: expected) {
                throw ArtifactError.reorderedChunks(position: expected, holds: found)
            }
            if isLast || looked + 1 >= ChunkClassifier.window { throw ArtifactError.missingChunk(index: expected) }
            phase = .classifying(expected: expected, found: found, looked: looked + 1)
        case .header, .finished, .failed:
            return
        }
        stream.advance(by: piece.count)
    }
}
