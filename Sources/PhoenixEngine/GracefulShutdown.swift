import ServiceLifecycle

/// Runs `loop` until graceful shutdown cancels it, and returns normally then.
///
/// `cancelWhenGracefulShutdown` cancels the loop's task, so its sleep throws `CancellationError`;
/// rethrown, that error reaches the service group as a failure of the service and the process
/// exits 1 on a plain SIGTERM, and code after the loop (the lease hand-over) never runs.
func untilGracefulShutdown(_ loop: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown { try await loop() }
    } catch is CancellationError {
        return
    }
}
