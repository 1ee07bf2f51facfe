import FoundationEssentials
import Glibc
import PhoenixCrypto

/// Everything a restore must reproduce about a tree, read with `lstat` (links not followed).
struct TreeSnapshot: Equatable, CustomStringConvertible {
    struct Node: Equatable {
        var kind: String
        var mode: UInt32
        var size: Int64
        var content: String
        var linkTarget: String
        var modificationTime: Int64
    }

    var nodes: [String: Node] = [:]

    /// Reads the tree under `root` (the root itself excluded).
    init(of root: String) throws {
        try walk(root, relative: "")
    }

    private mutating func walk(_ folder: String, relative: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let path = folder + "/" + name
            let key = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { throw SnapshotError.lstat(key) }
            var node = Node(kind: "?", mode: UInt32(info.st_mode) & 0o7777, size: 0, content: "", linkTarget: "",
                            modificationTime: Int64(info.st_mtim.tv_sec))
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                node.kind = "d"
                try walk(path, relative: key)
            case S_IFREG:
                node.kind = "f"
                node.size = Int64(info.st_size)
                node.content = SHA256.hex(try FileBytes.read(path))
            case S_IFLNK:
                node.kind = "l"
                node.linkTarget = try FileManager.default.destinationOfSymbolicLink(atPath: path)
            default:
                node.kind = "special"
            }
            nodes[key] = node
        }
    }

    var description: String {
        nodes.keys.sorted().map { "\($0): \(nodes[$0].map { "\($0)" } ?? "")" }.joined(separator: "\n")
    }

    enum SnapshotError: Error { case lstat(String) }
}
