import FoundationEssentials

/// An object in a store: its key, size and last change.
public struct StoredObject: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var modifiedAt: Date?

    public init(key: String, size: Int64, modifiedAt: Date? = nil) {
        self.key = key
        self.size = size
        self.modifiedAt = modifiedAt
    }
}

/// Where artifacts and manifests live (DESIGN.md §2: `Local/` and `S3/` adapters). Keys are
/// relative, `/`-separated paths such as `redis/2026/11/27/<backup-id>.pdr`.
///
/// Writes are all-or-nothing: an object appears under its key only when `complete()` succeeds,
/// so a reader never sees half an artifact and a failed backup leaves no object behind.
public protocol ArtifactStore: Sendable {
    /// The store's name in the configuration (`stores[].name`).
    var name: String { get }

    /// Starts writing the object `key`; nothing is visible until the upload completes.
    func upload(_ key: String) async throws -> any ObjectUpload

    /// Opens the object `key` for reading from its start. Throws `StoreError.notFound`.
    func download(_ key: String) async throws -> any ObjectDownload

    /// The object's size and time, nil when there is none.
    func head(_ key: String) async throws -> StoredObject?

    /// Every object whose key starts with `prefix`, in key order.
    func list(prefix: String) async throws -> [StoredObject]

    /// Removes the objects; keys that do not exist are not an error.
    func delete(_ keys: [String]) async throws

    /// Takes objects out of service for good (retention, `DELETE /v1/backups/{id}`). A store may
    /// keep them for a while under `RetiredObjects.prefix` (S3 moves them there and lets its
    /// lifecycle rules expire them); by default they are deleted.
    func retire(_ keys: [String]) async throws
}

extension ArtifactStore {
    public func retire(_ keys: [String]) async throws {
        try await delete(keys)
    }
}

/// Where retired objects wait for the store's own expiry: never a backup, never synced.
public enum RetiredObjects {
    public static let prefix = "expired/"
}

/// An object being written. Exactly one of `complete()` or `abort()` ends it.
public protocol ObjectUpload: Sendable {
    /// Appends bytes; the store may buffer (S3 sends whole parts).
    func write(_ bytes: [UInt8]) async throws
    /// Makes the object durable and visible under its key.
    func complete() async throws -> StoredObject
    /// Discards everything written; never throws, since it runs on failure paths.
    func abort() async
    /// A reader of the object while it is being written, through the store itself: it waits
    /// for bytes not written yet, ends once `complete()` has made the object visible (and is
    /// the object now under the key), and fails once the upload is aborted. So a backup reads
    /// its artifact back beside writing it. nil where the store shows nothing before the
    /// upload completes (S3): there the object is read once it is complete.
    func follow() async throws -> (any ObjectDownload)?
}

extension ObjectUpload {
    public func follow() async throws -> (any ObjectDownload)? { nil }
}

/// An object being read, pulled piece by piece so memory stays bounded.
public protocol ObjectDownload: Sendable {
    /// Up to `maxCount` next bytes; empty at the end of the object.
    func read(maxCount: Int) async throws -> [UInt8]
    /// Releases the handle (also done when the download is released).
    func close() async
}

/// Why a store operation failed; `message` is safe to show a client.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Code: String, Sendable {
        case notFound = "not_found"
        case invalidKey = "invalid_key"
        case io
        case unavailable
        case denied
    }

    public var code: Code
    public var message: String
    /// For logs: errno names, server replies.
    public var detail: String?

    public init(_ code: Code, _ message: String, detail: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
    }

    public var description: String { message }
    public var debugDescription: String { detail.map { "\(code.rawValue): \(message) (\($0))" } ?? "\(code.rawValue): \(message)" }
}

/// Object keys that are safe on every store: relative, `/`-separated, no empty, `.` or `..`
/// segment, no control characters, at most 1024 bytes (S3's limit).
public enum ObjectKey {
    public static func validate(_ key: String) throws(StoreError) {
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty, bytes.count <= 1024, bytes.first != UInt8(ascii: "/"),
              !bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw StoreError(.invalidKey, "object key \"\(printable(key))\" is empty, too long, absolute or has control characters")
        }
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) where segment.isEmpty || segment == "." || segment == ".." {
            throw StoreError(.invalidKey, "object key \"\(printable(key))\" has an empty, \".\" or \"..\" segment")
        }
    }

    private static func printable(_ key: String) -> String {
        String(key.unicodeScalars.prefix(200).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}
