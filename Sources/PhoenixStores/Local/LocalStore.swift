import FoundationEssentials
import Glibc
import PhoenixDomain

/// The `local` store: objects are files under a root folder, keys their relative paths.
///
/// An upload goes to a hidden temporary file beside its target, is fsynced, renamed into place
/// and the folder fsynced, so after a crash an object is either whole or absent. Files whose
/// name starts with `.` are never listed: they are uploads in progress (or left by a crash).
public struct LocalStore: ArtifactStore {
    public let name: String
    /// The root folder, without a trailing slash.
    public let root: String

    public init(name: String, root: String) {
        self.name = name
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    public func upload(_ key: String) async throws -> any ObjectUpload {
        try ObjectKey.validate(key)
        return try await LocalUpload.start(root: root, key: key)
    }

    public func download(_ key: String) async throws -> any ObjectDownload {
        try ObjectKey.validate(key)
        return try await LocalDownload.open(root: root, key: key)
    }

    public func head(_ key: String) async throws -> StoredObject? {
        try ObjectKey.validate(key)
        let path = path(of: key)
        return try await BlockingIO(label: "phoenix.store.head").run { () throws -> StoredObject? in
            var info = stat()
            guard stat(path, &info) == 0 else {
                if errno == ENOENT || errno == ENOTDIR { return nil }
                throw BlockingIO.failure("stat", "read \(key)")
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            return StoredObject(key: key, size: Int64(info.st_size), modifiedAt: Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec)))
        }
    }

    public func list(prefix: String) async throws -> [StoredObject] {
        let root = root
        return try await BlockingIO(label: "phoenix.store.list").run { () throws -> [StoredObject] in
            try LocalListing(root: root).objects(prefix: prefix)
        }
    }

    public func delete(_ keys: [String]) async throws {
        for key in keys { try ObjectKey.validate(key) }
        let root = root
        try await BlockingIO(label: "phoenix.store.delete").run { () throws in
            for key in keys {
                guard unlink(root + "/" + key) == 0 || errno == ENOENT else { throw BlockingIO.failure("unlink", "delete \(key)") }
                LocalListing.removeEmptyFolders(above: key, root: root)
            }
        }
    }

    func path(of key: String) -> String {
        root + "/" + key
    }
}
