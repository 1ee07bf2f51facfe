import PhoenixCrypto

/// The one error type of PhoenixArtifact: every way reading, writing, keys or manifests can fail.
///
/// The set is closed inside the module, so it is an enum used with typed throws. `description` is
/// safe to show an API client (never key bytes, never keyring text); `debugDescription` adds the
/// case name for logs. See `ArtifactReader` for how each reading failure is told apart.
///
/// ```swift
/// do {
///     try reader.finish { restore.write($0) }
/// } catch ArtifactError.wrongKey(let id) {
///     // the keyring holds a different key under `id`
/// }
/// ```
public enum ArtifactError: Error, Sendable, Equatable {
    // MARK: - Reading: header

    /// The first bytes are not the artifact magic `PHXDRART`.
    case notAnArtifact
    /// The header declares a format version this build cannot read.
    case unsupportedVersion(Int)
    /// A header field is out of range or inconsistent, or the header digest does not match.
    case corruptHeader(HeaderProblem)
    /// The artifact is encrypted under a key id the keyring does not hold.
    case unknownKeyID(ArtifactKeyID)
    /// The keyring holds a key under the artifact's key id, but not the key that sealed it
    /// (the key commitment does not match).
    case wrongKey(ArtifactKeyID)

    // MARK: - Reading: chunks

    /// The chunk at this position fails authentication as any nearby chunk: bytes were changed.
    case tamperedChunk(index: Int)
    /// Chunk `index` is absent: a later chunk stands in its place and it never appears.
    case missingChunk(index: Int)
    /// Chunk `holds` is stored at `position`, where chunk `position` belongs; that one comes later.
    case reorderedChunks(position: Int, holds: Int)
    /// Chunk `index` appears a second time, at `position`.
    case duplicatedChunk(index: Int, position: Int)
    /// Bytes follow the final chunk (chunk `afterChunk`).
    case trailingData(afterChunk: Int)
    /// The artifact ends early.
    case truncated(Truncation)
    /// Every chunk authenticated, but the stored size differs from the one the caller expected.
    case storedSizeMismatch(expected: Int, actual: Int)
    /// The authenticated plaintext is not a valid zstd stream, or needs more memory than allowed.
    case decompressionFailed(String)

    // MARK: - Writing

    /// A chunk size outside `ArtifactHeader.chunkSizeRange`.
    case invalidChunkSize(Int)
    /// The artifact would need more than 2³² chunks (the nonce counter is 32 bits).
    case artifactTooLarge
    /// zstd refused to compress (its error name).
    case compressionFailed(String)
    /// A libcrypto failure other than authentication.
    case crypto(CryptoError)
    /// The writer or reader was used after `finish()` or after a failure.
    case streamClosed

    // MARK: - Keys and keyrings

    /// A master key that is not exactly 32 bytes.
    case invalidKeyLength(Int)
    /// Two keys share an id.
    case duplicateKeyID(ArtifactKeyID)
    /// The id named as current is not in the keyring.
    case unknownCurrentKey(ArtifactKeyID)
    /// The keyring file cannot be opened or read.
    case keyringUnreadable(path: String, reason: String)
    /// The keyring file can be read by group or others (mode shown in octal).
    case keyringTooOpen(path: String, mode: UInt32)
    /// The keyring file is larger than `Keyring.maximumTextCount`.
    case keyringTooLarge(path: String)
    /// The keyring text holds no key.
    case keyringEmpty(KeyringSource)
    /// One line of keyring text is wrong.
    case keyringEntry(KeyringSource, line: Int, problem: KeyringProblem)

    // MARK: - Manifests

    /// The manifest is larger than `ArtifactManifest.maximumByteCount`.
    case manifestTooLarge(Int)
    /// The manifest is not a JSON object.
    case manifestMalformed(String)
    /// The manifest's `format_version` is not one this build reads.
    case manifestUnsupportedVersion(Int)
    /// A manifest field is missing, has the wrong type or an invalid value.
    case manifestInvalidField(field: String, reason: String)
}

extension ArtifactError {
    /// What is wrong with a header whose magic and version are fine.
    public enum HeaderProblem: Sendable, Equatable {
        /// The protection byte is neither 0 (SHA-256 framed) nor 1 (AES-256-GCM).
        case unknownProtection(UInt8)
        /// The compression byte is neither 0 (none) nor 1 (zstd).
        case unknownCompression(UInt8)
        /// The key id length byte exceeds 64.
        case keyIDTooLong(Int)
        /// The key id is not 1–64 characters of `[A-Za-z0-9._-]`.
        case invalidKeyID
        /// An encrypted artifact with an empty key id.
        case missingKeyID
        /// An unencrypted artifact with a key id.
        case unexpectedKeyID
        /// The chunk size is outside `ArtifactHeader.chunkSizeRange` (0, or a hostile huge value).
        case chunkSizeOutOfRange(UInt32)
        /// An unencrypted artifact whose commitment field is not all zero.
        case unexpectedCommitment
        /// The header digest does not match the header bytes: some byte was changed.
        case digestMismatch
    }

    /// Where an artifact ends early.
    public enum Truncation: Sendable, Equatable {
        /// Inside the header (the count is how many bytes arrived).
        case insideHeader(byteCount: Int)
        /// Inside chunk `index`.
        case insideChunk(index: Int)
        /// At a chunk boundary after `afterChunks` complete chunks, none of them final.
        case beforeFinalChunk(afterChunks: Int)
    }

    /// Where keyring text came from, for error messages.
    public enum KeyringSource: Sendable, Equatable {
        /// A keyring file.
        case file(path: String)
        /// The value of an environment variable.
        case environment(name: String)
        /// Text handed to `Keyring(parsing:)` directly.
        case text
    }

    /// What is wrong with one keyring line.
    public enum KeyringProblem: Sendable, Equatable {
        /// Not `ID BASE64` or `ID:BASE64`.
        case malformed
        /// The id is empty, longer than 64 characters or uses characters outside `[A-Za-z0-9._-]`.
        case invalidKeyID
        /// The key is not valid base64.
        case badBase64
        /// The key decodes to this many bytes instead of 32.
        case wrongKeyLength(Int)
        /// The id was already used on an earlier line.
        case duplicateKeyID(ArtifactKeyID)
    }
}
