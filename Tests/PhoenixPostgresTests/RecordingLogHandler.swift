import Logging
import Synchronization

/// A log handler that keeps every message with its metadata, for assertions.
struct RecordingLogHandler: LogHandler {
    /// The store shared by every copy of the handler.
    final class Store: Sendable {
        let entries = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])

        var messages: [String] { entries.withLock { $0.map(\.message) } }

        func metadata(_ key: String) -> [String] {
            entries.withLock { entries in entries.compactMap { $0.metadata[key].map { "\($0)" } } }
        }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        store.entries.withLock { $0.append((event.level, "\(event.message)", merged)) }
    }

    static func makeLogger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "phoenix-dr.tests.recording") { _ in RecordingLogHandler(store: store) }, store)
    }
}
