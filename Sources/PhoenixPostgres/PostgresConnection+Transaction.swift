import Logging

extension PostgresConnection {
    /// Runs `body` inside `BEGIN` ... `COMMIT`, and `ROLLBACK` if it throws.
    ///
    /// The rollback runs even when the task was cancelled; a task cancelled before `COMMIT` rolls
    /// back and throws `.cancelled`. A `COMMIT` that the server turned into
    /// `ROLLBACK` (because a statement in `body` failed and the error was swallowed) throws
    /// `.queryFailed` with SQLSTATE 25P02.
    ///
    /// The actor is free while `body` awaits, so statements other tasks send on this connection
    /// meanwhile would run inside the transaction: keep the connection to one task (as
    /// `PostgresPool.withConnection` does).
    ///
    /// ```swift
    /// try await connection.transaction { connection in
    ///     try await connection.execute("UPDATE jobs SET state = 'running' WHERE id = $1", [.text(id)])
    ///     try await connection.execute("INSERT INTO job_events (job_id) VALUES ($1)", [.text(id)])
    /// }
    /// ```
    /// - Returns: What `body` returned.
    /// - Throws: `body`'s error after the rollback, or a `PostgresError`.
    @discardableResult
    public func transaction<T: Sendable>(
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await execute("BEGIN")
        let value: T
        do {
            value = try await body(self)
        } catch {
            await rollback()
            throw error
        }
        let commit: PostgresRows
        do {
            commit = try await run("COMMIT", [], isCancellable: true)
        } catch {
            // A failed COMMIT has ended the transaction; one refused because the task was
            // cancelled has not. ROLLBACK covers both (a no-op with a WARNING in the first case).
            await rollback()
            throw error
        }
        guard commit.commandTag != "ROLLBACK" else {
            throw PostgresError(
                .queryFailed, sqlState: "25P02", operation: "COMMIT",
                message: "the transaction had failed and was rolled back")
        }
        return value
    }

    private func rollback() async {
        // Not cancellable: the task that failed may be the one that was cancelled. A broken
        // connection cannot roll back, but the server aborts the transaction when the session ends.
        do {
            _ = try await run("ROLLBACK", [], isCancellable: false)
        } catch {
            logger.debug("postgres rollback failed", metadata: [LogKeys.errorType: "\(error.code)"])
        }
    }
}
