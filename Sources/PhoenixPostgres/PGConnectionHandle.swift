import CLibPQ
import Logging

/// The one owner of a `PGconn`: `deinit` calls `PQfinish` exactly once.
///
/// Not Sendable: only its `PostgresConnection` touches it, on that actor's serial queue. The notice
/// processor is a non-capturing C callback that finds this object through its `arg` pointer;
/// `PQfinish` runs in this object's own `deinit`, so libpq never calls back into a freed object.
final class PGConnectionHandle {
    /// How many notices are kept for `takeNotices()` before the oldest are dropped.
    static let noticeLimit = 100

    let raw: OpaquePointer
    private let logger: Logger
    private var notices: [String] = []

    /// Takes ownership of `raw` and installs the notice processor.
    init(raw: OpaquePointer, logger: Logger) {
        self.raw = raw
        self.logger = logger
        let processor: PQnoticeProcessor = { arg, message in
            guard let arg, let message else { return }
            let handle = Unmanaged<PGConnectionHandle>.fromOpaque(arg).takeUnretainedValue()
            handle.receive(notice: String(cString: message))
        }
        _ = phx_pq_set_notice_processor(raw, processor, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        PQfinish(raw)
    }

    /// True while libpq considers the connection usable (`PQstatus == CONNECTION_OK`).
    var isOK: Bool { PQstatus(raw) == CONNECTION_OK }

    /// True when no transaction is open or failed (`PQtransactionStatus == PQTRANS_IDLE`).
    var isIdle: Bool { PQtransactionStatus(raw) == PQTRANS_IDLE }

    /// The socket libpq uses now. It can change while connecting (another host, SSL retry).
    var socket: Int32 { PQsocket(raw) }

    /// The backend's process id, as `pg_backend_pid()` reports it.
    var backendPID: Int32 { PQbackendPID(raw) }

    /// libpq's last connection-level message, without the trailing newline.
    var errorMessage: String {
        guard let message = PQerrorMessage(raw) else { return "" }
        return String(cString: message).trimmingTrailingNewlines()
    }

    /// Returns and forgets the notices received so far.
    func takeNotices() -> [String] {
        defer { notices.removeAll() }
        return notices
    }

    private func receive(notice: String) {
        let text = notice.trimmingTrailingNewlines()
        logger.debug("postgres notice", metadata: [LogKeys.notice: "\(text)"])
        if notices.count == Self.noticeLimit { notices.removeFirst() }
        notices.append(text)
    }
}

extension String {
    /// libpq ends its messages with "\n"; log lines and error messages should not.
    func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while text.last?.isNewline == true { text = text.dropLast() }
        return String(text)
    }
}
