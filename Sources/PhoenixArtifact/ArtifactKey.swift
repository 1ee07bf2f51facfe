import FoundationEssentials
import PhoenixCrypto

/// A 32-byte master key and its id. Artifact keys are derived from it per artifact (HKDF with
/// the artifact's random salt), so the master key itself never encrypts anything.
///
/// The key bytes never appear in `description`, `debugDescription`, `dump()` or test failure
/// output: all three show only the id.
public struct ArtifactKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Master key length in bytes.
    public static let byteCount = 32

    /// The key's name, written into the header of every artifact it seals.
    public let id: ArtifactKeyID
    /// The key bytes; internal so only key derivation reads them.
    let material: [UInt8]

    /// A key from its bytes.
    /// - Throws: `ArtifactError.invalidKeyLength` unless `material` has 32 bytes.
    public init(id: ArtifactKeyID, material: some Collection<UInt8>) throws(ArtifactError) {
        guard material.count == Self.byteCount else { throw .invalidKeyLength(material.count) }
        self.id = id
        self.material = Array(material)
    }

    /// A new key from the system's secure random generator.
    public static func makeRandom(id: ArtifactKeyID) throws(ArtifactError) -> ArtifactKey {
        let material: [UInt8]
        do throws(CryptoError) {
            material = try SecureRandom.bytes(byteCount)
        } catch {
            throw .crypto(error)
        }
        return try ArtifactKey(id: id, material: material)
    }

    /// The keyring line for this key (`ID BASE64KEY`). It contains the secret: write it only to
    /// a keyring file with mode 0600 or to a secret store, never to a log.
    public func keyringLine() -> String {
        "\(id.rawValue) \(Data(material).base64EncodedString())"
    }

    public var description: String { "ArtifactKey(\(id), ***)" }
    public var debugDescription: String { description }
    /// Only the id: `dump()`, `Mirror` and test output must not show the key bytes.
    public var customMirror: Mirror { Mirror(self, children: ["id": id], displayStyle: .struct) }
}
