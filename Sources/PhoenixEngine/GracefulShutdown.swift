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

/// Runs `chore` every `interval` while this instance leads (always, for the sole instance),
/// until graceful shutdown: the loop of the leader's housekeeping services.
func everyInterval(_ interval: Duration, whileLeading isLeader: @escaping @Sendable () -> Bool,
                   _ chore: @escaping @Sendable () async -> Void) async throws {
    try await untilGracefulShutdown {
        while !Task.isCancelled {
            if isLeader() { await chore() }
            try await Task.sleep(for: interval)
        }
    }
}

extension Duration {
    /// In seconds, for `Date` arithmetic.
    var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
