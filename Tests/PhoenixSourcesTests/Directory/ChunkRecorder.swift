import Synchronization

/// A Sendable tar sink for tests: keeps the bytes (optionally) and the size of every chunk.
final class ChunkRecorder: Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var chunkSizes: [Int] = []
    }

    private let state = Mutex(State())
    private let keepsBytes: Bool

    init(keepsBytes: Bool = true) {
        self.keepsBytes = keepsBytes
    }

    /// The closure to hand to `TarWriter` or `DirectoryArchiver.archive(into:)`.
    var sink: @Sendable ([UInt8]) async throws -> Void {
        { chunk in self.record(chunk) }
    }

    func record(_ chunk: [UInt8]) {
        state.withLock { state in
            state.chunkSizes.append(chunk.count)
            if keepsBytes { state.bytes += chunk }
        }
    }

    var bytes: [UInt8] { state.withLock { $0.bytes } }
    var chunkSizes: [Int] { state.withLock { $0.chunkSizes } }
}
