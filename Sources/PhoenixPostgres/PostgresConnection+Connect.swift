import CLibPQ
import Glibc
import Logging
import Synchronization

extension PostgresConnection {
    /// Connects with `PQconnectStartParams` + `PQconnectPoll`, polling the socket until `deadline`.
    ///
    /// Not `PQconnectdb` with `connect_timeout`: that option takes whole seconds and libpq raises
    /// anything below 2 to 2, while tests need sub-second deadlines and cancellation.
    func open(_ url: String, deadline: ContinuousClock.Instant) async throws(PostgresError) {
        let wake = self.wake
        let result = await withTaskCancellationHandler {
            Result { () throws(PostgresError) in try self.establish(url, deadline: deadline) }
        } onCancel: {
            wake.signal()
        }
        let handle = try result.get()
        self.handle = handle
        serverPID.store(handle.backendPID, ordering: .releasing)
        try await useISODateStyle(handle)
        logger.debug("postgres connected", metadata: [LogKeys.backendPID: "\(handle.backendPID)"])
    }

    private func establish(_ url: String, deadline: ContinuousClock.Instant) throws(PostgresError) -> PGConnectionHandle {
        preconditionOnQueue()
        // client_encoding comes first so the URL may still override it: with expand_dbname = 1,
        // later keywords win over earlier ones (libpq docs, PQconnectdbParams).
        let keywords = ["client_encoding", "dbname"]
        let values = ["UTF8", url]
        guard let raw = withCStringArrays(keywords, values, { PQconnectStartParams($0, $1, 1) }) else {
            throw PostgresError(.connectionFailed, operation: "PQconnectStartParams", message: "out of memory")
        }
        // From here on `handle` owns the PGconn: every throw below frees it with PQfinish.
        let handle = PGConnectionHandle(raw: raw, logger: logger)
        guard PQstatus(raw) != CONNECTION_BAD else {
            throw PostgresError(.connectionFailed, operation: "PQconnectStartParams", message: handle.errorMessage)
        }
        // libpq: "If PQconnectStart succeeds, the next stage is to poll libpq ... as if
        // PQconnectPoll had last returned PGRES_POLLING_WRITING".
        var polling = PGRES_POLLING_WRITING
        while polling != PGRES_POLLING_OK {
            guard polling != PGRES_POLLING_FAILED else {
                throw PostgresError(.connectionFailed, operation: "PQconnectPoll", message: handle.errorMessage)
            }
            let events = Int16(polling == PGRES_POLLING_READING ? POLLIN : POLLOUT)
            // PQsocket is read on every round: it changes when libpq moves to another address.
            switch try wake.wait(socket: handle.socket, events: events, until: deadline) {
            case .ready:
                polling = PQconnectPoll(raw)
            case .timedOut:
                throw PostgresError(.connectionFailed, operation: "PQconnectPoll", message: "timed out")
            case .woken:
                if Task.isCancelled { throw PostgresError(.cancelled, operation: "PQconnectPoll") }
                if isClosing.load(ordering: .sequentiallyConsistent) {
                    throw PostgresError(.connectionClosed, operation: "PQconnectPoll")
                }
            }
        }
        return handle
    }

    /// `PostgresRow.date` parses DateStyle ISO, the server default; a server or role configured
    /// otherwise gets it back for this session.
    private func useISODateStyle(_ handle: PGConnectionHandle) async throws(PostgresError) {
        let dateStyle = PQparameterStatus(handle.raw, "DateStyle").map { String(cString: $0) } ?? ""
        guard !dateStyle.hasPrefix("ISO") else { return }
        _ = try await run("SET DateStyle TO ISO", [], isCancellable: true)
    }

    private func withCStringArrays<R>(
        _ keys: [String], _ values: [String],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> R?
    ) -> R? {
        let copies = (keys + values).map { strdup($0) }
        defer { for copy in copies { free(copy) } }
        guard copies.allSatisfy({ $0 != nil }) else { return nil }
        let pointers = copies.map { $0.map { UnsafePointer($0) } }
        // Both arrays end with NULL, as PQconnectStartParams requires.
        let keyPointers = Array(pointers[..<keys.count]) + [nil]
        let valuePointers = Array(pointers[keys.count...]) + [nil]
        return body(keyPointers, valuePointers)
    }
}
