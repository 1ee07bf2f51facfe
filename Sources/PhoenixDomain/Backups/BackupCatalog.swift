import FoundationEssentials

/// A filter and page of `BackupCatalog.backups`.
public struct BackupQuery: Sendable, Equatable {
    public var dataset: String?
    /// Backups older than this cursor (the last id of the previous page), newest first.
    public var after: BackupID?
    public var limit: Int

    public init(dataset: String? = nil, after: BackupID? = nil, limit: Int = 50) {
        self.dataset = dataset
        self.after = after
        self.limit = limit
    }
}

/// The index of completed backups (DESIGN.md §1.2): rebuilt from the manifests in the store by
/// a catalog sync, so it never holds anything the store cannot prove.
public protocol BackupCatalog: Sendable {
    /// Stores `record`, replacing one with the same id but keeping its verification and pin
    /// (a sync must not forget that a backup was verified or pinned).
    func recordBackup(_ record: BackupRecord) async throws

    /// The backup with `id`.
    func backup(_ id: BackupID) async throws -> BackupRecord?

    /// Backups matching `query`, newest snapshot first; an unknown cursor throws `.notFound`.
    func backups(_ query: BackupQuery) async throws -> [BackupRecord]

    /// Records a verification run at `at`: `error` nil means it passed (sets `verifiedAt`, clears
    /// the error); otherwise the error is kept and `verifiedAt` cleared. Throws `.notFound`.
    func recordVerification(of id: BackupID, at: Date, error: String?) async throws

    /// Pins or unpins a backup; returns it after the change, nil if unknown.
    func setPinned(_ id: BackupID, _ isPinned: Bool) async throws -> BackupRecord?

    /// Removes the row (the artifact and manifest are removed by the caller first).
    func deleteBackup(_ id: BackupID) async throws
}

extension BackupCatalog {
    /// Every backup of `dataset`, newest first, read page by page (the retention planner needs
    /// them all at once).
    public func allBackups(of dataset: String) async throws -> [BackupRecord] {
        var all: [BackupRecord] = []
        var cursor: BackupID?
        repeat {
            let page = try await backups(BackupQuery(dataset: dataset, after: cursor, limit: 500))
            all += page
            cursor = page.count == 500 ? page.last?.id : nil
        } while cursor != nil
        return all
    }
}

extension BackupCatalog {
    /// Deletes a backup whole: the manifest first, so an interruption leaves at worst an artifact
    /// without a manifest (garbage a sync reports), never a manifest without its data; then the
    /// artifact, then the row. The store retires the objects (see `ArtifactStore.retire`).
    public func deleteBackup(_ backup: BackupRecord, from store: any ArtifactStore) async throws {
        try await store.retire([backup.manifestKey])
        try await store.retire([backup.objectKey])
        try await deleteBackup(backup.id)
    }
}
