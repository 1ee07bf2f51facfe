import FoundationEssentials
import Glibc
import PhoenixDomain

/// Walks the store's folders for `list(prefix:)`, without following symbolic links.
struct LocalListing {
    let root: String

    /// Every regular file whose key starts with `prefix`, in key order. Only the folder the
    /// prefix names (up to its last `/`) is walked, not the whole store.
    func objects(prefix: String) throws(StoreError) -> [StoredObject] {
        let folder = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? ""
        var found: [StoredObject] = []
        try walk(folder, prefix: prefix, into: &found)
        return found.sorted { $0.key < $1.key }
    }

    private func walk(_ folder: String, prefix: String, into found: inout [StoredObject]) throws(StoreError) {
        let path = folder.isEmpty ? root : root + "/" + folder
        guard let directory = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw BlockingIO.failure("opendir", "list \(folder.isEmpty ? "the store" : folder)")
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            // `.` and `..`, and uploads in progress.
            if name.hasPrefix(".") { continue }
            let key = folder.isEmpty ? name : folder + "/" + name
            var info = stat()
            guard lstat(root + "/" + key, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR where prefix.hasPrefix(key + "/") || (key + "/").hasPrefix(prefix):
                try walk(key, prefix: prefix, into: &found)
            case S_IFREG where key.hasPrefix(prefix):
                found.append(StoredObject(key: key, size: Int64(info.st_size),
                                          modifiedAt: Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec))))
            default:
                continue
            }
        }
    }

    /// Removes the folders of `key` that became empty, up to the root (rmdir fails on the first
    /// folder that still holds something, which ends the climb).
    static func removeEmptyFolders(above key: String, root: String) {
        var segments = key.split(separator: "/").dropLast()
        while !segments.isEmpty {
            guard rmdir(root + "/" + segments.joined(separator: "/")) == 0 else { return }
            segments = segments.dropLast()
        }
    }
}
