import PhoenixTesting

/// Runs the system's GNU tar, the interoperability peer, without blocking the test's thread.
enum GNUTar {
    struct Result {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs `tar` with `arguments`; both pipes are read as it writes, so neither can stall it.
    static func run(_ arguments: [String]) async throws -> Result {
        let result = try await ProcessRunner.run("/usr/bin/tar", arguments)
        return Result(status: result.status, output: result.stdout, errors: result.stderr)
    }
}
