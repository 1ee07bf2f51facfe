extension ArtifactError: CustomStringConvertible, CustomDebugStringConvertible {
    /// A client-safe sentence: names ids, positions and counts, never key material.
    public var description: String {
        switch self {
        case .notAnArtifact: "not a phoenix-dr artifact (bad magic)"
        case .unsupportedVersion(let version): "unsupported artifact format version \(version)"
        case .corruptHeader(let problem): "corrupt artifact header: \(problem)"
        case .unknownKeyID(let id): "the artifact is encrypted with key \"\(id)\", which is not in the keyring"
        case .wrongKey(let id): "the keyring's key \"\(id)\" is not the key this artifact was encrypted with"
        case .tamperedChunk(let index): "chunk \(index) failed authentication: the artifact was modified or corrupted"
        case .missingChunk(let index): "chunk \(index) is missing"
        case .reorderedChunks(let position, let holds):
            "chunks are out of order: chunk \(holds) is stored where chunk \(position) belongs"
        case .duplicatedChunk(let index, let position): "chunk \(index) appears again at position \(position)"
        case .trailingData(let chunk): "unexpected data after the final chunk (chunk \(chunk))"
        case .truncated(let truncation): "the artifact is truncated: \(truncation)"
        case .storedSizeMismatch(let expected, let actual):
            "the artifact is \(actual) bytes but \(expected) bytes were expected"
        case .decompressionFailed(let reason): "decompression failed: \(reason)"
        case .invalidChunkSize(let size):
            "chunk size \(size) is outside \(ArtifactHeader.chunkSizeRange.lowerBound)...\(ArtifactHeader.chunkSizeRange.upperBound) bytes"
        case .artifactTooLarge: "the artifact needs more than 2^32 chunks; use a larger chunk size"
        case .compressionFailed(let reason): "compression failed: \(reason)"
        case .crypto(let error): "cryptographic failure: \(error)"
        case .streamClosed: "the artifact stream was already finished or has failed"
        case .invalidKeyLength(let count): "an artifact key must be 32 bytes, got \(count)"
        case .duplicateKeyID(let id): "key id \"\(id)\" appears more than once"
        case .unknownCurrentKey(let id): "the current key id \"\(id)\" is not in the keyring"
        case .keyringUnreadable(let path, let reason): "keyring file \(path) \(reason)"
        case .keyringTooOpen(let path, let mode):
            "keyring file \(path) has mode \(String(mode, radix: 8)); it must not be readable by group or others (chmod 600)"
        case .keyringTooLarge(let path): "keyring file \(path) is larger than \(Keyring.maximumTextCount) bytes"
        case .keyringEmpty(let source): "\(source) holds no key"
        case .keyringEntry(let source, let line, let problem): "\(source) line \(line): \(problem)"
        case .manifestTooLarge(let count): "manifest of \(count) bytes exceeds \(ArtifactManifest.maximumByteCount) bytes"
        case .manifestMalformed(let reason): "malformed manifest: \(reason)"
        case .manifestUnsupportedVersion(let version): "unsupported manifest format version \(version)"
        case .manifestInvalidField(let field, let reason): "manifest field \"\(field)\" \(reason)"
        }
    }

    /// The description with the case spelled out, for logs.
    public var debugDescription: String {
        // Mirror labels a payload-carrying case with its name; payload-less cases are named by
        // their description alone.
        let name = Mirror(reflecting: self).children.first?.label
        return "ArtifactError" + (name.map { ".\($0)" } ?? "") + ": " + description
    }
}

extension ArtifactError.HeaderProblem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unknownProtection(let value): "unknown protection \(value)"
        case .unknownCompression(let value): "unknown compression \(value)"
        case .keyIDTooLong(let count): "key id length \(count) exceeds \(ArtifactKeyID.maximumLength)"
        case .invalidKeyID: "key id is not of the form [A-Za-z0-9._-]+"
        case .missingKeyID: "encrypted artifact without a key id"
        case .unexpectedKeyID: "unencrypted artifact with a key id"
        case .chunkSizeOutOfRange(let size): "chunk size \(size) is out of range"
        case .unexpectedCommitment: "unencrypted artifact with a key commitment"
        case .digestMismatch: "header digest mismatch"
        }
    }
}

extension ArtifactError.Truncation: CustomStringConvertible {
    public var description: String {
        switch self {
        case .insideHeader(let count): "it ends inside its header (after \(count) bytes)"
        case .insideChunk(let index): "it ends inside chunk \(index)"
        case .beforeFinalChunk(let count): "it ends after \(count) chunks, before its final chunk"
        }
    }
}

extension ArtifactError.KeyringSource: CustomStringConvertible {
    public var description: String {
        switch self {
        case .file(let path): "keyring file \(path)"
        case .environment(let name): "environment variable \(name)"
        case .text: "keyring text"
        }
    }
}

extension ArtifactError.KeyringProblem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformed: "expected \"ID BASE64KEY\" or \"ID:BASE64KEY\""
        case .invalidKeyID: "key id must be 1-64 characters of [A-Za-z0-9._-]"
        case .badBase64: "the key is not valid base64"
        case .wrongKeyLength(let count): "the key decodes to \(count) bytes; it must be 32"
        case .duplicateKeyID(let id): "key id \"\(id)\" was already defined"
        }
    }
}
