import Foundation

/// The local copy of the newest snapshot in `backup.vault.backup_path` (DESIGN.md §5: the
/// staging folder): written beside its final name while the snapshot streams, renamed to
/// `vault-snapshot-latest.snap` once it is whole, removed when the backup fails. The artifact
/// in the store stays the backup of record; this copy is for an operator on the host.
final class VaultStaging {
    static let fileName = "vault-snapshot-latest.snap"
    private let directory: String
    private let partial: String
    private let file: FileHandle

    /// Nil (with a reason) when the folder does not exist or is not writable: staging is a
    /// convenience and must not fail the backup.
    static func open(in directory: String) -> (VaultStaging?, warning: String?) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return (nil, "backup.vault.backup_path \(directory) does not exist; the snapshot was not staged there")
        }
        let partial = (directory as NSString).appendingPathComponent(".vault-snapshot-\(UUID().uuidString.lowercased()).partial")
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
              let file = FileHandle(forWritingAtPath: partial) else {
            return (nil, "backup.vault.backup_path \(directory) is not writable; the snapshot was not staged there")
        }
        return (VaultStaging(directory: directory, partial: partial, file: file), nil)
    }

    private init(directory: String, partial: String, file: FileHandle) {
        self.directory = directory
        self.partial = partial
        self.file = file
    }

    func write(_ bytes: [UInt8]) throws {
        try file.write(contentsOf: bytes)
    }

    /// Moves the whole snapshot to its final name.
    func commit() throws {
        try file.close()
        guard rename(partial, (directory as NSString).appendingPathComponent(Self.fileName)) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw VaultError(.invalidSettings, "cannot move the staged snapshot into place in \(directory): \(reason)")
        }
    }

    /// Removes the partial file of a failed backup.
    func discard() {
        try? file.close()
        unlink(partial)
    }
}
