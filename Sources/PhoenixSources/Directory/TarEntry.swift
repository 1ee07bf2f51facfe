/// One member of a tar archive: what a header (plus its PAX records) says about a file.
///
/// Only the three kinds a directory backup needs exist. Hard links, devices and FIFOs are
/// neither written nor accepted when reading (see `TarReader`).
///
/// ```swift
/// let entry = TarEntry(kind: .file, path: "etc/app.conf", size: 42, mode: 0o640, modificationTime: 1_700_000_000)
/// ```
public struct TarEntry: Sendable, Hashable {
    /// The entry types of POSIX ustar this source handles.
    public enum Kind: Sendable, Hashable {
        /// A regular file with `size` bytes of content (typeflag `0`).
        case file
        /// A directory (typeflag `5`); stored without content.
        case directory
        /// A symbolic link to `linkTarget` (typeflag `2`), stored as a link and never followed.
        case symlink
    }

    /// The entry type.
    public var kind: Kind
    /// The path inside the archive, `/`-separated, without a trailing slash.
    public var path: String
    /// Content bytes (regular files only; 0 for directories and links).
    public var size: Int64
    /// Permission bits, including setuid, setgid and sticky (`0o7777` at most).
    public var mode: UInt32
    /// Modification time in whole seconds since 1970 (negative before).
    public var modificationTime: Int64
    /// Numeric owner; recorded, not restored (restores do not run as root).
    public var userID: Int
    /// Numeric group; recorded, not restored.
    public var groupID: Int
    /// Owner name; the archiver leaves it empty rather than consult the user database.
    public var userName: String
    /// Group name; empty when unknown.
    public var groupName: String
    /// The symbolic link's target, verbatim (may be absolute or point outside the tree).
    public var linkTarget: String

    /// Creates an entry; every field but kind and path has a neutral default.
    public init(
        kind: Kind,
        path: String,
        size: Int64 = 0,
        mode: UInt32 = 0o644,
        modificationTime: Int64 = 0,
        userID: Int = 0,
        groupID: Int = 0,
        userName: String = "",
        groupName: String = "",
        linkTarget: String = ""
    ) {
        self.kind = kind
        self.path = path
        self.size = size
        self.mode = mode
        self.modificationTime = modificationTime
        self.userID = userID
        self.groupID = groupID
        self.userName = userName
        self.groupName = groupName
        self.linkTarget = linkTarget
    }
}
