/// What a backup, a restore and a verification each compute over a tree, so the three can be
/// compared exactly: equal summaries mean the same files with the same bytes.
public struct TreeSummary: Sendable, Hashable, Codable {
    /// Regular files (the job's record count).
    public var fileCount: Int
    /// Bytes of regular-file content, as stored in the archive.
    public var fileBytes: Int64
    /// The content digest defined by `TreeDigest`, as 64 lowercase hex digits.
    public var digest: String

    /// Creates a summary.
    public init(fileCount: Int, fileBytes: Int64, digest: String) {
        self.fileCount = fileCount
        self.fileBytes = fileBytes
        self.digest = digest
    }
}
