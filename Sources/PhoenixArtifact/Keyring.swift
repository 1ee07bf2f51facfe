/// The master keys an instance can use: every key that sealed an artifact still kept, plus the
/// current one for new artifacts. Rotating means adding a key and making it current; old
/// artifacts stay readable as long as their key stays in the keyring.
///
/// ```swift
/// let keyring = try Keyring(contentsOfFile: "/etc/phoenix-dr/keyring")   // mode 0600
/// var writer = try ArtifactWriter(key: keyring.current, compression: .zstd)
/// var reader = ArtifactReader(keyring: keyring)
/// ```
public struct Keyring: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// A keyring without keys: reads unencrypted artifacts only.
    public static let empty = Keyring(validatedKeys: [:], keyIDs: [], currentKeyID: nil)

    private let keys: [ArtifactKeyID: ArtifactKey]
    /// The key ids in the order they were given.
    public let keyIDs: [ArtifactKeyID]
    /// The id of the key for new artifacts.
    public let currentKeyID: ArtifactKeyID?

    /// A keyring of `keys`; the current key is `currentKeyID`, or the last key when nil.
    /// - Throws: `ArtifactError.duplicateKeyID` or `.unknownCurrentKey`.
    public init(keys: [ArtifactKey], currentKeyID: ArtifactKeyID? = nil) throws(ArtifactError) {
        var byID: [ArtifactKeyID: ArtifactKey] = [:]
        for key in keys {
            guard byID.updateValue(key, forKey: key.id) == nil else { throw .duplicateKeyID(key.id) }
        }
        if let currentKeyID, byID[currentKeyID] == nil { throw .unknownCurrentKey(currentKeyID) }
        self.init(validatedKeys: byID, keyIDs: keys.map(\.id), currentKeyID: currentKeyID ?? keys.last?.id)
    }

    private init(validatedKeys: [ArtifactKeyID: ArtifactKey], keyIDs: [ArtifactKeyID], currentKeyID: ArtifactKeyID?) {
        self.keys = validatedKeys
        self.keyIDs = keyIDs
        self.currentKeyID = currentKeyID
    }

    /// The key for new artifacts, or nil for an empty keyring.
    public var current: ArtifactKey? {
        currentKeyID.flatMap { keys[$0] }
    }

    /// The same keys with `id` as the current key (the config's `encryption.current_key`,
    /// which overrides "the last key listed").
    /// - Throws: `ArtifactError.unknownCurrentKey` if the keyring does not hold `id`.
    public func withCurrentKey(_ id: ArtifactKeyID) throws(ArtifactError) -> Keyring {
        guard keys[id] != nil else { throw .unknownCurrentKey(id) }
        return Keyring(validatedKeys: keys, keyIDs: keyIDs, currentKeyID: id)
    }

    /// The key named `id`, if the keyring holds it.
    public func key(for id: ArtifactKeyID) -> ArtifactKey? {
        keys[id]
    }

    public var description: String {
        let ids = keyIDs.map(\.rawValue).joined(separator: ", ")
        return "Keyring(keys: [\(ids)], current: \(currentKeyID?.rawValue ?? "none"))"
    }

    public var debugDescription: String { description }

    /// Ids only: `dump()` and test output must not reach the key bytes.
    public var customMirror: Mirror {
        Mirror(self, children: ["keyIDs": keyIDs, "currentKeyID": currentKeyID as Any], displayStyle: .struct)
    }
}
