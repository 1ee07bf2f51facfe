import CLibPQ
import Glibc
import Logging
import Synchronization

extension PostgresConnection {
    /// Subscribes this connection to `channel` (`LISTEN`, with the name quoted by libpq).
    public func listen(channel: String) async throws(PostgresError) {
        let handle = try liveHandle(operation: "LISTEN")
        _ = try await run("LISTEN \(try handle.quotedIdentifier(channel))", [], isCancellable: true)
        logger.debug("postgres listening", metadata: [LogKeys.channel: "\(channel)"])
    }

    /// Unsubscribes this connection from `channel` (`UNLISTEN`).
    public func unlisten(channel: String) async throws(PostgresError) {
        let handle = try liveHandle(operation: "UNLISTEN")
        _ = try await run("UNLISTEN \(try handle.quotedIdentifier(channel))", [], isCancellable: true)
    }

    /// Sends a notification on `channel` (`SELECT pg_notify($1, $2)`); delivered at commit.
    public func notify(channel: String, payload: String = "") async throws(PostgresError) {
        _ = try await run("SELECT pg_notify($1, $2)", [.text(channel), .text(payload)], isCancellable: true)
    }

    /// Waits until a notification arrives, `timeout` passes, or the task is cancelled.
    ///
    /// The wait is a `poll(2)` on the libpq socket on this connection's queue, so other statements
    /// on this connection wait too: a listening connection is best dedicated to listening.
    /// - Returns: The oldest pending notification, or nil when `timeout` passed first.
    /// - Throws: `.cancelled`, `.connectionLost`, `.connectionClosed`.
    public func waitForNotification(timeout: Duration) async throws(PostgresError) -> PostgresNotification? {
        let handle = try liveHandle(operation: "waitForNotification")
        // Notifications that arrived during earlier statements are already queued inside libpq.
        if let queued = Self.nextNotification(handle) { return queued }
        let deadline = ContinuousClock.now + timeout
        let wake = self.wake
        let result = await withTaskCancellationHandler {
            Result { () throws(PostgresError) in try self.poll(handle, until: deadline) }
        } onCancel: {
            wake.signal()
        }
        return try result.get()
    }

    /// The notifications on this connection as a stream; it ends when the consuming task is
    /// cancelled or the connection is closed or lost.
    /// - Parameter pollInterval: How long each wait holds the connection before statements queued
    ///   behind it get their turn.
    public nonisolated func notifications(
        pollInterval: Duration = .milliseconds(250)
    ) -> AsyncStream<PostgresNotification> {
        AsyncStream(unfolding: { [self] in
            while true {
                do throws(PostgresError) {
                    if let notification = try await waitForNotification(timeout: pollInterval) { return notification }
                } catch {
                    logger.debug("postgres notification stream ended", metadata: [LogKeys.errorType: "\(error.code)"])
                    return nil
                }
            }
        })
    }

    private func poll(_ handle: PGConnectionHandle, until deadline: ContinuousClock.Instant) throws(PostgresError) -> PostgresNotification? {
        preconditionOnQueue()
        while true {
            if Task.isCancelled { throw PostgresError(.cancelled, operation: "waitForNotification") }
            if isClosing.load(ordering: .sequentiallyConsistent) {
                throw PostgresError(.connectionClosed, operation: "waitForNotification")
            }
            // A broken connection has no socket (-1), which poll(2) would silently ignore.
            guard handle.isOK else { throw handle.connectionError(operation: "waitForNotification") }
            switch try wake.wait(socket: handle.socket, events: Int16(POLLIN), until: deadline) {
            case .timedOut:
                return nil
            case .woken:
                continue  // cancellation or close() is checked at the top; else a stale wake-up
            case .ready:
                guard PQconsumeInput(handle.raw) == 1 else {
                    throw handle.connectionError(operation: "PQconsumeInput")
                }
                if let notification = Self.nextNotification(handle) { return notification }
            }
        }
    }

    private static func nextNotification(_ handle: PGConnectionHandle) -> PostgresNotification? {
        guard let notify = PQnotifies(handle.raw) else { return nil }
        defer { PQfreemem(notify) }
        return PostgresNotification(
            channel: notify.pointee.relname.map { String(cString: $0) } ?? "",
            payload: notify.pointee.extra.map { String(cString: $0) } ?? "",
            backendPID: notify.pointee.be_pid
        )
    }
}
