import PhoenixArtifact
import PhoenixConcurrency
import PhoenixDomain
import Synchronization

/// The read-back of an artifact started beside its snapshot, where the store can follow an
/// upload as it is written (the local store): the object is read, authenticated, decompressed
/// and checked by the source's checker while the snapshot still runs, on the core the snapshot
/// leaves idle between its hand-offs. The read_back step then takes its result.
///
/// It reads through the store what the store wrote, exactly as a read after the upload would:
/// the local store's follower reads the file it renames into place, and checks at the end that
/// the file under the key is that one, of that size.
final class FollowingReadBack: Sendable {
    private let task: Task<ArtifactCheckResult, any Error>
    private let isTaken = Atomic<Bool>(false)

    /// Starts reading `upload` as it is written, or returns nil when its store cannot follow
    /// uploads or the source's checker needs the snapshot's summary.
    static func start(following upload: any ObjectUpload, source: any BackupSource, keyring: Keyring) async throws -> FollowingReadBack? {
        // The store first: a checker can cost something to make (a Git one makes a folder).
        guard let download = try await upload.follow() else { return nil }
        guard let checker = source.makeFollowingChecker() else {
            await download.close()
            return nil
        }
        return FollowingReadBack(download, keyring: keyring, checker: checker)
    }

    private init(_ download: any ObjectDownload, keyring: Keyring, checker: sending any SnapshotChecker) {
        // One thread of its own for all of it (hashing and checking inline, not handed to two
        // more threads): the snapshot's stages keep the cores busy already, and each hand-off
        // costs a wake-up and a copy. Not on the cooperative pool, whose two threads the
        // snapshot's own tasks need. The stored size is not known yet: the SHA-256 compared
        // afterwards covers it.
        let executor = DispatchTaskExecutor(label: "phoenix.backup.read-back")
        task = Task(executorPreference: executor) {
            try await ArtifactCheck.run(download, keyring: keyring, expectedStoredBytes: nil, checker: checker, aside: false)
        }
    }

    /// Its result the first time; nil afterwards, so a retried read_back step reads the stored
    /// object from the start instead.
    func takeResult() async throws -> ArtifactCheckResult? {
        guard !isTaken.exchange(true, ordering: .relaxed) else { return nil }
        let task = task
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    /// Stops it and waits until it has let go of the object: for a snapshot or a job that
    /// failed or was cancelled before the read_back step took the result. Idempotent.
    func cancel() async {
        task.cancel()
        _ = await task.result
    }
}
