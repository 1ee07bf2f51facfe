/// How an artifact's plaintext is compressed before it is cut into chunks.
public enum ArtifactCompression: String, Sendable, Codable, CaseIterable {
    /// Stored as is.
    case none
    /// A zstd stream (RFC 8878): frames one after another (one per 256 KiB segment, each with a
    /// content checksum; older artifacts hold one frame per 512 KiB, or a single frame),
    /// decompressed in bounded pieces.
    case zstd

    /// The header byte (DESIGN.md §4 layout, offset 10).
    var wireValue: UInt8 {
        switch self {
        case .none: 0
        case .zstd: 1
        }
    }

    /// The value of a header byte, or nil for an unknown one.
    init?(wireValue: UInt8) {
        switch wireValue {
        case 0: self = .none
        case 1: self = .zstd
        default: return nil
        }
    }
}
