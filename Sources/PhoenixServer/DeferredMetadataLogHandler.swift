import Logging

/// swift-log's `StreamLogHandler` with its metadata rendered when a line is written, not when
/// metadata is set: the stream handler renders all of it again on every change, and each request
/// sets its `request.id` on a copy of the logger, so every request paid for a rendering that a
/// server logging at `warning` never writes (about 3 % of a server's CPU under `h2load`).
/// The lines are the stream handler's own, byte for byte.
struct DeferredMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(_ stream: StreamLogHandler) {
        self.stream = stream
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        // The stream handler's order: its own metadata, then the provider's, then the call's.
        var merged = metadata
        if let provided = stream.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit { merged.merge(explicit) { _, new in new } }
        stream.log(level: level, message: message, metadata: merged.isEmpty ? nil : merged, source: source,
                   file: file, function: function, line: line)
    }
}
