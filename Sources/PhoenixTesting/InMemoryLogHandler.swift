import Logging
import Synchronization

/// A log handler that keeps entries in memory so tests can check what was logged.
///
/// ```swift
/// let logs = InMemoryLogs()
/// let logger = logs.logger()
/// ```
public final class InMemoryLogs: Sendable {
    /// One logged message with its merged metadata, rendered as strings.
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
    }

    private let storage = Mutex<[Entry]>([])

    /// An empty store.
    public init() {}

    /// Everything logged so far.
    public var entries: [Entry] { storage.withLock { $0 } }

    /// A logger that writes here, at `level` and above.
    public func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in InMemoryLogHandler(logs: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ entry: Entry) {
        storage.withLock { $0.append(entry) }
    }
}

/// The `LogHandler` behind `InMemoryLogs.logger()`.
struct InMemoryLogHandler: LogHandler {
    let logs: InMemoryLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        logs.append(.init(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
    }
}
