import Logging

/// swift-log's `StreamLogHandler` with its metadata rendered when a line is written, not when
/// metadata is set: the stream handler renders all of it again on every change, and each request
/// sets its `request.id` on a copy of the logger (`RequestIDMiddleware`), so every request paid
/// for a rendering that a server logging at `warning` never writes (about 3 % of a server's CPU
/// under `h2load`). The lines are the stream handler's own, byte for byte, errors included.
public struct DeferredMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    private var provider: Logger.MetadataProvider?
    public var metadata: Logger.Metadata = [:]

    /// Wraps `stream`, taking over its metadata provider (so it is asked once per line).
    public init(_ stream: StreamLogHandler) {
        var stream = stream
        provider = stream.metadataProvider
        stream.metadataProvider = nil
        self.stream = stream
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { provider }
        set { provider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // The stream handler's order: its own metadata, then the provider's, then the line's.
        var merged = metadata
        if let provided = provider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var event = event
        event.metadata = merged.isEmpty ? nil : merged
        stream.log(event: event)
    }
}
