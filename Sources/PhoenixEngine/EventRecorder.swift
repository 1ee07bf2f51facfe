import FoundationEssentials
import Logging
import PhoenixDomain

/// Writes engine events (job state changes, leadership changes) to the catalog's event log.
///
/// A history entry is a side record: when the catalog refuses it, the job or the lease renewal
/// that caused it goes on, and the failure is only logged.
public struct EventRecorder: Sendable {
    let log: any EventLog
    let now: @Sendable () -> Date
    let logger: Logger

    public init(log: any EventLog, now: @escaping @Sendable () -> Date, logger: Logger) {
        self.log = log
        self.now = now
        self.logger = logger
    }

    /// Appends one event stamped with the wall clock's time now.
    public func record(_ kind: String, subject: String, severity: EventSeverity = .info, message: String,
                       details: [String: String] = [:]) async {
        let event = EngineEvent(time: now(), kind: kind, subject: subject, severity: severity, message: Self.storable(message),
                                details: details.mapValues(Self.storable))
        do {
            _ = try await log.appendEvent(event)
        } catch {
            logger.warning("event not recorded", metadata: ["event.kind": "\(kind)", "error.type": "\(error)"])
        }
    }

    /// PostgreSQL's text and jsonb cannot hold NUL, and tool output quoted in a job's error may
    /// carry one: it becomes U+FFFD so the event is still recorded.
    static func storable(_ text: String) -> String {
        text.contains("\u{0}") ? text.replacing("\u{0}", with: "\u{FFFD}") : text
    }
}
