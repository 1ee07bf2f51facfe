import FoundationEssentials

/// A folder `t_<uuid>` under the system's temporary directory, for one test.
struct TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appending(path: "t_\(UUID().uuidString.lowercased())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A new empty folder inside this one.
    func folder(_ name: String) throws -> String {
        let folder = path + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Removes the folder and everything in it (call it in a `defer`).
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
